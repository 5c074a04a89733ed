import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { runCli } from '../../src/cli/index.ts';
import { createSignedSender, type SignedSender } from '../../src/local/signed-sender.ts';
import { type LocalSlackApi, startLocalSlackApi } from '../../src/local/slack-api.ts';
import { type RunningLadder, startLadder } from '../../src/main.ts';
import { ActionId, BlockId, COMMAND } from '../../src/slack/ids.ts';
import { createTestStorage, type TestStorage } from './engine.ts';

export const BOT_TOKEN = 'xoxb-test-0000-bot-token';
export const APP_TOKEN = 'xapp-1-test-0000-app-token';
export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const TEAM = 'T0LOCAL';

export const USERS = [
  { id: 'U0ALICE', name: 'alice', realName: 'Alice Example', tz: 'America/New_York' },
  { id: 'U0BOB', name: 'bob', realName: 'Bob Example', tz: 'Asia/Tokyo' },
  { id: 'U0CAROL', name: 'carol', realName: 'Carol Example', tz: null },
];

const root = path.resolve(import.meta.dirname, '../..');

/** The bot scopes manifest.yml requests: the local API refuses the rest with missing_scope. */
export function manifestScopes(): string[] {
  const m = parse(fs.readFileSync(path.join(root, 'manifest.yml'), 'utf8'));
  return m.oauth_config.scopes.bot;
}

export interface Harness {
  api: LocalSlackApi;
  app: RunningLadder;
  sender: SignedSender;
  logs: string[];
  /** Where the app keeps its data (SQLite file or PostgreSQL database): `storage.env` for the CLI. */
  storage: TestStorage;
  /** The SQLite file; throws when the suite runs on PostgreSQL (tests/helpers/engine.ts). */
  readonly dbPath: string;
  close(): Promise<void>;
}

/**
 * The real app in HTTP mode on a random loopback port, against the local Slack API, on the test
 * engine (tests/helpers/engine.ts): its own SQLite file, or its own PostgreSQL database dropped on close.
 */
export async function startHarness(
  opts: { env?: NodeJS.ProcessEnv; now?: () => Date; logLevel?: string } = {},
): Promise<Harness> {
  const api = await startLocalSlackApi({
    botToken: BOT_TOKEN,
    appToken: APP_TOKEN,
    scopes: manifestScopes(),
    teamId: TEAM,
    users: USERS,
  });
  const storage = await createTestStorage('e2e');
  const logs: string[] = [];
  let app: RunningLadder;
  try {
    app = await startLadder({
      env: {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: api.url,
        PORT: '0',
        ...storage.env,
        LOG_LEVEL: opts.logLevel ?? 'info',
        ...opts.env,
      },
      writeLog: (line) => logs.push(line),
      ...(opts.now ? { now: opts.now } : {}),
    });
  } catch (err) {
    await api.close();
    await storage.drop();
    throw err;
  }
  if (app.database.engine !== storage.engine)
    throw new Error(`the app runs on ${app.database.engine}, not ${storage.engine}`);
  const sender = createSignedSender({
    appUrl: `http://127.0.0.1:${app.port}/slack/events`,
    signingSecret: SIGNING_SECRET,
    api,
    command: COMMAND,
    teamId: TEAM,
  });
  return {
    api,
    app,
    sender,
    logs,
    storage,
    get dbPath() {
      return storage.dbPath;
    },
    async close() {
      await app.stop();
      await api.close();
      await storage.drop();
    },
  };
}

/** `ladder nudges run --at <at>` through the real CLI, on the harness's database and local Slack. */
export async function runNudgesCli(
  h: Pick<Harness, 'api' | 'storage'>,
  at: string,
  extra: readonly string[] = [],
): Promise<{ code: number; lines: string[]; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['nudges', 'run', '--at', at, ...extra], {
    env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: h.api.url, ...h.storage.env, NUDGE_SEND_RATE: '6000' },
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
  });
  return { code, lines: stdout.split('\n').filter(Boolean), stdout, stderr };
}

/** The evidence modal's fields as Slack submits them: a text and a date, nothing else chosen. */
export function evidenceFormValues(text: string, date: string): Record<string, unknown> {
  const f = (x: Record<string, unknown>) => ({ [ActionId.formValue]: x });
  return {
    [BlockId.evidenceText]: f({ type: 'plain_text_input', value: text }),
    [BlockId.evidenceDate]: f({ type: 'datepicker', selected_date: date }),
    [BlockId.evidenceAxes]: f({ type: 'multi_static_select', selected_options: [] }),
    [BlockId.evidenceShift]: f({ type: 'static_select', selected_option: null }),
    [BlockId.evidenceScope]: f({ type: 'static_select', selected_option: null }),
    [BlockId.evidenceLink]: f({ type: 'url_text_input', value: null }),
  };
}
