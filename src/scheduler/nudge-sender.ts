import type { NudgeDm } from '../app/nudges.ts';
import type { AppContext } from '../context.ts';
import type { ClaimedNudge } from '../db/nudge-model.ts';
import type { SendLeaseRepository } from '../db/send-lease-repository.ts';
import type { NudgeDecision, RetryCandidate } from '../domain/nudge-schedule.ts';
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
  /**
   * The workspaces' send leases (the database's `send_leases`): with them, this sender sends a
   * workspace's DMs only while it holds that workspace's lease, so the rate holds across every
   * instance on the database. Without them (a test's sender) every workspace is this sender's.
   */
  leases?: SenderLeases;
}

export interface SenderLeases {
  repo: SendLeaseRepository;
  /** This process (newLeaseOwner). */
  owner: string;
  /**
   * How long a lease lasts unrenewed (default 60 s; renewed every third of it while sending):
   * after a crash another instance's next tick takes the workspace over, within 2 minutes.
   */
  ttlMs?: number;
  /**
   * Wall-clock milliseconds (default Date.now): a lease is about live processes, so it never
   * follows the app's `now`, which a test or `nudges run --at` may fix.
   */
  wallClock?: () => number;
}

/** A due-check's sends, kept to the workspaces whose lease this sender holds. */
export interface LeasedCheck<C> {
  check: C;
  /** Workspaces with something due whose lease another instance holds: nothing sent there. */
  elsewhere: Set<string>;
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
   * that were never started: their claims are still this process'. Its send leases end.
   */
  stop(timeoutMs?: number): Promise<ClaimedNudge[]>;
  /**
   * Takes (or keeps) the send lease of each workspace with a send due in `check`, and keeps the
   * check's sends and retries to those workspaces, at most `perWorkspace` queued per workspace
   * (the rest stay due for a later tick). Skips stay: recording one needs no lease.
   */
  leased<C extends { decisions: NudgeDecision[]; retries: RetryCandidate[] }>(
    check: C,
    opts?: { perWorkspace?: number },
  ): Promise<LeasedCheck<C>>;
}

interface Item {
  job: ClaimedNudge;
  done: (outcome: DeliveryOutcome) => void;
}

interface WorkspaceQueue {
  teamId: string;
  items: Item[];
  /** When the next send may start (pacing). */
  nextAt: number;
  /** Retry-After: no send starts before this. */
  pausedUntil: number;
  inFlight: number;
  timer: NodeJS.Timeout | undefined;
  /** This sender holds the workspace's send lease (always, without leases). */
  held: boolean;
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
  const leases = opts.leases ? leaseKeeper(opts.ctx, opts.leases, interval) : undefined;

  const backlog = () => backlogOf(queues.values());
  const notifyIfIdle = () => {
    if (backlog() > 0) return;
    for (const w of idleWaiters.splice(0)) w();
  };
  const releaseIdle = () => releaseIdleLeases(queues.values(), leases, clock);

  function pump(q: WorkspaceQueue): void {
    if (q.timer) {
      clearTimeout(q.timer);
      q.timer = undefined;
    }
    if (!q.held) {
      // Another instance sends this workspace's DMs: ask again until its lease ends.
      if (leases && !stopped && q.items.length > 0)
        q.timer = setTimeout(() => void leases.acquire(q).then(() => pump(q)), leases.retryMs);
      return;
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
    releaseIdle();
    notifyIfIdle();
  }

  return {
    enqueue(jobs) {
      const sent = queueJobs(jobs, (teamId) => queueFor(queues, teamId, !leases), pump);
      releaseIdle();
      return sent;
    },

    backlog,

    drain() {
      if (backlog() === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },

    async stop(timeoutMs = 2_000) {
      stopped = true;
      const unstarted = dropUnstarted(queues.values());
      await waitForInFlight(queues.values(), clock, timeoutMs);
      for (const w of idleWaiters.splice(0)) w();
      await leases?.releaseAll(queues.values());
      return unstarted;
    },

    leased: (check, o = {}) =>
      keepToLeased(check, o.perWorkspace, (team) =>
        holdQueue(queueFor(queues, team, !leases), leases, stopped),
      ),
  };
}

/** The queue when this sender holds (or now takes) its workspace's lease, else null. */
async function holdQueue(
  q: WorkspaceQueue,
  leases: LeaseKeeper | undefined,
  stopped: boolean,
): Promise<WorkspaceQueue | null> {
  if (stopped) return null;
  return q.held || (await leases?.acquire(q, true)) ? q : null;
}

/** Idle queues hand their lease back, free from the instant their next send could start. */
function releaseIdleLeases(
  queues: Iterable<WorkspaceQueue>,
  leases: LeaseKeeper | undefined,
  clock: () => number,
): void {
  if (!leases) return;
  for (const q of queues)
    if (q.held && q.items.length === 0 && q.inFlight === 0) leases.release(q, q.nextAt - clock());
}

/** Puts the jobs on their workspaces' queues; resolves with their outcomes once all are done. */
function queueJobs(
  jobs: readonly ClaimedNudge[],
  queueOf: (teamId: string) => WorkspaceQueue,
  pump: (q: WorkspaceQueue) => void,
): Promise<BatchOutcomes> {
  const outcomes = emptyOutcomes();
  if (jobs.length === 0) return Promise.resolve(outcomes);
  return new Promise((resolve) => {
    let left = jobs.length;
    const done = (outcome: DeliveryOutcome) => {
      outcomes[outcome] += 1;
      left -= 1;
      if (left === 0) resolve(outcomes);
    };
    const touched = new Set(jobs.map((job) => queueOf(job.teamId)));
    for (const job of jobs) queueOf(job.teamId).items.push({ job, done });
    for (const q of touched) pump(q);
  });
}

/** Waits (at most `timeoutMs`) for the sends in flight. */
async function waitForInFlight(
  queues: Iterable<WorkspaceQueue>,
  clock: () => number,
  timeoutMs: number,
): Promise<void> {
  const all = [...queues];
  const deadline = clock() + timeoutMs;
  while (all.some((q) => q.inFlight > 0) && clock() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `NudgeSender.leased`: `hold` gives the workspace's queue when this sender holds its lease. */
async function keepToLeased<C extends { decisions: NudgeDecision[]; retries: RetryCandidate[] }>(
  check: C,
  perWorkspace: number | undefined,
  hold: (teamId: string) => Promise<WorkspaceQueue | null>,
): Promise<LeasedCheck<C>> {
  const teams = new Set<string>(check.retries.map((r) => r.row.teamId));
  for (const d of check.decisions) if (d.action === 'send') teams.add(d.teamId);
  const room = new Map<string, number>();
  const elsewhere = new Set<string>();
  for (const team of teams) {
    const q = await hold(team);
    if (q)
      room.set(team, Math.max(0, (perWorkspace ?? Number.POSITIVE_INFINITY) - q.items.length - q.inFlight));
    else elsewhere.add(team);
  }
  const take = (team: string) => {
    const left = room.get(team) ?? 0;
    if (left > 0) room.set(team, left - 1);
    return left > 0;
  };
  // Retries first: they are the older nudges.
  const retries = check.retries.filter((r) => take(r.row.teamId));
  const decisions = check.decisions.filter((d) => d.action === 'skip' || take(d.teamId));
  return { check: { ...check, decisions, retries }, elsewhere };
}

/** The longest a sender waits for a lease handed back free from its next paced send. */
const HAND_BACK_WAIT_MS = 5_000;

interface LeaseKeeper {
  /** How often a queue waiting for another instance's lease asks again. */
  retryMs: number;
  /**
   * Takes or renews the queue's workspace lease; true when held. A database error counts as not
   * held. `waitForHandBack`: a lease another sender handed back, free from its next paced send a
   * moment away, is waited for rather than refused (a `nudges run` right after another one).
   */
  acquire(q: WorkspaceQueue, waitForHandBack?: boolean): Promise<boolean>;
  /** Hands the lease back, free to others `nextSendInMs` from now (the pacing goes on across instances). */
  release(q: WorkspaceQueue, nextSendInMs: number): void;
  releaseAll(queues: Iterable<WorkspaceQueue>): Promise<void>;
}

/**
 * The sender's side of the send leases: taking them, renewing the held ones every third of their
 * life while their queue has work, and handing them back. Lease writes run one at a time, so a
 * renewal never lands after the release it raced.
 */
function leaseKeeper(ctx: AppContext, cfg: SenderLeases, intervalMs: number): LeaseKeeper {
  const ttl = cfg.ttlMs ?? 60_000;
  const wall = cfg.wallClock ?? Date.now;
  const { repo, owner } = cfg;
  const held = new Set<WorkspaceQueue>();
  let writes: Promise<unknown> = Promise.resolve();
  let renewTimer: NodeJS.Timeout | undefined;
  const serial = <T>(op: () => Promise<T>, fallback: T): Promise<T> => {
    const next = writes.then(op).catch((err: unknown) => {
      ctx.logger.warn('send lease write failed', { error: describeError(err) });
      return fallback;
    });
    writes = next;
    return next;
  };
  const drop = (q: WorkspaceQueue) => {
    q.held = false;
    held.delete(q);
    if (held.size === 0 && renewTimer) {
      clearInterval(renewTimer);
      renewTimer = undefined;
    }
  };
  const renew = () =>
    serial(async () => {
      for (const q of [...held]) {
        if (!held.has(q)) continue;
        if (q.items.length === 0 && q.inFlight === 0) {
          // Taken by a tick whose claim never reached the queue (it failed): not kept for nothing.
          drop(q);
          await repo.extend(q.teamId, owner, new Date(wall()));
          continue;
        }
        if (await repo.extend(q.teamId, owner, new Date(wall() + ttl))) continue;
        // Taken over (this process stalled past its lease): stop sending there until it is ours again.
        ctx.logger.warn('send lease taken over by another instance', { team: q.teamId });
        drop(q);
      }
    }, undefined);
  return {
    retryMs: Math.max(1_000, ttl / 4),
    async acquire(q, waitForHandBack = false) {
      const take = () =>
        serial(() => repo.acquire(q.teamId, owner, new Date(wall()), new Date(wall() + ttl)), false);
      let ok = await take();
      if (!ok && waitForHandBack) {
        const holder = await repo.holder(q.teamId).catch(() => undefined);
        const left = holder ? holder.expiresAt.getTime() - wall() : -1;
        // A live lease has at least two thirds of its life left; a handed-back one at most a send interval.
        if (left >= 0 && left <= Math.min(intervalMs, HAND_BACK_WAIT_MS)) {
          await new Promise((r) => setTimeout(r, left + 5));
          ok = await take();
        }
      }
      if (!ok) return false;
      q.held = true;
      held.add(q);
      renewTimer ??= setInterval(() => void renew(), ttl / 3);
      renewTimer.unref();
      return true;
    },
    release(q, nextSendInMs) {
      drop(q);
      void serial(() => repo.extend(q.teamId, owner, new Date(wall() + Math.max(0, nextSendInMs))), false);
    },
    async releaseAll(queues) {
      for (const q of queues) drop(q);
      await serial(() => repo.releaseAll(owner, new Date(wall() + intervalMs)), undefined);
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

/** The workspace's queue, made on first use (`held`: no leases, every workspace is this sender's). */
function queueFor(queues: Map<string, WorkspaceQueue>, teamId: string, held: boolean): WorkspaceQueue {
  let q = queues.get(teamId);
  if (!q) {
    q = { teamId, items: [], nextAt: 0, pausedUntil: 0, inFlight: 0, timer: undefined, held };
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
