import type { WebClient, WebClientOptions } from '@slack/web-api';
import { createTask, type ScheduledTask } from 'node-cron';
import type { DigestDm } from '../app/digest.ts';
import type { NudgeDm } from '../app/nudges.ts';
import { type ConversionPass, convertUnreadableEntries, type NameLookup } from '../app/readable-text.ts';
import type { AppContext } from '../context.ts';
import type { ClaimResult } from '../db/nudge-model.ts';
import { digestsPossibleAt } from '../domain/digest-schedule.ts';
import { describeError, type Logger, toSlackLogger } from '../log.ts';
import type { DeliveryHooks } from './deliver-nudge.ts';
import { runDigestsOnce } from './digest-run.ts';
import {
  claimDue,
  type DueCheck,
  findDueNudges,
  leftForLater,
  newLeaseOwner,
  type RunOnceOptions,
  type RunOnceResult,
  runCounts,
  runNudgesOnce,
} from './nudge-run.ts';
import { type BatchOutcomes, createNudgeSender, type NudgeSender } from './nudge-sender.ts';
import {
  routedDigestDm,
  routedNameLookup,
  routedNudgeDm,
  sameClient,
  type TeamClients,
  type TokenFor,
  teamClients,
} from './team-clients.ts';
import { refreshTimeZones } from './time-zone-refresh.ts';

/** /healthz turns 503 when a started scheduler has not ticked for this long. */
export const STALL_AFTER_MS = 2 * 60_000;

export type SchedulerHealth = 'not-started' | 'ok' | 'stalled';

/**
 * The bulk client: no retries and 429s rejected at once (the ledger retries, later), a request
 * timeout, and none of the interactive client's queue, so weekly sends cannot stall replies.
 */
export function bulkClientOptions(slackApiUrl: string | undefined, logger: Logger): WebClientOptions {
  return {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    maxRequestConcurrency: 50,
    logger: toSlackLogger(logger, 'nudges'),
  };
}

export interface TickResult {
  check: DueCheck;
  claim: ClaimResult;
  /** Resolves when the claimed sends are done; the tick itself never waits for it. */
  sends: Promise<BatchOutcomes>;
}

export interface NudgeScheduler {
  /** Starts the every-minute tick. */
  start(): void;
  /** Stops ticking and sending; claims never started are released for the next run. */
  stop(): Promise<void>;
  health(): SchedulerHealth;
  /** One tick at `ctx.now()`: check, claim, enqueue. Returns without waiting for the sends. */
  tick(): Promise<TickResult>;
  /** `nudges run --at` through this scheduler's sender (the local workspace's clock control). */
  runOnce(at: Date, opts?: { dryRun?: boolean }): Promise<RunOnceResult>;
  /** One pass of the readable-text conversion (every tick starts one when none is running). */
  convertEntries(): Promise<ConversionPass>;
  readonly sender: NudgeSender;
  readonly leaseOwner: string;
}

export interface SchedulerOptions {
  ctx: AppContext;
  /** The single workspace's bot token; or, with many workspaces, `tokenFor`. */
  botToken?: string;
  /** Each tenant's own bot token (distribution mode: its installation's). */
  tokenFor?: TokenFor;
  /** Default: a bulk client per token at `ctx.config.slackApiUrl`. Given: every tenant uses it. */
  client?: WebClient;
  /** The Slack side of the nudge DM on that client (the composition root's). */
  nudgeDm: (client: WebClient) => NudgeDm;
  /** The Slack side of the monthly digest on that client; without it no digest is sent. */
  digestDm?: (client: WebClient) => DigestDm;
  /**
   * Names people for the readable-text conversion of older entries (slack/user-names.ts); without
   * it the scheduler converts nothing (the CLI's one-off runs).
   */
  nameLookup?: (client: WebClient) => NameLookup;
  /** Monotonic milliseconds for liveness, i.e. /healthz (default performance.now). */
  clock?: () => number;
  hooks?: DeliveryHooks;
}

export function createNudgeScheduler(opts: SchedulerOptions): NudgeScheduler {
  const { ctx } = opts;
  const logger = ctx.logger.child({ component: 'nudges' });
  const clock = opts.clock ?? (() => performance.now());
  const leaseOwner = newLeaseOwner('app');
  const { clients, sender } = bulkSending(opts, leaseOwner);
  let task: ScheduledTask | undefined;
  let startedAt: number | undefined;
  let lastTickAt: number | undefined;
  const zones = singleFlight(
    () => refreshTimeZones(ctx, clients),
    (err) => logger.warn('time zone refresh failed', { error: describeError(err) }),
  );
  let converting: Promise<ConversionPass> | undefined;
  let stopped = false;
  const digestDm = opts.digestDm ? routedDigestDm(opts.digestDm, clients) : undefined;
  const digests = digestPasses(ctx, digestDm, { leaseOwner, logger, stopping: () => stopped });
  const reportedUnconfirmed = new Set<string>();

  async function tick(): Promise<TickResult> {
    const check = await findDueNudges(ctx, ctx.now());
    const claim = await claimLeased(ctx, sender, check, leaseOwner);
    const sends = sender.enqueue(claim.claimed);
    lastTickAt = clock();
    reportUnconfirmed(logger, reportedUnconfirmed, check);
    logRunWhenSent(logger, check, claim, sends);
    if (!stopped) void soleInstance(ctx, JOB_TIME_ZONES, leaseOwner).then((mine) => mine && zones.start());
    if (!converting && !stopped) void convertEntries();
    if (!stopped) void soleInstance(ctx, JOB_DIGESTS, leaseOwner).then((mine) => mine && digests.start());
    return { check, claim, sends };
  }

  async function convertEntries(): Promise<ConversionPass> {
    const lookup = opts.nameLookup ? routedNameLookup(opts.nameLookup, clients) : undefined;
    if (!lookup) return { converted: 0, remaining: await ctx.repos.evidence.unconvertedCount() };
    converting ??= convertUnreadableEntries(ctx, lookup)
      .catch((err: unknown) => {
        logger.warn('readable text conversion failed; trying again next tick', { error: describeError(err) });
        return { converted: 0, remaining: -1 };
      })
      .finally(() => {
        converting = undefined;
      });
    return converting;
  }

  return {
    sender,
    leaseOwner,
    tick,
    convertEntries,

    start() {
      if (task) return;
      startedAt = clock();
      task = createTickTask(tick, logger);
      void task.start();
    },

    async stop() {
      stopped = true;
      if (task) await task.destroy();
      task = undefined;
      const unstarted = await sender.stop();
      await digests.done();
      if (unstarted.length > 0 && ctx.repos.connection.isOpen())
        await ctx.repos.nudges.releaseClaims(leaseOwner, ctx.now());
    },

    health() {
      if (startedAt === undefined || task === undefined) return 'not-started';
      return clock() - (lastTickAt ?? startedAt) > STALL_AFTER_MS ? 'stalled' : 'ok';
    },

    runOnce(at, o = {}) {
      return runNudgesOnce(ctx, sender, at, { dryRun: o.dryRun ?? false, leaseOwner, ...digests.options });
    },
  };
}

/**
 * The tick's claim: only the workspaces whose send lease this instance holds, and about a minute
 * and a half of sends each; the rest stay due for the next tick, on whichever instance holds the
 * lease then.
 */
async function claimLeased(
  ctx: AppContext,
  sender: NudgeSender,
  check: DueCheck,
  leaseOwner: string,
): Promise<ClaimResult> {
  const perWorkspace = Math.ceil(1.5 * ctx.config.nudgeSendRate);
  const leased = await sender.leased(check, { perWorkspace });
  return await claimDue(ctx, leftForLater(check, leased.check), leaseOwner, sender.backlog());
}

/**
 * Jobs one instance runs at a time, through a lease row of their own beside the workspaces' (a
 * key no Slack id can be): with three instances, three time-zone refreshes would call users.info
 * three times over, and three digest passes would each pace themselves at the workspace's rate.
 */
const JOB_TIME_ZONES = 'job:time-zone-refresh';
const JOB_DIGESTS = 'job:digests';
/** A job lease outlives a tick: the next tick renews it, or after a crash another instance takes it. */
const JOB_LEASE_MS = 90_000;

/** Whether this instance holds (or now takes) the job's lease; a database error says no. */
async function soleInstance(ctx: AppContext, job: string, owner: string): Promise<boolean> {
  const now = Date.now();
  return await ctx.repos.sendLeases
    .acquire(job, owner, new Date(now), new Date(now + JOB_LEASE_MS))
    .catch(() => false);
}

/** Runs `job` in the background, one run at a time: `start` does nothing while one is under way. */
function singleFlight(job: () => Promise<unknown>, onError: (err: unknown) => void) {
  let running: Promise<unknown> | undefined;
  return {
    start(): void {
      running ??= job()
        .catch(onError)
        .finally(() => {
          running = undefined;
        });
    },
    done: (): Promise<unknown> => running ?? Promise.resolve(),
  };
}

/** Digests go out one at a time beside the weekly queue; a tick starts a pass when none runs. */
function digestPasses(
  ctx: AppContext,
  dm: DigestDm | undefined,
  opts: { leaseOwner: string; logger: Logger; stopping: () => boolean },
): { start(): void; done(): Promise<unknown>; options: Pick<RunOnceOptions, 'digests'> } {
  const paceMs = 60_000 / Math.max(1, ctx.config.nudgeSendRate);
  const pass = singleFlight(
    async () => {
      // Most days of a month no digest can be due anywhere: the tick skips the 100k-row read.
      const now = ctx.now();
      if (!dm || !digestsPossibleAt(now, ctx.config.nudgeLateWindowHours)) return;
      await runDigestsOnce(ctx, dm, now, {
        dryRun: false,
        leaseOwner: opts.leaseOwner,
        paceMs,
        stopping: opts.stopping,
      });
    },
    (err) => opts.logger.warn('digest run failed; trying again next tick', { error: describeError(err) }),
  );
  return { ...pass, options: dm ? { digests: { dm, paceMs, stopping: opts.stopping } } : {} };
}

/**
 * The bulk clients, one per tenant's token (unless one client is given), and the throttled sender
 * of the nudge DMs, each on its workspace's own client.
 */
function bulkSending(
  opts: SchedulerOptions,
  leaseOwner: string,
): { clients: TeamClients; sender: NudgeSender } {
  const { ctx } = opts;
  const single = opts.botToken;
  const tokenFor: TokenFor = opts.tokenFor ?? (async () => single);
  const clients = opts.client
    ? sameClient(opts.client)
    : teamClients(tokenFor, bulkClientOptions(ctx.config.slackApiUrl, ctx.logger));
  const sender = createNudgeSender({
    ctx,
    dm: routedNudgeDm(opts.nudgeDm, clients),
    ratePerMinute: ctx.config.nudgeSendRate,
    leases: { repo: ctx.repos.sendLeases, owner: leaseOwner },
    ...(opts.hooks ? { hooks: opts.hooks } : {}),
  });
  return { clients, sender };
}

/** Warns once per nudge left in sending by a stopped process (it is not sent again). */
function reportUnconfirmed(logger: Logger, reported: Set<string>, check: DueCheck): void {
  for (const row of check.unconfirmed) {
    const key = `${row.teamId}\u0000${row.userId}\u0000${row.weekKey}`;
    if (reported.has(key)) continue;
    reported.add(key);
    logger.warn('nudge left in sending by a stopped process; not resending', {
      team: row.teamId,
      user: row.userId,
      week: row.weekKey,
    });
  }
}

/** Logs the run's counts once its sends are done: at info when anything happened, else debug. */
function logRunWhenSent(
  logger: Logger,
  check: DueCheck,
  claim: ClaimResult,
  sends: Promise<BatchOutcomes>,
): void {
  const at = check.at.toISOString();
  void sends.then((outcomes) => {
    const counts = runCounts(check, claim, outcomes);
    const busy = counts.due + counts.skipped + counts.sent + counts.failed > 0;
    (busy ? logger.info : logger.debug)('nudge run', { at, ...counts });
  });
}

/** The every-minute cron task around `tick`: never overlapping, and a failed tick only logged. */
function createTickTask(tick: () => void, logger: Logger): ScheduledTask {
  return createTask(
    '* * * * *',
    async () => {
      try {
        await tick();
      } catch (err) {
        // A job never crashes the process; a tick that keeps failing shows on /healthz.
        logger.error('nudge tick failed', { error: describeError(err) });
      }
    },
    {
      name: 'ladder-nudges',
      noOverlap: true,
      logger: {
        info: () => {},
        debug: () => {},
        warn: (m) => logger.warn('cron', { detail: String(m).slice(0, 200) }),
        error: (m) => logger.error('cron', { detail: String(m).slice(0, 200) }),
      },
    },
  );
}
