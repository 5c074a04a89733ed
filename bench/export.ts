import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildChart, type ExportDeps, renderExport } from '../src/app/export.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import { createRepositories } from '../src/db/repositories.ts';
import type { ExportFormat } from '../src/domain/command.ts';
import type { Period } from '../src/domain/period.ts';
import { AXIS_IDS, type AxisId, type Owner, SCOPE_IDS, SHIFT_IDS } from '../src/domain/types.ts';
import { addDaysToLocalDate } from '../src/domain/zoned-time.ts';
import { loadLadder } from '../src/load-ladder.ts';
import { tempDir } from '../tests/helpers/tmp.ts';
import { type BenchRow, ms } from './types.ts';

const ENTRIES = 10_000;
const RUNS = 7;
const GOAL_MS = 500;
const NOW = new Date('2026-11-20T12:00:00Z');
const OWNER: Owner = { teamId: 'T0BENCH', userId: 'U0BENCH' };
const OTHER: Owner = { teamId: 'T0BENCH', userId: 'U0OTHER' };
const LADDER_DIR = fileURLToPath(new URL('../ladder-data/', import.meta.url));

const TEXTS = [
  'Ran the cross-team launch review for Payments v2 with 4 teams; cut the slip risk by 2 weeks 🚀',
  'Mentored two new TPMs:\n- weekly 1:1s\n- shadowing on planning',
  'Wrote the "on-call, escalation & SLA" runbook, adopted by SRE | see the wiki',
  '=HYPERLINK("http://evil.example","click me") pasted from a spreadsheet',
  'Coached Sam through their first QBR; feedback: "clear, calm, well prepared"',
];

/** One user with 10,000 entries over about three years (another user's rows alongside). */
async function seed(file: string): Promise<void> {
  const db = openDatabase(file);
  migrate(db);
  const repos = createRepositories(db);
  const prompts = loadLadder(LADDER_DIR).prompts;
  await repos.profiles.setLevels(OWNER, { level: 'tpm4', target: 'tpm5' }, NOW);
  await repos.profiles.setTimeZone(OWNER, 'Europe/London', NOW);
  // One transaction around the seed: the inserts (no delivery key) are single statements.
  db.exec('BEGIN IMMEDIATE');
  await (async () => {
    for (let i = 0; i < ENTRIES; i++) {
      const axes: AxisId[] = [
        AXIS_IDS[i % 5] as AxisId,
        ...(i % 3 === 0 ? [AXIS_IDS[(i + 2) % 5] as AxisId] : []),
      ];
      const prompt = i % 10 === 0 ? prompts[i % prompts.length] : undefined;
      await repos.evidence.insert(
        OWNER,
        {
          text: `${TEXTS[i % TEXTS.length]} #${i}`,
          occurredOn: addDaysToLocalDate('2026-11-20', -Math.floor(i / 9)),
          axes,
          suggestedAxes: i % 7 === 0 ? ['influence'] : [],
          shift: prompt ? prompt.shift : i % 4 === 0 ? (SHIFT_IDS[i % 3] ?? null) : null,
          scope: i % 5 === 4 ? (SCOPE_IDS[i % 5] ?? null) : null,
          link:
            i % 2 === 0
              ? `https://acme.slack.com/archives/C0PROGRAM1/p17${String(i).padStart(11, '0')}`
              : null,
          source: prompt ? 'reflection' : 'command',
          promptId: prompt?.id ?? null,
        },
        NOW,
      );
      if (i % 10 === 0) {
        await repos.evidence.insert(
          OTHER,
          {
            text: `Other user's win ${i}`,
            occurredOn: '2026-10-01',
            axes: [],
            shift: null,
            scope: null,
            link: null,
            source: 'command',
          },
          NOW,
        );
      }
    }
  })();
  db.exec('COMMIT');
  db.close();
}

async function timeRuns(task: () => Promise<void>): Promise<{ median: number; max: number }> {
  await task(); // warm-up: statement preparation, fonts, JIT
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await task();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)] as number, max: times[times.length - 1] as number };
}

/** Markdown, CSV, JSON and the chart for one user with 10,000 entries: query + render, in process. */
export async function run(): Promise<BenchRow[]> {
  const file = path.join(tempDir('ladder-bench-export-'), 'bench.db');
  await seed(file);
  const db = openDatabase(file);
  const deps: ExportDeps = { repos: createRepositories(db), ladder: loadLadder(LADDER_DIR), now: () => NOW };
  const profile = await deps.repos.profiles.getOrEmpty(OWNER);
  const all: Period = { kind: 'all' };
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const rows: BenchRow[] = [];
  try {
    const cases: Array<{ name: string; task: () => Promise<void> }> = [
      ...(['md', 'csv', 'json'] as ExportFormat[]).map((format) => ({
        name: `${format === 'md' ? 'Markdown packet' : format.toUpperCase()} export of ${ENTRIES.toLocaleString('en-US')} entries (query + render${format === 'md' ? ', no chart' : ''})`,
        task: async () => {
          const out = await renderExport(deps, OWNER, {
            format,
            period: all,
            profile,
            userName: 'Bench User',
            withChart: false,
          });
          if (out.entries !== ENTRIES) throw new Error(`expected ${ENTRIES} entries, got ${out.entries}`);
          sample();
        },
      })),
      {
        name: `Radar chart PNG over ${ENTRIES.toLocaleString('en-US')} entries (query + SVG + PNG)`,
        task: async () => {
          const chart = await buildChart(deps, OWNER, { profile, userName: 'Bench User', period: all });
          if (!chart) throw new Error('no chart');
          sample();
        },
      },
      {
        name: `Markdown packet with its chart attached (what /ladder export sends), ${ENTRIES.toLocaleString('en-US')} entries`,
        task: async () => {
          await renderExport(deps, OWNER, { format: 'md', period: all, profile, userName: 'Bench User' });
          sample();
        },
      },
    ];
    for (const c of cases) {
      const t = await timeRuns(c.task);
      rows.push({
        name: `${c.name}: median (max) of ${RUNS}`,
        value: `${ms(t.median)} (${ms(t.max)})`,
        goal: `< ${GOAL_MS} ms`,
        pass: t.median < GOAL_MS,
      });
    }
    const size = await renderExport(deps, OWNER, {
      format: 'md',
      period: all,
      profile,
      userName: 'Bench User',
      withChart: false,
    });
    rows.push({
      name: 'Markdown packet size for 10,000 entries',
      value: `${(size.content.length / 2 ** 20).toFixed(1)} MiB`,
      goal: 'reported',
      pass: null,
    });
    rows.push({
      name: 'Memory: peak RSS growth over the export runs (sampled after each run)',
      value: `${((peak - baseline) / 2 ** 20).toFixed(0)} MiB (peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB)`,
      goal: 'reported',
      pass: null,
    });
    rows.push({
      name: 'Memory: process peak RSS (getrusage maxRSS, whole bench process so far)',
      value: `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
      goal: 'reported',
      pass: null,
    });
  } finally {
    db.close();
  }
  return rows;
}
