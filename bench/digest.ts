import path from 'node:path';
import { createAppContext } from '../src/context.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import { type DigestUser, digestSlot, dueDigests, monthKeyOf } from '../src/domain/digest-schedule.ts';
import type { LedgerRow } from '../src/domain/nudge-schedule.ts';
import { toLocal } from '../src/domain/zoned-time.ts';
import { createLogger } from '../src/log.ts';
import { findDueDigests } from '../src/scheduler/digest-run.ts';
import { realLadder } from '../tests/helpers/ladder.ts';
import { tempDir } from '../tests/helpers/tmp.ts';
import { type BenchRow, ms } from './types.ts';

/**
 * The monthly digest's due-check at scale: the pure rules over 100,000 people on the first Monday
 * (half of them already sent), and the tick's whole check with the SQLite reads.
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
const NOW = new Date('2027-01-04T21:00:00Z');
const SINCE = new Date('2026-12-01T00:00:00Z');

function population(n: number): { users: DigestUser[]; ledger: LedgerRow[] } {
  let s = n >>> 0;
  const r = () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
  const users: DigestUser[] = [];
  const ledger: LedgerRow[] = [];
  for (let i = 0; i < n; i++) {
    const tz = ZONES[Math.floor(r() * ZONES.length)] ?? null;
    const user = {
      teamId: `T${i % 5}`,
      userId: `U${i}`,
      enabled: true,
      tz,
      minuteOfDay: Math.floor(r() * 96) * 15,
      effectiveFrom: SINCE,
    };
    users.push(user);
    if (r() < 0.5) {
      const month = monthKeyOf(toLocal(NOW, tz ?? 'UTC').date);
      const slotAt = digestSlot(month, user.minuteOfDay, tz).at;
      ledger.push({
        teamId: user.teamId,
        userId: user.userId,
        weekKey: month,
        slotAt,
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

function timePure(n: number, runs = 9): number {
  const { users, ledger } = population(n);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    dueDigests({ users, ledger, now: new Date(NOW.getTime() + i * 60_000), lateWindowHours: 24 });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

async function timeStored(n: number): Promise<number> {
  const dbPath = path.join(tempDir('ladder-bench-'), 'digest.db');
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
      nudgeSendRate: 120,
      slackApiUrl: undefined,
    },
    db,
    ladder: realLadder(),
    logger: createLogger({ level: 'error', write: () => {} }),
    now: () => NOW,
  });
  const { users, ledger } = population(n);
  // Straight into the tables, in one transaction (100,000 commits would time the disk).
  const since = SINCE.toISOString();
  const profile = db.prepare(
    'INSERT INTO profiles (team_id, user_id, tz, tz_checked_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const digest = db.prepare(
    `INSERT INTO digest_settings (team_id, user_id, enabled, effective_from, created_at, updated_at)
     VALUES (?, ?, 1, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const u of users) {
      profile.run(u.teamId, u.userId, u.tz, since, since, since);
      digest.run(u.teamId, u.userId, since, since, since);
    }
  })();
  await ctx.repos.digests.claimDigests(
    ledger.map((l) => ({
      teamId: l.teamId,
      userId: l.userId,
      monthKey: l.weekKey,
      slotAt: l.slotAt,
      localSlot: '',
      action: 'skip' as const,
    })),
    [],
    { owner: 'bench', expiresAt: NOW },
    NOW,
    NOW,
  );
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await findDueDigests(ctx, new Date(NOW.getTime() + i * 60_000));
    times.push(performance.now() - t0);
  }
  db.close();
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const n of [10_000, 100_000]) {
    const t = timePure(n);
    rows.push({
      name: `digest due-check (pure dueDigests) over ${n.toLocaleString('en-US')} people on the first Monday, median`,
      value: ms(t),
      goal: n === 100_000 ? '< 200 ms' : 'reported',
      pass: n === 100_000 ? t < 200 : null,
    });
  }
  const stored = await timeStored(100_000);
  rows.push({
    name: 'the tick’s whole digest due-check over 100,000 people (SQLite read of settings and ledger + rules), median',
    value: ms(stored),
    goal: 'reported (runs once a minute)',
    pass: null,
  });
  return rows;
}
