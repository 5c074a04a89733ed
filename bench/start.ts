import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startLocalSlackApi } from '../src/local/slack-api.ts';
import { type ChildApp, spawnBuilt, spawnLadder } from '../tests/helpers/child.ts';
import { BOT_TOKEN, manifestScopes, SIGNING_SECRET, USERS } from '../tests/helpers/harness.ts';
import { tempDir } from '../tests/helpers/tmp.ts';
import { type BenchRow, ms, percentile } from './types.ts';

/**
 * Start time (process spawned → first `/healthz` 200) and resident memory once started, for the
 * TypeScript loader (`node --import tsx src/main.ts`, what `npm run dev` runs) and the bundle
 * (`node dist/main.js`, what `npm start` runs), alternating, in one run, in HTTP mode against the
 * local Slack API with a fresh database each time.
 */
const RUNS = 7;

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

async function healthyAfter(child: ChildApp, spawnedAt: number): Promise<{ ms: number; port: number }> {
  const started = await child.waitForLog('ladder started', 60_000);
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${started.port}/healthz`).catch(() => null);
    if (res?.status === 200) return { ms: performance.now() - spawnedAt, port: started.port as number };
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function run(): Promise<BenchRow[]> {
  const root = path.resolve(import.meta.dirname, '..');
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
  const api = await startLocalSlackApi({ botToken: BOT_TOKEN, scopes: manifestScopes(), users: USERS });
  const variants = {
    tsx: (env: NodeJS.ProcessEnv) => spawnLadder(env),
    bundle: (env: NodeJS.ProcessEnv) => spawnBuilt(env),
  };
  const samples: Record<keyof typeof variants, { start: number[]; rss: number[] }> = {
    tsx: { start: [], rss: [] },
    bundle: { start: [], rss: [] },
  };
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const name of Object.keys(variants) as Array<keyof typeof variants>) {
        const env = {
          SLACK_BOT_TOKEN: BOT_TOKEN,
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_API_URL: api.url,
          PORT: '0',
          LOG_LEVEL: 'info',
          DATABASE_PATH: path.join(tempDir(), `start-${name}-${i}.db`),
        };
        const spawnedAt = performance.now();
        const child = variants[name](env);
        try {
          const healthy = await healthyAfter(child, spawnedAt);
          samples[name].start.push(healthy.ms);
          await new Promise((r) => setTimeout(r, 300));
          samples[name].rss.push(rssMb(child.proc.pid as number));
        } finally {
          child.proc.kill('SIGTERM');
          await child.exited;
        }
      }
    }
  } finally {
    await api.close();
  }
  const median = (xs: number[]) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      50,
    );
  const tsxStart = median(samples.tsx.start);
  const bundleStart = median(samples.bundle.start);
  const tsxRss = median(samples.tsx.rss);
  const bundleRss = median(samples.bundle.rss);
  return [
    {
      name: `start → /healthz 200, tsx (median of ${RUNS})`,
      value: ms(tsxStart),
      goal: 'reported',
      pass: null,
    },
    {
      name: `start → /healthz 200, bundle (median of ${RUNS})`,
      value: `${ms(bundleStart)} (${(bundleStart / tsxStart).toFixed(2)}× tsx)`,
      goal: '< tsx',
      pass: bundleStart < tsxStart,
    },
    { name: 'RSS after start, tsx', value: `${tsxRss.toFixed(0)} MB`, goal: 'reported', pass: null },
    {
      name: 'RSS after start, bundle',
      value: `${bundleRss.toFixed(0)} MB (${(bundleRss / tsxRss).toFixed(2)}× tsx)`,
      goal: '< tsx',
      pass: bundleRss < tsxRss,
    },
  ];
}
