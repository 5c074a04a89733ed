import path from 'node:path';
import { createSignedSender, type SignedSender } from '../src/local/signed-sender.ts';
import { startLocalSlackApi } from '../src/local/slack-api.ts';
import { COMMAND } from '../src/slack/ids.ts';
import { spawnLadder } from '../tests/helpers/child.ts';
import { BOT_TOKEN, manifestScopes, SIGNING_SECRET, USERS } from '../tests/helpers/harness.ts';
import { tempDir } from '../tests/helpers/tmp.ts';
import { type BenchRow, measureConcurrent, ms, percentile } from './types.ts';

const TOTAL = 2_000;
const CONCURRENCY = 20;
const alice = USERS[0]?.id as string;

/** The reply the user sees: the ack body when it carries one, else the first response_url post. */
async function timedCommand(sender: SignedSender, text: string): Promise<void> {
  const res = await sender.command({ userId: alice, text });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  const j = res.json as { text?: string } | undefined;
  if (j?.text) return;
  await sender.waitForResponse(res.responseUrl as string, { timeoutMs: 10_000 });
}

interface Latency {
  p50: number;
  p99: number;
}

async function run(sender: SignedSender, text: string | ((i: number) => string)): Promise<Latency> {
  const t = (i: number) => (typeof text === 'string' ? text : text(i));
  await measureConcurrent(200, CONCURRENCY, (i) => timedCommand(sender, t(i))); // warm-up
  const lat = await measureConcurrent(TOTAL, CONCURRENCY, (i) => timedCommand(sender, t(i)));
  return { p50: percentile(lat, 50), p99: percentile(lat, 99) };
}

/** The app and the baseline each run in their own process, as in production; the load comes from here. */
async function startChild(
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawnLadder(env, script);
  const started = await child.waitForLog('ladder started', 30_000);
  return {
    url: `http://127.0.0.1:${started.port}/slack/events`,
    stop: async () => {
      child.proc.kill('SIGTERM');
      await child.exited;
    },
  };
}

export async function runCommandBench(): Promise<BenchRow[]> {
  const api = await startLocalSlackApi({ botToken: BOT_TOKEN, scopes: manifestScopes(), users: USERS });
  const env = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: api.url,
    PORT: '0',
    DATABASE_PATH: path.join(tempDir('ladder-bench-'), 'bench.db'),
    LOG_LEVEL: 'info',
  };
  const bare = await startChild('bench/bare-bolt.ts', env);
  const ladder = await startChild('src/main.ts', env);
  const bareSender = createSignedSender({
    appUrl: bare.url,
    signingSecret: SIGNING_SECRET,
    api,
    command: COMMAND,
  });
  const sender = createSignedSender({
    appUrl: ladder.url,
    signingSecret: SIGNING_SECRET,
    api,
    command: COMMAND,
  });
  const rows: BenchRow[] = [];
  try {
    const base = await run(bareSender, 'help');
    rows.push({
      name: `bare Bolt, fixed reply (${TOTAL} at concurrency ${CONCURRENCY}): p50 / p99`,
      value: `${ms(base.p50)} / ${ms(base.p99)}`,
      goal: 'baseline',
      pass: null,
    });
    const cases: Array<{
      label: string;
      text: string | ((i: number) => string);
      goal?: { p99: number; ratio: number };
    }> = [
      { label: '/ladder help', text: 'help', goal: { p99: 50, ratio: 1.3 } },
      { label: '/ladder tpm5', text: 'tpm5', goal: { p99: 50, ratio: 1.3 } },
      { label: '/ladder compare senior lead', text: 'compare senior lead', goal: { p99: 50, ratio: 1.3 } },
      {
        label: '/ladder log <text> (insert + confirmation)',
        text: (i) => `log Benchmark win number ${i} #people #team`,
      },
    ];
    for (const c of cases) {
      const l = await run(sender, c.text);
      const ratio = l.p99 / base.p99;
      rows.push({
        name: `${c.label}: p50 / p99 (ratio of p99 to bare Bolt)`,
        value: `${ms(l.p50)} / ${ms(l.p99)} (${ratio.toFixed(2)}×)`,
        goal: c.goal ? `p99 < ${c.goal.p99} ms and ≤ ${c.goal.ratio}× bare Bolt` : 'reported',
        pass: c.goal ? l.p99 < c.goal.p99 && ratio <= c.goal.ratio : null,
      });
    }
  } finally {
    await bare.stop();
    await ladder.stop();
    await api.close();
  }
  return rows;
}
