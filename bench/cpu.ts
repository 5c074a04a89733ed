import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSignedSender, type SignedSender } from '../src/local/signed-sender.ts';
import { startLocalSlackApi } from '../src/local/slack-api.ts';
import { COMMAND } from '../src/slack/ids.ts';
import { spawnBuilt, spawnLadder } from '../tests/helpers/child.ts';
import { BOT_TOKEN, manifestScopes, SIGNING_SECRET, USERS } from '../tests/helpers/harness.ts';
import { tempDir } from '../tests/helpers/tmp.ts';
import { type BenchRow, measureConcurrent } from './types.ts';

/**
 * CPU time per slash command of the serving process, against a bare Bolt app of the same version
 * answering a fixed text, in one run: utime + stime from /proc/<pid>/stat around N requests at
 * concurrency 10, after a warm-up, alternating the two processes in rounds, in several passes
 * (the median pass is the figure; every pass's ratio is shown). Unlike p99 latency on a shared
 * 2-core machine, CPU per request holds steady under load, and it is what decides how many people
 * one instance serves. The machine's load average is reported with the figures.
 *
 * `/ladder log` runs before `summary`, so each of the three people has about 2,800 entries by then
 * (a warm-up and three passes of logs): the summary is measured over a realistic history.
 */
const WARM_UP = 1_000;
const TOTAL = 2_500;
const PASSES = 3;
const CONCURRENCY = 10;
/** Clock ticks per second of /proc's utime and stime (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** utime + stime of a process, in milliseconds. */
function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

async function answered(sender: SignedSender, userId: string, text: string): Promise<void> {
  const res = await sender.command({ userId, text });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  const j = res.json as { text?: string } | undefined;
  if (j?.text) return;
  await sender.waitForResponse(res.responseUrl as string, { timeoutMs: 10_000 });
}

/** Requests are sent in rounds, alternating the two processes, so both see the same machine. */
const ROUNDS = 5;

interface Served {
  pid: number;
  sender: SignedSender;
}

/** CPU per request of each process, measured in alternating rounds over the same requests. */
async function cpuPerRequest(
  processes: readonly [Served, Served],
  text: (i: number) => string,
): Promise<[number, number]> {
  const userId = (i: number) => USERS[i % USERS.length]?.id as string;
  const spent = [0, 0];
  const perRound = TOTAL / ROUNDS;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [k, p] of processes.entries()) {
      const before = cpuMs(p.pid);
      await measureConcurrent(perRound, CONCURRENCY, (i) => answered(p.sender, userId(i), text(i)));
      spent[k] = (spent[k] ?? 0) + cpuMs(p.pid) - before;
    }
  }
  return [(spent[0] ?? 0) / TOTAL, (spent[1] ?? 0) / TOTAL];
}

/** Warms both processes up once, then measures {@link PASSES} passes; each pass's [app, bare Bolt] CPU per request. */
async function passes(processes: readonly [Served, Served], text: (i: number) => string) {
  const userId = (i: number) => USERS[i % USERS.length]?.id as string;
  for (const p of processes) {
    await measureConcurrent(WARM_UP, CONCURRENCY, (i) => answered(p.sender, userId(i), text(i)));
  }
  const out: Array<{ base: number; ours: number; ratio: number }> = [];
  for (let pass = 0; pass < PASSES; pass++) {
    const [base, ours] = await cpuPerRequest(processes, text);
    out.push({ base, ours, ratio: ours / base });
  }
  return out;
}

function median<T>(xs: readonly T[], by: (x: T) => number): T {
  return [...xs].sort((a, b) => by(a) - by(b))[Math.floor(xs.length / 2)] as T;
}

const loadAverage = () => os.loadavg()[0]?.toFixed(1) ?? '?';

async function startChild(script: string, env: NodeJS.ProcessEnv) {
  // The app as `npm start` runs it (the bundle); bare Bolt through the loader (it is one small file).
  const child = script.startsWith('dist/') ? spawnBuilt(env, script) : spawnLadder(env, script);
  const started = await child.waitForLog('ladder started', 30_000);
  return {
    pid: child.proc.pid as number,
    url: `http://127.0.0.1:${started.port}/slack/events`,
    stop: async () => {
      child.proc.kill('SIGTERM');
      await child.exited;
    },
  };
}

export async function run(): Promise<BenchRow[]> {
  if (!fs.existsSync('/proc/self/stat')) {
    return [{ name: 'CPU per request', value: 'needs /proc (Linux)', goal: '—', pass: null }];
  }
  const api = await startLocalSlackApi({ botToken: BOT_TOKEN, scopes: manifestScopes(), users: USERS });
  const env = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: api.url,
    PORT: '0',
    DATABASE_PATH: path.join(tempDir('ladder-bench-'), 'cpu.db'),
    LOG_LEVEL: 'info',
  };
  const bare = await startChild('bench/bare-bolt.ts', env);
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    stdio: 'ignore',
  });
  const app = await startChild('dist/main.js', env);
  const bareSender = createSignedSender({
    appUrl: bare.url,
    signingSecret: SIGNING_SECRET,
    api,
    command: COMMAND,
  });
  const sender = createSignedSender({
    appUrl: app.url,
    signingSecret: SIGNING_SECRET,
    api,
    command: COMMAND,
  });
  const rows: BenchRow[] = [];
  try {
    const cases: Array<{ label: string; text: (i: number) => string; goal: number | null }> = [
      { label: '/ladder tpm5', text: () => 'tpm5', goal: 1.3 },
      { label: '/ladder help', text: () => 'help', goal: 1.3 },
      { label: '/ladder levels', text: () => 'levels', goal: 1.3 },
      { label: '/ladder compare senior lead', text: () => 'compare senior lead', goal: 1.3 },
      { label: '/ladder log <text>', text: (i) => `log CPU benchmark win ${i} #people`, goal: null },
      { label: '/ladder summary', text: () => 'summary', goal: null },
    ];
    const loads = [loadAverage()];
    for (const c of cases) {
      const runs = await passes(
        [
          { pid: bare.pid, sender: bareSender },
          { pid: app.pid, sender },
        ],
        c.text,
      );
      loads.push(loadAverage());
      const { base, ours, ratio } = median(runs, (r) => r.ratio);
      rows.push({
        name: `${c.label}: CPU per request, app vs bare Bolt (median of ${PASSES} passes of ${TOTAL} at concurrency ${CONCURRENCY})`,
        value: `${ours.toFixed(3)} ms vs ${base.toFixed(3)} ms (${ratio.toFixed(2)}×; passes ${runs.map((r) => `${r.ratio.toFixed(2)}×`).join(', ')})`,
        goal: c.goal === null ? 'reported' : `≤ ${c.goal}× bare Bolt`,
        pass: c.goal === null ? null : ratio <= c.goal,
      });
    }
    rows.push({
      name: 'load average (1 min) of the machine at the start and after each command above',
      value: loads.join(', '),
      goal: 'reported (both processes measured side by side, in alternating rounds)',
      pass: null,
    });
  } finally {
    await bare.stop();
    await app.stop();
    await api.close();
  }
  return rows;
}
