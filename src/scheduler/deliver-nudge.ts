import { ErrorCode } from '@slack/web-api';
import { type NudgeDm, pickPrompt } from '../app/nudges.ts';
import type { AppContext } from '../context.ts';
import type { ClaimedNudge } from '../db/nudge-model.ts';
import { UNKNOWN_OUTCOME } from '../domain/nudge-report.ts';
import { isPausedAt, type NudgeSettings, nextAttemptAfterFailure } from '../domain/nudge-schedule.ts';
import { yieldsTo } from '../domain/tenant-move.ts';
import { describeError } from '../log.ts';

/** What became of one claimed nudge. 'lost': another process took the claim over first. */
export type DeliveryOutcome = 'sent' | 'failed' | 'skipped' | 'unconfirmed' | 'lost';

/** Slack's answers that mean the person is gone: switch their nudges off, never retry. */
const ACCOUNT_GONE = new Set(['user_not_found', 'account_inactive', 'user_disabled', 'cannot_dm_bot']);
/** The cached DM channel is no longer usable: forget it, the retry opens a fresh one. */
const STALE_CHANNEL = new Set(['channel_not_found', 'is_archived', 'not_in_channel']);
/** Request errors where the request certainly never reached Slack. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export interface DeliveryHooks {
  /**
   * Called after Slack accepted the message and before the ledger says 'sent'. Tests use it to
   * kill the process at the worst moment.
   */
  afterPost?: (job: ClaimedNudge) => void | Promise<void>;
}

export interface DeliveryDeps {
  ctx: AppContext;
  /** The DM on the bulk client: retries 0, rate-limited calls rejected (the ledger does the retrying). */
  dm: NudgeDm;
  hooks?: DeliveryHooks;
  /** The workspace queue pauses for Slack's Retry-After (seconds). */
  onRateLimited: (retryAfterSeconds: number) => void;
}

export type Failure =
  | { kind: 'gone'; reason: string }
  | { kind: 'failed'; reason: string; retryAfterSeconds?: number; staleChannel?: boolean }
  | { kind: 'unconfirmed'; reason: string };

/** Slack's error codes (`channel_not_found`): a body that is not Slack's JSON arrives as its text. */
const SLACK_ERROR_CODE = /^[a-z][a-z0-9_]*$/;

/**
 * Which failures left the message certainly unsent. Only Slack's own answers say so: `ok: false`
 * with an error code, or a 429. Anything else during the post (a 5xx, a body that is not Slack's
 * JSON, a timeout, a dropped connection) may come after Slack posted it: its outcome is unknown.
 * `posting`: the chat.postMessage call itself; the DM lookup before it is safe to repeat.
 */
export function classify(err: unknown, posting: boolean): Failure {
  const e = err as {
    code?: string;
    retryAfter?: number;
    statusCode?: number;
    data?: { error?: unknown };
    original?: { code?: string };
  };
  const unknown = (detail: string): Failure =>
    posting ? { kind: 'unconfirmed', reason: detail } : { kind: 'failed', reason: detail };
  switch (e.code) {
    case ErrorCode.RateLimitedError:
      return { kind: 'failed', reason: 'ratelimited', retryAfterSeconds: e.retryAfter ?? 1 };
    case ErrorCode.PlatformError: {
      const slackError = e.data?.error;
      if (typeof slackError !== 'string' || !SLACK_ERROR_CODE.test(slackError))
        return unknown('not_slack_json');
      if (ACCOUNT_GONE.has(slackError)) return { kind: 'gone', reason: slackError };
      return { kind: 'failed', reason: slackError, staleChannel: STALE_CHANNEL.has(slackError) };
    }
    case ErrorCode.HTTPError:
      return unknown(`http_${e.statusCode ?? 'error'}`);
    case ErrorCode.RequestError: {
      const code = e.original?.code ?? 'request_error';
      return NOT_SENT.has(code) ? { kind: 'failed', reason: code } : unknown(code);
    }
    default:
      return unknown('unexpected_error');
  }
}

/**
 * One weekly nudge: re-check the person's settings (the claim may have waited in the queue), pick
 * the prompt, open the DM, write 'sending', post, write 'sent'. Each ledger write is a
 * compare-and-set on this claim, so a nudge another process took over is never sent twice, and a
 * row left in 'sending' is never sent again.
 */
export async function deliverNudge(deps: DeliveryDeps, job: ClaimedNudge): Promise<DeliveryOutcome> {
  const { ctx, dm } = deps;
  const repo = ctx.repos.nudges;
  const owner = { teamId: job.teamId, userId: job.userId };
  // After app_uninstalled / tokens_revoked nothing more is sent to that workspace.
  if (!(await ctx.repos.workspaces.isWorkspaceActive(job.teamId))) {
    return (await repo.markSkipped(job, 'workspace-inactive', ctx.now())) ? 'skipped' : 'lost';
  }
  const settings = await repo.getSettings(owner);
  const skipReason = skipReasonOf(settings, job);
  if (skipReason || !settings) {
    return (await repo.markSkipped(job, skipReason ?? 'nudges-off', ctx.now())) ? 'skipped' : 'lost';
  }
  const elsewhere = await otherTenantReason(ctx, job);
  if (elsewhere) return (await repo.markSkipped(job, elsewhere, ctx.now())) ? 'skipped' : 'lost';
  const prompt = await pickPrompt(ctx, owner, settings.tz);
  if (!prompt) return (await repo.markSkipped(job, 'no-prompts', ctx.now())) ? 'skipped' : 'lost';

  let channelId: string;
  try {
    channelId = await dm.openDm(owner);
  } catch (err) {
    return await handleFailure(deps, job, classify(err, false), err);
  }
  if (!(await repo.markSending(job, prompt.id, channelId, ctx.now()))) return 'lost';
  let posted: { channel?: string; ts?: string };
  try {
    posted = await dm.postPrompt(owner, channelId, prompt);
  } catch (err) {
    return await handleFailure(deps, job, classify(err, true), err);
  }
  await deps.hooks?.afterPost?.(job);
  if (!posted.ts) return await handleFailure(deps, job, { kind: 'unconfirmed', reason: 'no_ts' }, undefined);
  await repo.markSent(
    job,
    { channelId: posted.channel ?? channelId, messageTs: posted.ts, promptId: prompt.id },
    ctx.now(),
  );
  return 'sent';
}

/** Why the person's own settings say this week's nudge is not to be sent, or null. */
function skipReasonOf(settings: NudgeSettings | undefined, job: ClaimedNudge): string | null {
  if (!settings?.enabled) return 'nudges-off';
  if (isPausedAt(settings, job.slotAt)) return 'paused';
  return settings.skipWeek === job.weekKey ? 'skipped-by-user' : null;
}

/**
 * Why another tenant of the person's org nudges them this week instead (their workspace rows have
 * not moved to the org-wide install yet), or null: it sent (or is sending) this week's nudge, or
 * it is due there too and that tenant comes first (../domain/tenant-move.ts `yieldsTo`).
 */
async function otherTenantReason(ctx: AppContext, job: ClaimedNudge): Promise<string | null> {
  const org = await ctx.repos.installations.orgOf(job.teamId);
  if (org.others.length === 0) return null;
  const { userId, weekKey } = job;
  if (await ctx.repos.nudges.sentInOtherTenant({ userId, weekKey, tenants: org.others })) {
    return 'sent-in-other-tenant';
  }
  for (const other of org.others.filter((t) => yieldsTo(job.teamId, t, org.enterpriseId))) {
    if (!(await ctx.repos.workspaces.isWorkspaceActive(other))) continue;
    const settings = await ctx.repos.nudges.getSettings({ teamId: other, userId });
    if (skipReasonOf(settings, job) === null) return 'due-in-other-tenant';
  }
  return null;
}

async function handleFailure(
  deps: DeliveryDeps,
  job: ClaimedNudge,
  failure: Failure,
  err: unknown,
): Promise<DeliveryOutcome> {
  const { ctx } = deps;
  const repo = ctx.repos.nudges;
  const owner = { teamId: job.teamId, userId: job.userId };
  const now = ctx.now();
  const where = { team: job.teamId, user: job.userId, week: job.weekKey };
  switch (failure.kind) {
    case 'gone':
      await repo.switchOff(owner, 'account-gone', now);
      ctx.logger.info('nudges switched off: the Slack account is gone', { ...where, reason: failure.reason });
      return (await repo.markSkipped(job, 'account-gone', now)) ? 'skipped' : 'lost';
    case 'unconfirmed':
      // At most once: the message may have gone out, so the row stays 'sending' and is never resent.
      await repo.noteUnconfirmed(job, UNKNOWN_OUTCOME, now);
      ctx.logger.warn('nudge delivery outcome unknown; not resending', {
        ...where,
        detail: failure.reason,
        ...(err === undefined ? {} : { error: describeError(err) }),
      });
      return 'unconfirmed';
    case 'failed': {
      if (failure.staleChannel) await repo.dropDmChannel(owner);
      const attempts = job.attempts + 1;
      let next = nextAttemptAfterFailure(attempts, job.tickAt);
      if (failure.retryAfterSeconds !== undefined) {
        deps.onRateLimited(failure.retryAfterSeconds);
        const honoured = job.tickAt.getTime() + failure.retryAfterSeconds * 1000;
        if (honoured > next.getTime()) next = new Date(honoured);
      }
      ctx.logger.warn('nudge delivery failed; will retry', {
        ...where,
        attempts,
        reason: failure.reason,
        retryAt: next.toISOString(),
      });
      return (await repo.markFailed(job, failure.reason, next, now)) ? 'failed' : 'lost';
    }
  }
}
