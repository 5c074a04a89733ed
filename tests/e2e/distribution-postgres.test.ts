/**
 * Distribution mode on PostgreSQL with two instances sharing the database: an install started on
 * one instance finishes on the other (the state lives in the database), its state cannot be used
 * again on either, both instances serve the workspace with its own token, and no bot token is in
 * clear in any PostgreSQL table or log line.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type LocalSlackApi, startLocalSlackApi } from '../../src/local/slack-api.ts';
import { type RunningLadder, startLadder } from '../../src/main.ts';
import { COMMAND } from '../../src/slack/ids.ts';
import { appSender, distributionEnv } from '../helpers/distribution.ts';
import { manifestScopes, USERS } from '../helpers/harness.ts';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../helpers/postgres.ts';

const OAUTH = { clientId: '1234.5678', clientSecret: 'pg-client-secret-0123456789' };
const TEAM = 'T0PGPG';
const REDIRECT_URI = 'https://ladder.example.com/slack/oauth_redirect';
const alice = USERS[0]?.id as string;
const logs: string[] = [];

let api: LocalSlackApi;
let database: TestDatabase;
const apps: RunningLadder[] = [];

async function startInstance(url: string): Promise<RunningLadder> {
  const app = await startLadder({
    env: {
      ...distributionEnv({ oauth: OAUTH, api, key: randomKey }),
      SLACK_REDIRECT_URI: REDIRECT_URI,
      DATABASE_URL: url,
      LOG_LEVEL: 'debug',
    },
    writeLog: (line) => logs.push(line),
    listenHost: '127.0.0.1',
  });
  apps.push(app);
  return app;
}
const randomKey = randomBytes(32).toString('base64');

await describeOnPostgres('distribution mode on PostgreSQL, two instances', () => {
  beforeAll(async () => {
    api = await startLocalSlackApi({
      botToken: 'xoxb-pg-seed-not-used-by-the-app',
      scopes: manifestScopes(),
      users: USERS,
      oauth: OAUTH,
    });
    database = await createTestDatabase('distribution');
    await startInstance(database.url);
    await startInstance(database.url);
  });

  afterAll(async () => {
    for (const app of apps) await app.stop();
    await api?.close();
    await database?.drop();
  });

  it('finishes on one instance an install started on the other, once, and both serve it', async () => {
    const [one, two] = apps as [RunningLadder, RunningLadder];
    const page = await fetch(`http://127.0.0.1:${one.port}/slack/install`);
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const href = /href="(https?:[^"]+)"/.exec(await page.text())?.[1]?.replace(/&amp;/g, '&') ?? '';
    const state = new URL(href).searchParams.get('state') ?? '';
    const query = (code: string) => new URLSearchParams({ code, state });
    // SLACK_REDIRECT_URI goes to Slack with the link, and again with the code exchange.
    expect(new URL(href).searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    const code = api.oauth.authorize({ teamId: TEAM, userId: alice, redirectUri: REDIRECT_URI });
    const done = await fetch(`http://127.0.0.1:${two.port}/slack/oauth_redirect?${query(code)}`, {
      headers: { cookie },
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain(`${COMMAND} help`);
    const again = api.oauth.authorize({ teamId: TEAM, userId: alice, redirectUri: REDIRECT_URI });
    const replay = await fetch(`http://127.0.0.1:${one.port}/slack/oauth_redirect?${query(again)}`, {
      headers: { cookie },
    });
    expect(await replay.text()).toContain('already used');
    expect(api.calls.filter((c) => c.method === 'oauth.v2.access')).toHaveLength(1);

    for (const app of [one, two]) {
      const sender = appSender(app, api, TEAM);
      const res = await sender.command({ userId: alice, text: `log Served by instance ${app.port}` });
      expect(res.status).toBe(200);
      // The answer is in the ack, or posted to the response URL after slower work.
      const acked = (res.json as { text?: string } | undefined)?.text;
      const reply = acked ?? JSON.stringify((await sender.waitForResponse(res.responseUrl as string)).body);
      expect(reply).toContain('Saved to your evidence');
      const from = api.calls.length;
      await sender.command({ userId: alice, text: 'nudge now' });
      const posted = () => api.calls.slice(from).filter((c) => c.method === 'chat.postMessage');
      for (let i = 0; i < 500 && posted().length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
      const web = api.calls.slice(from).filter((c) => c.method !== 'response_url');
      expect(posted()).toHaveLength(1);
      expect(new Set(web.map((c) => c.team))).toEqual(new Set([TEAM]));
    }
  });

  it('keeps no bot token in clear in any PostgreSQL table or log line', async () => {
    const token = api.oauth.tokenFor(TEAM);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows: tables } = await client.query<{ name: string }>(
        "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
      );
      expect(tables.map((t) => t.name)).toContain('installations');
      for (const { name } of tables) {
        const { rows } = await client.query<{ row: string }>(`SELECT t::text AS row FROM "${name}" t`);
        const text = rows.map((r) => r.row).join('\n');
        expect(text.includes(token), `${name} holds the token`).toBe(false);
        expect(text.includes('xoxb-'), `${name} holds a bot token`).toBe(false);
      }
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM installations');
      expect(Number(rows[0]?.n)).toBe(1);
    } finally {
      await client.end();
    }
    expect(logs.some((l) => l.includes(token))).toBe(false);
  });
});
