import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type CallbackOptions,
  type Installation,
  InstallProvider,
  type InstallProviderOptions,
  type InstallURLOptions,
} from '@slack/oauth';
import type { Logger } from '../log.ts';
import { failurePage } from './install-pages.ts';

/**
 * Installs an org admin starts from the Grid admin pages reach /slack/oauth_redirect without a
 * state (Slack: "org_deploy_enabled" apps). Such a redirect goes to a second InstallProvider of
 * @slack/oauth that does not verify a state, and whose result is stored only if the code exchange
 * returned an org-wide install (`is_enterprise_install`, which only an org admin can make).
 * A workspace install without a state is refused and nothing is stored; a redirect that carries a
 * state, good or forged, keeps the normal flow, which verifies it.
 */
export function acceptOrgAdminInstalls(
  installer: InstallProvider,
  options: Omit<InstallProviderOptions, 'stateVerification' | 'stateStore'>,
  urlOptions: InstallURLOptions,
  logger: Logger,
): void {
  const admin = new InstallProvider({
    ...options,
    ...(options.logger ? { logger: withoutStateNotice(options.logger) } : {}),
    stateVerification: false,
  });
  const withState = installer.handleCallback.bind(installer);
  installer.handleCallback = (req, res, callbacks, installOptions) =>
    hasState(req)
      ? withState(req, res, callbacks, installOptions)
      : admin.handleCallback(req, res, orgWideOnly(callbacks, logger), urlOptions);
}

/**
 * @slack/oauth warns at every start that state verification is off, and suggests turning it on.
 * Here it is off on purpose, for state-less redirects only (see above): the notice is dropped so
 * every start's log does not read like a misconfiguration. Every other message passes through.
 */
function withoutStateNotice(logger: NonNullable<InstallProviderOptions['logger']>) {
  const notice = /stateVerification to false/;
  return new Proxy(logger, {
    get(target, prop, receiver) {
      if (prop !== 'warn') return Reflect.get(target, prop, receiver);
      return (...msgs: unknown[]) => {
        if (!msgs.some((m) => typeof m === 'string' && notice.test(m))) target.warn(...msgs);
      };
    },
  });
}

function hasState(req: IncomingMessage): boolean {
  return Boolean(new URL(req.url ?? '/', 'http://redirect.invalid').searchParams.get('state'));
}

/** The callbacks of a state-less redirect: anything but an org-wide install is refused unstored. */
function orgWideOnly(callbacks: CallbackOptions | undefined, logger: Logger): CallbackOptions {
  return {
    ...callbacks,
    afterInstallation: async (installation: Installation, _o, _req, res: ServerResponse) => {
      if (installation.isEnterpriseInstall === true && installation.enterprise?.id) return true;
      logger.warn('install failed', { reason: 'no state, and not an org-wide install' });
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(failurePage(MISSING_STATE));
      return false;
    },
  };
}

const MISSING_STATE =
  'the answer from Slack carried no state; only an org-wide install by an Enterprise Grid org admin may.';
