import type { Installation } from '@slack/bolt';
import type { InstallationRepository } from '../db/installation-repository.ts';

/**
 * Token rotation (Slack's rotated tokens last 12 hours): an installation carrying a refresh token
 * is refreshed inside the store's fetch once less than REFRESH_BEFORE_MS remain, by one instance
 * at a time: the one that takes the installation's refresh lease (30 s) in the database. Another
 * instance waits briefly and re-reads the fresh token. Bolt never sees the refresh token, so its
 * own refresh in authorize does not run beside ours.
 */
export const REFRESH_BEFORE_MS = 2 * 60 * 60 * 1000;
export const REFRESH_LEASE_MS = 30_000;
const WAIT_MS = 200;
const WAITS = 20;

export interface RefreshedToken {
  accessToken: string;
  refreshToken: string;
  /** Seconds the new access token lasts. */
  expiresIn: number;
}

/** Exchanges a refresh token at Slack (`oauth.v2.access`, grant_type=refresh_token). */
export type Refresher = (refreshToken: string) => Promise<RefreshedToken>;

export interface RotationDeps {
  repo: InstallationRepository;
  /** This instance, as named in the refresh lease. */
  owner: string;
  now: () => Date;
  refresh: Refresher;
  logger: { info(msg: string, meta?: object): void; error(msg: string, meta?: object): void };
  sleep?: (ms: number) => Promise<void>;
}

export class TokenRefreshError extends Error {
  constructor(tenantId: string, cause: unknown) {
    super(`the bot token of ${tenantId} expired and could not be refreshed: ${String(cause)}`);
    this.name = 'TokenRefreshError';
  }
}

type Bot = NonNullable<Installation['bot']>;

/** True when the bot token rotates and less than REFRESH_BEFORE_MS of it remain at `now`. */
export function needsRefresh(bot: Bot | undefined, now: Date): boolean {
  if (!bot?.refreshToken || bot.expiresAt === undefined) return false;
  return bot.expiresAt * 1000 - now.getTime() < REFRESH_BEFORE_MS;
}

/** True when the bot token has run out at `now`. */
function expired(bot: Bot | undefined, now: Date): boolean {
  return bot?.expiresAt !== undefined && bot.expiresAt * 1000 <= now.getTime();
}

/** The installation as Bolt may see it: without the refresh token and expiry (no second refresh). */
export function forBolt(installation: Installation): Installation {
  if (!installation.bot?.refreshToken) return installation;
  const { refreshToken: _r, expiresAt: _e, ...bot } = installation.bot;
  return { ...installation, bot };
}

/** Refreshes in flight in this process, by lease owner and tenant: concurrent fetches share one. */
const inFlight = new Map<string, Promise<Installation | undefined>>();

/**
 * The tenant's installation with a bot token that is not about to run out: refreshed here when
 * this instance takes the lease, else re-read once the instance holding it has stored the new one.
 * Concurrent fetches in one process share one refresh (the lease is per instance, so it cannot
 * tell them apart), and the installation is read again under the lease, so a refresh finished
 * meanwhile is never repeated with its spent refresh token.
 */
export async function freshInstallation(
  deps: RotationDeps,
  tenantId: string,
): Promise<Installation | undefined> {
  const found = (await deps.repo.find<Installation>(tenantId))?.data;
  if (!found || !needsRefresh(found.bot, deps.now())) return found;
  const key = `${deps.owner}\u0000${tenantId}`;
  let shared = inFlight.get(key);
  if (!shared) {
    shared = refreshOrWait(deps, tenantId, found).finally(() => inFlight.delete(key));
    inFlight.set(key, shared);
  }
  return shared;
}

async function refreshOrWait(
  deps: RotationDeps,
  tenantId: string,
  first: Installation,
): Promise<Installation | undefined> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let found: Installation | undefined = first;
  for (let wait = 0; found && needsRefresh(found.bot, deps.now()) && wait <= WAITS; wait++) {
    const now = deps.now();
    const until = new Date(now.getTime() + REFRESH_LEASE_MS);
    if (await deps.repo.takeRefreshLease(tenantId, deps.owner, now, until)) {
      const latest = (await deps.repo.find<Installation>(tenantId))?.data;
      if (latest && needsRefresh(latest.bot, deps.now())) return refreshUnderLease(deps, tenantId, latest);
      await deps.repo.releaseRefreshLease(tenantId, deps.owner);
      return latest;
    }
    await sleep(WAIT_MS);
    found = (await deps.repo.find<Installation>(tenantId))?.data;
  }
  return found;
}

async function refreshUnderLease(
  deps: RotationDeps,
  tenantId: string,
  current: Installation,
): Promise<Installation> {
  const bot = current.bot as Bot;
  let got: RefreshedToken;
  try {
    got = await deps.refresh(bot.refreshToken as string);
  } catch (err) {
    await deps.repo.releaseRefreshLease(tenantId, deps.owner);
    deps.logger.error('token refresh failed', { team: tenantId, error: String(err) });
    if (expired(bot, deps.now())) throw new TokenRefreshError(tenantId, err);
    return current;
  }
  const nowSec = Math.floor(deps.now().getTime() / 1000);
  const next: Installation = {
    ...current,
    bot: {
      ...bot,
      token: got.accessToken,
      refreshToken: got.refreshToken,
      expiresAt: nowSec + got.expiresIn,
    },
  };
  if (!(await deps.repo.saveRefreshed(tenantId, next, deps.owner, deps.now()))) {
    deps.logger.error(
      'token refreshed but not stored: the install was replaced or the refresh lease ran out',
      { team: tenantId },
    );
  }
  deps.logger.info('token refreshed', { team: tenantId });
  return next;
}
