import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/db/connection.ts';
import { createEvidenceRepository, type NewEvidence } from '../src/db/evidence-repository.ts';
import { migrate } from '../src/db/migrate.ts';
import { createSqliteStore } from '../src/db/store.ts';
import { tempDir } from '../tests/helpers/tmp.ts';
import { createLegacyEvidenceInsert } from './legacy-evidence-insert.ts';
import { type BenchRow, ms } from './types.ts';

const N = 5_000;
const PASSES = 5;
const OWNER = { teamId: 'T0BENCH', userId: 'U0BENCH' };
const NOW = new Date('2026-11-20T12:00:00Z');

const entry = (i: number): NewEvidence => ({
  text: `Entry ${i} with some words`,
  occurredOn: '2026-11-20',
  axes: ['people', 'process'],
  shift: 'enabling',
  scope: 'team',
  link: null,
  source: 'command',
});

interface Timing {
  wallMs: number;
  cpuMs: number;
}

type Variant = (dir: string) => Promise<Timing>;

/** N inserts, each committed, into a fresh migrated file with the app's pragmas. */
function variant(insertOne: (db: ReturnType<typeof openDatabase>) => (i: number) => unknown): Variant {
  return async (dir) => {
    const db = openDatabase(path.join(dir, `${Math.random()}.db`));
    migrate(db);
    const insert = insertOne(db);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < N; i++) await insert(i);
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    db.close();
    return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
  };
}

const VARIANTS: Record<string, Variant> = {
  'new repository, no delivery key': variant((db) => {
    const repo = createEvidenceRepository(createSqliteStore(db));
    return (i) => repo.insert(OWNER, entry(i), NOW);
  }),
  'old repository, no delivery key': variant((db) => {
    const repo = createLegacyEvidenceInsert(db);
    return (i) => repo.insert(OWNER, entry(i), NOW);
  }),
  'new repository, with delivery key': variant((db) => {
    const repo = createEvidenceRepository(createSqliteStore(db));
    return (i) => repo.insert(OWNER, entry(i), NOW, `key-${i}`);
  }),
  'old repository, with delivery key': variant((db) => {
    const repo = createLegacyEvidenceInsert(db);
    return (i) => repo.insert(OWNER, entry(i), NOW, `key-${i}`);
  }),
  'raw better-sqlite3 loop': variant((db) => {
    const stmt = db.prepare(
      `INSERT INTO evidence (team_id, user_id, text, occurred_on, axes, suggested_axes, shift, scope, link, source, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, '[]', ?, ?, NULL, ?, ?, ?)`,
    );
    const iso = NOW.toISOString();
    return (i) =>
      stmt.run(
        OWNER.teamId,
        OWNER.userId,
        `Entry ${i} with some words`,
        '2026-11-20',
        '["people","process"]',
        'enabling',
        'team',
        'command',
        iso,
        iso,
      );
  }),
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

/**
 * Evidence inserts, each committed, side by side in one run: the repository over the query builder,
 * the synchronous repository it replaced, and a raw better-sqlite3 loop. Passes alternate the order
 * so disk and neighbours' noise spread over all; medians of the passes are compared.
 */
export async function runInsertBench(): Promise<BenchRow[]> {
  const dir = tempDir('ladder-bench-');
  const names = Object.keys(VARIANTS);
  const runs = new Map<string, Timing[]>(names.map((n) => [n, []]));
  const load0 = os.loadavg()[0] ?? 0;
  for (let pass = 0; pass < PASSES; pass++) {
    const order = pass % 2 === 0 ? names : [...names].reverse();
    for (const name of order) runs.get(name)?.push(await (VARIANTS[name] as Variant)(dir));
  }
  const load1 = os.loadavg()[0] ?? 0;
  const med = (name: string, key: keyof Timing) => median((runs.get(name) ?? []).map((t) => t[key]));
  const rows: BenchRow[] = names.map((name) => ({
    name: `evidence insert, ${N.toLocaleString('en-US')} rows each committed (WAL, synchronous=FULL), ${name}: median of ${PASSES} passes, wall / CPU`,
    value: `${ms(med(name, 'wallMs'))} / ${ms(med(name, 'cpuMs'))}`,
    goal: 'reported',
    pass: null,
  }));
  for (const key of ['no delivery key', 'with delivery key']) {
    const ratio = med(`old repository, ${key}`, 'wallMs') / med(`new repository, ${key}`, 'wallMs');
    const cpuRatio = med(`old repository, ${key}`, 'cpuMs') / med(`new repository, ${key}`, 'cpuMs');
    rows.push({
      name: `… new repository throughput relative to the old one, ${key} (wall; CPU)`,
      value: `${ratio.toFixed(2)}× (CPU ${cpuRatio.toFixed(2)}×)`,
      goal: '≥ 0.9×',
      pass: ratio >= 0.9,
    });
  }
  const raw = med('raw better-sqlite3 loop', 'wallMs') / med('new repository, no delivery key', 'wallMs');
  rows.push({
    name: '… new repository throughput relative to the raw loop, no delivery key (wall)',
    value: `${raw.toFixed(2)}×`,
    goal: 'ratio ≥ 0.7',
    pass: raw >= 0.7,
  });
  rows.push({
    name: '… load average (1 min) at start / end of the section',
    value: `${load0.toFixed(2)} / ${load1.toFixed(2)} on ${os.cpus().length} CPUs`,
    goal: 'reported',
    pass: null,
  });
  return rows;
}
