/**
 * The monthly digest's due-check and sends, on the weekly nudge's ledger machinery: claim under a
 * lease, write 'sending' just before the post and 'sent' after it; a post whose outcome is unknown
 * is never repeated; failures are retried inside the late window. Builds no Slack message: the
 * `DigestDm` port it is handed does.
 */
import { type DigestDm, digestContent } from '../app/digest.ts';
import type { AppContext } from '../context.ts';
import type { ClaimedDigest } from '../db/digest-repository.ts';
import type { LedgerEntry } from '../db/nudge-model.ts';
import {
  buildDigestRunReport,
  type DigestDecision,
  type DigestUser,
  dueDigests,
  monthKeyOf,
  retryableDigests,
  shiftMonthKey,
} from '../domain/digest-schedule.ts';
import { type RunLine, UNKNOWN_OUTCOME } from '../domain/nudge-report.ts';
import { nextAttemptAfterFailure } from '../domain/nudge-schedule.ts';
import { toLocal } from '../domain/zoned-time.ts';
import { describeError } from '../log.ts';
import { classify, type DeliveryOutcome, type Failure } from './deliver-nudge.ts';

/** A claim outlives the run that made it by this much, plus the time its sends need. */
const BASE_LEASE_MS = 10 * 60_000;

export interface DigestRunOptions {
  dryRun: boolean;
  leaseOwner: string;
  /** Called right after the claim committed (tests kill the process here). */
  afterClaim?: () => void;
  /** Called after Slack accepted a digest, before the ledger says so (tests kill the process here). */
  afterPost?: (job: ClaimedDigest) => void;
  /** Wait between two posts (the workspace's send rate); default none. */
  paceMs?: number;
  /** True once the process is shutting down: the claims not yet sent are released for the next run. */
  stopping?: () => boolean;
}

export interface DigestCheck {
  users: DigestUser[];
  decisions: DigestDecision[];
  retries: LedgerEntry[];
  sinceMonth: string;
}

/** Who is due at `at`: the pure rules over everyone opted in and the last months' digest rows. */
export async function findDueDigests(ctx: AppContext, at: Date): Promise<DigestCheck> {
  const repo = ctx.repos.digests;
  const users = await repo.listDigestUsers();
  const lateWindowHours = ctx.config.nudgeLateWindowHours;
  // The UTC month, one back for zones behind it, and as many as the late window reaches.
  const sinceMonth = shiftMonthKey(
    monthKeyOf(toLocal(at, 'UTC').date),
    -(1 + Math.ceil(lateWindowHours / 672)),
  );
  const ledger = await repo.digestLedgerSince(sinceMonth);
  const decisions = dueDigests({ users, ledger, now: at, lateWindowHours });
  const open = ledger.filter((r) => r.state === 'failed' || r.state === 'claimed');
  const retries =
    open.length === 0 ? [] : (retryableDigests(open, at, { lateWindowHours, users }) as LedgerEntry[]);
  return { users, decisions, retries, sinceMonth };
}

/**
 * One digest due-check at `at`, as `nudges run` does it: claim, send one after the other, and
 * report one line per person (kind `digest`). With `dryRun` nothing is written or sent.
 */
export async function runDigestsOnce(
  ctx: AppContext,
  dm: DigestDm,
  at: Date,
  opts: DigestRunOptions,
): Promise<RunLine[]> {
  const check = await findDueDigests(ctx, at);
  const repo = ctx.repos.digests;
  if (opts.dryRun) {
    const ledger = await repo.digestLedgerSince(check.sinceMonth);
    return buildDigestRunReport({ users: check.users, ledger, decisions: check.decisions, at });
  }
  const due = check.decisions.filter((d) => d.action === 'send').length + check.retries.length;
  const lease = {
    owner: opts.leaseOwner,
    expiresAt: new Date(at.getTime() + BASE_LEASE_MS + due * (opts.paceMs ?? 0) * 1.5),
  };
  const claimed = await repo.claimDigests(check.decisions, check.retries, lease, at, ctx.now());
  opts.afterClaim?.();
  await sendClaimed(ctx, dm, claimed, opts);
  const users = [...(await repo.listDigestUsers())];
  const known = new Set(users.map((u) => `${u.teamId}\u0000${u.userId}`));
  for (const c of claimed) {
    const s = known.has(`${c.teamId}\u0000${c.userId}`) ? undefined : await repo.getDigest(c);
    if (s) users.push(s);
  }
  const ledger = await repo.digestLedgerSince(check.sinceMonth);
  return buildDigestRunReport({ users, ledger, decisions: check.decisions, at });
}

/**
 * Sends the claimed digests one after the other at the pace asked, pausing for Slack's Retry-After.
 * On shutdown the rest are released at once, so the next run (of any process) takes them over.
 */
async function sendClaimed(
  ctx: AppContext,
  dm: DigestDm,
  claimed: readonly ClaimedDigest[],
  opts: DigestRunOptions,
): Promise<void> {
  let waitMs = 0;
  const onRateLimited = (seconds: number) => {
    waitMs = Math.max(waitMs, seconds * 1000);
  };
  for (const [i, job] of claimed.entries()) {
    if (i > 0) await sleep(Math.max(waitMs, opts.paceMs ?? 0), opts.stopping);
    waitMs = 0;
    if (opts.stopping?.()) {
      await ctx.repos.digests.releaseDigestClaims(opts.leaseOwner, ctx.now());
      return;
    }
    try {
      await deliverDigest(ctx, dm, job, { ...opts, onRateLimited });
    } catch (err) {
      // A job never crashes the process: the claim expires and a later run takes it over.
      ctx.logger.error('digest delivery crashed', {
        team: job.teamId,
        user: job.userId,
        error: describeError(err),
      });
    }
  }
}

/** Waits `ms`, or less once `stopping` says so (checked every 100 ms). */
async function sleep(ms: number, stopping?: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && !stopping?.()) {
    await new Promise((r) => setTimeout(r, Math.min(100, until - Date.now())));
  }
}

/** One digest: re-check the switch, build the content, open the DM, 'sending', post, 'sent'. */
export async function deliverDigest(
  ctx: AppContext,
  dm: DigestDm,
  job: ClaimedDigest,
  opts: Pick<DigestRunOptions, 'afterPost'> & { onRateLimited?: (seconds: number) => void } = {},
): Promise<DeliveryOutcome> {
  const repo = ctx.repos.digests;
  const owner = { teamId: job.teamId, userId: job.userId };
  if (!(await ctx.repos.workspaces.isWorkspaceActive(job.teamId))) {
    return (await repo.markDigestSkipped(job, 'workspace-inactive', ctx.now())) ? 'skipped' : 'lost';
  }
  const user = await repo.getDigest(owner);
  if (!user?.enabled)
    return (await repo.markDigestSkipped(job, 'digest-off', ctx.now())) ? 'skipped' : 'lost';
  const digest = await digestContent(ctx, user, shiftMonthKey(job.weekKey, -1));
  let channelId: string;
  try {
    channelId = await dm.openDm(owner);
  } catch (err) {
    return await digestFailure(ctx, job, classify(err, false), err, opts.onRateLimited);
  }
  if (!(await repo.markDigestSending(job, channelId, ctx.now()))) return 'lost';
  let posted: { channel?: string; ts?: string };
  try {
    posted = await dm.postDigest(owner, channelId, digest);
  } catch (err) {
    return await digestFailure(ctx, job, classify(err, true), err, opts.onRateLimited);
  }
  opts.afterPost?.(job);
  if (!posted.ts) return await digestFailure(ctx, job, { kind: 'unconfirmed', reason: 'no_ts' }, undefined);
  await repo.markDigestSent(job, { channelId: posted.channel ?? channelId, messageTs: posted.ts }, ctx.now());
  return 'sent';
}

async function digestFailure(
  ctx: AppContext,
  job: ClaimedDigest,
  failure: Failure,
  err: unknown,
  onRateLimited?: (seconds: number) => void,
): Promise<DeliveryOutcome> {
  const repo = ctx.repos.digests;
  const now = ctx.now();
  const where = { team: job.teamId, user: job.userId, month: job.weekKey };
  const error = err === undefined ? {} : { error: describeError(err) };
  switch (failure.kind) {
    case 'gone':
      // As for weekly nudges: the app stops writing to a gone account; the person can switch it on again.
      await repo.setDigest(job, false, now);
      ctx.logger.info('digest switched off: the Slack account is gone', { ...where, reason: failure.reason });
      return (await repo.markDigestSkipped(job, 'account-gone', now)) ? 'skipped' : 'lost';
    case 'unconfirmed':
      // At most once: the message may have gone out, so the row stays 'sending' and is never resent.
      await repo.noteDigestUnconfirmed(job, UNKNOWN_OUTCOME, now);
      ctx.logger.warn('digest delivery outcome unknown; not resending', {
        ...where,
        detail: failure.reason,
        ...error,
      });
      return 'unconfirmed';
    case 'failed': {
      if (failure.staleChannel) await ctx.repos.nudges.dropDmChannel(job);
      const attempts = job.attempts + 1;
      let next = nextAttemptAfterFailure(attempts, job.tickAt);
      if (failure.retryAfterSeconds !== undefined) {
        onRateLimited?.(failure.retryAfterSeconds);
        const honoured = job.tickAt.getTime() + failure.retryAfterSeconds * 1000;
        if (honoured > next.getTime()) next = new Date(honoured);
      }
      ctx.logger.warn('digest delivery failed; will retry', { ...where, attempts, reason: failure.reason });
      return (await repo.markDigestFailed(job, failure.reason, next, now)) ? 'failed' : 'lost';
    }
  }
}
