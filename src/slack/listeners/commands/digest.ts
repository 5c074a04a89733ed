import { applyDigestCommand } from '../../../app/digest.ts';
import { buildDigestReply, digestCommandText } from '../../blocks/digest.ts';
import { answerWithProfile } from './answer-later.ts';
import type { CommandHandlers } from './index.ts';

export const digestCommands = {
  /** `/ladder digest on|off|status`: the reply names the next digest in the person's zone. */
  digest: async (call) => {
    const { ctx, owner, command } = call;
    await answerWithProfile(call, async (profile) =>
      buildDigestReply(
        digestCommandText(command.action, await applyDigestCommand(ctx, owner, command.action, profile.tz)),
      ),
    );
  },
} satisfies CommandHandlers;
