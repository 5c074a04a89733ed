import { applyNudgeCommand } from '../../../app/nudges.ts';
import { parseNudgeArgs } from '../../../domain/nudge-settings.ts';
import { buildNudgeReply } from '../../blocks/nudge.ts';
import { sendNudgeNow } from '../../dm.ts';
import { replyToUser } from '../../reply.ts';
import { ensureTimeZone, timeZoneIsStale } from '../../time-zone.ts';
import type { CommandHandlers } from './index.ts';

export const nudgeCommands = {
  /**
   * `/ladder nudge …`. Answered in the ack when no Slack call is needed; otherwise (a time zone to
   * read first, or `nudge now`, which posts to the DM) ack at once and reply by response URL.
   */
  nudge: async ({ ctx, owner, command, body, ack, client }) => {
    const args = parseNudgeArgs(command.args);
    if (args.kind === 'invalid') {
      await ack({ response_type: 'ephemeral', ...buildNudgeReply(args.message) });
      return;
    }
    ctx.repos.slackState.noteResponseUrl(owner, body.response_url, ctx.now());
    const slow = args.kind === 'now' || timeZoneIsStale(ctx, owner);
    if (slow) await ack();
    const profile = slow ? await ensureTimeZone(ctx, client, owner) : ctx.repos.profiles.getOrEmpty(owner);
    let text: string;
    if (args.kind === 'now') {
      const sent = await sendNudgeNow(ctx, client, owner, profile.tz);
      text = sent
        ? "I've sent you a reflection question in our DM: reply in its thread or press Answer. It does not count as this week's nudge."
        : 'There are no reflection prompts in the ladder data, so there is nothing to send.';
    } else {
      text = applyNudgeCommand(ctx, owner, args, profile.tz).text;
    }
    const message = buildNudgeReply(text);
    if (slow) await replyToUser(ctx, client, { owner, responseUrl: body.response_url }, message);
    else await ack({ response_type: 'ephemeral', ...message });
  },
} satisfies CommandHandlers;
