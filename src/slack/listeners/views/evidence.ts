import type { App, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import {
  checkEvidenceForm,
  cleanAxes,
  cleanScope,
  cleanShift,
  type EvidenceForm,
  eraseLeftovers,
  type SuggestedTags,
  saveEvidenceForm,
} from '../../../app/evidence.ts';
import type { AppContext } from '../../../context.ts';
import { isUniqueViolation } from '../../../db/store.ts';
import type { EvidenceEntry, Owner } from '../../../domain/types.ts';
import { describeError } from '../../../log.ts';
import {
  alreadySavedError,
  buildEvidenceConfirmation,
  SHORTCUT_NO_LINK_NOTE,
  tagNames,
} from '../../blocks/evidence.ts';
import { buildEvidenceFormErrors } from '../../blocks/evidence-modal.ts';
import { isEditOrigin, type ModalOrigin, modalOriginOf, sourceOfOrigin } from '../../evidence-modal.ts';
import { publishHome } from '../../home/publish.ts';
import { ActionId, BlockId, ViewId } from '../../ids.ts';
import { ownerOfInteraction } from '../../owner.ts';
import { replyToUser } from '../../reply.ts';

type StateValues = ViewSubmitAction['view']['state']['values'];

/** The submitted fields, read defensively: every value is untrusted and checked afterwards. */
function readForm(values: StateValues): EvidenceForm {
  const field = (block: string) => values[block]?.[ActionId.formValue];
  const text = field(BlockId.evidenceText)?.value;
  const date = field(BlockId.evidenceDate)?.selected_date;
  const options: unknown = field(BlockId.evidenceAxes)?.selected_options;
  const axes = Array.isArray(options) ? options.map((o) => (o as { value?: unknown } | null)?.value) : [];
  const link = field(BlockId.evidenceLink)?.value;
  return {
    text: typeof text === 'string' ? text : '',
    date: typeof date === 'string' ? date : null,
    axes: cleanAxes(axes),
    shift: cleanShift(field(BlockId.evidenceShift)?.selected_option?.value),
    scope: cleanScope(field(BlockId.evidenceScope)?.selected_option?.value),
    link: typeof link === 'string' ? link : null,
  };
}

/** Where the modal was opened and where its confirmation goes. */
interface ConfirmTarget {
  origin: ModalOrigin | null;
  responseUrl: string | null;
}

/** What was saved, for the confirmation. */
interface Saved {
  entry: EvidenceEntry;
  unknownTags: string[];
  suggested?: SuggestedTags | null;
  linkNote?: string;
}

/** Confirms a committed save where the modal came from: the Home, or the response URL / DM. */
async function confirm(
  ctx: AppContext,
  client: WebClient,
  owner: Owner,
  target: ConfirmTarget,
  saved: Saved,
) {
  const { origin, responseUrl } = target;
  if (origin === 'home' || origin === 'home-edit') {
    try {
      await publishHome(
        ctx,
        client,
        owner,
        origin === 'home' ? { justSaved: saved.entry } : { notice: 'Entry updated.' },
      );
      return;
    } catch (err) {
      // Saved already: say so in the DM rather than let the error handler say "did not complete".
      ctx.logger.warn('could not refresh the Home after a save; confirming in the DM', {
        error: describeError(err),
      });
    }
  }
  const message = buildEvidenceConfirmation(saved.entry, tagNames(ctx.ladder), {
    unknownTags: saved.unknownTags,
    suggested: saved.suggested ?? null,
    ...(saved.linkNote ? { linkNote: saved.linkNote } : {}),
  });
  await replyToUser(ctx, client, { owner, responseUrl }, message, { replaceOriginal: origin === 'edit' });
}

/**
 * The evidence modal's submit: read the form, check it (app/evidence), store it, ack (the modal
 * closes, or shows its problems on their fields), then confirm.
 */
export function registerEvidenceViews(app: App, ctx: AppContext): void {
  app.view<ViewSubmitAction>(ViewId.evidenceModal, async ({ ack, body, view, client }) => {
    const owner = ownerOfInteraction(body);
    const pending = await ctx.repos.slackState.findView(owner, view.id);
    const origin = modalOriginOf(pending?.kind);
    const editId = isEditOrigin(origin) ? (pending?.entryId ?? null) : null;
    const fromMessage = editId === null && origin === 'shortcut' ? (pending?.message ?? null) : null;
    const checked = checkEvidenceForm(ctx, readForm(view.state.values), {
      tz: (await ctx.repos.profiles.getOrEmpty(owner)).tz,
      editing: editId !== null,
      source: sourceOfOrigin(origin),
      fromMessage,
    });
    if (!checked.ok) {
      // The modal stays open with everything typed, and the problems shown on their fields.
      await ack({ response_action: 'errors', errors: buildEvidenceFormErrors(checked.problems) });
      return;
    }
    const { prepared } = checked;
    let entry: EvidenceEntry | undefined;
    try {
      entry = await saveEvidenceForm(ctx, owner, prepared, { editId, deliveryKey: `view:${view.id}` });
    } catch (err) {
      // The same message saved from another form meanwhile: the unique index kept one entry.
      const saved = fromMessage
        ? await ctx.repos.evidence.findByMessage(owner, fromMessage.channelId, fromMessage.ts)
        : undefined;
      if (!isUniqueViolation(err) || !saved) throw err;
      await ack({ response_action: 'errors', errors: { [BlockId.evidenceText]: alreadySavedError(saved) } });
      return;
    }
    await ack();
    await ctx.repos.slackState.forgetView(owner, view.id);
    if (!entry) return;
    const target = { origin, responseUrl: pending?.responseUrl ?? null };
    if (editId !== null) {
      await eraseLeftovers(ctx);
      await confirm(ctx, client, owner, target, { entry, unknownTags: prepared.unknownTags });
      return;
    }
    await confirm(ctx, client, owner, target, {
      entry,
      unknownTags: prepared.unknownTags,
      suggested: prepared.suggested,
      ...(origin === 'shortcut' && !entry.link ? { linkNote: SHORTCUT_NO_LINK_NOTE } : {}),
    });
  });
}
