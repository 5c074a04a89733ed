import type { App, MessageShortcut } from '@slack/bolt';
import type { AppContext } from '../../../context.ts';
import { localDate, MAX_EVIDENCE_CHARS } from '../../../domain/evidence.ts';
import { describeError } from '../../../log.ts';
import { buildEvidenceModal } from '../../blocks/evidence-modal.ts';
import { openEvidenceModal } from '../../evidence-modal.ts';
import { ShortcutId } from '../../ids.ts';
import { ownerOfInteraction } from '../../owner.ts';
import { unescapeSlackText } from '../../text.ts';
import { ensureTimeZone } from '../../time-zone.ts';

/**
 * "Save as evidence" on any message: the modal opens at once (the trigger id lives 3 s), prefilled
 * with the message's text and its permalink; where Slack gives no permalink (a conversation the
 * bot cannot see), the modal says the entry will be saved without a link.
 */
export function register(app: App, ctx: AppContext): void {
  app.shortcut<MessageShortcut>(ShortcutId.saveAsEvidence, async ({ ack, shortcut, client }) => {
    await ack();
    const owner = ownerOfInteraction(shortcut);
    const profile = ctx.repos.profiles.getOrEmpty(owner);
    const raw = typeof shortcut.message.text === 'string' ? unescapeSlackText(shortcut.message.text) : '';
    const chars = [...raw];
    const cut =
      chars.length > MAX_EVIDENCE_CHARS
        ? `:scissors: The message is ${chars.length.toLocaleString('en-US')} characters; the first ${MAX_EVIDENCE_CHARS.toLocaleString('en-US')} are below.`
        : undefined;
    const values = {
      text: chars.slice(0, MAX_EVIDENCE_CHARS).join(''),
      occurredOn: localDate(ctx.now(), profile.tz),
    };
    if (shortcut.response_url) ctx.repos.slackState.noteResponseUrl(owner, shortcut.response_url, ctx.now());
    // Open first: the trigger id expires in 3 s, the permalink lookup can take longer.
    const viewId = await openEvidenceModal(ctx, client, owner, {
      triggerId: shortcut.trigger_id,
      origin: 'shortcut',
      responseUrl: shortcut.response_url ?? null,
      values,
      ...(cut ? { note: cut } : {}),
    });
    if (!viewId) return;
    let link: string | null = null;
    try {
      const res = await client.chat.getPermalink({
        channel: shortcut.channel.id,
        message_ts: shortcut.message.ts,
      });
      link = typeof res.permalink === 'string' ? res.permalink : null;
    } catch (err) {
      ctx.logger.info('no permalink for a saved message', { error: describeError(err) });
    }
    const note = link
      ? cut
      : `:link: I could not get a link to that message (the bot cannot see private conversations), so it will be saved without one. You can paste a link below.${cut ? `\n${cut}` : ''}`;
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
    void ensureTimeZone(ctx, client, owner).catch(() => {});
  });
}
