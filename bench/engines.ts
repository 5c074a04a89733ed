import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { type ExportDeps, renderExport } from '../src/app/export.ts';
import { type DatabaseHandle, openDatabaseFor } from '../src/db/database.ts';
import type { ImportedEvidence } from '../src/db/evidence-model.ts';
import type { NewEvidence } from '../src/db/evidence-repository.ts';
import { createRepositories } from '../src/db/repositories.ts';
import type { ExportFormat } from '../src/domain/command.ts';
import { AXIS_IDS, type AxisId, type Owner, SCOPE_IDS, SHIFT_IDS } from '../src/domain/types.ts';
import { addDaysToLocalDate } from '../src/domain/zoned-time.ts';
import { loadLadder } from '../src/load-ladder.ts';
import type { SignedSender } from '../src/local/signed-sender.ts';
import { type LocalSlackApi, startLocalSlackApi } from '../src/local/slack-api.ts';
import { FAILURE_TEXT } from '../src/slack/reply.ts';
import { BOT_TOKEN, manifestScopes, SIGNING_SECRET, TEAM, USERS } from '../tests/helpers/harness.ts';
import { LADDER_DIR } from '../tests/helpers/ladder.ts';
import { createTestDatabase, postgresAnswers, TEST_DATABASE_URL } from '../tests/helpers/postgres.ts';
import { tempDir } from '../tests/helpers/tmp.ts';
import { startServed } from './apps.ts';
import { type BenchRow, measureConcurrent, ms, percentile } from './types.ts';

/**
 * SQLite and PostgreSQL side by side in one run, each on a database made for the bench (PostgreSQL:
 * a database created on TEST_DATABASE_URL's server and dropped after): evidence inserts through the
 * repository, `/ladder summary` and `/ladder log` through the real app (a child process, signed
 * HTTP, the local Slack API) and the export of 10,000 entries. Passes alternate the engines so the
 * shared machine's noise falls on both. Where no PostgreSQL server answers, SQLite alone is shown.
 * For experiments, BENCH_POOL_SIZE (DATABASE_POOL_SIZE of the app and the bench's own pool),
 * BENCH_ENTRIES and BENCH_INSERTS change the defaults below; RESULTS.md holds runs without them.
 */
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 10_000);
const INSERTS = Number(process.env.BENCH_INSERTS ?? 1_000);
const INSERT_PASSES = 3;
const EXPORT_RUNS = 7;
const COMMANDS = 400;
const CONCURRENCY = 10;
const WARM_UP = 20;
const POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? 10);
const ALICE: Owner = { teamId: TEAM, userId: USERS[0]?.id as string };
const WRITER: Owner = { teamId: TEAM, userId: 'U0WRITER' };

const TEXTS = [
  'Ran the cross-team launch review for Payments v2 with 4 teams; cut the slip risk by 2 weeks 🚀',
  'Mentored two new TPMs:\n- weekly 1:1s\n- shadowing on planning',
  'Wrote the "on-call, escalation & SLA" runbook, adopted by SRE | see the wiki',
  'Coached Sam through their first QBR; feedback: "clear, calm, well prepared"',
];

interface Engine {
  name: 'SQLite' | 'PostgreSQL';
  /** Bytes the stored data takes: the SQLite file after a checkpoint, or the tables and indexes. */
  bytes: () => Promise<number>;
  /** What the app is started with to use this database. */
  env: NodeJS.ProcessEnv;
  handle: DatabaseHandle;
  drop: () => Promise<void>;
}

async function openEngines(): Promise<Engine[]> {
  const file = path.join(tempDir('ladder-bench-engines-'), 'bench.db');
  const settings = { databasePath: file, databaseUrl: undefined, databasePoolSize: POOL_SIZE };
  const handle = await openDatabaseFor(settings);
  const sqlite = handle.sqlite as NonNullable<DatabaseHandle['sqlite']>;
  const engines: Engine[] = [
    {
      name: 'SQLite',
      bytes: async () => {
        sqlite.pragma('wal_checkpoint(TRUNCATE)');
        return fs.statSync(file).size;
      },
      env: { DATABASE_PATH: file },
      handle,
      drop: async () => {},
    },
  ];
  if (!(await postgresAnswers())) {
    const shown = new URL(TEST_DATABASE_URL);
    if (shown.password) shown.password = '***';
    process.stdout.write(
      `  !!! no PostgreSQL server answers at TEST_DATABASE_URL=${shown}: SQLite figures only !!!\n`,
    );
    return engines;
  }
  const pg = await createTestDatabase('bench');
  const pgHandle = await openDatabaseFor({ ...settings, databaseUrl: pg.url });
  const size = sql<{ n: number }>`SELECT sum(pg_total_relation_size(c.oid))::bigint AS n FROM pg_class c
    JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'public' AND c.relkind = 'r'`;
  engines.push({
    name: 'PostgreSQL',
    bytes: async () =>
      (await pgHandle.store.first({ compile: () => size.compile(pgHandle.store.qb) }))?.n ?? 0,
    env: { DATABASE_URL: pg.url, DATABASE_POOL_SIZE: String(POOL_SIZE) },
    handle: pgHandle,
    drop: pg.drop,
  });
  return engines;
}

/** Alice's 10,000 entries over about three years up to today, written in one transaction. */
async function seed(engine: Engine, today: string): Promise<number> {
  const repos = createRepositories(engine.handle);
  const prompts = loadLadder(LADDER_DIR).prompts;
  const now = new Date();
  await repos.profiles.setLevels(ALICE, { level: 'tpm4', target: 'tpm5' }, now);
  await repos.profiles.setTimeZone(ALICE, 'America/New_York', now);
  const rows: ImportedEvidence[] = [];
  for (let i = 0; i < ENTRIES; i++) {
    const prompt = i % 10 === 0 ? prompts[i % prompts.length] : undefined;
    const text = `${TEXTS[i % TEXTS.length]} #${i}`;
    rows.push({
      text,
      originalText: text,
      readableText: text,
      occurredOn: addDaysToLocalDate(today, -Math.floor(i / 9)),
      axes: [AXIS_IDS[i % 5] as AxisId, ...(i % 3 === 0 ? [AXIS_IDS[(i + 2) % 5] as AxisId] : [])],
      suggestedAxes: i % 7 === 0 ? ['influence'] : [],
      shift: prompt ? prompt.shift : i % 4 === 0 ? (SHIFT_IDS[i % 3] ?? null) : null,
      scope: i % 5 === 4 ? (SCOPE_IDS[i % 5] ?? null) : null,
      link:
        i % 2 === 0 ? `https://acme.slack.com/archives/C0PROGRAM1/p17${String(i).padStart(11, '0')}` : null,
      source: prompt ? 'reflection' : 'command',
      promptId: prompt?.id ?? null,
      nudgeWeek: null,
      channelId: null,
      messageTs: null,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
  }
  const t0 = performance.now();
  await engine.handle.store.transaction((tx) => repos.evidence.importRows(ALICE, rows, tx));
  return performance.now() - t0;
}

const entry = (i: number): NewEvidence => ({
  text: `Entry ${i} with some words`,
  occurredOn: '2026-11-20',
  axes: ['people', 'process'],
  shift: 'enabling',
  scope: 'team',
  link: null,
  source: 'command',
});

interface InsertPass {
  /** Each insert's latency, one after the other, with a delivery key (what `/ladder log` runs). */
  latencies: number[];
  /** Inserts per second with CONCURRENCY in flight (the pool's connections, SQLite's one writer). */
  concurrentPerSecond: number;
  /** Inserts that failed (PostgreSQL: refused for a conflict on every attempt). */
  failed: number;
}

async function insertPass(engine: Engine, pass: number): Promise<InsertPass> {
  const repo = createRepositories(engine.handle).evidence;
  const now = new Date();
  const key = (kind: string, i: number) => `${engine.name}-${kind}-${pass}-${i}`;
  const latencies = await measureConcurrent(INSERTS, 1, async (i) => {
    await repo.insert(WRITER, entry(i), now, key('seq', i));
  });
  let failed = 0;
  const t0 = performance.now();
  await measureConcurrent(INSERTS, CONCURRENCY, async (i) => {
    // One writer per person, as Slack delivers them: different people's entries in flight together.
    const owner = { teamId: WRITER.teamId, userId: `${WRITER.userId}${i % 50}` };
    await repo.insert(owner, entry(i), now, key('par', i)).catch(() => {
      failed += 1;
    });
  });
  return { latencies, concurrentPerSecond: INSERTS / ((performance.now() - t0) / 1000), failed };
}

const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const pct = (xs: number[], p: number) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    p,
  );

async function insertRows(engines: Engine[]): Promise<BenchRow[]> {
  const passes = new Map<string, InsertPass[]>(engines.map((e) => [e.name, []]));
  for (let pass = 0; pass < INSERT_PASSES; pass++) {
    const order = pass % 2 === 0 ? engines : [...engines].reverse();
    for (const e of order) passes.get(e.name)?.push(await insertPass(e, pass));
  }
  return engines.flatMap((e) => {
    const runs = passes.get(e.name) ?? [];
    const all = runs.flatMap((r) => r.latencies);
    return [
      {
        name: `${e.name}: evidence insert with delivery key (one write transaction), ${INSERTS.toLocaleString('en-US')} one after the other × ${INSERT_PASSES} passes: p50 / p95 / p99`,
        value: `${ms(pct(all, 50))} / ${ms(pct(all, 95))} / ${ms(pct(all, 99))}`,
        goal: 'reported',
        pass: null,
      },
      {
        name: `${e.name}: the same, ${CONCURRENCY} in flight (50 people): inserts per second, median of ${INSERT_PASSES} passes (passes); inserts that failed`,
        value: `${median(runs.map((r) => r.concurrentPerSecond)).toFixed(0)}/s (${runs.map((r) => r.concurrentPerSecond.toFixed(0)).join(', ')}); ${runs.reduce((n, r) => n + r.failed, 0)} of ${INSERTS * INSERT_PASSES} failed`,
        goal: 'none fails',
        pass: runs.every((r) => r.failed === 0),
      },
    ];
  });
}

async function exportRows(engines: Engine[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const format of ['md', 'csv', 'json'] as ExportFormat[]) {
    const times = new Map<string, number[]>(engines.map((e) => [e.name, []]));
    const deps = new Map<string, ExportDeps>(
      engines.map((e) => [
        e.name,
        { repos: createRepositories(e.handle), ladder: loadLadder(LADDER_DIR), now: () => new Date() },
      ]),
    );
    const once = async (e: Engine) => {
      const d = deps.get(e.name) as ExportDeps;
      const profile = await d.repos.profiles.getOrEmpty(ALICE);
      const opts = {
        format,
        period: { kind: 'all' as const },
        profile,
        userName: 'Bench User',
        withChart: false,
      };
      const t0 = performance.now();
      const out = await renderExport(d, ALICE, opts);
      if (out.entries !== ENTRIES)
        throw new Error(`${e.name}: expected ${ENTRIES} entries, got ${out.entries}`);
      return performance.now() - t0;
    };
    for (const e of engines) await once(e); // warm-up: statement preparation, JIT
    for (let run = 0; run < EXPORT_RUNS; run++) {
      for (const e of run % 2 === 0 ? engines : [...engines].reverse())
        times.get(e.name)?.push(await once(e));
    }
    for (const e of engines) {
      const t = times.get(e.name) ?? [];
      rows.push({
        name: `${e.name}: ${format === 'md' ? 'Markdown packet' : format.toUpperCase()} export of ${ENTRIES.toLocaleString('en-US')} entries (query + render, no chart): median (max) of ${EXPORT_RUNS}`,
        value: `${ms(median(t))} (${ms(Math.max(...t))})`,
        goal: '< 500 ms',
        pass: median(t) < 500,
      });
    }
  }
  return rows;
}

/** Alice's command until the reply she sees (the ack body, else the first response URL post); its text. */
async function reply(sender: SignedSender, text: string): Promise<string> {
  const res = await sender.command({ userId: ALICE.userId, text });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  const ack = res.json as { text?: string } | undefined;
  if (ack?.text) return ack.text;
  const post = await sender.waitForResponse(res.responseUrl as string, { timeoutMs: 10_000 });
  return JSON.stringify(post.body);
}

interface RunningApp {
  engine: Engine;
  sender: SignedSender;
  /** The app's log (JSON lines, no user data) so far. */
  output: () => string;
  stop: () => Promise<void>;
}

/** The app's error lines, counted by message and SQLSTATE: `listener failed (40001) × 3`. */
function loggedErrors(output: string): string {
  const counts = new Map<string, number>();
  for (const line of output.split('\n')) {
    try {
      const rec = JSON.parse(line) as { level?: string; msg?: string; error?: { code?: string } };
      if (rec.level !== 'error') continue;
      const key = `${rec.msg}${rec.error?.code ? ` (${rec.error.code})` : ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    } catch {
      // not a log line
    }
  }
  return counts.size === 0 ? 'none' : [...counts].map(([k, n]) => `${k} × ${n}`).join('; ');
}

/** Starts one app per engine into `apps` (the caller stops those that started, whatever happens). */
async function startApps(engines: Engine[], api: LocalSlackApi, apps: RunningApp[]): Promise<void> {
  for (const engine of engines) {
    const served = await startServed(
      'src/main.ts',
      {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: api.url,
        PORT: '0',
        LOG_LEVEL: 'info',
        ...engine.env,
      },
      api,
    );
    apps.push({ engine, sender: served.sender, output: served.output, stop: served.stop });
  }
}

interface CommandCase {
  label: string;
  text: (i: number) => string;
  total: number;
  concurrency: number;
}

/**
 * `/ladder summary` one at a time (the latency one person sees; the summary is CPU-bound, so more
 * at once only measures the queue), then `/ladder log` one at a time and CONCURRENCY at once.
 */
const CASES: CommandCase[] = [
  { label: '/ladder summary (90 days of 10,000 entries)', text: () => 'summary', total: 100, concurrency: 1 },
  ...[1, CONCURRENCY].map((concurrency) => ({
    label: '/ladder log <text> (insert + confirmation)',
    text: (i: number) => `log Bench win ${concurrency}-${i} #people`,
    total: COMMANDS / (concurrency === 1 ? 2 : 1),
    concurrency,
  })),
];

/** One case on every app, in alternating halves so neither engine gets only the quieter minute. */
async function commandCase(apps: RunningApp[], c: CommandCase): Promise<BenchRow[]> {
  const lat = new Map<string, number[]>(apps.map((a) => [a.engine.name, []]));
  const failures = new Map<string, number>(apps.map((a) => [a.engine.name, 0]));
  const send = async (a: RunningApp, text: string) => {
    // A failure is the failure notice, or no ack within Slack's 3 s (Bolt then answers 404).
    const answer = await reply(a.sender, text).catch((err: Error) => err.message);
    if (answer.includes(FAILURE_TEXT.slice(0, 40)) || answer.startsWith('HTTP ')) {
      failures.set(a.engine.name, (failures.get(a.engine.name) ?? 0) + 1);
    }
  };
  for (const a of apps) await measureConcurrent(WARM_UP, c.concurrency, (i) => send(a, c.text(-1 - i))); // warm-up
  for (const half of [0, 1]) {
    for (const a of half === 0 ? apps : [...apps].reverse()) {
      const l = await measureConcurrent(c.total / 2, c.concurrency, (i) =>
        send(a, c.text(half * c.total + i)),
      );
      lat.get(a.engine.name)?.push(...l);
    }
  }
  return apps.map((a) => {
    const l = lat.get(a.engine.name) ?? [];
    const failed = failures.get(a.engine.name) ?? 0;
    return {
      name: `${a.engine.name}: ${c.label}, ${c.total} at concurrency ${c.concurrency}, signed HTTP to the real app: p50 / p95 / p99; failed (the failure notice, or no ack within 3 s)`,
      value: `${ms(pct(l, 50))} / ${ms(pct(l, 95))} / ${ms(pct(l, 99))}; ${failed} of ${c.total + WARM_UP} failed (warm-up included)`,
      goal: 'none fails',
      pass: failed === 0,
    };
  });
}

async function commandRows(apps: RunningApp[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const c of CASES) rows.push(...(await commandCase(apps, c)));
  for (const a of apps) {
    rows.push({
      name: `${a.engine.name}: errors the app logged during the commands above (message, SQLSTATE)`,
      value: loggedErrors(a.output()),
      goal: 'reported',
      pass: null,
    });
  }
  return rows;
}

export async function run(): Promise<BenchRow[]> {
  const engines = await openEngines();
  const rows: BenchRow[] = [];
  const load0 = os.loadavg()[0] ?? 0;
  const apps: RunningApp[] = [];
  const api = await startLocalSlackApi({
    botToken: BOT_TOKEN,
    scopes: manifestScopes(),
    teamId: TEAM,
    users: USERS,
  });
  try {
    // Yesterday in UTC: never a future date in Alice's zone.
    const today = addDaysToLocalDate(new Date().toISOString().slice(0, 10), -1);
    for (const e of engines) {
      rows.push({
        name: `${e.name}: seed of ${ENTRIES.toLocaleString('en-US')} entries in one transaction (the import's path)`,
        value: ms(await seed(e, today)),
        goal: 'reported',
        pass: null,
      });
      rows.push({
        name: `${e.name}: size of the database after the seed (SQLite: the file, log checkpointed; PostgreSQL: tables, TOAST and indexes)`,
        value: `${((await e.bytes()) / 2 ** 20).toFixed(1)} MiB`,
        goal: 'reported',
        pass: null,
      });
    }
    rows.push(...(await insertRows(engines)));
    rows.push(...(await exportRows(engines)));
    await startApps(engines, api, apps);
    rows.push(...(await commandRows(apps)));
  } finally {
    for (const a of apps) await a.stop();
    await api.close();
    for (const e of engines) {
      await e.handle.close();
      await e.drop();
    }
  }
  if (engines.length === 1) {
    rows.push({
      name: 'PostgreSQL: not measured (no server answered at TEST_DATABASE_URL)',
      value: '—',
      goal: 'reported',
      pass: null,
    });
  }
  rows.push({
    name: `load average (1 min) at start / end of the section${engines.length > 1 ? '; PostgreSQL on the same machine' : ''}`,
    value: `${load0.toFixed(2)} / ${(os.loadavg()[0] ?? 0).toFixed(2)} on ${os.cpus().length} CPUs`,
    goal: 'reported (the machine is shared with other work)',
    pass: null,
  });
  return rows;
}

if (process.argv[1] === import.meta.filename) {
  for (const r of await run()) process.stdout.write(`${r.name}: ${r.value}\n`);
}
