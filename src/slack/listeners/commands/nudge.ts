import { applyNudgeCommand } from '../../../app/nudges.ts';
import { parseNudgeArgs } from '../../../domain/nudge-args.ts';
import { buildNudgeReply, nudgeCommandText, nudgeNowText } from '../../blocks/nudge.ts';
import { sendNudgeNow } from '../../dm.ts';
import { otherTenantOfCommand } from '../../owner.ts';
import { answerWithProfile } from './answer-later.ts';
import type { CommandHandlers } from './index.ts';

export const nudgeCommands = {
  /**
   * `/ladder nudge …`. Answered in the ack when no Slack call is needed; otherwise (a time zone to
   * read first, or `nudge now`, which posts to the DM) ack at once and reply by response URL.
   */
  nudge: async (call) => {
    const { ctx, owner, command, ack, client, body } = call;
    const args = parseNudgeArgs(command.args);
    if (args.kind === 'invalid') {
      await ack({ response_type: 'ephemeral', ...buildNudgeReply(args.message) });
      return;
    }
    await answerWithProfile(
      call,
      async (profile) => {
        if (args.kind !== 'now')
          return buildNudgeReply(
            nudgeCommandText(
              await applyNudgeCommand(ctx, owner, args, profile.tz, otherTenantOfCommand(body)),
            ),
          );
        const sent = await sendNudgeNow(ctx, client, owner, profile.tz);
        return buildNudgeReply(nudgeNowText(sent !== null, 'command'));
      },
      { slow: args.kind === 'now' },
    );
  },
} satisfies CommandHandlers;
