import type { NudgeDm } from '../app/nudges.ts';
import type { AppContext } from '../context.ts';
import type { ClaimedNudge } from '../db/nudge-model.ts';
import { describeError } from '../log.ts';
import { type DeliveryHooks, type DeliveryOutcome, deliverNudge } from './deliver-nudge.ts';

export interface NudgeSenderOptions {
  ctx: AppContext;
  /**
   * The DM on its own client (`retries: 0`, `rejectRateLimitedCalls: true`), never the one that
   * answers commands.
   */
  dm: NudgeDm;
  /** Messages per minute per workspace (NUDGE_SEND_RATE). */
  ratePerMinute: number;
  /** Sends in flight per workspace at most (default 8). */
  concurrency?: number;
  hooks?: DeliveryHooks;
  /** Milliseconds of a monotonic clock, for pacing (default performance.now). */
  clock?: () => number;
}

export type BatchOutcomes = Record<DeliveryOutcome, number>;

export interface NudgeSender {
  /** Queues claimed nudges; resolves with their outcomes once all of them are done. Never rejects. */
  enqueue(jobs: readonly ClaimedNudge[]): Promise<BatchOutcomes>;
  /** Nudges queued or in flight. */
  backlog(): number;
  /** Resolves when nothing is queued or in flight. */
  drain(): Promise<void>;
  /**
   * Stops taking queued nudges, waits (bounded) for the ones in flight, and returns the nudges
   * that were never started: their claims are still this process'.
   */
  stop(timeoutMs?: number): Promise<ClaimedNudge[]>;
}

interface Item {
  job: ClaimedNudge;
  done: (outcome: DeliveryOutcome) => void;
}

interface WorkspaceQueue {
  items: Item[];
  /** When the next send may start (pacing). */
  nextAt: number;
  /** Retry-After: no send starts before this. */
  pausedUntil: number;
  inFlight: number;
  timer: NodeJS.Timeout | undefined;
}

export const emptyOutcomes = (): BatchOutcomes => ({
  sent: 0,
  failed: 0,
  skipped: 0,
  unconfirmed: 0,
  lost: 0,
});

/**
 * The throttled sender: one queue per workspace, each started at most `ratePerMinute` per minute
 * and paused for Slack's Retry-After after a 429. Rate limits are per workspace, so one busy
 * workspace never slows another; the tick only enqueues and never waits for these sends.
 */
export function createNudgeSender(opts: NudgeSenderOptions): NudgeSender {
  const clock = opts.clock ?? (() => performance.now());
  const interval = 60_000 / Math.max(1, opts.ratePerMinute);
  const concurrency = Math.max(1, opts.concurrency ?? 8);
  const queues = new Map<string, WorkspaceQueue>();
  let stopped = false;
  const idleWaiters: Array<() => void> = [];

  const backlog = () => backlogOf(queues.values());
  const notifyIfIdle = () => {
    if (backlog() > 0) return;
    for (const w of idleWaiters.splice(0)) w();
  };

  function pump(q: WorkspaceQueue): void {
    if (q.timer) {
      clearTimeout(q.timer);
      q.timer = undefined;
    }
    while (!stopped && q.items.length > 0 && q.inFlight < concurrency) {
      const t = clock();
      const readyAt = Math.max(q.nextAt, q.pausedUntil);
      if (readyAt > t) {
        q.timer = setTimeout(() => pump(q), Math.ceil(readyAt - t));
        return;
      }
      // Keep the average rate when timers fire late, without bursting after an idle spell.
      q.nextAt = (t - q.nextAt > interval ? t : q.nextAt) + interval;
      const item = q.items.shift() as Item;
      q.inFlight += 1;
      void run(q, item);
    }
  }

  async function run(q: WorkspaceQueue, item: Item): Promise<void> {
    const outcome = await deliverOne(opts, clock, q, item.job);
    q.inFlight -= 1;
    item.done(outcome);
    pump(q);
    notifyIfIdle();
  }

  return {
    enqueue(jobs) {
      const outcomes = emptyOutcomes();
      if (jobs.length === 0) return Promise.resolve(outcomes);
      return new Promise((resolve) => {
        let left = jobs.length;
        const done = (outcome: DeliveryOutcome) => {
          outcomes[outcome] += 1;
          left -= 1;
          if (left === 0) resolve(outcomes);
        };
        const touched = new Set(jobs.map((job) => queueFor(queues, job.teamId)));
        for (const job of jobs) queueFor(queues, job.teamId).items.push({ job, done });
        for (const q of touched) pump(q);
      });
    },

    backlog,

    drain() {
      if (backlog() === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },

    async stop(timeoutMs = 2_000) {
      stopped = true;
      const unstarted = dropUnstarted(queues.values());
      const deadline = clock() + timeoutMs;
      while ([...queues.values()].some((q) => q.inFlight > 0) && clock() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      for (const w of idleWaiters.splice(0)) w();
      return unstarted;
    },
  };
}

/** One nudge through `deliverNudge`; a crash is logged and counts as failed. Never rejects. */
async function deliverOne(
  opts: NudgeSenderOptions,
  clock: () => number,
  q: WorkspaceQueue,
  job: ClaimedNudge,
): Promise<DeliveryOutcome> {
  const { ctx } = opts;
  try {
    return await deliverNudge(
      {
        ctx,
        dm: opts.dm,
        ...(opts.hooks ? { hooks: opts.hooks } : {}),
        onRateLimited: (seconds) => {
          q.pausedUntil = Math.max(q.pausedUntil, clock() + seconds * 1000);
        },
      },
      job,
    );
  } catch (err) {
    // A bug or a database error: the claim stays until its lease runs out, then a later run retries.
    ctx.logger.error('nudge delivery crashed', {
      team: job.teamId,
      user: job.userId,
      week: job.weekKey,
      error: describeError(err),
    });
    return 'failed';
  }
}

/** Empties the queues and stops their timers; the nudges never started, each counted as lost. */
function dropUnstarted(queues: Iterable<WorkspaceQueue>): ClaimedNudge[] {
  const unstarted: ClaimedNudge[] = [];
  for (const q of queues) {
    if (q.timer) clearTimeout(q.timer);
    q.timer = undefined;
    for (const item of q.items.splice(0)) {
      unstarted.push(item.job);
      item.done('lost');
    }
  }
  return unstarted;
}

/** The workspace's queue, made on first use. */
function queueFor(queues: Map<string, WorkspaceQueue>, teamId: string): WorkspaceQueue {
  let q = queues.get(teamId);
  if (!q) {
    q = { items: [], nextAt: 0, pausedUntil: 0, inFlight: 0, timer: undefined };
    queues.set(teamId, q);
  }
  return q;
}

/** Nudges queued or in flight, over all workspaces. */
function backlogOf(queues: Iterable<WorkspaceQueue>): number {
  let n = 0;
  for (const q of queues) n += q.items.length + q.inFlight;
  return n;
}
