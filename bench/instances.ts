import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SignedSender } from '../src/local/signed-sender.ts';
import { startLocalSlackApi } from '../src/local/slack-api.ts';
import { BOT_TOKEN, manifestScopes, SIGNING_SECRET, TEAM, USERS } from '../tests/helpers/harness.ts';
import { createTestDatabase, postgresAnswers, TEST_DATABASE_URL } from '../tests/helpers/postgres.ts';
import { type ServedApp, startServed } from './apps.ts';
import { type BenchRow, measureConcurrent } from './types.ts';

/**
 * One instance against three on one PostgreSQL database (issue 21): requests per second of
 * `/ladder log` (a write transaction and a confirmation) and `/ladder help` (a prepared reply, no
 * storage), sent round robin over the instances at CONCURRENCY; and the CPU time per request of
 * the app processes (utime + stime from /proc, summed over the instances) against a bare Bolt app
 * answering a fixed text. The three instances share the machine's two cores with PostgreSQL, the
 * local Slack API and this driver: three cannot be three times one here; the figure shows that
 * running several costs nothing in correctness and little in CPU per request.
 */
const CONCURRENCY = 30;
const WARM_UP = 300;
const TOTAL = 1_500;
const TICKS_PER_SECOND = 100;

function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

type Served = ServedApp;

const start = startServed;

async function answered(sender: SignedSender, userId: string, text: string): Promise<void> {
  const res = await sender.command({ userId, text });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  const j = res.json as { text?: string } | undefined;
  if (j?.text) return;
  await sender.waitForResponse(res.responseUrl as string, { timeoutMs: 10_000 });
}

interface Load {
  perSecond: number;
  cpuPerRequest: number;
}

/** TOTAL requests round robin over `served`: requests per second and CPU ms per request. */
async function drive(served: Served[], text: (i: number) => string): Promise<Load> {
  const send = (i: number) => {
    const s = served[i % served.length] as Served;
    return answered(s.sender, USERS[i % USERS.length]?.id as string, text(i));
  };
  await measureConcurrent(WARM_UP, CONCURRENCY, (i) => send(i + TOTAL));
  const before = served.reduce((n, s) => n + cpuMs(s.pid), 0);
  const t0 = performance.now();
  await measureConcurrent(TOTAL, CONCURRENCY, send);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = served.reduce((n, s) => n + cpuMs(s.pid), 0) - before;
  return { perSecond: TOTAL / seconds, cpuPerRequest: cpu / TOTAL };
}

const CASES = [
  { label: '/ladder log <text>', text: (i: number) => `log Instances bench win ${i} #people` },
  { label: '/ladder help', text: () => 'help' },
];

function rowsFor(instances: number, results: Load[]): BenchRow[] {
  return CASES.flatMap((c, k) => {
    const r = results[k] as Load;
    return [
      {
        name: `PostgreSQL, ${instances} instance${instances === 1 ? '' : 's'} (round robin, ${CONCURRENCY} in flight): ${c.label} requests per second; CPU per request of the app processes`,
        value: `${r.perSecond.toFixed(0)}/s; ${r.cpuPerRequest.toFixed(2)} ms`,
        goal: 'reported (2 shared cores)',
        pass: null,
      },
    ];
  });
}

export async function run(): Promise<BenchRow[]> {
  if (!(await postgresAnswers())) {
    process.stderr.write(
      `!!! instances bench: no PostgreSQL answers at TEST_DATABASE_URL=${TEST_DATABASE_URL}\n`,
    );
    return [
      {
        name: 'One instance against three',
        value: 'not measured: no PostgreSQL server',
        goal: '—',
        pass: null,
      },
    ];
  }
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    stdio: 'ignore',
  });
  const database = await createTestDatabase('instances');
  const api = await startLocalSlackApi({
    botToken: BOT_TOKEN,
    scopes: manifestScopes(),
    teamId: TEAM,
    users: USERS,
  });
  const env = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: api.url,
    PORT: '0',
    DATABASE_URL: database.url,
    LOG_LEVEL: 'info',
  };
  const load0 = os.loadavg()[0] ?? 0;
  const served: Served[] = [];
  const rows: BenchRow[] = [];
  try {
    const bare = await start('bench/bare-bolt.ts', env, api);
    served.push(bare);
    const bareHelp = await drive([bare], () => 'help');
    served.push(await start('dist/main.js', env, api));
    const one: Load[] = [];
    for (const c of CASES) one.push(await drive(served.slice(1), c.text));
    rows.push(...rowsFor(1, one));
    served.push(await start('dist/main.js', env, api), await start('dist/main.js', env, api));
    const three: Load[] = [];
    for (const c of CASES) three.push(await drive(served.slice(1), c.text));
    rows.push(...rowsFor(3, three));
    const help = one[1] as Load;
    rows.push({
      name: `CPU per /ladder help against a bare Bolt app answering a fixed text (same driver, same machine)`,
      value: `${help.cpuPerRequest.toFixed(2)} ms against ${bareHelp.cpuPerRequest.toFixed(2)} ms (${(help.cpuPerRequest / bareHelp.cpuPerRequest).toFixed(2)}×); bare Bolt ${bareHelp.perSecond.toFixed(0)}/s`,
      goal: 'reported',
      pass: null,
    });
    rows.push({
      name: 'load average (1 min) at start / end; PostgreSQL, the local Slack API and the driver on the same machine',
      value: `${load0.toFixed(2)} / ${(os.loadavg()[0] ?? 0).toFixed(2)} on ${os.cpus().length} CPUs`,
      goal: 'reported',
      pass: null,
    });
  } finally {
    for (const s of served) await s.stop();
    await api.close();
    await database.drop();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) process.stdout.write(`${r.name}: ${r.value}\n`);
}
