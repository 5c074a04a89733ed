import type { App, MessageShortcut } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../../context.ts';
import { localDate, MAX_EVIDENCE_CHARS } from '../../../domain/evidence.ts';
import { slackTextToReadable } from '../../../domain/slack-text.ts';
import type { EvidenceEntry, Owner } from '../../../domain/types.ts';
import { describeError } from '../../../log.ts';
import { buildAlreadySavedModal } from '../../blocks/evidence.ts';
import { buildEvidenceModal, messageCutNote, noLinkNote } from '../../blocks/evidence-modal.ts';
import { openEvidenceModal } from '../../evidence-modal.ts';
import { ShortcutId } from '../../ids.ts';
import { ownerOfInteraction } from '../../owner.ts';
import { unescapeSlackText } from '../../text.ts';
import { ensureTimeZone } from '../../time-zone.ts';
import { resolveUserNames } from '../../user-names.ts';

/** The names of people mentioned are looked up before the form opens, within this much of the 3 s. */
const NAME_LOOKUP_BUDGET_MS = 1_200;

/**
 * "Save as evidence" on any message: the modal opens at once (the trigger id lives 3 s), prefilled
 * with the message's readable text (mentions as @Name, links as "label (url)") and its permalink;
 * where Slack gives no permalink (a conversation the bot cannot see), the modal says the entry will
 * be saved without a link. The message's channel, ts and Slack text are kept with the open modal,
 * so the entry records them; a message that is already evidence opens "Already saved" instead.
 */
export function register(app: App, ctx: AppContext): void {
  app.shortcut<MessageShortcut>(ShortcutId.saveAsEvidence, async ({ ack, shortcut, client }) => {
    await ack();
    const owner = ownerOfInteraction(shortcut);
    const saved = await ctx.repos.evidence.findByMessage(owner, shortcut.channel.id, shortcut.message.ts);
    if (saved) {
      await openAlreadySaved(ctx, client, owner, shortcut, saved);
      return;
    }
    await openPrefilledModal(ctx, client, owner, shortcut);
    void ensureTimeZone(ctx, client, owner).catch(() => {});
  });
}

/** A message already saved opens "Already saved", remembered so its buttons find the entry. */
async function openAlreadySaved(
  ctx: AppContext,
  client: WebClient,
  owner: Owner,
  shortcut: MessageShortcut,
  saved: EvidenceEntry,
): Promise<void> {
  const res = await client.views.open({
    trigger_id: shortcut.trigger_id,
    view: buildAlreadySavedModal(saved),
  });
  if (res.view?.id) {
    await ctx.repos.slackState.rememberView(
      owner,
      {
        viewId: res.view.id,
        kind: 'shortcut',
        responseUrl: shortcut.response_url ?? null,
        entryId: saved.id,
      },
      ctx.now(),
    );
  }
}

/**
 * The message's readable text, with people's names looked up within the budget, cut to the
 * evidence limit; `cut` says so when it was cut.
 */
async function readableMessageText(
  ctx: AppContext,
  client: WebClient,
  owner: Owner,
  slackText: string,
): Promise<{ text: string; cut: string | undefined }> {
  const lookup = await Promise.race([
    resolveUserNames(ctx, client, owner.teamId, slackText),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), NAME_LOOKUP_BUDGET_MS).unref()),
  ]);
  const raw = slackTextToReadable(slackText, lookup ? { names: lookup.names } : {}).text;
  const chars = [...raw];
  const cut = chars.length > MAX_EVIDENCE_CHARS ? messageCutNote(chars.length) : undefined;
  return { text: chars.slice(0, MAX_EVIDENCE_CHARS).join(''), cut };
}

/** Opens the evidence modal prefilled with the message, then adds its permalink when Slack gives one. */
async function openPrefilledModal(
  ctx: AppContext,
  client: WebClient,
  owner: Owner,
  shortcut: MessageShortcut,
): Promise<void> {
  const profile = await ctx.repos.profiles.getOrEmpty(owner);
  const message = { channelId: shortcut.channel.id, ts: shortcut.message.ts };
  const slackText = typeof shortcut.message.text === 'string' ? unescapeSlackText(shortcut.message.text) : '';
  const { text, cut } = await readableMessageText(ctx, client, owner, slackText);
  const values = { text, occurredOn: localDate(ctx.now(), profile.tz) };
  if (shortcut.response_url)
    await ctx.repos.slackState.noteResponseUrl(owner, shortcut.response_url, ctx.now());
  // Open first: the trigger id expires in 3 s, the permalink lookup can take longer.
  const viewId = await openEvidenceModal(ctx, client, owner, {
    triggerId: shortcut.trigger_id,
    origin: 'shortcut',
    responseUrl: shortcut.response_url ?? null,
    message: { ...message, text: slackText },
    values,
    ...(cut ? { note: cut } : {}),
  });
  if (!viewId) return;
  const link = await permalinkOf(ctx, client, shortcut);
  const note = link ? cut : noLinkNote(cut);
  // Inputs keep what the user typed meanwhile: same block and action ids. The modal already
  // works without this update (it saves without a link and says so), so a failure is no error.
  try {
    await client.views.update({
      view_id: viewId,
      view: buildEvidenceModal(
        ctx.ladder,
        { ...values, link },
        { mode: 'create', ...(note ? { note } : {}) },
      ),
    });
  } catch (err) {
    ctx.logger.warn('could not add the link to the open evidence modal', { error: describeError(err) });
  }
}

/** The message's permalink, or null where Slack gives none (a conversation the bot cannot see). */
async function permalinkOf(
  ctx: AppContext,
  client: WebClient,
  shortcut: MessageShortcut,
): Promise<string | null> {
  try {
    const res = await client.chat.getPermalink({
      channel: shortcut.channel.id,
      message_ts: shortcut.message.ts,
    });
    return typeof res.permalink === 'string' ? res.permalink : null;
  } catch (err) {
    ctx.logger.info('no permalink for a saved message', { error: describeError(err) });
    return null;
  }
}
