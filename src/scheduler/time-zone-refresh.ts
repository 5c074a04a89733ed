import { ErrorCode } from '@slack/web-api';
import { recordTimeZone } from '../app/nudges.ts';
import type { AppContext } from '../context.ts';
import { describeError } from '../log.ts';
import type { TeamClients } from './team-clients.ts';

const DAY_MS = 24 * 3600 * 1000;
/** users.info is Tier 4 (100+ per minute); stay well under it. */
const MAX_PER_MINUTE = 90;
/** Everyone is refreshed within this many ticks (20 hours), so a day's refreshes spread out. */
const SPREAD_TICKS = 1200;

/** How many time zones one minute's tick refreshes: the day's work spread over the day. */
export function refreshesPerTick(optedIn: number): number {
  return Math.min(MAX_PER_MINUTE, Math.max(1, Math.ceil(optedIn / SPREAD_TICKS)));
}

/**
 * The daily time-zone refresh, a slice per tick: opted-in people whose zone was read more than
 * 24 h ago (never-read first) get a `users.info`. A person whose account is gone is switched off.
 * Nudge sends never call users.info. Each workspace is asked with its own token.
 */
export async function refreshTimeZones(ctx: AppContext, clients: TeamClients): Promise<number> {
  const repo = ctx.repos.nudges;
  const now = ctx.now();
  const stale = await repo.staleTimeZones(
    new Date(now.getTime() - DAY_MS),
    refreshesPerTick(await repo.countEnabled()),
  );
  let refreshed = 0;
  for (const owner of stale) {
    // After app_uninstalled / tokens_revoked the bot goes quiet for that workspace.
    if (!(await ctx.repos.workspaces.isWorkspaceActive(owner.teamId))) continue;
    try {
      const client = await clients(owner.teamId);
      const res = await client.users.info({ user: owner.userId });
      if (res.user?.deleted) {
        await repo.switchOff(owner, 'account-gone', now);
        ctx.logger.info('nudges switched off: the Slack account is gone', {
          team: owner.teamId,
          user: owner.userId,
        });
        continue;
      }
      const tz = typeof res.user?.tz === 'string' && res.user.tz !== '' ? res.user.tz : null;
      await recordTimeZone(ctx, owner, tz, now);
      refreshed += 1;
    } catch (err) {
      const e = err as { code?: string; data?: { error?: string } };
      if (
        e.code === ErrorCode.PlatformError &&
        ['user_not_found', 'account_inactive'].includes(e.data?.error ?? '')
      ) {
        await repo.switchOff(owner, 'account-gone', now);
        continue;
      }
      ctx.logger.warn('time zone refresh failed; trying again later', { error: describeError(err) });
      // Rate limited: the rest waits for the next tick.
      if (e.code === ErrorCode.RateLimitedError) break;
      // Anything else: keep the zone we have and look again in a day, so one person cannot block the rest.
      await ctx.repos.profiles.setTimeZone(owner, (await ctx.repos.profiles.get(owner))?.tz ?? null, now);
    }
  }
  return refreshed;
}
