import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../context.ts';
import type { Owner } from '../domain/types.ts';
import { describeError } from '../log.ts';

export const FAILURE_TEXT =
  ':warning: Sorry, something went wrong on our side and your request did not complete. Nothing you ' +
  'typed was saved twice; please try again in a moment.';

/**
 * Tells the user their action did not complete, through the channel Slack gave for it:
 * the response URL of a command or button, else a DM for events.
 */
export async function postFailureNotice(
  client: WebClient,
  body: Record<string, unknown>,
  _ctx: AppContext,
): Promise<void> {
  const responseUrl =
    typeof body.response_url === 'string'
      ? body.response_url
      : Array.isArray(body.response_urls) && typeof body.response_urls[0]?.response_url === 'string'
        ? (body.response_urls[0].response_url as string)
        : undefined;
  if (responseUrl) {
    await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: FAILURE_TEXT }),
      signal: AbortSignal.timeout(5_000),
    });
    return;
  }
  const user =
    (body.user as { id?: string } | undefined)?.id ?? (body.event as { user?: string } | undefined)?.user;
  if (typeof user === 'string') {
    await client.chat.postMessage({ channel: user, text: FAILURE_TEXT });
  }
}

export interface ResponseTarget {
  owner: Owner;
  /** The response URL Slack gave with the request (never one read back from the client). */
  responseUrl: string | null | undefined;
}

/** Network errors where the request certainly never reached Slack. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function certainlyNotSent(err: unknown): boolean {
  const code = (err as { cause?: { code?: unknown } }).cause?.code;
  return typeof code === 'string' && NOT_SENT.has(code);
}

/**
 * Posts to a response URL, counting its uses; once Slack would refuse it (5 uses, 30 minutes) or
 * refuses it (a 4xx, or the request never left), the message goes to the user's DM with the bot
 * instead, so a confirmation is never silently lost. A 5xx or a timeout is an unknown outcome:
 * Slack may have shown it, so it is not sent a second time ('unknown').
 */
export async function replyToUser(
  ctx: AppContext,
  client: WebClient,
  target: ResponseTarget,
  message: { text: string; blocks?: unknown[] },
  opts: { replaceOriginal?: boolean } = {},
): Promise<'response_url' | 'dm' | 'unknown'> {
  const { owner, responseUrl } = target;
  if (responseUrl && (await ctx.repos.slackState.claimResponseUrl(owner, responseUrl, ctx.now()))) {
    try {
      const res = await fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          response_type: 'ephemeral',
          replace_original: opts.replaceOriginal ?? false,
          ...message,
        }),
        signal: AbortSignal.timeout(5_000),
      });
      if (res.ok) return 'response_url';
      if (res.status >= 500) {
        ctx.logger.warn('response url outcome unknown; not sending it again', { status: res.status });
        return 'unknown';
      }
      ctx.logger.warn('response url refused, using the DM', { status: res.status });
    } catch (err) {
      if (!certainlyNotSent(err)) {
        ctx.logger.warn('response url outcome unknown; not sending it again', { error: describeError(err) });
        return 'unknown';
      }
      ctx.logger.warn('response url failed, using the DM', { error: describeError(err) });
    }
  }
  await client.chat.postMessage({
    channel: owner.userId,
    text: message.text,
    ...(message.blocks ? { blocks: message.blocks as never } : {}),
  });
  return 'dm';
}
