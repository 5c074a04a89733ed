import { describe, expect, it } from 'vitest';
import { runLoad } from '../helpers/load.ts';
import { soak } from '../helpers/reliability.ts';

/**
 * Simulated people use the real app (its own process, HTTP mode, loopback) with mixed commands and
 * interactions. A short run in `npm test`; `LADDER_SOAK=1` runs the full one (50 people, 60 s),
 * which `npm run bench` also reports in bench/RESULTS.md.
 */
const USERS = soak(10, 50);
const DURATION_MS = soak(15_000, 60_000);
const WARMUP_MS = soak(7_000, 20_000);

describe('load', () => {
  it(`${USERS} people for ${DURATION_MS / 1000} s: zero errors, memory flat after warm-up`, {
    timeout: DURATION_MS + 90_000,
  }, async () => {
    const r = await runLoad({ users: USERS, durationMs: DURATION_MS, warmupMs: WARMUP_MS });
    const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
    process.stdout.write(
      `load: ${USERS} people, ${DURATION_MS / 1000} s, ${r.requests} requests (${JSON.stringify(r.byAction)}); ` +
        `ack p50 ${r.ackMs.p50.toFixed(1)} ms, p99 ${r.ackMs.p99.toFixed(1)} ms, max ${r.ackMs.max.toFixed(1)} ms; ` +
        `reply p99 ${r.replyMs.p99.toFixed(1)} ms; RSS ${mb(r.rssAfterWarmup)} → ${mb(r.rssAtEnd)} ` +
        `(${(r.rssGrowth * 100).toFixed(1)} %)\n`,
    );
    expect(r.errors).toEqual([]);
    expect(r.errorLogs).toEqual([]);
    expect(r.requests).toBeGreaterThan(USERS * 10);
    expect(r.byAction.edit ?? 0).toBeGreaterThan(0);
    expect(Math.abs(r.rssGrowth)).toBeLessThanOrEqual(0.2);
  });
});
