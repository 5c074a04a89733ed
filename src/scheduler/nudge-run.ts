import { hostname } from 'node:os';
import type { DigestDm } from '../app/digest.ts';
import type { AppContext } from '../context.ts';
import type { ClaimResult, LedgerEntry } from '../db/nudge-model.ts';
import { buildRunReport, type RunLine } from '../domain/nudge-report.ts';
import {
  dueNudges,
  type NudgeDecision,
  type NudgeSettings,
  type RetryCandidate,
  retryableRows,
  weekKeyAt,
} from '../domain/nudge-schedule.ts';
import { shiftWeekKey } from '../domain/zoned-time.ts';
import { type DigestRunOptions, runDigestsOnce } from './digest-run.ts';
import { type BatchOutcomes, emptyOutcomes, type NudgeSender } from './nudge-sender.ts';

/** The reason on a due line of a workspace whose send lease another instance holds. */
export const SENDER_ELSEWHERE = 'sender-elsewhere';

/** A claim outlives the run that made it by this much, plus the time its queue needs. */
const BASE_LEASE_MS = 10 * 60_000;

/** Who holds a claim: unique per process and per start. */
export function newLeaseOwner(kind: 'app' | 'cli'): string {
  return `${kind}:${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
}

export interface DueCheck {
  at: Date;
  users: NudgeSettings[];
  ledger: LedgerEntry[];
  /** The weeks' ledger rows start here. */
  sinceWeek: string;
  decisions: NudgeDecision[];
  retries: RetryCandidate[];
  /** Rows left in 'sending' by a process that is gone: never resent; counted and logged. */
  unconfirmed: LedgerEntry[];
}

/** "Who is due at `at`": the pure due rules over every opted-in person and the recent ledger. */
export async function findDueNudges(ctx: AppContext, at: Date): Promise<DueCheck> {
  const lateWindowHours = ctx.config.nudgeLateWindowHours;
  const repo = ctx.repos.nudges;
  const users = await repo.listEnabled();
  // A local week lags the UTC one by at most a day; the late window may reach further back.
  const sinceWeek = shiftWeekKey(weekKeyAt(at, null), -(1 + Math.ceil(lateWindowHours / 168)));
  const ledger = await repo.ledgerSince(sinceWeek);
  const decisions = dueNudges({ users, ledger, now: at, lateWindowHours });
  // Retries look at the few open rows, and at the settings of their people only.
  const open = ledger.filter((r) => r.state === 'failed' || r.state === 'claimed');
  const openKeys = new Set(open.map((r) => `${r.teamId}\u0000${r.userId}`));
  const retries = retryableRows(open, at, {
    lateWindowHours,
    users: open.length === 0 ? [] : users.filter((u) => openKeys.has(`${u.teamId}\u0000${u.userId}`)),
  });
  const atMs = at.getTime();
  const unconfirmed = ledger.filter(
    (r) => r.state === 'sending' && (r.leaseExpiresAt === null || r.leaseExpiresAt.getTime() <= atMs),
  );
  return { at, users, ledger, sinceWeek, decisions, retries, unconfirmed };
}

/**
 * Claims what is due for this process. The lease covers the time the queue needs at the send
 * rate (so a concurrent `nudges run` leaves these alone), and is counted from the run's instant.
 */
export async function claimDue(
  ctx: AppContext,
  check: DueCheck,
  leaseOwner: string,
  queued: number,
): Promise<ClaimResult> {
  const due = check.decisions.filter((d) => d.action === 'send').length + check.retries.length;
  const queueMs = ((queued + due) * 60_000 * 1.5) / Math.max(1, ctx.config.nudgeSendRate);
  const expiresAt = new Date(check.at.getTime() + BASE_LEASE_MS + queueMs);
  return await ctx.repos.nudges.claim(
    check.decisions,
    check.retries,
    { owner: leaseOwner, expiresAt },
    check.at,
    ctx.now(),
  );
}

export interface RunCounts {
  due: number;
  sent: number;
  failed: number;
  skipped: number;
  unconfirmed: number;
}

export function runCounts(check: DueCheck, claim: ClaimResult | null, outcomes: BatchOutcomes): RunCounts {
  const due = check.decisions.filter((d) => d.action === 'send').length + check.retries.length;
  return {
    due,
    sent: outcomes.sent,
    failed: outcomes.failed,
    skipped: (claim?.skipped.length ?? 0) + outcomes.skipped,
    unconfirmed: check.unconfirmed.length + outcomes.unconfirmed,
  };
}

export interface RunOnceResult {
  lines: RunLine[];
  counts: RunCounts;
}

export interface RunOnceOptions {
  dryRun: boolean;
  leaseOwner: string;
  /** Called right after the claim committed (tests kill the process here). */
  afterClaim?: () => void;
  /** The monthly digests run after the weekly nudges, their lines after the weekly ones. */
  digests?: { dm: DigestDm } & Pick<DigestRunOptions, 'afterClaim' | 'afterPost' | 'paceMs' | 'stopping'>;
}

/**
 * One due-check at `at`, as `nudges run` does it: claim, send through the throttled sender, wait
 * for those sends, and report one line per person. With `dryRun` nothing is written or sent.
 */
export async function runNudgesOnce(
  ctx: AppContext,
  sender: NudgeSender,
  at: Date,
  opts: RunOnceOptions,
): Promise<RunOnceResult> {
  const weekly = await runWeeklyOnce(ctx, sender, at, opts);
  if (!opts.digests) return weekly;
  const { dm, ...digestOpts } = opts.digests;
  const digestLines = await runDigestsOnce(ctx, dm, at, {
    ...digestOpts,
    dryRun: opts.dryRun,
    leaseOwner: opts.leaseOwner,
  });
  return { ...weekly, lines: [...weekly.lines, ...digestLines] };
}

async function runWeeklyOnce(
  ctx: AppContext,
  sender: NudgeSender,
  at: Date,
  opts: RunOnceOptions,
): Promise<RunOnceResult> {
  const check = await findDueNudges(ctx, at);
  if (opts.dryRun) {
    const lines = buildRunReport({
      users: check.users,
      ledger: check.ledger,
      decisions: check.decisions,
      at,
    });
    return { lines, counts: runCounts(check, null, emptyOutcomes()) };
  }
  // Workspaces another instance sends for are left to it: their due people read `sender-elsewhere`.
  const leased = await sender.leased(check);
  const claim = await claimDue(ctx, leased.check, opts.leaseOwner, sender.backlog());
  opts.afterClaim?.();
  const outcomes = await sender.enqueue(claim.claimed);
  const repo = ctx.repos.nudges;
  const ledger = await repo.ledgerSince(check.sinceWeek);
  // People the run acted on but who are now off (e.g. their account is gone) still get their line.
  const users = [...(await repo.listEnabled())];
  const known = new Set(users.map((u) => `${u.teamId}\u0000${u.userId}`));
  for (const c of [...check.decisions, ...claim.claimed]) {
    const k = `${c.teamId}\u0000${c.userId}`;
    if (known.has(k)) continue;
    const s = await repo.getSettings(c);
    if (s) users.push(s);
    known.add(k);
  }
  const retried = check.retries.map((r) => r.row);
  const lines = buildRunReport({ users, ledger, decisions: check.decisions, retried, at }).map((line) =>
    line.status === 'due' && !line.reason && leased.elsewhere.has(line.teamId)
      ? { ...line, reason: SENDER_ELSEWHERE }
      : line,
  );
  return { lines, counts: runCounts(check, claim, outcomes) };
}
