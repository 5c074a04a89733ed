/**
 * Token rotation end to end through the local Slack API: a workspace installs with rotation on,
 * two Ladder instances on one database serve its commands as the token nears expiry, and the
 * token is refreshed exactly once; both then use the new token and the old one is never used
 * after it ran out. A refused refresh is reported and keeps the install. Two schedulers ticking at
 * the same minute refresh once too, and each person is nudged once with the new token.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defaultNudgeSettings } from '../../src/domain/nudge-schedule.ts';
import { type LocalSlackApi, startLocalSlackApi } from '../../src/local/slack-api.ts';
import { type RunningLadder, startLadder } from '../../src/main.ts';
import { appSender, distributionEnv, installWorkspace } from '../helpers/distribution.ts';
import { createTestStorage, describeOnEngine, type TestStorage } from '../helpers/engine.ts';
import { manifestScopes, USERS } from '../helpers/harness.ts';

const OAUTH = { clientId: '1234.5678', clientSecret: 'rot-client-secret-0123456789' };
const KEY = randomBytes(32).toString('base64');
const TEAM = 'T0ROTA';
const alice = USERS[0]?.id as string;
let clock = new Date('2027-01-04T15:00:00Z');
let api: LocalSlackApi;
const apps: RunningLadder[] = [];
const logs: string[] = [];
let storage: TestStorage;

async function boot(): Promise<RunningLadder> {
  const app = await startLadder({
    env: {
      ...distributionEnv({ oauth: OAUTH, api, key: KEY }),
      ...storage.env,
      LOG_LEVEL: 'debug',
    },
    writeLog: (line) => logs.push(line),
    now: () => clock,
    listenHost: '127.0.0.1',
  });
  apps.push(app);
  return app;
}

async function install(app: RunningLadder, teamId = TEAM): Promise<void> {
  const done = await installWorkspace(`http://127.0.0.1:${app.port}`, api, { teamId, userId: alice });
  expect(done.status, done.html).toBe(200);
}

async function command(app: RunningLadder, text: string): Promise<number> {
  return (await appSender(app, api, TEAM).command({ userId: alice, text })).status;
}

const botToken = async (app: RunningLadder, teamId = TEAM) =>
  (await app.ctx.repos.installations.find<{ bot: { token: string } }>(teamId))?.data.bot.token ?? '';

async function authTest(token: string): Promise<boolean> {
  const res = await fetch(`${api.url}auth.test`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await res.json()) as { ok: boolean }).ok;
}

const refreshes = () =>
  api.calls.filter((c) => c.method === 'oauth.v2.access' && c.outcome === 'ok').length - 1;

beforeAll(async () => {
  api = await startLocalSlackApi({
    botToken: 'xoxb-rot-seed-not-used-by-the-app',
    scopes: manifestScopes(),
    teamId: 'T0LOCAL',
    users: USERS,
    oauth: OAUTH,
    now: () => clock.getTime(),
  });
  api.oauth.rotation.enable();
  storage = await createTestStorage('token_rotation');
  await boot();
  await boot();
});

afterAll(async () => {
  for (const app of apps) await app.stop();
  await api?.close();
  await storage?.drop();
});

describeOnEngine('token rotation, two instances on one database', () => {
  it('refreshes an expiring token exactly once, and both instances use the new one', async () => {
    const [a, b] = apps as [RunningLadder, RunningLadder];
    await install(a);
    const old = await botToken(a);
    expect(await authTest(old)).toBe(true);
    expect(api.oauth.rotation.refreshCount(TEAM)).toBe(0);
    clock = new Date(clock.getTime() + 11 * 3600_000);
    const statuses = await Promise.all([
      command(a, 'help'),
      command(b, 'help'),
      command(a, 'help'),
      command(b, 'help'),
    ]);
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(api.oauth.rotation.refreshCount(TEAM)).toBe(1);
    expect(refreshes()).toBe(1);
    // Past the old token's expiry: both instances read the new token; the old one is refused.
    clock = new Date(clock.getTime() + 2 * 3600_000);
    expect(await Promise.all([command(a, 'help'), command(b, 'help')])).toEqual([200, 200]);
    const [ta, tb] = await Promise.all([botToken(a), botToken(b)]);
    expect(ta).toBe(tb);
    expect(ta).not.toBe(old);
    expect(await authTest(ta)).toBe(true);
    expect(await authTest(old)).toBe(false);
    expect(api.oauth.rotation.refreshCount(TEAM)).toBe(1);
  });

  it('reports a refused refresh clearly and keeps the install', async () => {
    const [a] = apps as [RunningLadder, RunningLadder];
    api.faults.add({ method: 'oauth.v2.access', kind: 'error', error: 'invalid_refresh_token', times: 1 });
    clock = new Date(clock.getTime() + 11 * 3600_000);
    await command(a, 'help');
    expect(logs.some((l) => l.includes('token refresh failed'))).toBe(true);
    expect(await a.ctx.repos.installations.find(TEAM)).toBeDefined();
  });
});

describeOnEngine('token rotation, two instances ticking', () => {
  const TICKING = 'T0ROTB';
  it('two schedulers due at the same minute refresh the expiring token once and nudge each person once', async () => {
    const [a, b] = apps as [RunningLadder, RunningLadder];
    // Friday 05:00 UTC: the install; everyone's nudge is due Friday 16:00 UTC, 11 hours on.
    clock = new Date('2027-01-08T05:00:00Z');
    await install(a, TICKING);
    const old = await botToken(a, TICKING);
    for (const u of USERS) {
      const owner = { teamId: TICKING, userId: u.id };
      await a.ctx.repos.nudges.saveSettings({ ...defaultNudgeSettings(owner, clock), tz: 'UTC' }, clock);
    }
    clock = new Date('2027-01-08T16:00:00Z');
    const ticks = await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    await Promise.all(ticks.map((t) => t.sends));
    // One claim per person across the two ticks, one refresh, one weekly DM each.
    expect(ticks.flatMap((t) => t.claim.claimed.map((c) => c.userId)).sort()).toEqual(
      USERS.map((u) => u.id).sort(),
    );
    expect(api.oauth.rotation.refreshCount(TICKING)).toBe(1);
    const posts = api.calls.filter((c) => c.method === 'chat.postMessage' && c.team === TICKING);
    expect(posts).toHaveLength(USERS.length);
    expect(posts.every((c) => c.outcome === 'ok')).toBe(true);
    const [ta, tb] = await Promise.all([botToken(a, TICKING), botToken(b, TICKING)]);
    expect(ta).toBe(tb);
    expect(ta).not.toBe(old);
    // A tick after the old token ran out still sends nothing twice and refreshes nothing more.
    clock = new Date('2027-01-08T18:30:00Z');
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    expect(await authTest(old)).toBe(false);
    expect(api.oauth.rotation.refreshCount(TICKING)).toBe(1);
    expect(api.calls.filter((c) => c.method === 'chat.postMessage' && c.team === TICKING)).toHaveLength(
      USERS.length,
    );
  });
});
