import { hostname } from 'node:os';
import type { DigestDm } from '../app/digest.ts';
import type { AppContext } from '../context.ts';
import type { ClaimResult, LedgerEntry } from '../db/nudge-model.ts';
import type { DueSettings, NextDue } from '../db/nudge-repository-due.ts';
import { buildRunReport, type RunLine } from '../domain/nudge-report.ts';
import {
  dueNudges,
  type NudgeDecision,
  type NudgeSettings,
  nextDueAt,
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

/**
 * Lets the event loop run between the tick's statements. SQLite's run synchronously, so a tick
 * with no turn in between blocks the loop (HTTP requests, Slack's acks) for its whole length; never
 * called inside a write transaction.
 */
const turnOfTheLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The most people one due-check reads: a whole zone on one slot is decided over a few ticks. */
export const DUE_BATCH = 500;
/** Takeovers per transaction: a crash leaves up to a batch of them to a tick. */
const TAKEOVER_CHUNK = 250;
/** `nudges run` decides batch after batch until no one is due; at most this many (50M people). */
const MAX_BATCHES_PER_RUN = 100_000;
export interface DueCheck {
  at: Date;
  /** The people whose next due instant had come (at most the batch). */
  users: NudgeSettings[];
  /** Their weekly ledger rows from `sinceWeek` on. */
  ledger: LedgerEntry[];
  /** The weeks' ledger rows start here. */
  sinceWeek: string;
  decisions: NudgeDecision[];
  retries: RetryCandidate[];
  /** Rows left in 'sending' by a process that is gone: never resent; counted and logged. */
  unconfirmed: LedgerEntry[];
  /** Where each person read moves to, written with the claim. */
  advance: NextDue[];
  /** True when the batch was full: more people may be due at `at` (the next batch takes them). */
  more: boolean;
}

/**
 * "Who is due at `at`": the pure due rules over the people whose stored next due instant has come
 * (at most `limit`, earliest first) with their recent ledger, and the open rows to retry.
 */
export async function findDueNudges(ctx: AppContext, at: Date, limit = DUE_BATCH): Promise<DueCheck> {
  const lateWindowHours = ctx.config.nudgeLateWindowHours;
  const repo = ctx.repos.nudges;
  // A local week lags the UTC one by at most a day; the late window may reach further back.
  const sinceWeek = shiftWeekKey(weekKeyAt(at, null), -(1 + Math.ceil(lateWindowHours / 168)));
  const { users, ledger } = await repo.dueBatch(at, sinceWeek, limit);
  await turnOfTheLoop();
  const decisions = dueNudges({ users, ledger, now: at, lateWindowHours });
  const windowStart = new Date(at.getTime() - lateWindowHours * 3_600_000);
  // The weeks from `sinceWeek` on, and a week more: rows left in 'sending' are reported that long.
  const weeksBack = 2 + Math.ceil(lateWindowHours / 168);
  const open = await repo.openRowsAt(at, sinceWeek, limit, {
    retryFrom: windowStart,
    unconfirmedFrom: new Date(at.getTime() - weeksBack * 7 * 86_400_000),
  });
  await turnOfTheLoop();
  // Retries look at the few open rows, and at the settings of their people only.
  const retries = retryableRows(open.retry, at, {
    lateWindowHours,
    users: await settingsOfRows(ctx, open.retry, users),
  });
  await turnOfTheLoop();
  const advance = nextDueOf(users, ledger, decisions, at, lateWindowHours);
  return {
    at,
    users,
    ledger,
    sinceWeek,
    decisions,
    retries,
    unconfirmed: open.unconfirmed,
    advance,
    more: users.length >= limit,
  };
}

const ownerKey = (o: { teamId: string; userId: string }) => `${o.teamId}\u0000${o.userId}`;

/** The current settings of the people of `rows` (from the batch when there, else read). */
async function settingsOfRows(
  ctx: AppContext,
  rows: readonly LedgerEntry[],
  batch: readonly NudgeSettings[],
): Promise<NudgeSettings[]> {
  if (rows.length === 0) return [];
  const known = new Map(batch.map((u) => [ownerKey(u), u]));
  const out = new Map<string, NudgeSettings>();
  const missing = new Map<string, LedgerEntry>();
  for (const r of rows) {
    const k = ownerKey(r);
    const s = known.get(k);
    if (s) out.set(k, s);
    else missing.set(k, r);
  }
  // The people not in the batch: one read for all of them.
  for (const s of await ctx.repos.nudges.settingsOfMany([...missing.values()])) out.set(ownerKey(s), s);
  return [...out.values()];
}

/**
 * Each person's next due instant once this check's decisions are written: the weeks of their rows
 * and of the decisions are handled. Always after `at`, so one person cannot hold a batch's place.
 */
function nextDueOf(
  users: readonly DueSettings[],
  ledger: readonly LedgerEntry[],
  decisions: readonly NudgeDecision[],
  at: Date,
  lateWindowHours: number,
): NextDue[] {
  const handled = new Map<string, Set<string>>();
  for (const r of [...ledger, ...decisions]) {
    const k = ownerKey(r);
    const weeks = handled.get(k) ?? new Set<string>();
    weeks.add(r.weekKey);
    handled.set(k, weeks);
  }
  const none = new Set<string>();
  const memo = new Map<string, number | string>();
  return users.map((u) => {
    const next = nextDueAt(u, handled.get(ownerKey(u)) ?? none, at, lateWindowHours, memo);
    // Null: nudges are off, the person leaves the index until they are switched on again.
    const after = next === null || next.getTime() > at.getTime() ? next : new Date(at.getTime() + 60_000);
    return { teamId: u.teamId, userId: u.userId, nextDueAt: after, dueMark: u.dueMark };
  });
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
  const lease = { owner: leaseOwner, expiresAt: new Date(check.at.getTime() + BASE_LEASE_MS + queueMs) };
  const repo = ctx.repos.nudges;
  await turnOfTheLoop();
  const nothing = check.decisions.length === 0 && check.advance.length === 0;
  const decided = nothing
    ? { claimed: [], skipped: [] }
    : await repo.claim(check.decisions, [], lease, check.at, ctx.now(), check.advance);
  // The takeovers (many only after a crash) in transactions of their own, the loop let run in
  // between: on SQLite one transaction of all of them and the batch blocked the loop for all.
  // Each row is a compare-and-set of its own, so a takeover never depends on another's commit.
  const claimed = [...decided.claimed];
  for (let i = 0; i < check.retries.length; i += TAKEOVER_CHUNK) {
    await turnOfTheLoop();
    const part = check.retries.slice(i, i + TAKEOVER_CHUNK);
    claimed.push(...(await repo.claim([], part, lease, check.at, ctx.now())).claimed);
  }
  return { claimed, skipped: decided.skipped };
}

/**
 * `leased`, a part of `check` kept to the workspaces this instance may send for now, with the
 * people whose send was left out (another instance's workspace, or beyond this one's share) kept
 * where they are in the due index: they stay due for the next tick, wherever it runs.
 */
export function leftForLater(check: DueCheck, leased: DueCheck): DueCheck {
  const kept = new Set<NudgeDecision>(leased.decisions);
  const left = new Set(check.decisions.filter((d) => !kept.has(d)).map(ownerKey));
  const keptRetries = new Set<RetryCandidate>(leased.retries);
  for (const r of check.retries) if (!keptRetries.has(r)) left.add(ownerKey(r.row));
  return { ...leased, advance: leased.advance.filter((a) => !left.has(ownerKey(a))) };
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
  const repo = ctx.repos.nudges;
  if (opts.dryRun) {
    // Nothing is written, so nothing moves on: one check reads everyone due.
    const check = await findDueNudges(ctx, at, Number.MAX_SAFE_INTEGER);
    const users = await repo.listEnabled();
    const ledger = await repo.ledgerSince(check.sinceWeek);
    const lines = buildRunReport({ users, ledger, decisions: check.decisions, at });
    return { lines, counts: runCounts(check, null, emptyOutcomes()) };
  }
  const run = await claimAllDue(ctx, sender, at, opts);
  const outcomes = sumOutcomes(await Promise.all(run.sends));
  const ledger = await repo.ledgerSince(run.check.sinceWeek);
  // People the run acted on but who are now off (e.g. their account is gone) still get their line.
  const users = [...(await repo.listEnabled())];
  const known = new Set(users.map(ownerKey));
  for (const c of [...run.check.decisions, ...run.claim.claimed]) {
    const k = ownerKey(c);
    if (known.has(k)) continue;
    const s = await repo.getSettings(c);
    if (s) users.push(s);
    known.add(k);
  }
  const retried = run.check.retries.map((r) => r.row);
  const lines = buildRunReport({ users, ledger, decisions: run.check.decisions, retried, at }).map((line) =>
    line.status === 'due' && !line.reason && run.elsewhere.has(line.teamId)
      ? { ...line, reason: SENDER_ELSEWHERE }
      : line,
  );
  return { lines, counts: runCounts(run.check, run.claim, outcomes) };
}

/**
 * Due-check and claim, batch after batch, until no one is left due at `at`; each batch's sends
 * are queued as soon as it is claimed. The checks and claims come back merged into one.
 */
async function claimAllDue(
  ctx: AppContext,
  sender: NudgeSender,
  at: Date,
  opts: RunOnceOptions,
): Promise<{
  check: DueCheck;
  claim: ClaimResult;
  sends: Promise<BatchOutcomes>[];
  elsewhere: Set<string>;
}> {
  let check: DueCheck | undefined;
  const claim: ClaimResult = { claimed: [], skipped: [] };
  const sends: Promise<BatchOutcomes>[] = [];
  const elsewhere = new Set<string>();
  let limit = DUE_BATCH;
  for (let i = 0; i < MAX_BATCHES_PER_RUN; i++) {
    const batch = await findDueNudges(ctx, at, limit);
    // Workspaces another instance sends for are left to it: their due people read `sender-elsewhere`.
    const leased = await sender.leased(batch);
    for (const team of leased.elsewhere) elsewhere.add(team);
    const mine = leftForLater(batch, leased.check);
    const claimed = await claimDue(ctx, mine, opts.leaseOwner, sender.backlog());
    if (i === 0) opts.afterClaim?.();
    sends.push(sender.enqueue(claimed.claimed));
    claim.claimed.push(...claimed.claimed);
    claim.skipped.push(...claimed.skipped);
    check = check ? mergeChecks(check, batch) : batch;
    if (!batch.more) break;
    // A batch that moved no one on (its people are due in workspaces another instance sends for)
    // would be read again as it is: the rest is read at once, so every person due gets a line.
    if (mine.advance.length === 0) {
      if (limit === Number.MAX_SAFE_INTEGER) break;
      limit = Number.MAX_SAFE_INTEGER;
    }
  }
  return { check: check as DueCheck, claim, sends, elsewhere };
}

/** Two batches' checks as one; a person or row the later batch read again counts once. */
function mergeChecks(a: DueCheck, b: DueCheck): DueCheck {
  const weekKey = (r: { teamId: string; userId: string; weekKey: string }) =>
    `${ownerKey(r)}\u0000${r.weekKey}`;
  const union = <T>(xs: readonly T[], ys: readonly T[], key: (x: T) => string): T[] => {
    const seen = new Set(xs.map(key));
    return [...xs, ...ys.filter((y) => !seen.has(key(y)))];
  };
  return {
    ...a,
    users: union(a.users, b.users, ownerKey),
    ledger: union(a.ledger, b.ledger, weekKey),
    decisions: union(a.decisions, b.decisions, weekKey),
    retries: union(a.retries, b.retries, (r) => weekKey(r.row)),
    advance: [...a.advance, ...b.advance],
    more: b.more,
  };
}

function sumOutcomes(all: readonly BatchOutcomes[]): BatchOutcomes {
  const sum = emptyOutcomes();
  for (const o of all) for (const k of Object.keys(sum) as Array<keyof BatchOutcomes>) sum[k] += o[k];
  return sum;
}
