import type { AppContext } from '../context.ts';
import { type Period, periodRange } from '../domain/period.ts';
import { type Summary, summarise } from '../domain/summary.ts';
import type { Owner, Profile } from '../domain/types.ts';

/** The default period of `/ladder summary` and of the App Home's "at a glance". */
export const DEFAULT_SUMMARY_PERIOD = '90d';

/**
 * The user's summary over a period, in their time zone: the period's entries from one indexed
 * query, and the dates of every entry (one DISTINCT query) so streaks can reach past the period.
 */
export async function summaryFor(
  ctx: AppContext,
  owner: Owner,
  profile: Profile,
  period: Period,
): Promise<Summary> {
  const now = ctx.now();
  const range = periodRange(period, now, profile.tz);
  return summarise({
    entries: await ctx.repos.evidence.inRange(owner, range.startDate, range.endDate),
    activityDates: await ctx.repos.evidence.activeDates(owner, range.endDate),
    profile,
    ladder: ctx.ladder,
    range,
    now,
    tz: profile.tz,
  });
}
