import { ErrorCode, type WebClient } from '@slack/web-api';
import { LRUCache } from 'lru-cache';
import type { AppContext } from '../context.ts';
import { unlabelledUserIds } from '../domain/slack-text.ts';
import { describeError } from '../log.ts';

/** How many people's names one process keeps, and for how long (a renamed person shows up within it). */
export const NAME_CACHE_MAX = 5_000;
export const NAME_CACHE_TTL_MS = 6 * 3600 * 1000;
/** A text naming more people than this gets the rest as @someone rather than a long wait. */
const MAX_LOOKUPS_PER_TEXT = 10;

/** null: Slack said there is no such person (shown as @someone). */
type CachedName = { name: string | null };

const caches = new WeakMap<AppContext, LRUCache<string, CachedName>>();

/**
 * The per-process cache of display names, bounded and expiring on the app's clock. Names are other
 * people's public Slack profile names, kept in memory only, never stored or logged.
 */
function cacheOf(ctx: AppContext): LRUCache<string, CachedName> {
  let cache = caches.get(ctx);
  if (!cache) {
    cache = new LRUCache<string, CachedName>({
      max: NAME_CACHE_MAX,
      ttl: NAME_CACHE_TTL_MS,
      perf: { now: () => ctx.now().getTime() },
    });
    caches.set(ctx, cache);
  }
  return cache;
}

/** What Slack shows for a mention: the display name, else the full name, else the handle. */
function displayName(user: Record<string, unknown> | undefined): string | null {
  const profile = (user?.profile ?? {}) as Record<string, unknown>;
  for (const v of [profile.display_name, profile.real_name, user?.real_name, user?.name]) {
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return null;
}

export interface ResolvedNames {
  names: Map<string, string>;
  /** Some lookup failed for a reason that may pass (rate limit, timeout): worth trying again later. */
  incomplete: boolean;
}

/** Looks up, through the cache, the names of the people a Slack text mentions without a label. */
export async function resolveUserNames(
  ctx: AppContext,
  client: WebClient,
  teamId: string,
  slackText: string,
): Promise<ResolvedNames> {
  const cache = cacheOf(ctx);
  const names = new Map<string, string>();
  let incomplete = false;
  let lookups = 0;
  for (const id of unlabelledUserIds(slackText)) {
    const key = `${teamId}:${id}`;
    const cached = cache.get(key);
    if (cached) {
      if (cached.name) names.set(id, cached.name);
      continue;
    }
    if (lookups >= MAX_LOOKUPS_PER_TEXT) continue;
    lookups += 1;
    try {
      const res = await client.users.info({ user: id });
      const name = displayName(res.user as Record<string, unknown> | undefined);
      cache.set(key, { name });
      if (name) names.set(id, name);
    } catch (err) {
      // Slack's own refusal (user_not_found, a missing scope…) is final: that person reads @someone.
      // A rate limit, a timeout or a 5xx may pass: the conversion job tries again later.
      if ((err as { code?: string }).code === ErrorCode.PlatformError) {
        cache.set(key, { name: null });
      } else {
        incomplete = true;
        ctx.logger.info('users.info failed while naming a mention; trying again later', {
          error: describeError(err),
        });
      }
    }
  }
  return { names, incomplete };
}
