import type { App, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import {
  cleanAxes,
  cleanScope,
  cleanShift,
  eraseLeftovers,
  prepareEvidence,
  type SuggestedTags,
} from '../../../app/evidence.ts';
import type { AppContext } from '../../../context.ts';
import { isLocalDate, localDate, normaliseLink } from '../../../domain/evidence.ts';
import type { EvidenceEntry, Owner } from '../../../domain/types.ts';
import { describeError } from '../../../log.ts';
import { buildEvidenceConfirmation, tagNames } from '../../blocks/evidence.ts';
import { isEditOrigin } from '../../evidence-modal.ts';
import { publishHome } from '../../home/publish.ts';
import { ActionId, BlockId, ViewId } from '../../ids.ts';
import { ownerOfInteraction } from '../../owner.ts';
import { replyToUser } from '../../reply.ts';

type StateValues = ViewSubmitAction['view']['state']['values'];

/** The submitted fields, read defensively: every value is untrusted and checked afterwards. */
function readForm(values: StateValues) {
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

async function confirm(
  ctx: AppContext,
  client: WebClient,
  owner: Owner,
  kind: string | null,
  responseUrl: string | null,
  entry: EvidenceEntry,
  unknownTags: string[],
  linkNote: string | undefined,
  suggested: SuggestedTags | null = null,
): Promise<void> {
  const message = buildEvidenceConfirmation(entry, tagNames(ctx.ladder), {
    unknownTags,
    suggested,
    ...(linkNote ? { linkNote } : {}),
  });
  if (kind === 'home' || kind === 'home-edit') {
    try {
      await publishHome(
        ctx,
        client,
        owner,
        kind === 'home' ? { justSaved: entry } : { notice: 'Entry updated.' },
      );
      return;
    } catch (err) {
      // Saved already: say so in the DM rather than let the error handler say "did not complete".
      ctx.logger.warn('could not refresh the Home after a save; confirming in the DM', {
        error: describeError(err),
      });
    }
  }
  await replyToUser(ctx, client, { owner, responseUrl }, message, { replaceOriginal: kind === 'edit' });
}

export function registerEvidenceViews(app: App, ctx: AppContext): void {
  app.view<ViewSubmitAction>(ViewId.evidenceModal, async ({ ack, body, view, client }) => {
    const owner = ownerOfInteraction(body);
    const form = readForm(view.state.values);
    const pending = ctx.repos.slackState.findView(owner, view.id);
    const profile = ctx.repos.profiles.getOrEmpty(owner);
    const today = localDate(ctx.now(), profile.tz);

    const errors: Record<string, string> = {};
    const link = normaliseLink(form.link);
    if (link === 'invalid') errors[BlockId.evidenceLink] = 'Use a full https:// link, or leave it empty.';
    if (!form.date || !isLocalDate(form.date)) errors[BlockId.evidenceDate] = 'Pick the day it happened.';
    else if (form.date > today)
      errors[BlockId.evidenceDate] = 'That day is in the future: pick the day it happened.';
    const editing = isEditOrigin(pending?.kind) && pending?.entryId !== null;
    const prepared = prepareEvidence(ctx, {
      // An edit is the user reviewing the tags: what they leave empty stays empty.
      suggest: !editing,
      text: form.text,
      source: pending?.kind === 'shortcut' ? 'shortcut' : pending?.kind === 'home' ? 'home' : 'modal',
      tz: profile.tz,
      occurredOn: form.date ?? today,
      axes: form.axes,
      shift: form.shift,
      scope: form.scope,
      link: link === 'invalid' ? null : link,
    });
    if (!prepared.ok) {
      errors[BlockId.evidenceText] =
        prepared.reason === 'empty'
          ? 'Tell me what you did: the outcome and your part in it.'
          : `This is ${prepared.length.toLocaleString('en-US')} characters; the limit is ${prepared.limit.toLocaleString('en-US')}.`;
    }
    if (Object.keys(errors).length > 0 || !prepared.ok) {
      // The modal stays open with everything typed, and the problems shown on their fields.
      await ack({ response_action: 'errors', errors });
      return;
    }

    if (editing && pending && pending.entryId !== null) {
      const updated = ctx.repos.evidence.update(
        owner,
        pending.entryId,
        {
          text: prepared.entry.text,
          occurredOn: prepared.entry.occurredOn,
          axes: prepared.entry.axes,
          // The modal showed the suggestions preselected: what was saved is the user's choice.
          suggestedAxes: [],
          shift: prepared.entry.shift,
          scope: prepared.entry.scope,
          link: prepared.entry.link,
        },
        ctx.now(),
      );
      await ack();
      ctx.repos.slackState.forgetView(owner, view.id);
      if (updated) await eraseLeftovers(ctx);
      if (updated)
        await confirm(
          ctx,
          client,
          owner,
          pending.kind,
          pending.responseUrl,
          updated,
          prepared.unknownTags,
          undefined,
        );
      return;
    }

    // A retried submission of the same modal finds its delivery key and stores nothing twice.
    const { entry } = ctx.repos.evidence.insert(owner, prepared.entry, ctx.now(), `view:${view.id}`);
    await ack();
    ctx.repos.slackState.forgetView(owner, view.id);
    const linkNote =
      pending?.kind === 'shortcut' && !entry.link
        ? 'Saved without a link: Slack would not give me one for that message (the bot cannot see private conversations).'
        : undefined;
    await confirm(
      ctx,
      client,
      owner,
      pending?.kind ?? null,
      pending?.responseUrl ?? null,
      entry,
      prepared.unknownTags,
      linkNote,
      prepared.suggested,
    );
  });
}
