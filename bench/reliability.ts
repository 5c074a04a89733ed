import { runLoad } from '../tests/helpers/load.ts';
import { type BenchRow, ms } from './types.ts';

const USERS = 50;
const DURATION_MS = 60_000;
/** The heap grows for the first ~30 s of load, then stays flat (a 150-s run: 218 → 295 → 282 MB). */
const WARMUP_MS = 20_000;

/**
 * The full load run: 50 simulated people with mixed commands and interactions for 60 s against
 * the real app in its own process (HTTP mode, loopback, local Slack API). `npm test` runs a short
 * version (tests/reliability/load.test.ts).
 */
export async function run(): Promise<BenchRow[]> {
  const r = await runLoad({ users: USERS, durationMs: DURATION_MS, warmupMs: WARMUP_MS });
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
  return [
    {
      name: `${USERS} people, mixed commands and interactions, ${DURATION_MS / 1000} s: requests (errors)`,
      value: `${r.requests} (${r.errors.length + r.errorLogs.length} errors)`,
      goal: 'zero errors',
      pass: r.errors.length === 0 && r.errorLogs.length === 0,
    },
    {
      name: `ack latency after ${WARMUP_MS / 1000} s warm-up: p50 / p99 / max`,
      value: `${ms(r.ackMs.p50)} / ${ms(r.ackMs.p99)} / ${ms(r.ackMs.max)}`,
      goal: 'p99 < 3 s (Slack gives up at 3 s)',
      pass: r.ackMs.p99 < 3_000,
    },
    {
      name: 'reply latency (ack body or response URL post): p50 / p99',
      value: `${ms(r.replyMs.p50)} / ${ms(r.replyMs.p99)}`,
      goal: 'reported',
      pass: null,
    },
    {
      name: `throughput over the whole ${DURATION_MS / 1000} s`,
      value: `${(r.requests / (DURATION_MS / 1000)).toFixed(0)} requests/s`,
      goal: 'reported',
      pass: null,
    },
    {
      name: 'app RSS after warm-up → at the end',
      value: `${mb(r.rssAfterWarmup)} → ${mb(r.rssAtEnd)} (${(r.rssGrowth * 100).toFixed(1)} %)`,
      goal: 'within 20 %',
      pass: Math.abs(r.rssGrowth) <= 0.2,
    },
    {
      name: 'app RSS every 5 s after warm-up',
      value: `${r.rssSamples.map((b) => (b / 2 ** 20).toFixed(0)).join(', ')} MB`,
      goal: 'reported (flat, no upward trend)',
      pass: null,
    },
  ];
}
