import { WebClient } from '@slack/web-api';
import { periodRange } from '../src/domain/period.ts';
import { summarise } from '../src/domain/summary.ts';
import type { AxisId, EvidenceEntry, ShiftId } from '../src/domain/types.ts';
import { loadLadder } from '../src/load-ladder.ts';
import { appHomeOpenedEvent } from '../src/local/signed-sender.ts';
import { interactiveClientOptions } from '../src/slack/app.ts';
import { publishHome } from '../src/slack/home/publish.ts';
import { BOT_TOKEN, startHarness, TEAM, USERS } from '../tests/helpers/harness.ts';
import { LADDER_DIR } from '../tests/helpers/ladder.ts';
import { type BenchRow, ms, percentile } from './types.ts';

/**
 * `/ladder summary` and the App Home at scale: the pure summary over 10,000 and 100,000 entries,
 * the same from the database, and publishing the Home of a user with 10,000 entries through the
 * real app and the local Slack API.
 */
const AXES: AxisId[] = ['technology', 'system', 'people', 'process', 'influence'];
const SHIFTS: ShiftId[] = ['enabling', 'systems-thinking', 'preventing'];
const NOW = new Date('2026-11-20T15:00:00Z');
const TZ = 'America/New_York';

/** `n` entries over the last three years, a mix of confirmed, suggested and untagged. */
function entries(n: number): EvidenceEntry[] {
  const out: EvidenceEntry[] = [];
  const end = Date.UTC(2026, 10, 19);
  for (let i = 0; i < n; i++) {
    const day = new Date(end - ((i * 7919) % 1095) * 86_400_000).toISOString().slice(0, 10);
    out.push({
      id: i + 1,
      teamId: TEAM,
      userId: 'U0BENCH',
      text: `Entry ${i}`,
      occurredOn: day,
      axes: i % 3 === 0 ? [AXES[i % 5] as AxisId, AXES[(i + 2) % 5] as AxisId] : [],
      suggestedAxes: i % 3 === 1 ? [AXES[i % 5] as AxisId] : [],
      shift: i % 4 === 0 ? (SHIFTS[i % 3] as ShiftId) : null,
      scope: null,
      link: null,
      source: 'command',
      promptId: null,
      createdAt: `${day}T12:00:00.000Z`,
      updatedAt: `${day}T12:00:00.000Z`,
    });
  }
  return out;
}

async function timed(runs: number, task: () => unknown | Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await task();
    latencies.push(performance.now() - t0);
  }
  return latencies.sort((a, b) => a - b);
}

function summaryRows(): Promise<BenchRow[]> {
  const ladder = loadLadder(LADDER_DIR);
  const profile = { level: 'tpm4', target: 'tpm5' };
  const rows: Promise<BenchRow>[] = [];
  for (const [n, runs, goal] of [
    [10_000, 200, 20],
    [100_000, 30, null],
  ] as const) {
    const list = entries(n);
    // `all` makes every entry count: the worst case for the period filter.
    const range = periodRange({ kind: 'all' }, NOW, TZ);
    const run = () => summarise({ entries: list, profile, ladder, range, now: NOW, tz: TZ });
    rows.push(
      (async () => {
        await timed(10, run); // warm-up
        const p50 = percentile(await timed(runs, run), 50);
        return {
          name: `summary (pure), ${n.toLocaleString('en-US')} entries, all time, p50`,
          value: ms(p50),
          goal: goal === null ? '— (reported)' : `< ${goal} ms`,
          pass: goal === null ? null : p50 < goal,
        };
      })(),
    );
  }
  return Promise.all(rows);
}

export async function run(): Promise<BenchRow[]> {
  const rows = await summaryRows();
  const h = await startHarness({ now: () => NOW, logLevel: 'warn' });
  try {
    const alice = USERS[0]?.id as string;
    const owner = { teamId: TEAM, userId: alice };
    const { ctx } = h.app;
    // One transaction around the seed: the inserts (no delivery key) are single statements.
    h.app.db.exec('BEGIN IMMEDIATE');
    await (async () => {
      for (const e of entries(10_000)) {
        await ctx.repos.evidence.insert(
          owner,
          { ...e, text: `${e.text}: ${'shipped the thing <with> *care* 🎉 '.repeat(40)}`.slice(0, 3000) },
          NOW,
        );
      }
    })();
    h.app.db.exec('COMMIT');
    await ctx.repos.profiles.setLevels(owner, { level: 'tpm4', target: 'tpm5' }, NOW);

    const profile = await ctx.repos.profiles.getOrEmpty(owner);
    const fromDb = await timed(50, async () => {
      const range = periodRange({ kind: 'rolling', n: 90, unit: 'd' }, NOW, profile.tz);
      summarise({
        entries: await ctx.repos.evidence.inRange(owner, range.startDate, range.endDate),
        activityDates: await ctx.repos.evidence.activeDates(owner, range.endDate),
        profile,
        ladder: ctx.ladder,
        range,
        now: NOW,
        tz: profile.tz,
      });
    });
    rows.push({
      name: 'summary from the database (90 days of 10,000 entries: query + summarise), p50',
      value: ms(percentile(fromDb, 50)),
      goal: '— (reported)',
      pass: null,
    });

    // The builder and views.publish against the local API, as every Home action does.
    const client = new WebClient(BOT_TOKEN, interactiveClientOptions(h.api.url));
    await timed(5, () => publishHome(ctx, client, owner));
    const direct = await timed(50, () => publishHome(ctx, client, owner));
    rows.push({
      name: 'App Home publish (build + views.publish), 10,000 entries, p50',
      value: ms(percentile(direct, 50)),
      goal: '< 100 ms',
      pass: percentile(direct, 50) < 100,
    });

    // Through the real app: a signed app_home_opened event until the new Home is stored.
    const opened = await timed(30, async () => {
      const before = h.api.state.homeViews.get(alice)?.hash;
      const res = await h.sender.event({ event: appHomeOpenedEvent(h.api, alice) });
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      const deadline = Date.now() + 10_000;
      while (h.api.state.homeViews.get(alice)?.hash === before) {
        if (Date.now() > deadline) throw new Error('the Home was not published');
        await new Promise((r) => setImmediate(r));
      }
    });
    rows.push({
      name: 'App Home opened → published (signed event, real app, local API), 10,000 entries, p50 / p99',
      value: `${ms(percentile(opened, 50))} / ${ms(percentile(opened, 99))}`,
      goal: 'p50 < 250 ms',
      pass: percentile(opened, 50) < 250,
    });
    const view = h.api.state.homeViews.get(alice)?.view as { blocks?: unknown[] } | undefined;
    rows.push({
      name: 'App Home blocks at 10,000 entries',
      value: String(view?.blocks?.length ?? 0),
      goal: '≤ 100',
      pass: (view?.blocks?.length ?? 101) <= 100,
    });
  } finally {
    await h.close();
  }
  return rows;
}
