import type { Profile } from '../../../domain/types.ts';
import { replyToUser } from '../../reply.ts';
import { ensureTimeZone, timeZoneIsStale } from '../../time-zone.ts';
import type { CommandCall } from './index.ts';

type Message = Parameters<typeof replyToUser>[3];

/**
 * "Ack now, answer later": the one way a subcommand answers once it needs the person's profile
 * (their time zone). When reading it takes a Slack call (an unknown or old time zone), or the
 * answer itself makes one (`slow`), the command is acked at once (Slack's 3 seconds) and the
 * answer goes through the response URL, or the DM, once ready; otherwise it is the ack itself.
 * The response URL is noted (for its use count) only on the later path, the one that uses it.
 * Returns the profile the answer was built with.
 */
export async function answerWithProfile(
  call: Pick<CommandCall, 'ctx' | 'owner' | 'body' | 'ack' | 'client'>,
  answer: (profile: Profile) => Message | Promise<Message>,
  opts: { slow?: boolean } = {},
): Promise<Profile> {
  const { ctx, owner, body, ack, client } = call;
  const received = ctx.now();
  const later = opts.slow === true || (await timeZoneIsStale(ctx, owner));
  if (later) {
    // Noted only when it will be used: an answer in the ack costs no write for it.
    await ctx.repos.slackState.noteResponseUrl(owner, body.response_url, received);
    await ack();
  }
  const profile = later
    ? await ensureTimeZone(ctx, client, owner)
    : await ctx.repos.profiles.getOrEmpty(owner);
  const message = await answer(profile);
  if (later) await replyToUser(ctx, client, { owner, responseUrl: body.response_url }, message);
  else await ack({ response_type: 'ephemeral', ...message });
  return profile;
}
