import fs from 'node:fs';
import { type Db, openDatabase } from '../../src/db/connection.ts';
import { USER_TABLES } from '../../src/db/user-data.ts';
import type { Owner } from '../../src/domain/types.ts';
import { createSignedSender, type SignedSender } from '../../src/local/signed-sender.ts';
import { type LocalSlackApi, startLocalSlackApi } from '../../src/local/slack-api.ts';
import { COMMAND } from '../../src/slack/ids.ts';
import { type ChildApp, spawnLadder } from './child.ts';
import { BOT_TOKEN, manifestScopes, SIGNING_SECRET, TEAM, USERS } from './harness.ts';

/** `LADDER_SOAK=1` runs the long variants of the reliability suites. */
export const SOAK = process.env.LADDER_SOAK === '1';

/** The default figure, or the soak one under `LADDER_SOAK=1`. */
export function soak<T>(normal: T, long: T): T {
  return SOAK ? long : normal;
}

/** `LADDER_SEED=n` replays a failing run; every suite prints the seed it used in its test name. */
export function seed(fallback: number): number {
  const s = Number(process.env.LADDER_SEED);
  return Number.isInteger(s) ? s : fallback;
}

/** mulberry32: a small seeded PRNG, so a failing round can be replayed. */
export function seededRandom(seedValue: number): () => number {
  let a = seedValue >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns something truthy; rejects after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 5_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

/** What a reply shows the user: its text and blocks. */
export function shown(json: unknown): string {
  const j = (json ?? {}) as { text?: string; blocks?: unknown[] };
  return `${j.text ?? ''}\n${JSON.stringify(j.blocks ?? [])}`;
}

export const SAVED = 'Saved to your evidence';

/** Every row the app holds about one person, in every table, in a stable order: compare before/after. */
export function dumpUserRows(db: Db, owner: Owner): string {
  const out: Record<string, unknown[]> = {};
  for (const table of USER_TABLES) {
    out[table] = db
      .prepare(`SELECT * FROM ${table} WHERE team_id = ? AND user_id = ? ORDER BY 1, 2, 3`)
      .all(owner.teamId, owner.userId);
  }
  return JSON.stringify(out);
}

/** `PRAGMA integrity_check` of a database file, opened the way the app opens it (WAL recovery included). */
export function integrityOf(file: string): string {
  const db = openDatabase(file);
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

/** `/proc/<pid>/status` VmRSS in bytes (Linux). */
export function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

export interface ChildLadder {
  api: LocalSlackApi;
  child: ChildApp;
  sender: SignedSender;
  port: number;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
}

/** The real app in its own process (`npm start`), HTTP mode on loopback, against a local Slack API. */
export async function startChildLadder(opts: {
  dbPath: string;
  api?: LocalSlackApi;
  env?: NodeJS.ProcessEnv;
  senderTimeoutMs?: number;
}): Promise<ChildLadder> {
  const api =
    opts.api ??
    (await startLocalSlackApi({ botToken: BOT_TOKEN, scopes: manifestScopes(), teamId: TEAM, users: USERS }));
  const child = spawnLadder({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: api.url,
    PORT: '0',
    DATABASE_PATH: opts.dbPath,
    LOG_LEVEL: 'info',
    ...opts.env,
  });
  let started: Record<string, unknown>;
  try {
    started = await child.waitForLog('ladder started', 60_000);
  } catch (err) {
    child.proc.kill('SIGKILL');
    throw err;
  }
  const port = Number(started.port);
  const sender = createSignedSender({
    appUrl: `http://127.0.0.1:${port}/slack/events`,
    signingSecret: SIGNING_SECRET,
    api,
    command: COMMAND,
    teamId: TEAM,
    ...(opts.senderTimeoutMs ? { timeoutMs: opts.senderTimeoutMs } : {}),
  });
  return {
    api,
    child,
    sender,
    port,
    async stop() {
      if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGTERM');
      await child.exited;
    },
  };
}
