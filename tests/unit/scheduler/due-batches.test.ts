/**
 * The tick reads a bounded batch of who is due: 2,000 people on one slot are decided 500 a tick,
 * in successive ticks well inside the late window, each nudged once; `nudges run` decides batch
 * after batch and reports everyone. The sender here is an instant Slack that writes the ledger's
 * steps (the throttled sender has its own tests).
 */
import { describe, expect, it } from 'vitest';
import { type AppContext, createAppContext } from '../../../src/context.ts';
import { openDatabase } from '../../../src/db/connection.ts';
import { migrate } from '../../../src/db/migrate.ts';
import type { ClaimedNudge } from '../../../src/db/nudge-model.ts';
import { defaultNudgeSettings } from '../../../src/domain/nudge-schedule.ts';
import { createLogger } from '../../../src/log.ts';
import {
  claimDue,
  DUE_BATCH,
  findDueNudges,
  leftForLater,
  newLeaseOwner,
  runNudgesOnce,
} from '../../../src/scheduler/nudge-run.ts';
import { emptyOutcomes, type NudgeSender } from '../../../src/scheduler/nudge-sender.ts';
import { realLadder } from '../../helpers/ladder.ts';

const T = 'T0BATCH';
const PEOPLE = 2_000;
/** Friday 16:00 UTC, everyone's slot. */
const SLOT = new Date('2027-01-08T16:00:00Z');
const minutes = (m: number) => new Date(SLOT.getTime() + m * 60_000);

async function setup(): Promise<{ ctx: AppContext; sender: NudgeSender; sent: ClaimedNudge[] }> {
  const db = openDatabase(':memory:');
  migrate(db);
  let now = SLOT;
  const ctx = createAppContext({
    config: {
      port: 0,
      databasePath: ':memory:',
      databaseUrl: undefined,
      databasePoolSize: 10,
      ladderDataDir: '',
      logLevel: 'error',
      nudgeLateWindowHours: 24,
      nudgeSendRate: 600,
      slackApiUrl: undefined,
    },
    db,
    ladder: realLadder(),
    logger: createLogger({ level: 'error', write: () => {} }),
    now: () => now,
  });
  const created = new Date('2027-01-01T00:00:00Z');
  for (let i = 0; i < PEOPLE; i++) {
    const owner = { teamId: T, userId: `U${String(i).padStart(5, '0')}` };
    await ctx.repos.nudges.saveSettings({ ...defaultNudgeSettings(owner, created), tz: 'UTC' }, created);
  }
  const sent: ClaimedNudge[] = [];
  const sender: NudgeSender = {
    // One instance: every workspace's lease is its own.
    leased: async (check) => ({ check, elsewhere: new Set<string>() }),
    async enqueue(jobs) {
      const outcomes = emptyOutcomes();
      for (const job of jobs) {
        now = job.tickAt;
        await ctx.repos.nudges.markSending(job, 'p1', `D${job.userId}`, now);
        await ctx.repos.nudges.markSent(
          job,
          { channelId: `D${job.userId}`, messageTs: '1.1', promptId: 'p1' },
          now,
        );
        sent.push(job);
        outcomes.sent += 1;
      }
      return outcomes;
    },
    backlog: () => 0,
    drain: async () => {},
    stop: async () => [],
  };
  return { ctx, sender, sent };
}

/** One scheduler tick at `at`: check, claim, send. */
async function tick(ctx: AppContext, sender: NudgeSender, at: Date) {
  const check = await findDueNudges(ctx, at);
  const claim = await claimDue(ctx, check, 'app:test', 0);
  await sender.enqueue(claim.claimed);
  return { read: check.users.length, claimed: claim.claimed.length };
}

describe('a tick reads a bounded batch of who is due', () => {
  it('2,000 people on one slot: 500 a tick over four ticks, each nudged once, then nobody is read', async () => {
    expect(DUE_BATCH).toBe(500);
    const { ctx, sender, sent } = await setup();
    // The settings were saved without an instant: the first tick works out everyone's next slot.
    expect(await tick(ctx, sender, minutes(-60 * 24))).toEqual({ read: 500, claimed: 0 });
    for (let m = -60 * 24 + 1; m < -60 * 24 + 4; m++) await tick(ctx, sender, minutes(m));
    expect(await tick(ctx, sender, minutes(-60))).toEqual({ read: 0, claimed: 0 });
    const counts = [];
    for (let m = 0; m < 6; m++) counts.push(await tick(ctx, sender, minutes(m)));
    expect(counts).toEqual([
      { read: 500, claimed: 500 },
      { read: 500, claimed: 500 },
      { read: 500, claimed: 500 },
      { read: 500, claimed: 500 },
      { read: 0, claimed: 0 },
      { read: 0, claimed: 0 },
    ]);
    expect(new Set(sent.map((s) => s.userId)).size).toBe(PEOPLE);
    expect(sent).toHaveLength(PEOPLE);
    // Every one of them inside the late window (24 h): within four minutes of the slot.
    expect(Math.max(...sent.map((s) => s.tickAt.getTime() - SLOT.getTime()))).toBe(3 * 60_000);
    const ledger = await ctx.repos.nudges.ledgerSince('2027-W01');
    expect(ledger.filter((r) => r.state === 'sent')).toHaveLength(PEOPLE);
    // The next week's slot brings them back, a batch at a time.
    expect(await tick(ctx, sender, minutes(7 * 24 * 60 - 1))).toEqual({ read: 0, claimed: 0 });
    expect(await tick(ctx, sender, minutes(7 * 24 * 60))).toEqual({ read: 500, claimed: 500 });
  });

  it('after a crash: later ticks take over the claims of the gone process and claim new batches, each person once', async () => {
    const { ctx, sender, sent } = await setup();
    await tick(ctx, sender, minutes(-60 * 24));
    for (let m = -60 * 24 + 1; m < -60 * 24 + 4; m++) await tick(ctx, sender, minutes(m));
    // A process claims the slot's first two batches and dies before sending any.
    for (const m of [0, 1]) {
      const gone = await claimDue(ctx, await findDueNudges(ctx, minutes(m)), 'app:gone', 0);
      expect(gone.claimed).toHaveLength(500);
    }
    // Its leases (ten minutes and the queue's time) have run out: each tick now claims a new
    // batch and takes over up to 500 of the gone process' rows.
    const counts = [];
    for (let m = 15; m < 19; m++) counts.push(await tick(ctx, sender, minutes(m)));
    expect(counts).toEqual([
      { read: 500, claimed: 1_000 },
      { read: 500, claimed: 1_000 },
      { read: 0, claimed: 0 },
      { read: 0, claimed: 0 },
    ]);
    expect(new Set(sent.map((s) => s.userId)).size).toBe(PEOPLE);
    expect(sent).toHaveLength(PEOPLE);
    const ledger = await ctx.repos.nudges.ledgerSince('2027-W01');
    expect(ledger.filter((r) => r.state === 'sent')).toHaveLength(PEOPLE);
    expect(ledger.some((r) => r.leaseOwner === 'app:gone')).toBe(false);
  });

  it('`nudges run` decides batch after batch and reports every person due', async () => {
    const { ctx, sender, sent } = await setup();
    const result = await runNudgesOnce(ctx, sender, minutes(5), {
      dryRun: false,
      leaseOwner: newLeaseOwner('cli'),
    });
    expect(result.lines).toHaveLength(PEOPLE);
    expect(result.lines.every((l) => l.status === 'sent' && l.localSlot === '2027-01-08T16:00')).toBe(true);
    expect(result.counts).toMatchObject({ due: PEOPLE, sent: PEOPLE, failed: 0 });
    expect(new Set(sent.map((s) => s.userId)).size).toBe(PEOPLE);
    const again = await runNudgesOnce(ctx, sender, minutes(6), {
      dryRun: false,
      leaseOwner: newLeaseOwner('cli'),
    });
    expect(again.counts).toMatchObject({ due: 0, sent: 0 });
    expect(sent).toHaveLength(PEOPLE);
  });

  it('a dry run reads everyone due at once and writes nothing', async () => {
    const { ctx, sender, sent } = await setup();
    const dry = await runNudgesOnce(ctx, sender, minutes(5), {
      dryRun: true,
      leaseOwner: newLeaseOwner('cli'),
    });
    expect(dry.lines).toHaveLength(PEOPLE);
    expect(dry.lines.every((l) => l.status === 'due')).toBe(true);
    expect(sent).toEqual([]);
    expect(await ctx.repos.nudges.ledgerSince('2027-W01')).toEqual([]);
  });
});

describe('with the workspace send lease', () => {
  it('people left out of a tick (beyond its share) keep their due instant and go in later ticks, each once', async () => {
    const { ctx, sender, sent } = await setup();
    // This instance may queue 300 a tick: the rest of the batch is left for the next tick.
    const share: NudgeSender = {
      ...sender,
      leased: async (check) => ({
        check: {
          ...check,
          decisions: check.decisions
            .filter((d) => d.action === 'skip')
            .concat(check.decisions.filter((d) => d.action === 'send').slice(0, 300)),
        },
        elsewhere: new Set<string>(),
      }),
    };
    const tickLeased = async (at: Date) => {
      const check = await findDueNudges(ctx, at);
      const leased = await share.leased(check);
      const claim = await claimDue(ctx, leftForLater(check, leased.check), 'app:test', 0);
      await share.enqueue(claim.claimed);
      return claim.claimed.length;
    };
    await tickLeased(minutes(-60 * 24));
    for (let m = -60 * 24 + 1; m < -60 * 24 + 4; m++) await tickLeased(minutes(m));
    const claimed: number[] = [];
    for (let m = 0; m < 9; m++) claimed.push(await tickLeased(minutes(m)));
    expect(claimed).toEqual([300, 300, 300, 300, 300, 300, 200, 0, 0]);
    expect(new Set(sent.map((s) => s.userId)).size).toBe(PEOPLE);
    expect(sent).toHaveLength(PEOPLE);
  });

  it('`nudges run` while another instance holds the lease: everyone due sender-elsewhere, nothing sent or moved on', async () => {
    const { ctx, sender, sent } = await setup();
    const elsewhere: NudgeSender = {
      ...sender,
      leased: async (check) => ({
        check: { ...check, decisions: check.decisions.filter((d) => d.action === 'skip'), retries: [] },
        elsewhere: new Set(check.decisions.map((d) => d.teamId)),
      }),
    };
    const held = await runNudgesOnce(ctx, elsewhere, minutes(5), {
      dryRun: false,
      leaseOwner: newLeaseOwner('cli'),
    });
    expect(held.lines).toHaveLength(PEOPLE);
    expect(held.lines.every((l) => l.status === 'due' && l.reason === 'sender-elsewhere')).toBe(true);
    expect(sent).toHaveLength(0);
    // Once the lease is free, the same people are still due: a run sends to every one of them.
    const free = await runNudgesOnce(ctx, sender, minutes(6), {
      dryRun: false,
      leaseOwner: newLeaseOwner('cli'),
    });
    expect(free.counts).toMatchObject({ due: PEOPLE, sent: PEOPLE });
    expect(new Set(sent.map((s) => s.userId)).size).toBe(PEOPLE);
  });
});
