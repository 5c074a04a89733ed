import type { App } from '@slack/bolt';
import type { AppContext } from '../../../context.ts';
import { tenantOfEvent } from '../../owner.ts';

const STOP_EVENTS = new Set(['app_uninstalled', 'tokens_revoked']);

/**
 * `app_uninstalled`, and `tokens_revoked` naming the bot's token, mark the tenant inactive: every
 * proactive send checks `repos.workspaces.isWorkspaceActive` first. (A revoked user token alone
 * leaves the bot working.) Slack only delivers requests to installed apps, so any other verified
 * request from an inactive tenant means it was installed again: it becomes active once more.
 */
export function registerWorkspaceEvents(app: App, ctx: AppContext): void {
  app.event('app_uninstalled', async ({ body }) => {
    const tenant = tenantOfEvent(body);
    ctx.repos.workspaces.markInactive(tenant, 'uninstalled', ctx.now());
    ctx.logger.info('app uninstalled: all sending to the workspace stopped', { team: tenant });
  });

  app.event('tokens_revoked', async ({ event, body }) => {
    if ((event.tokens.bot ?? []).length === 0) return;
    const tenant = tenantOfEvent(body);
    ctx.repos.workspaces.markInactive(tenant, 'revoked', ctx.now());
    ctx.logger.info('bot token revoked: all sending to the workspace stopped', { team: tenant });
  });

  app.use(async ({ body, context, next }) => {
    const event = (body as { event?: { type?: unknown } }).event;
    const tenant =
      context.isEnterpriseInstall && context.enterpriseId ? context.enterpriseId : context.teamId;
    if (
      tenant &&
      !(typeof event?.type === 'string' && STOP_EVENTS.has(event.type)) &&
      !ctx.repos.workspaces.isWorkspaceActive(tenant)
    ) {
      ctx.repos.workspaces.markActive(tenant, ctx.now());
      ctx.logger.info('workspace active again: a verified request arrived after an uninstall', {
        team: tenant,
      });
    }
    await next();
  });
}
