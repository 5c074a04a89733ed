import { type Logger, LogLevel, WebClient, type WebClientOptions } from '@slack/web-api';
import { type LocalSlackApiOptions, startLocalSlackApi } from '../../../src/local/slack-api.ts';

export const BOT = 'xoxb-local-unit-bot';
export const APP = 'xapp-1-local-unit-app';
/** Every scope the local API knows: tests of missing_scope pass their own list. */
export const ALL_SCOPES = [
  'commands',
  'chat:write',
  'im:write',
  'users:read',
  'reactions:write',
  'files:write',
  'files:read',
];
export const USERS = [
  { id: 'U0ALICE', name: 'alice', realName: 'Alice Example', tz: 'America/New_York' },
  { id: 'U0BOB', name: 'bob', realName: 'Bob Example', tz: 'Asia/Tokyo' },
  { id: 'U0GONE', name: 'gone', deleted: true },
];

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2026, 10, 23, 12, 0, 0)) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

export async function startApi(opts: Partial<LocalSlackApiOptions> = {}) {
  return startLocalSlackApi({ botToken: BOT, appToken: APP, scopes: ALL_SCOPES, users: USERS, ...opts });
}

/** WebClient logs Slack's `[ERROR]` response messages itself; the refusals here are on purpose. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

/** A real WebClient as the app builds it, without the library's 30-minute retry policy. */
export function client(url: string, opts: WebClientOptions & { token?: string } = {}): WebClient {
  const { token = BOT, ...rest } = opts;
  return new WebClient(token, {
    slackApiUrl: url,
    retryConfig: { retries: 0 },
    logger: silentLogger,
    ...rest,
  });
}

/** The `data` of a WebAPIPlatformError (Slack's `{ok:false, ...}`), or the error itself. */
export async function slackError(p: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    const data = (err as { data?: Record<string, unknown> }).data;
    if (data) return data;
    throw err;
  }
  throw new Error('expected the call to fail');
}

export const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
