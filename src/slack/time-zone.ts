import type { WebClient } from '@slack/web-api';
import { recordTimeZone } from '../app/nudges.ts';
import type { AppContext } from '../context.ts';
import type { Owner, Profile } from '../domain/types.ts';
import { describeError } from '../log.ts';

const TZ_MAX_AGE_MS = 24 * 3600 * 1000;

/**
 * The user's time zone from Slack (`users.info` → `tz`), read on first contact and refreshed when
 * older than 24 h. A failed lookup keeps what we had (UTC when nothing), never fails the request.
 */
export async function ensureTimeZone(ctx: AppContext, client: WebClient, owner: Owner): Promise<Profile> {
  const profile = await ctx.repos.profiles.getOrEmpty(owner);
  const now = ctx.now();
  if (profile.tzCheckedAt && now.getTime() - Date.parse(profile.tzCheckedAt) < TZ_MAX_AGE_MS) return profile;
  try {
    const res = await client.users.info({ user: owner.userId });
    const tz = typeof res.user?.tz === 'string' && res.user.tz !== '' ? res.user.tz : null;
    await recordTimeZone(ctx, owner, tz, now);
    return { ...profile, tz, tzCheckedAt: now.toISOString() };
  } catch (err) {
    ctx.logger.warn('users.info failed; keeping the stored time zone', { error: describeError(err) });
    return profile;
  }
}

/** True when a Slack call is needed before the time zone can be trusted. */
export async function timeZoneIsStale(ctx: AppContext, owner: Owner): Promise<boolean> {
  const p = await ctx.repos.profiles.get(owner);
  return !p?.tzCheckedAt || ctx.now().getTime() - Date.parse(p.tzCheckedAt) >= TZ_MAX_AGE_MS;
}
