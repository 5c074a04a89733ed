import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HTTPReceiverOptions, Installation } from '@slack/bolt';

type CallbackOptions = NonNullable<NonNullable<HTTPReceiverOptions['installerOptions']>['callbackOptions']>;

import type { Logger } from '../log.ts';
import { COMMAND } from './ids.ts';
import { OAuthStateError } from './oauth-state-store.ts';

/**
 * The pages of distribution mode's install flow (Bolt serves the routes): the "Add to Slack" page,
 * and after Slack's redirect a page that says what to do next, or why the install failed. No
 * secret, token or code is ever shown.
 */

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}
a.add{display:inline-block;padding:.6rem 1.1rem;border-radius:6px;background:#4a154b;color:#fff;text-decoration:none}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/** GET /slack/install: the link carries a fresh single-use state (Bolt also sets it in a cookie). */
export function installPage(addToSlackUrl: string): string {
  return page(
    'Add Ladder to Slack',
    `<p>Ladder coaches Technical Program Managers inside Slack: what the next level expects, a weekly
reflection question, and a private log of wins to export before a review.</p>
<p><a class="add" href="${escapeHtml(addToSlackUrl)}">Add to Slack</a></p>
<p>The link works once, for ten minutes, in this browser.</p>`,
  );
}

export function successPage(installation: Installation, afterInstall?: string): string {
  const where = installation.team?.name ?? installation.enterprise?.name ?? 'your workspace';
  const next = afterInstall
    ? `<p>What next: ${escapeHtml(afterInstall)}</p>`
    : `<p>What next: in Slack, type <code>${escapeHtml(COMMAND)} help</code> in any channel to see what it does, or
<code>${escapeHtml(COMMAND)} nudge on</code> for a weekly reflection question.</p>`;
  return page(
    'Ladder is installed',
    `<p>Ladder is now installed in <strong>${escapeHtml(where)}</strong>.</p>\n${next}`,
  );
}

/** Why the install failed, in words an installer can act on. */
export function failureReason(error: { code?: string; data?: { error?: unknown } }): string {
  if (error instanceof OAuthStateError) {
    return {
      forged: 'the install link was altered or did not come from this site (its state is not one we issued).',
      expired: 'the install link expired: it is valid for ten minutes.',
      used: 'the install link was already used: each link works once.',
    }[error.problem];
  }
  switch (error.code) {
    case 'slack_oauth_missing_state':
      return 'the answer from Slack carried no state, so it cannot be matched to an install started here.';
    case 'slack_oauth_invalid_state':
      return 'the install was started in another browser, or its state was altered (forged).';
    case 'slack_oauth_installer_authorization_error':
      return 'access was denied: the install was cancelled on Slack\u2019s page.';
    case 'slack_oauth_missing_code':
      return 'the answer from Slack carried no authorization code.';
    case 'slack_webapi_platform_error':
      return `Slack rejected the authorization code (${String(error.data?.error ?? 'error').replace(/[^a-z_]/g, '')}).`;
    default:
      return 'something went wrong while completing the install.';
  }
}

export function failurePage(reason: string): string {
  return page(
    'Ladder was not installed',
    `<p>The install did not complete: ${escapeHtml(reason)}</p>
<p>What to do: start again from <a href="/slack/install">the install page</a>. If it keeps failing, ask the
person who runs Ladder to check its logs.</p>`,
  );
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

/** Bolt's callback options: our pages, and one log line per outcome (no secret in either). */
export function installCallbacks(logger: Logger, afterInstall?: string): CallbackOptions {
  return {
    success: (installation, _options, _req: IncomingMessage, res: ServerResponse) => {
      send(res, 200, successPage(installation as Installation, afterInstall));
    },
    failure: (error, _options, _req: IncomingMessage, res: ServerResponse) => {
      const reason = failureReason(error as { code?: string; data?: { error?: unknown } });
      logger.warn('install failed', { reason });
      send(res, 400, failurePage(reason));
    },
  };
}
