import type { WebClient } from '@slack/web-api';
import type { DigestDm } from '../app/digest.ts';
import { type NudgeDm, pickPrompt, promptPractice, shiftOf } from '../app/nudges.ts';
import type { AppContext } from '../context.ts';
import type { Prompt } from '../domain/prompts.ts';
import type { Owner } from '../domain/types.ts';
import { buildDigestMessage } from './blocks/digest.ts';
import { buildNudgeMessage } from './blocks/nudge.ts';

/**
 * The DM channel with the bot: from the cache, else `conversations.open` (then cached). Weekly
 * sends would otherwise cost two calls each, and conversations.open is only Tier 3.
 */
export async function openDmChannel(ctx: AppContext, client: WebClient, owner: Owner): Promise<string> {
  const cached = await ctx.repos.nudges.dmChannel(owner);
  if (cached) return cached;
  const res = await client.conversations.open({ users: owner.userId });
  const id = res.channel?.id;
  if (!id) throw new Error('conversations.open returned no channel id');
  await ctx.repos.nudges.cacheDmChannel(owner, id, ctx.now());
  return id;
}

export interface OnDemandResult {
  prompt: Prompt;
  channelId: string;
  messageTs: string;
}

/**
 * `nudge now`: one prompt at once, through the client that answers the person. Recorded in the
 * prompt history (so the next weekly prompt differs) but not in the weekly ledger: it does not
 * count as the week's nudge. Null when the ladder has no prompts.
 */
export async function sendNudgeNow(
  ctx: AppContext,
  client: WebClient,
  owner: Owner,
  tz: string | null,
): Promise<OnDemandResult | null> {
  const prompt = await pickPrompt(ctx, owner, tz);
  if (!prompt) return null;
  const channelId = await openDmChannel(ctx, client, owner);
  const res = await client.chat.postMessage({
    channel: channelId,
    ...buildNudgeMessage(prompt, shiftOf(ctx, prompt), { practice: promptPractice(ctx, prompt) }),
  });
  const messageTs = res.ts;
  if (!messageTs) throw new Error('chat.postMessage returned no ts');
  const sentIn = res.channel ?? channelId;
  await ctx.repos.nudges.recordOnDemand(
    owner,
    { promptId: prompt.id, channelId: sentIn, messageTs },
    ctx.now(),
  );
  return { prompt, channelId: sentIn, messageTs };
}

/** The Slack side of the scheduler's nudge port, on the given (bulk) client. */
export function createNudgeDm(ctx: AppContext, client: WebClient): NudgeDm {
  return {
    openDm: (owner) => openDmChannel(ctx, client, owner),
    postPrompt: (_owner, channelId, prompt) =>
      client.chat.postMessage({
        channel: channelId,
        ...buildNudgeMessage(prompt, shiftOf(ctx, prompt), { practice: promptPractice(ctx, prompt) }),
      }),
  };
}

/** The Slack side of the monthly digest port, on the given (bulk) client. */
export function createDigestDm(ctx: AppContext, client: WebClient): DigestDm {
  return {
    openDm: (owner) => openDmChannel(ctx, client, owner),
    postDigest: (_owner, channelId, digest) =>
      client.chat.postMessage({ channel: channelId, ...buildDigestMessage(digest) }),
  };
}
