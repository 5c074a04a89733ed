import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type AppContext, createAppContext } from '../../../src/context.ts';
import { openDatabase } from '../../../src/db/connection.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { defaultNudgeSettings, type NudgeDecision } from '../../../src/domain/nudge-schedule.ts';
import { type LocalSlackApi, startLocalSlackApi } from '../../../src/local/slack-api.ts';
import { createLogger } from '../../../src/log.ts';
import { createNudgeSender } from '../../../src/scheduler/nudge-sender.ts';
import { bulkClientOptions } from '../../../src/scheduler/scheduler.ts';
import { createNudgeDm } from '../../../src/slack/dm.ts';
import { BOT_TOKEN, manifestScopes } from '../../helpers/harness.ts';
import { realLadder } from '../../helpers/ladder.ts';

const T = 'T0LOCAL';
const N = 20;
const users = Array.from({ length: N }, (_, i) => ({
  id: `U0S${String(i).padStart(3, '0')}`,
  name: `s${i}`,
  tz: 'UTC',
}));
const slot = new Date('2027-01-08T16:00:00Z');

describe('the throttled sender', () => {
  let api: LocalSlackApi;
  beforeAll(async () => {
    api = await startLocalSlackApi({ botToken: BOT_TOKEN, scopes: manifestScopes(), teamId: T, users });
  });
  afterAll(async () => {
    await api.close();
  });

  async function setup(rate: number, timeoutMs = 10_000) {
    const db = openDatabase(':memory:');
    migrate(db);
    const logs: string[] = [];
    const logger = createLogger({ level: 'info', write: (l) => logs.push(l) });
    const ctx: AppContext = createAppContext({
      config: {
        port: 0,
        databasePath: ':memory:',
        databaseUrl: undefined,
        databasePoolSize: 10,
        ladderDataDir: '',
        logLevel: 'info',
        nudgeLateWindowHours: 24,
        nudgeSendRate: rate,
        slackApiUrl: api.url,
      },
      db,
      ladder: realLadder(),
      logger,
      now: () => slot,
      health: async () => ({ ok: true, database: true, scheduler: 'not-started' }),
    });
    const decisions: NudgeDecision[] = await Promise.all(
      users.map(async (u): Promise<NudgeDecision> => {
        const owner = { teamId: T, userId: u.id };
        await ctx.repos.nudges.saveSettings(
          defaultNudgeSettings(owner, new Date('2027-01-01T00:00:00Z')),
          slot,
        );
        return { teamId: T, userId: u.id, weekKey: '2027-W01', slotAt: slot, localSlot: '', action: 'send' };
      }),
    );
    const claimed = (
      await ctx.repos.nudges.claim(
        decisions,
        [],
        { owner: 'test', expiresAt: new Date(slot.getTime() + 3_600_000) },
        slot,
        slot,
      )
    ).claimed;
    const sender = createNudgeSender({
      ctx,
      dm: createNudgeDm(
        ctx,
        new WebClient(BOT_TOKEN, { ...bulkClientOptions(api.url, logger), timeout: timeoutMs }),
      ),
      ratePerMinute: rate,
    });
    return { ctx, claimed, sender, logs, decisions, logger };
  }

  it('starts at most NUDGE_SEND_RATE sends per minute, evenly', async () => {
    const { claimed, sender } = await setup(1200); // one every 50 ms
    const t0 = Date.now();
    const outcomes = await sender.enqueue(claimed);
    const elapsed = Date.now() - t0;
    expect(outcomes).toMatchObject({ sent: N, failed: 0 });
    expect(elapsed).toBeGreaterThanOrEqual((N - 1) * 50 - 5);
    expect(elapsed).toBeLessThan((N - 1) * 50 * 1.6 + 200);
  });

  it('a 429 pauses the whole workspace queue for Retry-After and leaves the row failed for a later run', async () => {
    const { ctx, claimed, sender } = await setup(6000);
    api.faults.add({ method: 'chat.postMessage', kind: 'ratelimited429', retryAfter: 1, times: 1, every: 5 });
    const t0 = Date.now();
    const outcomes = await sender.enqueue(claimed);
    expect(outcomes).toMatchObject({ sent: N - 1, failed: 1 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_000);
    const failed = (await ctx.repos.nudges.ledgerSince('2027-W01')).filter((r) => r.state === 'failed');
    expect(failed).toHaveLength(1);
    // Retry after max(backoff, Retry-After) from the run's instant.
    expect(failed[0]?.nextAttemptAt?.toISOString()).toBe('2027-01-08T16:01:00.000Z');
    expect(failed[0]?.reason).toBe('ratelimited');
  });

  it('a timeout after the request went out leaves the row in sending, never resent', async () => {
    const { ctx, claimed, sender } = await setup(6000, 300);
    const one = claimed.slice(0, 1);
    api.faults.add({ method: 'chat.postMessage', kind: 'timeout', holdMs: 2_000, times: 1 });
    const outcomes = await sender.enqueue(one);
    expect(outcomes).toMatchObject({ unconfirmed: 1 });
    expect(
      (await ctx.repos.nudges.ledgerSince('2027-W01')).find((r) => r.userId === one[0]?.userId),
    ).toMatchObject({
      state: 'sending',
    });
  });

  it('with send leases, one sender per workspace: the other keeps its sends back until the lease is free', async () => {
    const { ctx, claimed, decisions, logger } = await setup(6000);
    let wall = Date.parse('2026-12-06T10:00:00Z');
    const leased = (owner: string) =>
      createNudgeSender({
        ctx,
        dm: createNudgeDm(ctx, new WebClient(BOT_TOKEN, bulkClientOptions(api.url, logger))),
        ratePerMinute: 6000,
        leases: { repo: ctx.repos.sendLeases, owner, wallClock: () => wall },
      });
    const a = leased('app:a');
    const b = leased('app:b');
    const check = { decisions, retries: [] };

    const onA = await a.leased(check, { perWorkspace: 5 });
    expect(onA.check.decisions).toHaveLength(5);
    expect(onA.elsewhere.size).toBe(0);
    const onB = await b.leased(check);
    expect(onB.check.decisions).toHaveLength(0);
    expect([...onB.elsewhere]).toEqual([T]);

    // A sends; once its queue is idle it hands the lease back, free from its next send slot.
    expect(await a.enqueue(claimed.slice(0, 5))).toMatchObject({ sent: 5 });
    const released = wall + 1_000;
    await vi.waitFor(async () =>
      expect((await ctx.repos.sendLeases.holder(T))?.expiresAt.getTime()).toBeLessThan(released),
    );
    wall = released;
    expect((await b.leased(check)).elsewhere.size).toBe(0);
    expect((await ctx.repos.sendLeases.holder(T))?.owner).toBe('app:b');
    expect((await a.leased(check)).elsewhere.has(T)).toBe(true);

    // B "dies" holding the lease (never hands it back): A takes over once it has run out, not before.
    wall += 59_000;
    expect((await a.leased(check)).elsewhere.has(T)).toBe(true);
    wall += 2_000;
    expect((await a.leased(check)).elsewhere.size).toBe(0);
    expect((await ctx.repos.sendLeases.holder(T))?.owner).toBe('app:a');
    await a.stop();
    await b.stop();
  });
});
