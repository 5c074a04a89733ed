import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { type AppContext, createAppContext } from '../src/context.ts';
import { type DatabaseHandle, openDatabaseFor } from '../src/db/database.ts';
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
 * loop was blocked meanwhile (perf_hooks' event-loop delay, 1 ms resolution). Two minutes:
 * an ordinary one (people on random 15-minute slots, everyone before this minute already nudged),
 * and the default slot with everyone on it (one zone, one minute). The tick here is the
 * scheduler's: due-check, then claim (sends are queued, not timed).
 */

const ZONES = ['America/New_York', 'Europe/London', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Tokyo', null];
const NOW = new Date('2027-01-08T21:00:00Z');
const ONE_SLOT = new Date('2027-01-08T16:00:00Z');
const CREATED = new Date('2026-12-01T00:00:00Z');
const SIZES = [1_000, 10_000, 100_000];
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
  /** This week's 'sent' rows: [teamId, userId, weekKey, slotAt ISO]. */
  sent: Array<[string, string, string, string]>;
  nextDue: Array<string | null>;
}

/** N people; `oneSlot`: all on Friday 16:00 UTC, none nudged yet; else random slots, all before `NOW` nudged. */
function population(n: number, oneSlot: boolean): Seed {
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
        seed.sent.push([s.teamId, s.userId, week, slot.toISOString()]);
        handled.add(week);
      }
    }
    const at = oneSlot ? new Date(ONE_SLOT.getTime() - 60_000) : before;
    seed.nextDue.push(nextDueAt?.(s, handled, at, 24)?.toISOString() ?? null);
  }
  return seed;
}

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
    `INSERT INTO nudge_ledger (team_id, user_id, week_key, slot_at, state, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'sent', ?, ?)`,
  );
  db.transaction(() => {
    seed.settings.forEach((s, i) => {
      profile.run(s.teamId, s.userId, s.tz, iso, iso, iso);
      const values = [s.teamId, s.userId, s.day, s.minuteOfDay, iso, iso, iso];
      settings.run(...(withNextDue ? [...values, seed.nextDue[i]] : values));
    });
    for (const [t, u, w, slot] of seed.sent) ledger.run(t, u, w, slot, iso, iso);
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
        `INSERT INTO nudge_ledger (team_id, user_id, week_key, slot_at, state, created_at, updated_at)
         SELECT t, u, w, s, 'sent', $5, $5 FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) AS x(t, u, w, s)`,
        [part.map((r) => r[0]), part.map((r) => r[1]), part.map((r) => r[2]), part.map((r) => r[3]), iso],
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
  /** The due query alone (who is due, their rows, the open rows): best and median of 7. */
  queryMin: number;
  queryMedian: number;
  /** The claim of a tick (its inserts and the next due instants): median of the ticks timed. */
  claimMs: number;
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

/** Ticks at `instants`: due-check and claim, as the scheduler's tick, timed. */
async function timeTicks(ctx: AppContext, instants: Date[]): Promise<TickFigures> {
  const queries: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    await dueQuery(ctx, instants[0] as Date);
    queries.push(performance.now() - t0);
  }
  const h = monitorEventLoopDelay({ resolution: 1 });
  const ticks: number[] = [];
  const claims: number[] = [];
  let read = 0;
  let claimed = 0;
  h.enable();
  for (const [i, at] of instants.entries()) {
    const t0 = performance.now();
    const check = await findDueNudges(ctx, at);
    if (i === 0) read = check.users.length;
    // A tree that reads everyone claims a whole slot in one go: only its due-check is timed then.
    if (check.decisions.length + check.retries.length <= 1_000) {
      const t1 = performance.now();
      const n = (await claimDue(ctx, check, 'app:bench', 0)).claimed.length;
      claims.push(performance.now() - t1);
      if (i === 0) claimed = n;
    }
    ticks.push(performance.now() - t0);
    // The loop's turn: the delay monitor samples here.
    await new Promise((r) => setTimeout(r, 5));
  }
  h.disable();
  return {
    read,
    claimed,
    queryMin: Math.min(...queries),
    queryMedian: median(queries),
    claimMs: claims.length ? median(claims) : Number.NaN,
    tickMs: ticks.length ? median(ticks) : Number.NaN,
    blockMs: h.max / 1e6,
    p99Ms: h.percentile(99) / 1e6,
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

/** The tick on a fresh database of `n` people: median of three minutes' ticks (the first warms up). */
async function measure(engine: 'SQLite' | 'PostgreSQL', n: number, oneSlot: boolean): Promise<TickFigures> {
  const { handle, url, drop } = await openEngine(engine);
  try {
    const seed = population(n, oneSlot);
    if (url) await seedPostgres(url, seed);
    else seedSqlite(handle, seed);
    const ctx = contextOn(handle);
    const at = oneSlot ? ONE_SLOT : NOW;
    // The slot's first three minutes (each takes the next batch); else five slots 15 minutes apart.
    const step = oneSlot ? 60_000 : 15 * 60_000;
    const instants = Array.from({ length: oneSlot ? 3 : 5 }, (_, i) => new Date(at.getTime() + i * step));
    return await timeTicks(ctx, instants);
  } finally {
    await handle.close();
    await drop();
  }
}

function row(engine: string, n: number, oneSlot: boolean, f: TickFigures): BenchRow[] {
  const who = `${engine}, ${n.toLocaleString('en-US')} opted in, ${oneSlot ? 'everyone on one slot (its first minutes)' : 'an ordinary minute'}`;
  const db = f.queryMedian + f.claimMs;
  const judged = n === 100_000;
  return [
    {
      name: `tick: ${who} — database work: due query ${ms(f.queryMedian)} (best ${ms(f.queryMin)}) + claim ${Number.isNaN(f.claimMs) ? 'not run (the whole slot at once)' : ms(f.claimMs)}; read ${f.read}, claimed ${f.claimed}; whole tick ${Number.isNaN(f.tickMs) ? '—' : ms(f.tickMs)}`,
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
      for (const oneSlot of [false, true]) {
        process.stdout.write(`  … ${engine} ${n} ${oneSlot ? 'one slot' : 'ordinary'}\n`);
        rows.push(...row(engine, n, oneSlot, await measure(engine, n, oneSlot)));
      }
    }
  }
  return rows;
}
