import path from 'node:path';
import pg from 'pg';
import { type AppContext, createAppContext } from '../src/context.ts';
import { type DatabaseHandle, openDatabaseFor } from '../src/db/database.ts';
import type { ClaimedNudge } from '../src/db/nudge-model.ts';
import * as schedule from '../src/domain/nudge-schedule.ts';
import { defaultNudgeSettings, type NudgeSettings, weekKeyAt } from '../src/domain/nudge-schedule.ts';
import { shiftWeekKey } from '../src/domain/zoned-time.ts';
import { createLogger } from '../src/log.ts';
import { claimDue, findDueNudges } from '../src/scheduler/nudge-run.ts';
import { realLadder } from '../tests/helpers/ladder.ts';
import { createTestDatabase, postgresAnswers, TEST_DATABASE_URL } from '../tests/helpers/postgres.ts';
import { tempDir } from '../tests/helpers/tmp.ts';
import { type BenchRow, ms } from './types.ts';

/**
 * The minute tick at 1k / 10k / 100k opted-in people, on SQLite and on PostgreSQL
 * (TEST_DATABASE_URL): the database time of its due-check and claim, and the longest the event
 * loop was blocked meanwhile (the event loop's delay, sampled every millisecond). Three minutes:
 * an ordinary one (people on random 15-minute slots, everyone before this minute already nudged),
 * the default slot with everyone on it (one zone, one minute), and the first minutes after a crash
 * (an ordinary population, with claims a gone process made in the last day and never sent, 500
 * taken over per tick). The tick here is the scheduler's: due-check, then claim. Between ticks the
 * claims are resolved as the sender resolves them (sent, a tenth skipped), through the same
 * repository calls, untimed: a claim is taken over only where a real one would be, after a crash.
 */

const ZONES = ['America/New_York', 'Europe/London', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Tokyo', null];
const NOW = new Date('2027-01-08T21:00:00Z');
const ONE_SLOT = new Date('2027-01-08T16:00:00Z');
const CREATED = new Date('2026-12-01T00:00:00Z');
const SIZES = [1_000, 10_000, 100_000];
/** Claims a gone process left behind in the crash minute: three ticks' worth of takeovers. */
const ABANDONED = 1_500;
type Mode = 'ordinary' | 'oneSlot' | 'crash';
/** `nextDueAt` exists from the stored next due instant on; a tree before it seeds no such column. */
const nextDueAt = (schedule as Record<string, unknown>).nextDueAt as
  | ((s: NudgeSettings, handled: ReadonlySet<string>, at: Date, lateWindowHours: number) => Date | null)
  | undefined;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Seed {
  settings: NudgeSettings[];
  /** This week's handled rows: [teamId, userId, weekKey, slotAt ISO, abandoned]. */
  sent: Array<[string, string, string, string, boolean]>;
  nextDue: Array<string | null>;
}

/**
 * N people; `oneSlot`: all on Friday 16:00 UTC, none nudged yet; else random slots, all before
 * `NOW` nudged; `crash`: as ordinary, but the last `ABANDONED` slots of the past day were claimed
 * by a process that is gone (state 'claimed', lease run out, never sent).
 */
function population(n: number, mode: Mode): Seed {
  const oneSlot = mode === 'oneSlot';
  const r = rng(n + (oneSlot ? 1 : 0));
  const seed: Seed = { settings: [], sent: [], nextDue: [] };
  const before = new Date(NOW.getTime() - 60_000);
  for (let i = 0; i < n; i++) {
    const owner = { teamId: `T${i % 5}`, userId: `U${String(i).padStart(6, '0')}` };
    const s: NudgeSettings = oneSlot
      ? { ...defaultNudgeSettings(owner, CREATED), tz: 'UTC' }
      : {
          ...defaultNudgeSettings(owner, CREATED),
          tz: ZONES[Math.floor(r() * ZONES.length)] ?? null,
          day: Math.floor(r() * 7),
          minuteOfDay: Math.floor(r() * 96) * 15,
        };
    seed.settings.push(s);
    const handled = new Set<string>();
    if (!oneSlot) {
      const week = weekKeyAt(NOW, s.tz);
      const slot = schedule.slotInWeek(s, week);
      if (slot.getTime() < NOW.getTime()) {
        seed.sent.push([s.teamId, s.userId, week, slot.toISOString(), false]);
        handled.add(week);
      }
    }
    const at = oneSlot ? new Date(ONE_SLOT.getTime() - 60_000) : before;
    seed.nextDue.push(nextDueAt?.(s, handled, at, 24)?.toISOString() ?? null);
  }
  if (mode === 'crash') {
    const dayAgo = new Date(NOW.getTime() - 86_400_000).toISOString();
    const recent = seed.sent.filter((row) => row[3] > dayAgo).sort((a, b) => (a[3] < b[3] ? 1 : -1));
    for (const row of recent.slice(0, ABANDONED)) row[4] = true;
  }
  return seed;
}

/** An abandoned claim's lease: it ran out ten minutes after its slot. */
const leaseOf = (slotIso: string) => new Date(Date.parse(slotIso) + 10 * 60_000).toISOString();

const settingsColumns = (withNextDue: boolean) =>
  `team_id, user_id, enabled, day, minute_of_day, effective_from, created_at, updated_at${withNextDue ? ', next_due_at' : ''}`;

function seedSqlite(handle: DatabaseHandle, seed: Seed): void {
  const db = handle.sqlite;
  if (!db) throw new Error('not SQLite');
  const iso = CREATED.toISOString();
  const withNextDue = nextDueAt !== undefined;
  const profile = db.prepare(
    'INSERT INTO profiles (team_id, user_id, tz, tz_checked_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const settings = db.prepare(
    `INSERT INTO nudge_settings (${settingsColumns(withNextDue)}) VALUES (?, ?, 1, ?, ?, ?, ?, ?${withNextDue ? ', ?' : ''})`,
  );
  const ledger = db.prepare(
    `INSERT INTO nudge_ledger (team_id, user_id, week_key, slot_at, state, lease_owner, lease_expires_at,
       created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    seed.settings.forEach((s, i) => {
      profile.run(s.teamId, s.userId, s.tz, iso, iso, iso);
      const values = [s.teamId, s.userId, s.day, s.minuteOfDay, iso, iso, iso];
      settings.run(...(withNextDue ? [...values, seed.nextDue[i]] : values));
    });
    for (const [t, u, w, slot, gone] of seed.sent)
      if (gone) ledger.run(t, u, w, slot, 'claimed', 'app:gone', leaseOf(slot), iso, iso);
      else ledger.run(t, u, w, slot, 'sent', null, null, iso, iso);
  })();
  // The bulk load's write-ahead log into the file now, not in the first timed commit.
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
}

async function seedPostgres(url: string, seed: Seed): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const iso = CREATED.toISOString();
  const withNextDue = nextDueAt !== undefined;
  try {
    for (let from = 0; from < seed.settings.length; from += 10_000) {
      const part = seed.settings.slice(from, from + 10_000);
      const col = <T>(f: (s: NudgeSettings, i: number) => T) => part.map((s, i) => f(s, from + i));
      await pool.query(
        `INSERT INTO profiles (team_id, user_id, tz, tz_checked_at, created_at, updated_at)
         SELECT t, u, z, $4, $4, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS x(t, u, z)`,
        [col((s) => s.teamId), col((s) => s.userId), col((s) => s.tz), iso],
      );
      await pool.query(
        `INSERT INTO nudge_settings (${settingsColumns(withNextDue)})
         SELECT t, u, 1, d, m, $5, $5, $5${withNextDue ? ', n' : ''}
         FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $6::timestamptz[]) AS x(t, u, d, m, n)`,
        [
          col((s) => s.teamId),
          col((s) => s.userId),
          col((s) => s.day),
          col((s) => s.minuteOfDay),
          iso,
          col((_s, i) => seed.nextDue[i] ?? null),
        ],
      );
    }
    for (let from = 0; from < seed.sent.length; from += 10_000) {
      const part = seed.sent.slice(from, from + 10_000);
      await pool.query(
        `INSERT INTO nudge_ledger (team_id, user_id, week_key, slot_at, state, lease_owner, lease_expires_at,
           created_at, updated_at)
         SELECT t, u, w, s, CASE WHEN g THEN 'claimed' ELSE 'sent' END, CASE WHEN g THEN 'app:gone' END,
           CASE WHEN g THEN s + interval '10 minutes' END, $6, $6
         FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::boolean[]) AS x(t, u, w, s, g)`,
        [
          part.map((r) => r[0]),
          part.map((r) => r[1]),
          part.map((r) => r[2]),
          part.map((r) => r[3]),
          part.map((r) => r[4]),
          iso,
        ],
      );
    }
    // As after any bulk load: statistics and the visibility map, so autovacuum does not run mid-bench.
    await pool.query('VACUUM ANALYZE');
  } finally {
    await pool.end();
  }
}

interface TickFigures {
  read: number;
  claimed: number;
  /** Of the first tick's claims, the rows taken over from a gone process. */
  takenOver: number;
  /** The due query alone (who is due, their rows, the open rows): best and median of 7. */
  queryMin: number;
  queryMedian: number;
  /** The claim of a tick (its inserts and the next due instants): median of the ticks timed. */
  claimMs: number;
  /** All the tick's database work (every repository call it awaits): median and worst of the ticks. */
  dbMs: number;
  dbWorstMs: number;
  /** The whole tick (due query, the rules, claim): median. */
  tickMs: number;
  /** The longest event-loop block over the ticks, and the 99th percentile of the loop's delay. */
  blockMs: number;
  p99Ms: number;
}

type Repo = AppContext['repos']['nudges'] & Record<string, unknown>;

/** The reads the tick makes to learn who is due at `at` (before the stored instant: everyone). */
async function dueQuery(ctx: AppContext, at: Date): Promise<void> {
  const repo = ctx.repos.nudges as Repo;
  const since = shiftWeekKey(weekKeyAt(at, null), -2);
  if (typeof repo.dueBatch === 'function') {
    await ctx.repos.nudges.dueBatch(at, since, 500);
    await ctx.repos.nudges.openRowsAt(at, since, 500, {
      retryFrom: new Date(at.getTime() - 86_400_000),
      unconfirmedFrom: new Date(at.getTime() - 21 * 86_400_000),
    });
    return;
  }
  await repo.listEnabled();
  await repo.ledgerSince(since);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/**
 * The sender's end of each claim, as deliver-nudge.ts writes it: 'sending' then 'sent' (one in ten
 * skipped instead). A loop turn between people, as the paced sender has.
 */
async function resolveClaims(ctx: AppContext, claimed: readonly ClaimedNudge[]): Promise<void> {
  const repo = ctx.repos.nudges;
  for (const [i, c] of claimed.entries()) {
    if (i % 10 === 9) await repo.markSkipped(c, 'no-prompts', ctx.now());
    else if (await repo.markSending(c, 'p1', `D${c.userId}`, ctx.now()))
      await repo.markSent(
        c,
        { channelId: `D${c.userId}`, messageTs: `${i}.000100`, promptId: 'p1' },
        ctx.now(),
      );
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * The event loop's delay, sampled every millisecond as perf_hooks' monitor does (a timer's lateness),
 * kept only while `on`. perf_hooks' own monitor cannot be paused: after `enable()` or `reset()` it
 * drops its next sample, so a block right at a tick's start went uncounted.
 */
function loopDelayMeter() {
  const delays: number[] = [];
  let on = false;
  let last = performance.now();
  const timer = setInterval(() => {
    const t = performance.now();
    if (on) delays.push(Math.max(0, t - last - 1));
    last = t;
  }, 1);
  return {
    measure: (yes: boolean) => {
      on = yes;
    },
    close: () => clearInterval(timer),
    max: () => Math.max(0, ...delays),
    p99: () => [...delays].sort((a, b) => a - b)[Math.floor(delays.length * 0.99)] ?? 0,
  };
}

/**
 * `ctx` with its nudge repository timed: `spent()` is the time this process waited on its calls
 * (the tick awaits them one after the other, so they never overlap).
 */
function timedRepository(ctx: AppContext): { ctx: AppContext; spent: () => number } {
  let total = 0;
  const repo = ctx.repos.nudges;
  const nudges = new Proxy(repo, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const t0 = performance.now();
        try {
          return await value.apply(target, args);
        } finally {
          total += performance.now() - t0;
        }
      };
    },
  });
  return { ctx: { ...ctx, repos: { ...ctx.repos, nudges } }, spent: () => total };
}

/** Ticks at `instants`: due-check and claim, as the scheduler's tick, timed; claims resolved between. */
async function timeTicks(plain: AppContext, instants: Date[]): Promise<TickFigures> {
  const { ctx, spent } = timedRepository(plain);
  const queries: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    await dueQuery(ctx, instants[0] as Date);
    queries.push(performance.now() - t0);
  }
  const loop = loopDelayMeter();
  const ticks: number[] = [];
  const claims: number[] = [];
  const dbs: number[] = [];
  let read = 0;
  let claimed = 0;
  let takenOver = 0;
  for (const [i, at] of instants.entries()) {
    loop.measure(true);
    const t0 = performance.now();
    const db0 = spent();
    const check = await findDueNudges(ctx, at);
    if (i === 0) read = check.users.length;
    let made: ClaimedNudge[] = [];
    // A tree that reads everyone claims a whole slot in one go: only its due-check is timed then.
    if (check.decisions.length + check.retries.length <= 1_500) {
      const t1 = performance.now();
      made = (await claimDue(ctx, check, 'app:bench', 0)).claimed;
      claims.push(performance.now() - t1);
      if (i === 0) {
        claimed = made.length;
        takenOver = check.retries.length;
      }
    }
    ticks.push(performance.now() - t0);
    dbs.push(spent() - db0);
    // The loop's turn: the delay meter samples here.
    await new Promise((r) => setTimeout(r, 5));
    // The sends are not the tick's: the meter is off while they are written.
    loop.measure(false);
    await resolveClaims(plain, made);
  }
  loop.close();
  return {
    read,
    claimed,
    takenOver,
    queryMin: Math.min(...queries),
    queryMedian: median(queries),
    claimMs: claims.length ? median(claims) : Number.NaN,
    dbMs: claims.length ? median(dbs) : Number.NaN,
    dbWorstMs: Math.max(...dbs),
    tickMs: ticks.length ? median(ticks) : Number.NaN,
    blockMs: loop.max(),
    p99Ms: loop.p99(),
  };
}

async function openEngine(
  engine: 'SQLite' | 'PostgreSQL',
): Promise<{ handle: DatabaseHandle; url?: string; drop: () => Promise<void> }> {
  if (engine === 'SQLite') {
    const databasePath = path.join(tempDir('ladder-bench-'), 'due.db');
    const handle = await openDatabaseFor({ databasePath, databaseUrl: undefined, databasePoolSize: 1 });
    return { handle, drop: async () => {} };
  }
  const database = await createTestDatabase('bench_due');
  const handle = await openDatabaseFor({ databasePath: '', databaseUrl: database.url, databasePoolSize: 10 });
  return { handle, url: database.url, drop: () => database.drop() };
}

function contextOn(handle: DatabaseHandle): AppContext {
  return createAppContext({
    config: {
      port: 0,
      databasePath: '',
      databaseUrl: undefined,
      databasePoolSize: 10,
      ladderDataDir: '',
      logLevel: 'error',
      nudgeLateWindowHours: 24,
      nudgeSendRate: 600,
      slackApiUrl: 'http://127.0.0.1:9/api/',
    },
    db: handle,
    ladder: realLadder(),
    logger: createLogger({ level: 'error', write: () => {} }),
    now: () => NOW,
  });
}

/** The tick on a fresh database of `n` people: median of the minutes' ticks (the first warms up). */
export async function measure(engine: 'SQLite' | 'PostgreSQL', n: number, mode: Mode): Promise<TickFigures> {
  const { handle, url, drop } = await openEngine(engine);
  try {
    const seed = population(n, mode);
    if (url) await seedPostgres(url, seed);
    else seedSqlite(handle, seed);
    const ctx = contextOn(handle);
    const at = mode === 'oneSlot' ? ONE_SLOT : NOW;
    // The first three minutes (each takes the next batch); an ordinary day: five slots 15 minutes apart.
    const step = mode === 'ordinary' ? 15 * 60_000 : 60_000;
    const count = mode === 'ordinary' ? 5 : 3;
    const instants = Array.from({ length: count }, (_, i) => new Date(at.getTime() + i * step));
    return await timeTicks(ctx, instants);
  } finally {
    await handle.close();
    await drop();
  }
}

const MODE_NAMES: Record<Mode, string> = {
  ordinary: 'an ordinary minute',
  oneSlot: 'everyone on one slot (its first minutes)',
  crash: `after a crash (${ABANDONED.toLocaleString('en-US')} claims of a gone process, 500 taken over per tick)`,
};

function row(engine: string, n: number, mode: Mode, f: TickFigures): BenchRow[] {
  const who = `${engine}, ${n.toLocaleString('en-US')} opted in, ${MODE_NAMES[mode]}`;
  const db = f.dbMs;
  const judged = n === 100_000;
  return [
    {
      name: `tick: ${who} — database work, every statement of the tick (median of its minutes; worst ${ms(f.dbWorstMs)}): of it the claim ${Number.isNaN(f.claimMs) ? 'not run (the whole slot at once)' : ms(f.claimMs)}; the due reads alone, warm, ${ms(f.queryMedian)} (best ${ms(f.queryMin)}); read ${f.read}, claimed ${f.claimed} (${f.takenOver} taken over); whole tick ${Number.isNaN(f.tickMs) ? '—' : ms(f.tickMs)}`,
      value: Number.isNaN(db) ? `${ms(f.queryMedian)} + a claim of everyone` : ms(db),
      goal: judged ? '< 50 ms' : 'reported',
      pass: judged ? db < 50 : null,
    },
    {
      name: `tick: ${who} — longest event-loop block (p99 of the loop delay)`,
      value: `${ms(f.blockMs)} (p99 ${ms(f.p99Ms)})`,
      goal: judged ? '< 50 ms' : 'reported',
      pass: judged ? f.blockMs < 50 : null,
    },
  ];
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const engines: Array<'SQLite' | 'PostgreSQL'> = ['SQLite'];
  if (await postgresAnswers()) engines.push('PostgreSQL');
  else
    rows.push({
      name: `PostgreSQL: no server answers at TEST_DATABASE_URL (${new URL(TEST_DATABASE_URL).host}); its rows are skipped`,
      value: '—',
      goal: 'reported',
      pass: null,
    });
  for (const engine of engines) {
    for (const n of SIZES) {
      for (const mode of ['ordinary', 'oneSlot', 'crash'] as const) {
        process.stdout.write(`  … ${engine} ${n} ${mode}\n`);
        rows.push(...row(engine, n, mode, await measure(engine, n, mode)));
      }
    }
  }
  return rows;
}
