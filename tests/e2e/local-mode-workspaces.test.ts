/**
 * A second workspace through the browser's path: the app's "Add to Slack" page, the local Slack's
 * authorize page (GET, then its "Allow" POST), and the redirect back to the app with the code and
 * Bolt's state cookie. The new workspace is then served with its own token and its own data, and
 * both installs survive a restart of the app.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedSender, type SentResponse } from '../../src/local/signed-sender.ts';
import { type LocalSlackApi, startLocalSlackApi } from '../../src/local/slack-api.ts';
import { type RunningLadder, startLadder } from '../../src/main.ts';
import { COMMAND } from '../../src/slack/ids.ts';
import { distributionEnv } from '../helpers/distribution.ts';
import { manifestScopes, SIGNING_SECRET, USERS } from '../helpers/harness.ts';
import { tempDir } from '../helpers/tmp.ts';

const OAUTH = { clientId: '4321.8765', clientSecret: 'local-client-secret-0123456789' };
const alice = USERS[0]?.id as string;
let api: LocalSlackApi;
let app: RunningLadder;
let dbPath: string;
const KEY = Buffer.alloc(32, 7).toString('base64');

async function boot(): Promise<void> {
  app = await startLadder({
    env: {
      ...distributionEnv({ oauth: OAUTH, api, key: KEY }),
      DATABASE_PATH: dbPath,
    },
    writeLog: () => {},
    listenHost: '127.0.0.1',
  });
}

const appBase = () => `http://127.0.0.1:${app.port}`;

/** What a browser does from "Add to Slack" to the app's success page, for one workspace. */
async function addWorkspace(teamId: string): Promise<{ status: number; html: string }> {
  const start = await fetch(`${appBase()}/slack/install`);
  const href = /href="(https?:[^"]+)"/.exec(await start.text())?.[1]?.replace(/&amp;/g, '&');
  if (!href) throw new Error('no Add to Slack link');
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  // With SLACK_API_URL, "Add to Slack" links to that Slack's authorize page.
  const authorize = new URL(href);
  expect(authorize.origin).toBe(new URL(api.url).origin);
  authorize.searchParams.set('team', teamId);
  const page = await fetch(authorize);
  expect(page.status).toBe(200);
  const form = await page.text();
  expect(form).toContain('Allow');
  const inputs = [...form.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map(
    ([, k, v]) => [k as string, (v as string).replace(/&#38;/g, '&')] as [string, string],
  );
  const allowed = await fetch(authorize.origin + authorize.pathname, {
    method: 'POST',
    body: new URLSearchParams([...inputs, ['allow', '1']]),
    redirect: 'manual',
  });
  expect(allowed.status).toBe(302);
  const back = new URL(allowed.headers.get('location') ?? '');
  expect(back.pathname).toBe('/slack/oauth_redirect');
  const done = await fetch(`${appBase()}${back.pathname}${back.search}`, { headers: { cookie } });
  return { status: done.status, html: await done.text() };
}

async function command(teamId: string, text: string): Promise<string> {
  const sender = createSignedSender({
    appUrl: `${appBase()}/slack/events`,
    signingSecret: SIGNING_SECRET,
    api,
    command: COMMAND,
    teamId,
  });
  const res: SentResponse = await sender.command({ userId: alice, text });
  expect(res.status).toBe(200);
  const acked = res.json as { text?: string; blocks?: unknown[] } | undefined;
  const body = (
    acked?.text
      ? acked
      : (await sender.waitForResponse(res.responseUrl as string, { timeoutMs: 15_000 })).body
  ) as { text?: string; blocks?: unknown[] };
  return `${body.text ?? ''}\n${JSON.stringify(body.blocks ?? [])}`;
}

beforeAll(async () => {
  // The app's redirect URL, as its manifest would register it: known once the app listens.
  const apiOptions: Parameters<typeof startLocalSlackApi>[0] = {
    botToken: 'xoxb-local-seed',
    scopes: manifestScopes(),
    teamId: 'T0LOCAL',
    users: USERS,
    oauth: OAUTH,
  };
  api = await startLocalSlackApi(apiOptions);
  dbPath = path.join(tempDir(), 'ladder.db');
  await boot();
  apiOptions.oauthRedirectUri = `${appBase()}/slack/oauth_redirect`;
});

afterAll(async () => {
  await app?.stop();
  await api?.close();
});

describe('local mode: adding another workspace through the authorize page', () => {
  it('installs two workspaces through the browser path', async () => {
    for (const team of ['T0LOCAL', 'T0SECOND']) {
      const done = await addWorkspace(team);
      expect(done.status).toBe(200);
      expect(done.html).toContain(`${COMMAND} help`);
    }
    expect(api.calls.filter((c) => c.method === 'oauth.v2.access')).toHaveLength(2);
  });

  it('keeps a log in one workspace out of the other, and both survive a restart', async () => {
    expect(await command('T0LOCAL', 'log Ran the local launch review #process')).toMatch(/saved|logged/i);
    expect(await command('T0SECOND', 'evidence')).not.toContain('local launch review');
    await app.stop();
    await boot();
    // The same database: the stored installs answer, whatever port the app now listens on.
    expect(await command('T0LOCAL', 'evidence')).toContain('local launch review');
    expect(await command('T0SECOND', 'evidence')).not.toContain('local launch review');
  });

  it('refuses an unknown client on the authorize page', async () => {
    const res = await fetch(
      `${new URL(api.url).origin}/oauth/v2/authorize?client_id=nope&redirect_uri=http://x/`,
    );
    expect(res.status).toBe(400);
  });
});
