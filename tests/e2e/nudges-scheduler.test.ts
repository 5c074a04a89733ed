import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.ts';
import { defaultNudgeSettings } from '../../src/domain/nudge-schedule.ts';
import { type LocalSlackApi, startLocalSlackApi } from '../../src/local/slack-api.ts';
import { type RunningLadder, startLadder } from '../../src/main.ts';
import { createNudgeScheduler } from '../../src/scheduler/scheduler.ts';
import { createNudgeDm } from '../../src/slack/dm.ts';
import { createTestStorage, describeOnEngine, type TestStorage } from '../helpers/engine.ts';
import { BOT_TOKEN, manifestScopes, SIGNING_SECRET, TEAM } from '../helpers/harness.ts';

/** Ten people in Berlin, all on Friday 16:00 (15:00Z in January). */
const PEOPLE = Array.from({ length: 10 }, (_, i) => ({
  id: `U0P${String(i).padStart(3, '0')}`,
  name: `person${i}`,
  tz: 'Europe/Berlin',
}));
const SLOT = new Date('2027-01-08T15:00:00Z');

describeOnEngine('the nudge scheduler inside the running app', () => {
  let api: LocalSlackApi;
  let app: RunningLadder;
  let storage: TestStorage;
  let appNow = new Date('2027-01-04T12:00:00Z');
  let monotonic = 0;
  const logs: string[] = [];

  const dmMessages = (userId: string) =>
    api.state
      .messages(api.state.dmChannelId(userId) ?? '')
      .filter((m) => m.user === api.botUserId && m.text.startsWith('Weekly reflection'));
  const health = async () => {
    const res = await fetch(`http://127.0.0.1:${app.port}/healthz`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    api = await startLocalSlackApi({
      botToken: BOT_TOKEN,
      scopes: manifestScopes(),
      teamId: TEAM,
      users: PEOPLE,
    });
    storage = await createTestStorage('scheduler');
    app = await startLadder({
      env: {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: api.url,
        PORT: '0',
        ...storage.env,
        // 2 per second: slow enough that a concurrent `nudges run` finds queued claims.
        NUDGE_SEND_RATE: '120',
      },
      now: () => appNow,
      schedulerClock: () => monotonic,
      writeLog: (line) => logs.push(line),
    });
    const { nudges, profiles } = app.ctx.repos;
    for (const p of PEOPLE) {
      const owner = { teamId: TEAM, userId: p.id };
      await profiles.setTimeZone(owner, p.tz, appNow);
      await nudges.saveSettings({ ...defaultNudgeSettings(owner, appNow), tz: p.tz }, appNow);
    }
  });
  afterAll(async () => {
    await app.stop();
    await api.close();
    await storage.drop();
  });

  it('/healthz: 200 while the scheduler ticks, 503 once it has not ticked for 2 minutes', async () => {
    expect(await health()).toMatchObject({ status: 200, body: { ok: true, scheduler: 'ok' } });
    monotonic += 119_000;
    expect((await health()).status).toBe(200);
    monotonic += 2_000;
    expect(await health()).toMatchObject({
      status: 503,
      body: { ok: false, database: true, scheduler: 'stalled' },
    });
    await app.scheduler.tick();
    expect(await health()).toMatchObject({ status: 200, body: { scheduler: 'ok' } });
  });

  it('a tick claims and returns at once; a concurrent `nudges run` sends nothing twice', async () => {
    appNow = SLOT;
    const tick = await app.scheduler.tick();
    expect(tick.claim.claimed).toHaveLength(PEOPLE.length);
    // The tick returned while its sends are still queued (2 per second).
    expect(app.scheduler.sender.backlog()).toBeGreaterThan(PEOPLE.length / 2);

    let stdout = '';
    const code = await runCli(['nudges', 'run', '--at', SLOT.toISOString()], {
      env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: api.url, ...storage.env },
      stdout: (s) => {
        stdout += s;
      },
      stderr: () => {},
    });
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(PEOPLE.length);
    expect(lines.some((l) => / due 2027-01-08T16:00 (claimed|sending)$/.test(l))).toBe(true);

    const outcomes = await tick.sends;
    expect(outcomes.sent).toBe(PEOPLE.length);
    for (const p of PEOPLE) expect(dmMessages(p.id)).toHaveLength(1);
    // The run's counts are logged, without any user text.
    const run = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'nudge run');
    expect(run).toMatchObject({ due: PEOPLE.length, sent: PEOPLE.length, failed: 0, skipped: 0 });
  });

  it('a person whose Slack account is gone is switched off, not retried', async () => {
    const gone = PEOPLE[0]?.id as string;
    const owner = { teamId: TEAM, userId: gone };
    await app.ctx.repos.nudges.dropDmChannel(owner);
    api.faults.add({ method: 'conversations.open', kind: 'error', error: 'account_inactive', times: 1 });
    appNow = new Date('2027-01-15T15:00:00Z');
    const tick = await app.scheduler.tick();
    const outcomes = await tick.sends;
    expect(outcomes.skipped).toBe(1);
    expect(await app.ctx.repos.nudges.getSettings(owner)).toMatchObject({
      enabled: false,
      offReason: 'account-gone',
    });
    expect(await app.ctx.repos.nudges.ledgerRow({ ...owner, weekKey: '2027-W02' })).toMatchObject({
      state: 'skipped',
      reason: 'account-gone',
    });
    appNow = new Date('2027-01-15T15:30:00Z');
    expect((await app.scheduler.tick()).claim.claimed).toHaveLength(0);
    await app.scheduler.sender.drain();
  });

  it('the daily refresh reads time zones older than 24 h with users.info, a slice per tick', async () => {
    const who = PEOPLE[1]?.id as string;
    const owner = { teamId: TEAM, userId: who };
    appNow = new Date('2027-01-15T16:00:00Z');
    // A refresh started by an earlier tick may still be finishing: let it.
    await new Promise((r) => setTimeout(r, 200));
    for (const p of PEOPLE)
      await app.ctx.repos.profiles.setTimeZone({ teamId: TEAM, userId: p.id }, p.tz, appNow);
    await app.ctx.repos.profiles.setTimeZone(owner, 'Pacific/Chatham', new Date('2027-01-10T00:00:00Z'));
    const infoCalls = () => api.calls.filter((c) => c.method === 'users.info');
    const before = infoCalls().length;
    await app.scheduler.tick();
    await new Promise((r) => setTimeout(r, 300));
    expect(
      infoCalls()
        .slice(before)
        .map((c) => c.params.user),
    ).toEqual([who]);
    expect(await app.ctx.repos.profiles.get(owner)).toMatchObject({
      tz: 'Europe/Berlin',
      tzCheckedAt: appNow.toISOString(),
    });
    // Fresh now: the next tick reads nobody.
    await app.scheduler.tick();
    await new Promise((r) => setTimeout(r, 200));
    expect(infoCalls().length).toBe(before + 1);
    await app.scheduler.sender.drain();
  });

  it('with two schedulers on one database, one refreshes time zones: users.info is not called twice', async () => {
    const second = createNudgeScheduler({
      ctx: app.ctx,
      botToken: BOT_TOKEN,
      nudgeDm: (client) => createNudgeDm(app.ctx, client),
    });
    try {
      const who = PEOPLE[2]?.id as string;
      appNow = new Date('2027-01-16T16:00:00Z');
      await new Promise((r) => setTimeout(r, 200));
      for (const p of PEOPLE)
        await app.ctx.repos.profiles.setTimeZone({ teamId: TEAM, userId: p.id }, p.tz, appNow);
      await app.ctx.repos.profiles.setTimeZone(
        { teamId: TEAM, userId: who },
        'Pacific/Chatham',
        new Date('2027-01-10T00:00:00Z'),
      );
      const infoCalls = () => api.calls.filter((c) => c.method === 'users.info');
      const before = infoCalls().length;
      await Promise.all([app.scheduler.tick(), second.tick()]);
      await new Promise((r) => setTimeout(r, 300));
      await Promise.all([app.scheduler.tick(), second.tick()]);
      await new Promise((r) => setTimeout(r, 300));
      expect(
        infoCalls()
          .slice(before)
          .map((c) => c.params.user),
      ).toEqual([who]);
    } finally {
      await second.stop();
    }
  });
});
