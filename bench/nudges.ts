import path from 'node:path';
import { WebClient } from '@slack/web-api';
import { type AppContext, createAppContext } from '../src/context.ts';
import { type Db, openDatabase } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import {
  defaultNudgeSettings,
  dueNudges,
  type LedgerRow,
  type NudgeSettings,
  weekKeyAt,
} from '../src/domain/nudge-schedule.ts';
import { startLocalSlackApi } from '../src/local/slack-api.ts';
import { createLogger } from '../src/log.ts';
import { findDueNudges, newLeaseOwner, runNudgesOnce } from '../src/scheduler/nudge-run.ts';
import { createNudgeSender } from '../src/scheduler/nudge-sender.ts';
import { bulkClientOptions } from '../src/scheduler/scheduler.ts';
import { createNudgeDm } from '../src/slack/dm.ts';
import { BOT_TOKEN, manifestScopes } from '../tests/helpers/harness.ts';
import { realLadder } from '../tests/helpers/ladder.ts';
import { tempDir } from '../tests/helpers/tmp.ts';
import { type BenchRow, ms } from './types.ts';

/**
 * Weekly nudges: the pure due-check at scale, and one slot's worth of nudges delivered through the
 * local Slack API with 429s, as the scheduler does it (claims in SQLite, the throttled sender).
 */

const ZONES = [
  'America/New_York',
  'America/Los_Angeles',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/Sao_Paulo',
  null,
];
const NOW = new Date('2027-01-08T21:00:00Z');
const CREATED = new Date('2026-12-01T00:00:00Z');

/** Deterministic pseudo-random numbers (a bench is compared run to run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

function population(n: number): { users: NudgeSettings[]; ledger: LedgerRow[] } {
  const r = rng(n);
  const users: NudgeSettings[] = [];
  const ledger: LedgerRow[] = [];
  for (let i = 0; i < n; i++) {
    const tz = ZONES[Math.floor(r() * ZONES.length)] ?? null;
    const user: NudgeSettings = {
      ...defaultNudgeSettings({ teamId: `T${i % 5}`, userId: `U${i}` }, CREATED),
      tz,
      day: Math.floor(r() * 7),
      minuteOfDay: Math.floor(r() * 96) * 15,
      pausedThrough: r() < 0.05 ? '2027-01-20' : null,
    };
    users.push(user);
    // Most people already had this week's nudge, some last week's.
    if (r() < 0.6) {
      ledger.push({
        teamId: user.teamId,
        userId: user.userId,
        weekKey: weekKeyAt(NOW, tz),
        slotAt: NOW,
        state: 'sent',
        attempts: 0,
        nextAttemptAt: null,
        leaseOwner: null,
        leaseExpiresAt: null,
      });
    }
  }
  return { users, ledger };
}

function timeDueCheck(n: number): number {
  const { users, ledger } = population(n);
  const runs = n >= 100_000 ? 5 : 10;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    dueNudges({ users, ledger, now: new Date(NOW.getTime() + i * 60_000), lateWindowHours: 24 });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

function benchContext(dbPath: string, rate: number, slackApiUrl: string): AppContext & { db: Db } {
  const db = openDatabase(dbPath);
  migrate(db);
  const ctx = createAppContext({
    config: {
      port: 0,
      databasePath: dbPath,
      databaseUrl: undefined,
      databasePoolSize: 10,
      ladderDataDir: '',
      logLevel: 'error',
      nudgeLateWindowHours: 24,
      nudgeSendRate: rate,
      slackApiUrl,
    },
    db,
    ladder: realLadder(),
    logger: createLogger({ level: 'error', write: () => {} }),
    now: () => NOW,
  });
  return { ...ctx, db };
}

/**
 * Opted-in people straight into their tables, in one transaction (100,000 commits through the
 * repositories would time the disk, not the due-check).
 */
function seedPeople(db: Db, people: ReadonlyArray<{ settings: NudgeSettings; dmChannel?: string }>): void {
  const iso = CREATED.toISOString();
  const profile = db.prepare(
    `INSERT INTO profiles (team_id, user_id, tz, tz_checked_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const settings = db.prepare(
    // next_due_at as migration 0009 backfills it: the first ticks work out each person's next slot.
    `INSERT INTO nudge_settings (team_id, user_id, enabled, day, minute_of_day, paused_through, skip_week,
       effective_from, created_at, updated_at, next_due_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ?3 = 1 THEN ?8 END)`,
  );
  const dm = db.prepare(
    'INSERT INTO nudge_dm_channels (team_id, user_id, channel_id, cached_at) VALUES (?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (const { settings: s, dmChannel } of people) {
      profile.run(s.teamId, s.userId, s.tz, iso, iso, iso);
      settings.run(
        s.teamId,
        s.userId,
        s.enabled ? 1 : 0,
        s.day,
        s.minuteOfDay,
        s.pausedThrough,
        s.skipWeek,
        s.createdAt.toISOString(),
        iso,
        iso,
      );
      if (dmChannel) dm.run(s.teamId, s.userId, dmChannel, iso);
    }
  })();
}

/** The full due-check the tick runs: read settings and ledger from SQLite, then the rules. */
async function timeStoredDueCheck(n: number): Promise<number> {
  const ctx = benchContext(path.join(tempDir('ladder-bench-'), 'due.db'), 120, 'http://127.0.0.1:9/api/');
  const { users, ledger } = population(n);
  seedPeople(
    ctx.db,
    users.map((settings) => ({ settings })),
  );
  ctx.db.transaction(() => {
    const stmt = ctx.db.prepare(
      `INSERT INTO nudge_ledger (team_id, user_id, week_key, slot_at, state, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'sent', ?, ?)`,
    );
    for (const r of ledger)
      stmt.run(
        r.teamId,
        r.userId,
        r.weekKey,
        r.slotAt.toISOString(),
        CREATED.toISOString(),
        CREATED.toISOString(),
      );
  })();
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await findDueNudges(ctx, new Date(NOW.getTime() + i * 60_000));
    times.push(performance.now() - t0);
  }
  ctx.db.close();
  return times.sort((a, b) => a - b)[1] as number;
}

interface Delivery {
  people: number;
  rate: number;
  toP95Ms: number;
  firstRunMs: number;
  ratelimited: number;
  deliveredOnce: number;
  duplicates: number;
  runs: number;
}

/**
 * N people on one slot, DM channels already cached (the weekly steady state: one chat.postMessage
 * each), a 429 (Retry-After 1 s) on every 200th chat.postMessage. The first run is timed to 95 %
 * delivered; later runs (the ledger's retries) deliver the rest. Every DM is then counted.
 */
async function deliverOneSlot(people: number, rate: number): Promise<Delivery> {
  const users = Array.from({ length: people }, (_, i) => ({
    id: `U0B${String(i).padStart(5, '0')}`,
    name: `p${i}`,
    tz: 'UTC',
  }));
  const api = await startLocalSlackApi({
    botToken: BOT_TOKEN,
    scopes: manifestScopes(),
    users,
    defaultChannel: false,
  });
  try {
    const ctx = benchContext(path.join(tempDir('ladder-bench-'), 'slot.db'), rate, api.url);
    const slot = new Date('2027-01-08T16:00:00Z');
    seedPeople(
      ctx.db,
      users.map((u) => {
        const owner = { teamId: api.teamId, userId: u.id };
        return {
          settings: { ...defaultNudgeSettings(owner, CREATED), tz: 'UTC' },
          dmChannel: api.openDm(u.id),
        };
      }),
    );
    const fault = api.faults.add({
      method: 'chat.postMessage',
      kind: 'ratelimited429',
      retryAfter: 1,
      every: 200,
    });
    const logger = createLogger({ level: 'error', write: () => {} });
    const sender = createNudgeSender({
      ctx,
      dm: createNudgeDm(ctx, new WebClient(BOT_TOKEN, bulkClientOptions(api.url, logger))),
      ratePerMinute: rate,
    });
    let at = slot;
    ctx.now = () => at;
    let delivered = 0;
    let toP95 = Number.NaN;
    const t0 = performance.now();
    api.events.on('change', (c: { type: string }) => {
      if (c.type !== 'message') return;
      delivered += 1;
      if (Number.isNaN(toP95) && delivered >= Math.ceil(people * 0.95)) toP95 = performance.now() - t0;
    });
    await runNudgesOnce(ctx, sender, at, { dryRun: false, leaseOwner: newLeaseOwner('cli') });
    const firstRunMs = performance.now() - t0;
    // Later ticks retry what the 429s left failed (backoff counted from each run's instant).
    let runs = 1;
    while ((await ctx.repos.nudges.ledgerSince('2027-W01')).some((r) => r.state !== 'sent') && runs < 10) {
      at = new Date(at.getTime() + 5 * 60_000);
      await runNudgesOnce(ctx, sender, at, { dryRun: false, leaseOwner: newLeaseOwner('cli') });
      runs += 1;
    }
    let once = 0;
    let duplicates = 0;
    for (const u of users) {
      const n = api.state
        .messages(api.state.dmChannelId(u.id) ?? '')
        .filter((m) => m.user === api.botUserId).length;
      if (n === 1) once += 1;
      if (n > 1) duplicates += 1;
    }
    await sender.stop();
    ctx.db.close();
    return {
      people,
      rate,
      toP95Ms: toP95,
      firstRunMs,
      ratelimited: fault.fired,
      deliveredOnce: once,
      duplicates,
      runs,
    };
  } finally {
    await api.close();
  }
}

const seconds = (msValue: number) => `${(msValue / 1000).toFixed(1)} s`;

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const n of [1_000, 10_000, 100_000]) {
    const t = timeDueCheck(n);
    rows.push({
      name: `due-check (pure dueNudges) over ${n.toLocaleString('en-US')} people, median`,
      value: ms(t),
      goal: n === 100_000 ? '< 200 ms' : 'reported',
      pass: n === 100_000 ? t < 200 : null,
    });
  }
  const stored = await timeStoredDueCheck(100_000);
  rows.push({
    name: 'the tick’s due-check with 100,000 opted in, all due at once as migration 0009 leaves them (one batch of 500 read by next_due_at, + rules)',
    value: ms(stored),
    goal: 'reported (runs once a minute)',
    pass: null,
  });

  const people = 2_000;
  // At 1,200/min the goal is judged; at 6,000/min (a short run) the nine Retry-After pauses of 1 s
  // before 95 % are 40 % of the 22 s window by themselves, so the figure is only reported.
  for (const rate of [1_200, 6_000]) {
    const d = await deliverOneSlot(people, rate);
    const goalMs = (1.1 * people * 60_000) / rate;
    const judged = rate === 1_200;
    rows.push({
      name: `${people.toLocaleString('en-US')} people on one slot (DM channels cached), NUDGE_SEND_RATE=${rate}/min, a 429 (Retry-After 1 s) every 200 chat.postMessage: time to 95 % delivered`,
      value: `${seconds(d.toP95Ms)} (first run ${seconds(d.firstRunMs)}, ${d.ratelimited} × 429)`,
      goal: judged
        ? `≤ 1.1 × N ÷ rate = ${seconds(goalMs)}`
        : `reported (1.1 × N ÷ rate = ${seconds(goalMs)}; Retry-After alone adds 9 s)`,
      pass: judged ? d.toP95Ms <= goalMs : null,
    });
    rows.push({
      name: `… every nudge delivered exactly once (after ${d.runs} runs; the 429s retried by the ledger)`,
      value: `${d.deliveredOnce} / ${people} once, ${d.duplicates} duplicates`,
      goal: `${people} once, 0 duplicates`,
      pass: d.deliveredOnce === people && d.duplicates === 0,
    });
  }
  return rows;
}
