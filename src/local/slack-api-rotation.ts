import { randomBytes } from 'node:crypto';

/**
 * Token rotation in the local Slack API. Off until a test (or a person) enables it, as for an app
 * with `token_rotation_enabled`: installs then get a bot token that lasts 12 hours and a refresh
 * token; `oauth.v2.access` with grant_type=refresh_token trades a refresh token (once) for a new
 * pair. A rotated token stops working at its expiry. Refreshes are counted per team, so tests can
 * assert that one happened exactly once.
 */

/** Seconds a rotated token lasts, as Slack's do. */
export const ROTATED_TOKEN_SECONDS = 43_200;

export interface RotatedPair {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

export interface LocalRotation {
  /** Test hook: installs from now on get rotating tokens. */
  enable(): void;
  readonly enabled: boolean;
  /** A fresh pair for a team's install. */
  issue(teamId: string): RotatedPair;
  /** Trades a refresh token for a new pair; each refresh token works once. */
  refresh(
    refreshToken: unknown,
  ): { ok: true; teamId: string; pair: RotatedPair } | { ok: false; error: string };
  /** The team of a rotated token that has not run out. */
  teamOf(token: string): string | undefined;
  /** Test hook: how many refreshes the team's installs made. */
  refreshCount(teamId: string): number;
}

export function createLocalRotation(now: () => number): LocalRotation {
  let enabled = false;
  const tokens = new Map<string, { teamId: string; expiresAt: number }>();
  const refreshTokens = new Map<string, string>();
  const counts = new Map<string, number>();
  const issue = (teamId: string): RotatedPair => {
    const access = `xoxe.xoxb-${teamId}-${randomBytes(12).toString('hex')}`;
    const refresh = `xoxe-1-${randomBytes(16).toString('hex')}`;
    tokens.set(access, { teamId, expiresAt: now() + ROTATED_TOKEN_SECONDS * 1000 });
    refreshTokens.set(refresh, teamId);
    return { access_token: access, refresh_token: refresh, expires_in: ROTATED_TOKEN_SECONDS };
  };
  return {
    enable() {
      enabled = true;
    },
    get enabled() {
      return enabled;
    },
    issue,
    refresh(refreshToken) {
      const teamId = typeof refreshToken === 'string' ? refreshTokens.get(refreshToken) : undefined;
      if (!teamId) return { ok: false, error: 'invalid_refresh_token' };
      refreshTokens.delete(refreshToken as string);
      counts.set(teamId, (counts.get(teamId) ?? 0) + 1);
      return { ok: true, teamId, pair: issue(teamId) };
    },
    teamOf(token) {
      const t = tokens.get(token);
      return t && t.expiresAt > now() ? t.teamId : undefined;
    },
    refreshCount: (teamId) => counts.get(teamId) ?? 0,
  };
}
