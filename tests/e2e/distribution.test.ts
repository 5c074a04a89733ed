/**
 * Distribution mode end to end through the local Slack API: two workspaces install Ladder through
 * Bolt's OAuth flow (our pages, our single-use state store, the code exchange at SLACK_API_URL),
 * each is served with its own bot token (a command, a file upload, a nudge), the same user id in
 * both sees only its own data, refused states never reach oauth.v2.access, tokens are never in
 * clear in the SQLite file, its WAL or the logs, a key rotation keeps every install working, and
 * after app_uninstalled a workspace's token is never used again.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.ts';
import type { SentResponse, SignedSender } from '../../src/local/signed-sender.ts';
import { type LocalSlackApi, startLocalSlackApi } from '../../src/local/slack-api.ts';
import { type RunningLadder, startLadder } from '../../src/main.ts';
import { COMMAND } from '../../src/slack/ids.ts';
import {
  appSender,
  distributionEnv,
  installWorkspace,
  oauthRedirect,
  startInstall as startInstallPage,
} from '../helpers/distribution.ts';
import { manifestScopes, USERS } from '../helpers/harness.ts';
import { tempDir } from '../helpers/tmp.ts';

const OAUTH = { clientId: '1234.5678', clientSecret: 'dist-client-secret-0123456789' };
const STATE_SECRET = 'dist-state-secret-0123456789abcdef';
const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('base64');
const TEAM_A = 'T0AAAA';
const TEAM_B = 'T0BBBB';
const alice = USERS[0]?.id as string;

let api: LocalSlackApi;
let app: RunningLadder;
let dbPath: string;
const logs: string[] = [];
let clock = new Date('2027-01-04T15:00:00Z');
const senders = new Map<string, SignedSender>();

async function boot(keys: { current: string; previous?: string }): Promise<void> {
  app = await startLadder({
    env: {
      ...distributionEnv({ oauth: OAUTH, api, key: keys.current, stateSecret: STATE_SECRET }),
      ...(keys.previous ? { LADDER_ENCRYPTION_KEY_PREVIOUS: keys.previous } : {}),
      DATABASE_PATH: dbPath,
      LOG_LEVEL: 'debug',
    },
    writeLog: (line) => logs.push(line),
    now: () => clock,
    listenHost: '127.0.0.1',
  });
  senders.clear();
}

function senderFor(teamId: string): SignedSender {
  let s = senders.get(teamId);
  if (!s) {
    s = appSender(app, api, teamId);
    senders.set(teamId, s);
  }
  return s;
}

const base = () => `http://127.0.0.1:${app.port}`;

async function startInstall() {
  const started = await startInstallPage(base());
  expect(started.status).toBe(200);
  return started;
}

const redirect = (query: Record<string, string>, cookie?: string) => oauthRedirect(base(), query, cookie);

const install = (teamId: string) =>
  installWorkspace(base(), api, { teamId, teamName: `Workspace ${teamId}`, userId: alice });

async function reply(res: SentResponse, teamId: string) {
  expect(res.status).toBe(200);
  // The answer is in the ack, or (after slower work) posted to the command's response URL.
  const acked = res.json as { text?: string; blocks?: unknown[] } | undefined;
  const body = (
    acked?.text
      ? acked
      : (await senderFor(teamId).waitForResponse(res.responseUrl as string, { timeoutMs: 15_000 })).body
  ) as { text?: string; blocks?: unknown[] };
  return `${body.text ?? ''}\n${JSON.stringify(body.blocks ?? [])}`;
}

const command = async (teamId: string, text: string) =>
  reply(await senderFor(teamId).command({ userId: alice, text }), teamId);

/** The teams whose tokens made the calls since `from` (undefined: a call with no valid token). */
const teamsOfCalls = (from: number, methods: readonly string[]) =>
  api.calls
    .slice(from)
    .filter((c) => methods.includes(c.method))
    .map((c) => c.team);

const codeExchanges = () => api.calls.filter((c) => c.method === 'oauth.v2.access').length;

beforeAll(async () => {
  api = await startLocalSlackApi({
    botToken: 'xoxb-dist-seed-not-used-by-the-app',
    scopes: manifestScopes(),
    teamId: 'T0LOCAL',
    users: USERS,
    oauth: OAUTH,
  });
  dbPath = path.join(tempDir(), 'ladder.db');
  await boot({ current: KEY_A });
});

afterAll(async () => {
  if (process.env.DUMP_LOGS) fs.writeFileSync(process.env.DUMP_LOGS, logs.join('\n'));
  await app?.stop();
  await api?.close();
});

describe('distribution mode, end to end', () => {
  it('installs two workspaces through the OAuth flow, each page saying what to do next', async () => {
    const page = await startInstall();
    expect(page.html).toContain('Add to Slack');
    expect(page.authorizeUrl.searchParams.get('client_id')).toBe(OAUTH.clientId);
    expect(page.authorizeUrl.searchParams.get('scope')?.split(',')).toEqual(manifestScopes());
    expect(page.cookie).toContain(page.state);

    for (const team of [TEAM_A, TEAM_B]) {
      const done = await install(team);
      expect(done.status).toBe(200);
      expect(done.html).toContain(`Workspace ${team}`);
      expect(done.html).toContain(`${COMMAND} help`);
    }
    expect(teamsOfCalls(0, ['auth.test'])).toEqual([TEAM_A, TEAM_B]);
    expect(codeExchanges()).toBe(2);
  });

  it('serves each workspace with its own token, and the same user id sees only its own data', async () => {
    const from = api.calls.length;
    expect(await command(TEAM_A, 'log Shipped the A-side migration #process')).toMatch(
      /Saved|saved|Logged|logged/,
    );
    expect(await command(TEAM_B, 'log Hired two TPMs on the B side #people')).toMatch(
      /Saved|saved|Logged|logged/,
    );
    const inA = await command(TEAM_A, 'evidence');
    const inB = await command(TEAM_B, 'evidence');
    expect(inA).toContain('A-side migration');
    expect(inA).not.toContain('B side');
    expect(inB).toContain('B side');
    expect(inB).not.toContain('A-side migration');

    // A command that calls Slack: `nudge now` opens the DM and posts with the workspace's token.
    const nowFrom = api.calls.length;
    await senderFor(TEAM_B).command({ userId: alice, text: 'nudge now' });
    await waitFor(() => teamsOfCalls(nowFrom, ['chat.postMessage']).length > 0);
    expect(teamsOfCalls(nowFrom, ['conversations.open', 'chat.postMessage'])).toEqual(
      expect.arrayContaining([TEAM_B]),
    );
    // Every Web API call carried a valid bot token (response URLs take none).
    const webApi = api.calls.slice(from).filter((c) => !['response_url', 'file_upload'].includes(c.method));
    expect(webApi.length).toBeGreaterThan(0);
    expect(webApi.filter((c) => c.team === undefined)).toEqual([]);
    expect(webApi.filter((c) => c.method === 'users.info').map((c) => c.team)).toEqual(
      expect.arrayContaining([TEAM_A, TEAM_B]),
    );
  });

  it('uploads an export with the requesting workspace’s token', async () => {
    const from = api.calls.length;
    await command(TEAM_A, 'export md');
    await waitFor(() => teamsOfCalls(from, ['files.completeUploadExternal']).length > 0);
    const uploads = teamsOfCalls(from, ['files.getUploadURLExternal', 'files.completeUploadExternal']);
    expect(uploads.length).toBeGreaterThanOrEqual(2);
    expect(new Set(uploads)).toEqual(new Set([TEAM_A]));
  });

  it('sends each weekly nudge with the token of the person’s own workspace', async () => {
    await command(TEAM_A, 'nudge on');
    await command(TEAM_B, 'nudge on');
    const from = api.calls.length;
    const run = await app.scheduler.runOnce(new Date('2027-01-09T12:00:00Z'));
    await app.scheduler.sender.drain();
    expect(run.lines.map((l) => [l.teamId, l.status]).sort()).toEqual([
      [TEAM_A, 'sent'],
      [TEAM_B, 'sent'],
    ]);
    expect(teamsOfCalls(from, ['chat.postMessage']).sort()).toEqual([TEAM_A, TEAM_B]);
  });

  it('refuses a missing, forged, expired or already-used state, exchanging no code but the state-less one', async () => {
    const exchanges = codeExchanges();
    const code = () => api.oauth.authorize({ teamId: 'T0CCCC', userId: alice });

    const missing = await redirect({ code: code() });
    expect(missing.status).toBe(400);
    expect(missing.html).toContain('carried no state');
    // A state-less redirect may be an org admin's org-wide install (tests/e2e/grid.test.ts): its code
    // is exchanged to tell, and a workspace install is then refused unstored.
    expect(await app.ctx.repos.installations.find('T0CCCC')).toBeUndefined();

    const started = await startInstall();
    const forgedState = `${started.state.split('.')[0]}.AAAA${started.state.slice(-10)}`;
    const forged = await redirect(
      { code: code(), state: forgedState },
      `slack-app-oauth-state=${forgedState}`,
    );
    expect(forged.html).toContain('altered');
    const otherBrowser = await redirect(
      { code: code(), state: started.state },
      'slack-app-oauth-state=other',
    );
    expect(otherBrowser.html).toContain('another browser');

    const late = await startInstall();
    clock = new Date(clock.getTime() + 11 * 60_000);
    const expired = await redirect({ code: code(), state: late.state }, late.cookie);
    expect(expired.html).toContain('expired');

    const first = await install('T0CCCC');
    expect(first.status).toBe(200);
    const replayed = await redirect({ code: code(), state: first.state }, first.cookie);
    expect(replayed.html).toContain('already used');
    expect(codeExchanges()).toBe(exchanges + 2);

    const denied = await redirect({ error: 'access_denied', state: started.state }, started.cookie);
    expect(denied.html).toContain('access was denied');
    const badCode = await startInstall();
    const rejected = await redirect({ code: '123.not-a-code', state: badCode.state }, badCode.cookie);
    expect(rejected.html).toContain('rejected the authorization code (invalid_code)');
    for (const page of [missing, forged, expired, replayed, rejected]) {
      expect(page.html).not.toContain(OAUTH.clientSecret);
      expect(page.html).not.toContain(STATE_SECRET);
    }
  });

  it('answers a workspace without an installation ephemerally and stores nothing', async () => {
    const text = await command('T0NONE', 'log should not be kept');
    expect(text).toContain('not installed');
    expect(await app.ctx.repos.tenants.count('T0NONE')).toMatchObject({
      evidence: 0,
      workspaces: 0,
      profiles: 0,
    });
  });

  it('starts without a log line telling the operator to turn state verification back on', () => {
    // The state-less provider for org admins' installs is deliberate; its start notice is dropped.
    expect(logs.some((l) => l.includes('"ladder started"'))).toBe(true);
    expect(logs.filter((l) => l.includes('stateVerification'))).toEqual([]);
  });

  it('keeps no bot token in clear in the SQLite file, its WAL or any log line', () => {
    const tokens = [TEAM_A, TEAM_B, 'T0CCCC'].map((t) => api.oauth.tokenFor(t));
    const files = [dbPath, `${dbPath}-wal`].filter((f) => fs.existsSync(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const bytes = fs.readFileSync(f).toString('latin1');
      for (const t of tokens) expect(bytes.includes(t), `${path.basename(f)} holds a token`).toBe(false);
      expect(bytes.includes('xoxb-')).toBe(false);
    }
    const all = logs.join('\n');
    for (const t of [...tokens, OAUTH.clientSecret, STATE_SECRET, KEY_A]) expect(all.includes(t)).toBe(false);
  });

  it('keeps every install working through a key rotation, then with the new key alone', async () => {
    await app.stop();
    // The new key alone cannot open the rows yet: the start stops and says what to set.
    const refused = boot({ current: KEY_B }).then(
      () => '',
      (err: Error) => err.message,
    );
    expect(await refused).toMatch(
      /3 stored installation\(s\) are encrypted under key id\(s\) \w+, .*LADDER_ENCRYPTION_KEY_PREVIOUS/,
    );
    expect(await refused).not.toContain(KEY_A);
    await boot({ current: KEY_B, previous: KEY_A });
    expect(await command(TEAM_A, 'evidence')).toContain('A-side migration');
    const out: string[] = [];
    const env = {
      DATABASE_PATH: dbPath,
      LADDER_ENCRYPTION_KEY: KEY_B,
      LADDER_ENCRYPTION_KEY_PREVIOUS: KEY_A,
    };
    const code = await runCli(['rotate-key'], {
      env,
      stdout: (s) => out.push(s),
      stderr: (s) => out.push(s),
    });
    expect(code).toBe(0);
    expect(out.join('')).toContain('Re-encrypted 3 installation(s)');
    expect(out.join('')).not.toContain(KEY_A);
    await app.stop();
    await boot({ current: KEY_B });
    expect(await command(TEAM_A, 'evidence')).toContain('A-side migration');
    expect(await command(TEAM_B, 'evidence')).toContain('B side');
  });

  it('refreshes time zones with each workspace’s own token', async () => {
    clock = new Date(clock.getTime() + 2 * 24 * 3600 * 1000);
    const from = api.calls.length;
    // A tick refreshes a slice of the stale zones (one, for two people): tick until both are done.
    for (let i = 0; i < 20 && teamsOfCalls(from, ['users.info']).length < 2; i += 1) {
      await app.scheduler.tick();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(teamsOfCalls(from, ['users.info']).sort()).toEqual([TEAM_A, TEAM_B]);
  });

  it('tokens_revoked for the bot deletes that workspace’s installation', async () => {
    expect((await app.ctx.repos.tenants.count('T0CCCC')).installations).toBe(1);
    const ack = await senderFor('T0CCCC').event({
      event: { type: 'tokens_revoked', tokens: { oauth: [], bot: [api.botUserId] } },
    });
    expect(ack.status).toBe(200);
    await waitFor(async () => (await app.ctx.repos.tenants.count('T0CCCC')).installations === 0);
    expect(await app.ctx.repos.workspaces.isWorkspaceActive('T0CCCC')).toBe(false);
    expect(await command('T0CCCC', 'help')).toContain('not installed');
  });

  it('after app_uninstalled never uses that workspace’s token again, and the scheduler skips it', async () => {
    const ack = await senderFor(TEAM_B).event({ event: { type: 'app_uninstalled' } });
    expect(ack.status).toBe(200);
    await waitFor(async () => (await app.ctx.repos.tenants.count(TEAM_B)).installations === 0);
    const from = api.calls.length;
    const run = await app.scheduler.runOnce(new Date('2027-01-16T12:00:00Z'));
    await app.scheduler.sender.drain();
    expect(run.lines.find((l) => l.teamId === TEAM_B)?.status).toBe('skipped');
    expect(run.lines.find((l) => l.teamId === TEAM_A)?.status).toBe('sent');
    expect(await command(TEAM_B, 'evidence')).toContain('not installed');
    expect(
      teamsOfCalls(
        from,
        api.calls.slice(from).map((c) => c.method),
      ),
    ).not.toContain(TEAM_B);
    // The CLI's one-off run reads each workspace's own token too, and skips the uninstalled one.
    const cliFrom = api.calls.length;
    const lines: string[] = [];
    const cliEnv = {
      DATABASE_PATH: dbPath,
      SLACK_API_URL: api.url,
      SLACK_CLIENT_ID: OAUTH.clientId,
      LADDER_ENCRYPTION_KEY: KEY_B,
    };
    const cliIo = { env: cliEnv, stdout: (s: string) => lines.push(s), stderr: (s: string) => lines.push(s) };
    expect(await runCli(['nudges', 'run', '--at', '2027-01-23T12:00:00Z'], cliIo)).toBe(0);
    expect(lines.join('')).toMatch(new RegExp(`${TEAM_A} ${alice} sent`));
    expect(lines.join('')).toMatch(new RegExp(`${TEAM_B} ${alice} skipped`));
    expect(teamsOfCalls(cliFrom, ['chat.postMessage'])).toEqual([TEAM_A]);
    expect(lines.join('')).not.toContain('xoxb-');
    expect(api.calls.slice(from).some((c) => c.team === TEAM_B)).toBe(false);
    // People's data stays until an operator purges the tenant.
    const counts = await app.ctx.repos.tenants.count(TEAM_B);
    expect(counts.evidence).toBe(1);
    const out: string[] = [];
    const io = {
      env: { DATABASE_PATH: dbPath },
      stdout: (s: string) => out.push(s),
      stderr: (s: string) => out.push(s),
    };
    expect(await runCli(['purge', '--team', TEAM_B], io)).toBe(0);
    expect(out.join('')).toContain('Nothing deleted');
    expect(await runCli(['purge', '--team', TEAM_B, '--yes'], io)).toBe(0);
    expect(Object.values(await app.ctx.repos.tenants.count(TEAM_B)).every((n) => n === 0)).toBe(true);
    expect((await app.ctx.repos.tenants.count(TEAM_A)).evidence).toBe(1);
  });
});

async function waitFor(probe: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('local mode beside distribution settings', () => {
  it('`npm run local` still runs the one local workspace when the OAuth variables are set', async () => {
    const local = await startLadder({
      env: {
        SLACK_CLIENT_ID: OAUTH.clientId,
        SLACK_CLIENT_SECRET: OAUTH.clientSecret,
        SLACK_STATE_SECRET: STATE_SECRET,
        LADDER_ENCRYPTION_KEY: KEY_A,
        PORT: '0',
        DATABASE_PATH: path.join(tempDir(), 'local.db'),
        LOG_LEVEL: 'warn',
      },
      forceLocal: true,
      writeLog: () => {},
    });
    try {
      expect(local.config.slack.mode).toBe('local');
      expect(local.localUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect((await fetch(`${local.localUrl}healthz`)).status).toBe(200);
    } finally {
      await local.stop();
    }
  });
});
