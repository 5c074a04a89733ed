import path from 'node:path';
import type { SentResponse } from '../../src/local/signed-sender.ts';
import { startLocalSlackApi } from '../../src/local/slack-api.ts';
import { encodePage } from '../../src/slack/blocks/evidence.ts';
import { ActionId, BlockId } from '../../src/slack/ids.ts';
import { BOT_TOKEN, manifestScopes, TEAM } from './harness.ts';
import { rssOf, seededRandom, shown, sleep, startChildLadder } from './reliability.ts';
import { tempDir } from './tmp.ts';

export interface LoadOptions {
  users: number;
  /** Total run, warm-up included. */
  durationMs: number;
  warmupMs: number;
  seed?: number;
}

export interface LoadReport {
  requests: number;
  /** Non-200 answers, acks slower than Slack's 3 s, replies that never came, requests that failed. */
  errors: string[];
  /** Error-level lines the app logged. */
  errorLogs: string[];
  ackMs: { p50: number; p99: number; max: number };
  /** Request to the reply the person sees (ack body or response URL post). */
  replyMs: { p50: number; p99: number };
  rssAfterWarmup: number;
  rssAtEnd: number;
  /** (end − after warm-up) / after warm-up. */
  rssGrowth: number;
  /** RSS every 5 s after warm-up, bytes. */
  rssSamples: number[];
  byAction: Record<string, number>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** The mix each simulated person draws from: weights of mixed commands and interactions. */
const MIX: Array<[string, number]> = [
  ['log', 30],
  ['evidence', 12],
  ['content', 12],
  ['summary', 8],
  ['me', 4],
  ['nudge status', 4],
  ['page', 10],
  ['edit', 8],
  ['home', 10],
  ['export', 2],
];

/**
 * N simulated people use the real app (a child process in HTTP mode on loopback, against the
 * local Slack API) for `durationMs`: mixed commands and interactions, each person one at a time
 * with a short think time, as people do. Bounded: every loop stops at the deadline.
 */
export async function runLoad(opts: LoadOptions): Promise<LoadReport> {
  const rand = seededRandom(opts.seed ?? 7);
  const users = Array.from({ length: opts.users }, (_, i) => ({
    id: `U0LOAD${String(i).padStart(3, '0')}`,
    name: `load${i}`,
    tz: ['America/New_York', 'Europe/Berlin', 'Asia/Tokyo', 'UTC'][i % 4] as string,
  }));
  const api = await startLocalSlackApi({
    botToken: BOT_TOKEN,
    scopes: manifestScopes(),
    teamId: TEAM,
    users,
  });
  const app = await startChildLadder({
    dbPath: path.join(tempDir('ladder-load-'), 'load.db'),
    api,
    env: { LOG_LEVEL: 'info' },
    senderTimeoutMs: 15_000,
  });
  const pid = app.child.proc.pid as number;
  const ack: number[] = [];
  const reply: number[] = [];
  const errors: string[] = [];
  const byAction: Record<string, number> = {};
  const started = Date.now();
  const deadline = started + opts.durationMs;
  const warmEnd = started + opts.warmupMs;
  let measuring = false;

  const timed = async (name: string, send: () => Promise<SentResponse>, expectReply: boolean) => {
    const t0 = performance.now();
    let res: SentResponse;
    try {
      res = await send();
    } catch (err) {
      errors.push(`${name}: ${(err as Error).message}`);
      return undefined;
    }
    const acked = performance.now() - t0;
    if (measuring) ack.push(acked);
    byAction[name] = (byAction[name] ?? 0) + 1;
    if (res.status !== 200) errors.push(`${name}: HTTP ${res.status}`);
    if (acked > 3_000) errors.push(`${name}: ack after ${Math.round(acked)} ms`);
    if (expectReply) {
      const inAck = res.json !== undefined && shown(res.json).trim() !== '';
      if (!inAck && res.responseUrl) {
        try {
          await app.sender.waitForResponse(res.responseUrl, { timeoutMs: 10_000 });
        } catch {
          errors.push(`${name}: no reply`);
        }
      }
      if (measuring) reply.push(performance.now() - t0);
    }
    return res;
  };

  const pick = () => {
    const total = MIX.reduce((a, [, w]) => a + w, 0);
    let r = rand() * total;
    for (const [name, w] of MIX) {
      r -= w;
      if (r < 0) return name;
    }
    return 'log';
  };

  const person = async (userId: string, k: number) => {
    let lastEntryId: string | undefined;
    for (let i = 0; Date.now() < deadline; i++) {
      const action = pick();
      switch (action) {
        case 'log': {
          const res = await timed(
            'log',
            () => app.sender.command({ userId, text: `log load ${k}.${i} shipped the thing #process` }),
            true,
          );
          const id = /"action_id":"evidence_undo","value":"(\d+)"/.exec(JSON.stringify(res?.json ?? {}))?.[1];
          if (id) lastEntryId = id;
          break;
        }
        case 'evidence':
          await timed('evidence', () => app.sender.command({ userId, text: 'evidence' }), true);
          break;
        case 'content': {
          const text = ['lead', 'compare senior lead', 'levels', 'tpm5', 'help'][i % 5] as string;
          await timed('content', () => app.sender.command({ userId, text }), true);
          break;
        }
        case 'summary':
          await timed('summary', () => app.sender.command({ userId, text: 'summary' }), true);
          break;
        case 'me':
          await timed('me', () => app.sender.command({ userId, text: 'me' }), true);
          break;
        case 'nudge status':
          await timed('nudge status', () => app.sender.command({ userId, text: 'nudge status' }), true);
          break;
        case 'page':
          await timed(
            'page',
            () =>
              app.sender.blockActions({
                userId,
                actions: [
                  {
                    action_id: ActionId.evidencePage,
                    block_id: BlockId.evidencePager,
                    value: encodePage(5, 5, null),
                  },
                ],
              }),
            true,
          );
          break;
        case 'edit': {
          if (!lastEntryId) break;
          const entryId = lastEntryId;
          const res = await timed(
            'edit',
            () =>
              app.sender.blockActions({
                userId,
                actions: [
                  { action_id: ActionId.evidenceEdit, block_id: BlockId.evidenceActions, value: entryId },
                ],
              }),
            false,
          );
          if (!res) break;
          const deadlineModal = Date.now() + 5_000;
          let modal = api.state.openModals(userId).at(-1);
          while (!modal && Date.now() < deadlineModal) {
            await sleep(20);
            modal = api.state.openModals(userId).at(-1);
          }
          if (!modal) {
            errors.push('edit: no modal');
            break;
          }
          const f = (x: Record<string, unknown>) => ({ [ActionId.formValue]: x });
          await timed(
            'edit submit',
            () =>
              app.sender.viewSubmission({
                userId,
                view: modal.view as Record<string, unknown>,
                values: {
                  [BlockId.evidenceText]: f({
                    type: 'plain_text_input',
                    value: `load ${k}.${i} edited #people`,
                  }),
                  [BlockId.evidenceDate]: f({ type: 'datepicker', selected_date: '2026-11-20' }),
                },
              }),
            false,
          );
          break;
        }
        case 'home':
          await timed(
            'home',
            () =>
              app.sender.event({
                event: { type: 'app_home_opened', user: userId, channel: api.openDm(userId), tab: 'home' },
              }),
            false,
          );
          break;
        case 'export':
          await timed('export', () => app.sender.command({ userId, text: 'export json' }), true);
          break;
      }
      await sleep(100 + Math.floor(rand() * 300));
    }
  };

  const people = users.map((u, k) => person(u.id, k));
  await sleep(Math.max(0, warmEnd - Date.now()));
  measuring = true;
  const rssAfterWarmup = rssOf(pid);
  const rssSamples = [rssAfterWarmup];
  const sampler = setInterval(() => rssSamples.push(rssOf(pid)), 5_000);
  await Promise.all(people);
  clearInterval(sampler);
  const rssAtEnd = rssOf(pid);
  rssSamples.push(rssAtEnd);
  await app.stop();
  await api.close();

  const errorLogs = app.child
    .output()
    .split('\n')
    .filter((l) => l.includes('"level":"error"'));
  ack.sort((a, b) => a - b);
  reply.sort((a, b) => a - b);
  return {
    requests: Object.values(byAction).reduce((a, b) => a + b, 0),
    errors,
    errorLogs,
    ackMs: { p50: percentile(ack, 50), p99: percentile(ack, 99), max: ack.at(-1) ?? Number.NaN },
    replyMs: { p50: percentile(reply, 50), p99: percentile(reply, 99) },
    rssAfterWarmup,
    rssAtEnd,
    rssGrowth: (rssAtEnd - rssAfterWarmup) / rssAfterWarmup,
    rssSamples,
    byAction,
  };
}
