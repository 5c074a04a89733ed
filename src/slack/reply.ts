import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../context.ts';

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
