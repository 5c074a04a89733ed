import type { App, BlockButtonAction } from '@slack/bolt';
import { acceptedSuggestions, eraseLeftovers, suggestedShiftFor } from '../../../app/evidence.ts';
import type { AppContext } from '../../../context.ts';
import { localDate } from '../../../domain/evidence.ts';
import {
  buildEntryGone,
  buildEvidenceConfirmation,
  buildEvidenceList,
  buildSavedEntryGoneModal,
  buildUndone,
  decodePage,
  ENTRY_GONE_TEXT,
  EntryNotice,
  pendingSuggestions,
  tagNames,
} from '../../blocks/evidence.ts';
import { buildEvidenceModal, ModalNote } from '../../blocks/evidence-modal.ts';
import { buildForgetCancelled, buildForgetDone } from '../../blocks/forget.ts';
import { openEvidenceModal } from '../../evidence-modal.ts';
import { forgetUser } from '../../forget.ts';
import { publishHome } from '../../home/publish.ts';
import { ActionId, actionIdPattern } from '../../ids.ts';
import { otherTenantOfInteraction, ownerOfInteraction } from '../../owner.ts';
import { ensureTimeZone } from '../../time-zone.ts';
import { forgetCounts } from '../forget-counts.ts';

/** A button value that should be an entry id; anything else is treated as unknown. */
function entryIdOf(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}

/**
 * A button pressed on the App Home: Slack sends no response URL, so the answer is a new Home.
 * (`container.type` is `view` for the Home and for modals; no evidence button lives in a modal.)
 */
export function pressedOnHome(body: { container?: { type?: string }; view?: { type?: string } }): boolean {
  return body.container?.type === 'view' && body.view?.type !== 'modal';
}

/**
 * Evidence buttons. The owner always comes from the signed payload; the value only names an
 * entry, and every lookup is scoped to that owner, so a replayed value reveals and changes nothing.
 */
export function registerEvidenceActions(app: App, ctx: AppContext): void {
  registerEntryActions(app, ctx);
  registerEvidenceListActions(app, ctx);
  registerEvidenceAccountActions(app, ctx);
}

/** Edit, open an already saved entry, and Undo. */
function registerEntryActions(app: App, ctx: AppContext): void {
  registerEditEntry(app, ctx);
  registerOpenSavedEntry(app, ctx);
  registerUndo(app, ctx);
}

/** Edit: the entry in the evidence modal, suggested tags preselected. */
function registerEditEntry(app: App, ctx: AppContext): void {
  app.action<BlockButtonAction>(
    actionIdPattern(ActionId.evidenceEdit),
    async ({ ack, body, action, client, respond }) => {
      await ack();
      const owner = ownerOfInteraction(body);
      const id = entryIdOf(action.value);
      const entry = id === null ? undefined : await ctx.repos.evidence.get(owner, id);
      const onHome = pressedOnHome(body);
      if (!entry) {
        if (onHome) return void (await publishHome(ctx, client, owner, { notice: ENTRY_GONE_TEXT }));
        return void (await respond({
          response_type: 'ephemeral',
          replace_original: false,
          ...buildEntryGone(),
        }));
      }
      if (body.response_url) await ctx.repos.slackState.noteResponseUrl(owner, body.response_url, ctx.now());
      const suggested = pendingSuggestions(entry);
      // Rules speak only for an entry without axes, and the Home lists suggested axes only: the
      // shift is preselected where the confirmation offered it.
      const suggestedShift = onHome || entry.axes.length > 0 ? null : suggestedShiftFor(ctx, entry);
      await openEvidenceModal(ctx, client, owner, {
        triggerId: body.trigger_id,
        origin: onHome ? 'home-edit' : 'edit',
        responseUrl: body.response_url ?? null,
        entryId: entry.id,
        ...(suggested.length > 0 || suggestedShift !== null ? { note: ModalNote.tagsPreselected } : {}),
        values: {
          text: entry.text,
          occurredOn: entry.occurredOn,
          // Suggestions preselected: saving the form is the user's own choice of axes.
          axes: [...entry.axes, ...suggested],
          shift: entry.shift ?? suggestedShift,
          scope: entry.scope,
          link: entry.link,
        },
      });
    },
  );
}

/** "Already saved" → the entry itself, in the same modal: Save updates it, nothing is copied. */
function registerOpenSavedEntry(app: App, ctx: AppContext): void {
  app.action<BlockButtonAction>(ActionId.evidenceOpenSaved, async ({ ack, body, action, client }) => {
    await ack();
    const owner = ownerOfInteraction(body);
    const viewId = body.view?.id;
    const pending = viewId ? await ctx.repos.slackState.findView(owner, viewId) : undefined;
    const id = entryIdOf(action.value);
    const entry = id === null ? undefined : await ctx.repos.evidence.get(owner, id);
    if (!viewId || !pending) return;
    if (!entry) {
      await client.views.update({ view_id: viewId, view: buildSavedEntryGoneModal() });
      return;
    }
    const suggested = pendingSuggestions(entry);
    await client.views.update({
      view_id: viewId,
      view: buildEvidenceModal(
        ctx.ladder,
        {
          text: entry.text,
          occurredOn: entry.occurredOn,
          axes: [...entry.axes, ...suggested],
          shift: entry.shift,
          scope: entry.scope,
          link: entry.link,
        },
        { mode: 'edit', note: ModalNote.editingSavedMessage },
      ),
    });
    await ctx.repos.slackState.rememberView(
      owner,
      { viewId, kind: 'shortcut-edit', responseUrl: pending.responseUrl, entryId: entry.id },
      ctx.now(),
    );
  });
}

/** Undo under a confirmation: the entry just saved is deleted. */
function registerUndo(app: App, ctx: AppContext): void {
  app.action<BlockButtonAction>(ActionId.evidenceUndo, async ({ ack, body, action, respond }) => {
    await ack();
    const owner = ownerOfInteraction(body);
    const id = entryIdOf(action.value);
    const deleted = id !== null && (await ctx.repos.evidence.delete(owner, id));
    if (deleted) await eraseLeftovers(ctx);
    await respond({
      response_type: 'ephemeral',
      replace_original: true,
      ...(deleted ? buildUndone() : buildEntryGone()),
    });
  });
}

/** Accept suggested tags, Delete, and the pages of `/ladder evidence`. */
function registerEvidenceListActions(app: App, ctx: AppContext): void {
  registerAcceptSuggestions(app, ctx);
  registerDeleteEntry(app, ctx);
  registerEvidencePages(app, ctx);
}

/** Accept suggested tags: they become the entry's own. */
function registerAcceptSuggestions(app: App, ctx: AppContext): void {
  app.action<BlockButtonAction>(
    actionIdPattern(ActionId.evidenceAccept),
    async ({ ack, body, action, respond, client }) => {
      await ack();
      const owner = ownerOfInteraction(body);
      const id = entryIdOf(action.value);
      const entry = id === null ? undefined : await ctx.repos.evidence.get(owner, id);
      const accepted = entry
        ? await ctx.repos.evidence.update(
            owner,
            entry.id,
            acceptedSuggestions(ctx, entry, { withShift: !pressedOnHome(body) }),
            ctx.now(),
          )
        : undefined;
      if (pressedOnHome(body)) {
        const notice = accepted ? EntryNotice.tagsAccepted : ENTRY_GONE_TEXT;
        return void (await publishHome(ctx, client, owner, { notice }));
      }
      await respond({
        response_type: 'ephemeral',
        replace_original: accepted !== undefined,
        ...(accepted
          ? buildEvidenceConfirmation(accepted, tagNames(ctx.ladder), {
              note: `:ok_hand: ${EntryNotice.tagsAccepted}`,
            })
          : buildEntryGone()),
      });
    },
  );
}

/** Delete, from the list or the Home: the list's first page (or the Home) is shown again. */
function registerDeleteEntry(app: App, ctx: AppContext): void {
  app.action<BlockButtonAction>(
    actionIdPattern(ActionId.evidenceDelete),
    async ({ ack, body, action, respond, client }) => {
      await ack();
      const owner = ownerOfInteraction(body);
      const id = entryIdOf(action.value);
      const deleted = id !== null && (await ctx.repos.evidence.delete(owner, id));
      if (deleted) await eraseLeftovers(ctx);
      if (pressedOnHome(body)) {
        return void (await publishHome(ctx, client, owner, {
          notice: deleted ? EntryNotice.deleted : ENTRY_GONE_TEXT,
        }));
      }
      if (!deleted)
        return void (await respond({
          response_type: 'ephemeral',
          replace_original: false,
          ...buildEntryGone(),
        }));
      const pageSize = 5;
      const { entries, total } = await ctx.repos.evidence.list(owner, { limit: pageSize });
      await respond({
        response_type: 'ephemeral',
        replace_original: true,
        ...buildEvidenceList({ entries, total, offset: 0, pageSize, query: null }, tagNames(ctx.ladder)),
      });
    },
  );
}

/** The pages of `/ladder evidence`. */
function registerEvidencePages(app: App, ctx: AppContext): void {
  app.action<BlockButtonAction>(
    actionIdPattern(ActionId.evidencePage),
    async ({ ack, body, action, respond }) => {
      await ack();
      const owner = ownerOfInteraction(body);
      const page = decodePage(action.value) ?? { offset: 0, pageSize: 5, query: null };
      const { entries, total } = await ctx.repos.evidence.list(owner, {
        limit: page.pageSize,
        offset: page.offset,
        ...(page.query ? { search: page.query } : {}),
      });
      await respond({
        response_type: 'ephemeral',
        replace_original: true,
        ...buildEvidenceList(
          { entries, total, offset: page.offset, pageSize: page.pageSize, query: page.query },
          tagNames(ctx.ladder),
        ),
      });
    },
  );
}

/** Forget (confirm, cancel) and Log a win. */
function registerEvidenceAccountActions(app: App, ctx: AppContext): void {
  app.action<BlockButtonAction>(ActionId.forgetConfirm, async ({ ack, body, respond, client }) => {
    await ack();
    const owner = ownerOfInteraction(body);
    const deleted = await forgetUser(ctx, client, owner, otherTenantOfInteraction(body));
    await respond({
      response_type: 'ephemeral',
      replace_original: true,
      ...buildForgetDone(forgetCounts(deleted)),
    });
    // The Home tab would otherwise keep showing what was deleted; readOnly stores nothing again.
    await publishHome(ctx, client, owner, { readOnly: true });
  });

  app.action<BlockButtonAction>(ActionId.forgetCancel, async ({ ack, respond }) => {
    await ack();
    await respond({ response_type: 'ephemeral', replace_original: true, ...buildForgetCancelled() });
  });

  app.action<BlockButtonAction>(ActionId.logWin, async ({ ack, body, client }) => {
    await ack();
    const owner = ownerOfInteraction(body);
    const profile = await ensureTimeZone(ctx, client, owner);
    await openEvidenceModal(ctx, client, owner, {
      triggerId: body.trigger_id,
      origin: 'home',
      responseUrl: null,
      values: { occurredOn: localDate(ctx.now(), profile.tz) },
    });
  });
}
