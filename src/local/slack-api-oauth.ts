import { createHmac, randomBytes } from 'node:crypto';
import { createLocalRotation, type LocalRotation } from './slack-api-rotation.ts';
import { APP_ID } from './slack-api-state.ts';

/**
 * The OAuth side of the local Slack API, for distribution mode: a test (or a person) authorizes an
 * install for a team, which yields a one-time code; `oauth.v2.access` trades it for that team's bot
 * token. Tokens are derived from the API's own bot token and the team id, so the same local
 * workspace hands out the same tokens after a restart. An uninstall revokes a team's token.
 */

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

interface PendingCode {
  /** The team, or for an org-wide install the enterprise. */
  teamId: string;
  /** A workspace install's org, when the workspace is part of one (Enterprise Grid). */
  enterpriseId: string | undefined;
  orgWide: boolean;
  teamName: string;
  userId: string;
  redirectUri: string | undefined;
  used: boolean;
  expiresAt: number;
}

/** Slack's codes are good for ten minutes. */
const CODE_TTL_MS = 10 * 60_000;

export type AccessAnswer = { ok: true; body: Record<string, unknown> } | { ok: false; error: string };

/**
 * A workspace install (teamId, with its org's enterpriseId when it is a Grid workspace), or an org
 * admin's org-wide install of an enterprise.
 */
export type Authorization = { userId: string; redirectUri?: string } & (
  | { teamId: string; teamName?: string; enterpriseId?: string; orgWide?: false }
  | { enterpriseId: string; enterpriseName?: string; orgWide: true }
);

export interface LocalOAuth {
  /** The "Allow" click on Slack's authorize page: a code for the app's redirect. */
  authorize(o: Authorization): string;
  access(params: Record<string, unknown>, basicAuth: string | undefined): AccessAnswer;
  /** The team of a live install token, if it is one. */
  teamOf(token: string): string | undefined;
  /** The bot token an install of this team gets (issued or not). */
  tokenFor(teamId: string): string;
  /** Uninstall: the team's token stops working. */
  revoke(teamId: string): void;
  /** Token rotation (slack-api-rotation.ts), off until enabled. */
  rotation: LocalRotation;
}

export function createLocalOAuth(
  client: OAuthClient | undefined,
  seed: string,
  scopes: readonly string[],
  botUserId: string,
  now: () => number,
): LocalOAuth {
  const codes = new Map<string, PendingCode>();
  const revoked = new Set<string>();
  const rotation = createLocalRotation(now);
  const tokenFor = (teamId: string) =>
    `xoxb-${teamId}-${createHmac('sha256', seed).update(`install:${teamId}`).digest('hex').slice(0, 24)}`;
  return {
    tokenFor,
    rotation,
    authorize(o) {
      const code = `${Math.floor(now() / 1000)}.${randomBytes(12).toString('hex')}`;
      const id = o.orgWide ? o.enterpriseId : o.teamId;
      codes.set(code, {
        teamId: id,
        enterpriseId: o.enterpriseId,
        orgWide: o.orgWide === true,
        teamName: (o.orgWide ? o.enterpriseName : o.teamName) ?? id,
        userId: o.userId,
        redirectUri: o.redirectUri,
        used: false,
        expiresAt: now() + CODE_TTL_MS,
      });
      return code;
    },
    access(params, basicAuth) {
      const [id, secret] = basicAuth
        ? Buffer.from(basicAuth, 'base64').toString('utf8').split(':')
        : [params.client_id, params.client_secret];
      if (!client || id !== client.clientId) return { ok: false, error: 'invalid_client_id' };
      if (secret !== client.clientSecret) return { ok: false, error: 'bad_client_secret' };
      if (params.grant_type === 'refresh_token')
        return refreshAnswer(rotation, params.refresh_token, revoked);
      const code = typeof params.code === 'string' ? codes.get(params.code) : undefined;
      if (!code || code.expiresAt <= now()) return { ok: false, error: 'invalid_code' };
      if (code.used) return { ok: false, error: 'invalid_code' };
      if (code.redirectUri !== undefined && params.redirect_uri !== code.redirectUri)
        return { ok: false, error: 'bad_redirect_uri' };
      code.used = true;
      const token = tokenFor(code.teamId);
      revoked.delete(code.teamId);
      return { ok: true, body: accessBody(code, token, scopes, botUserId, rotation) };
    },
    teamOf(token) {
      const rotated = rotation.teamOf(token);
      if (rotated) return revoked.has(rotated) ? undefined : rotated;
      // Any token this seed derived, so installs stored before a restart keep working.
      const cut = token.lastIndexOf('-');
      const teamId = token.startsWith('xoxb-') && cut > 5 ? token.slice(5, cut) : undefined;
      if (!teamId || revoked.has(teamId) || tokenFor(teamId) !== token) return undefined;
      return teamId;
    },
    revoke(teamId) {
      revoked.add(teamId);
    },
  };
}

/** `oauth.v2.access` with grant_type=refresh_token: a new pair, or Slack's error. */
function refreshAnswer(rotation: LocalRotation, refreshToken: unknown, revoked: Set<string>): AccessAnswer {
  const r = rotation.refresh(refreshToken);
  if (!r.ok || revoked.has(r.teamId)) return { ok: false, error: r.ok ? 'invalid_refresh_token' : r.error };
  return { ok: true, body: { app_id: APP_ID, token_type: 'bot', team: { id: r.teamId }, ...r.pair } };
}

/** `oauth.v2.access`'s answer for a code: Slack's shape for a workspace or an org-wide install. */
function accessBody(
  code: PendingCode,
  token: string,
  scopes: readonly string[],
  botUserId: string,
  rotation: LocalRotation,
): Record<string, unknown> {
  return {
    app_id: APP_ID,
    authed_user: { id: code.userId },
    scope: scopes.join(','),
    token_type: 'bot',
    access_token: token,
    bot_user_id: botUserId,
    // Slack's org-wide install: the enterprise, no team (oauth.v2.access); a Grid workspace's own
    // install: the team, and its org.
    team: code.orgWide ? null : { id: code.teamId, name: code.teamName },
    enterprise: code.orgWide
      ? { id: code.teamId, name: code.teamName }
      : code.enterpriseId
        ? { id: code.enterpriseId }
        : null,
    is_enterprise_install: code.orgWide,
    ...(rotation.enabled ? rotation.issue(code.teamId) : {}),
  };
}
