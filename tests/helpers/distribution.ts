/**
 * Distribution mode (Bolt's OAuth) in end-to-end tests: the settings an app instance starts with,
 * and what a browser does from the "Add to Slack" page to the app's redirect.
 */
import { createSignedSender, type SignedSender } from '../../src/local/signed-sender.ts';
import type { LocalSlackApi } from '../../src/local/slack-api.ts';
import { COMMAND } from '../../src/slack/ids.ts';
import { SIGNING_SECRET } from './harness.ts';

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
}

/** The environment of an instance in distribution mode against the local Slack API. */
export function distributionEnv(opts: {
  oauth: OAuthApp;
  api: LocalSlackApi;
  /** LADDER_ENCRYPTION_KEY (32 bytes, base64). */
  key: string;
  stateSecret?: string;
}): Record<string, string> {
  return {
    SLACK_CLIENT_ID: opts.oauth.clientId,
    SLACK_CLIENT_SECRET: opts.oauth.clientSecret,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_STATE_SECRET: opts.stateSecret ?? 'test-state-secret-0123456789abcdef',
    LADDER_ENCRYPTION_KEY: opts.key,
    SLACK_API_URL: opts.api.url,
    PORT: '0',
  };
}

/** The "Add to Slack" page: its link's state and the state cookie Bolt set for this browser. */
export async function startInstall(
  appBase: string,
): Promise<{ status: number; state: string; cookie: string; authorizeUrl: URL; html: string }> {
  const res = await fetch(`${appBase}/slack/install`);
  const html = await res.text();
  const href = /href="(https?:[^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
  if (!href) throw new Error(`no Add to Slack link on the install page (HTTP ${res.status})`);
  const authorizeUrl = new URL(href);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return {
    status: res.status,
    state: authorizeUrl.searchParams.get('state') ?? '',
    cookie,
    authorizeUrl,
    html,
  };
}

/** Slack's redirect back to the app, with the browser's state cookie when given. */
export async function oauthRedirect(
  appBase: string,
  query: Record<string, string>,
  cookie?: string,
): Promise<{ status: number; html: string }> {
  const res = await fetch(`${appBase}/slack/oauth_redirect?${new URLSearchParams(query)}`, {
    headers: cookie ? { cookie } : {},
  });
  return { status: res.status, html: await res.text() };
}

/** A whole workspace install: the install page, Slack's authorization of `teamId`, the redirect. */
export async function installWorkspace(
  appBase: string,
  api: LocalSlackApi,
  who: { teamId: string; userId: string; teamName?: string; enterpriseId?: string },
): Promise<{ status: number; html: string; state: string; cookie: string }> {
  const { state, cookie } = await startInstall(appBase);
  const code = api.oauth.authorize(who);
  return { ...(await oauthRedirect(appBase, { code, state }, cookie)), state, cookie };
}

/** Signed requests to an app instance from workspace `teamId` (of org `org`, when given). */
export function appSender(
  app: { port: number },
  api: LocalSlackApi,
  teamId: string,
  org?: { enterpriseId: string; orgWide?: boolean },
): SignedSender {
  return createSignedSender({
    appUrl: `http://127.0.0.1:${app.port}/slack/events`,
    signingSecret: SIGNING_SECRET,
    api,
    command: COMMAND,
    teamId,
    ...(org ? { enterpriseId: org.enterpriseId, ...(org.orgWide ? { orgWide: true } : {}) } : {}),
  });
}

/**
 * Requests from workspace `teamId` of org `enterpriseId` to the harness's app: through the org-wide
 * install (the tenant is the enterprise), and through the workspace's own install in that org.
 */
export function orgSenders(
  h: { app: { port: number }; api: LocalSlackApi },
  teamId: string,
  enterpriseId: string,
): { org: SignedSender; wsInOrg: SignedSender } {
  return {
    org: appSender(h.app, h.api, teamId, { enterpriseId, orgWide: true }),
    wsInOrg: appSender(h.app, h.api, teamId, { enterpriseId }),
  };
}
