import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { readBody, sendText } from './slack-api-http.ts';
import type { LocalOAuth } from './slack-api-oauth.ts';

/**
 * The local Slack's authorize page (`/oauth/v2/authorize`), so an install runs in a browser as on
 * slack.com: GET shows the app's request for a workspace (`team`, else the API's own) with an
 * "Allow" button; the POST of that button yields a one-time code and sends the browser back to the
 * app's `redirect_uri` with the code and the app's `state`, untouched.
 */

export const AUTHORIZE_PATH = '/oauth/v2/authorize';

export interface AuthorizeTarget {
  oauth: Pick<LocalOAuth, 'authorize'>;
  /** The workspace installed when the request names none. */
  defaultTeamId: string;
  /** A workspace's display name, if the API knows it. */
  teamName(teamId: string): string | undefined;
  /** Who clicks "Allow": the installing user of a workspace. */
  installerOf(teamId: string): string;
  /** The workspaces (and orgs) the installing person can pick, as in Slack's workspace menu. */
  choices?: ReadonlyArray<{ id: string; name: string; org?: boolean }>;
  /** An org (Enterprise Grid): "Allow" installs the app org-wide. */
  isOrg?(id: string): boolean;
  /** The org a workspace belongs to: its own install is reported with it, as Slack does. */
  orgOf?(teamId: string): string | undefined;
  clientId: string | undefined;
  /** The app's configured redirect, used when the request names none (as Slack does). */
  defaultRedirectUri?: string;
}

const htmlEscape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function fields(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${htmlEscape(k)}" value="${htmlEscape(v)}">`)
    .join('\n');
}

function orgOfTeam(target: AuthorizeTarget, teamId: string): { enterpriseId?: string } {
  const enterpriseId = target.orgOf?.(teamId);
  return enterpriseId ? { enterpriseId } : {};
}

function teamPicker(target: AuthorizeTarget, teamId: string): string {
  const choices = target.choices ?? [];
  if (choices.length < 2) return `<input type="hidden" name="team" value="${htmlEscape(teamId)}">`;
  const options = choices
    .map(
      (c) =>
        `<option value="${htmlEscape(c.id)}"${c.id === teamId ? ' selected' : ''}>${htmlEscape(c.name)}</option>`,
    )
    .join('');
  return `<p><label>Install in <select name="team">${options}</select></label></p>`;
}

function authorizePage(teamName: string, params: Record<string, string>, picker: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Install Ladder (local Slack)</title></head>
<body>
<h1>Ladder is requesting permission to access the ${htmlEscape(teamName)} workspace</h1>
<p>Scopes: ${htmlEscape(params.scope ?? '')}</p>
<form method="post" action="${AUTHORIZE_PATH}">
${fields(params)}
${picker}
<button type="submit" name="allow" value="1">Allow</button>
</form>
</body></html>`;
}

function pick(source: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['client_id', 'scope', 'state', 'redirect_uri', 'team']) {
    const v = source[k];
    if (typeof v === 'string' && v !== '') out[k] = v;
  }
  return out;
}

/** GET and POST of the authorize page; answers 400 for an unknown client or a missing redirect. */
export async function handleAuthorize(
  target: AuthorizeTarget,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const params =
    req.method === 'POST'
      ? pick(parseQuery((await readBody(req, 64 * 1024)).toString('utf8')) as Record<string, unknown>)
      : pick(Object.fromEntries(url.searchParams));
  if (!target.clientId || params.client_id !== target.clientId)
    return sendText(res, 400, 'invalid_client_id');
  const redirect = params.redirect_uri ?? target.defaultRedirectUri;
  if (!redirect || !/^https?:\/\//.test(redirect)) return sendText(res, 400, 'bad_redirect_uri');
  const teamId = params.team ?? target.defaultTeamId;
  const teamName = target.teamName(teamId) ?? teamId;
  if (req.method !== 'POST') {
    const { team: _team, ...rest } = params;
    const html = authorizePage(teamName, rest, teamPicker(target, teamId));
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(html),
    });
    res.end(html);
    return;
  }
  // Slack checks the redirect at the code exchange only when the authorize request named one.
  const pinned = params.redirect_uri ? { redirectUri: params.redirect_uri } : {};
  const userId = target.installerOf(teamId);
  const code = target.isOrg?.(teamId)
    ? target.oauth.authorize({
        enterpriseId: teamId,
        enterpriseName: teamName,
        orgWide: true,
        userId,
        ...pinned,
      })
    : target.oauth.authorize({ teamId, teamName, userId, ...orgOfTeam(target, teamId), ...pinned });
  const back = new URL(redirect);
  back.searchParams.set('code', code);
  if (params.state) back.searchParams.set('state', params.state);
  res.writeHead(302, { location: back.toString() });
  res.end();
}
