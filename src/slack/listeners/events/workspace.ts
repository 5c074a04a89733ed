import type { App } from '@slack/bolt';
import type { AppContext } from '../../../context.ts';
import { EventName } from '../../ids.ts';
import { tenantOfEvent } from '../../owner.ts';

const STOP_EVENTS = new Set<string>([EventName.appUninstalled, EventName.tokensRevoked]);

/**
 * How long a tenant seen active is trusted without reading its row again. Within one process the
 * uninstall events clear it at once; another instance that handled the uninstall is noticed after
 * this long at most (a reinstall's first requests may come sooner: the next one after it re-checks).
 */
export const ACTIVE_TENANT_TTL_MS = 30_000;

/** Tenants known to be active, each until a monotonic deadline. */
export function createActiveTenants(
  ttlMs = ACTIVE_TENANT_TTL_MS,
  clock: () => number = () => performance.now(),
) {
  const until = new Map<string, number>();
  return {
    isKnownActive(tenant: string): boolean {
      const deadline = until.get(tenant);
      if (deadline === undefined) return false;
      if (deadline > clock()) return true;
      until.delete(tenant);
      return false;
    },
    remember(tenant: string): void {
      until.set(tenant, clock() + ttlMs);
    },
    forget(tenant: string): void {
      until.delete(tenant);
    },
  };
}

/**
 * `app_uninstalled`, and `tokens_revoked` naming the bot's token, mark the tenant inactive: every
 * proactive send checks `repos.workspaces.isWorkspaceActive` first. (A revoked user token alone
 * leaves the bot working.) Slack only delivers requests to installed apps, so any other verified
 * request from an inactive tenant means it was installed again: it becomes active once more.
 */
export function registerWorkspaceEvents(app: App, ctx: AppContext, active = createActiveTenants()): void {
  app.event(EventName.appUninstalled, async ({ body }) => {
    const tenant = tenantOfEvent(body);
    active.forget(tenant);
    await ctx.repos.workspaces.markInactive(tenant, 'uninstalled', ctx.now());
    // Distribution mode: its tokens go with it (people's data stays until `cli purge --team`).
    await ctx.repos.installations.remove(tenant);
    ctx.logger.info('app uninstalled: all sending to the workspace stopped', { team: tenant });
  });

  app.event(EventName.tokensRevoked, async ({ event, body }) => {
    const tenant = tenantOfEvent(body);
    await forgetRevokedUserTokens(ctx, tenant, event.tokens.oauth ?? []);
    if ((event.tokens.bot ?? []).length === 0) return;
    active.forget(tenant);
    await ctx.repos.workspaces.markInactive(tenant, 'revoked', ctx.now());
    await ctx.repos.installations.remove(tenant);
    ctx.logger.info('bot token revoked: all sending to the workspace stopped', { team: tenant });
  });

  // Most requests come from a tenant seen active moments ago: no database read for those.
  app.use(async ({ body, context, next }) => {
    const tenant =
      context.isEnterpriseInstall && context.enterpriseId ? context.enterpriseId : context.teamId;
    if (tenant && !active.isKnownActive(tenant)) {
      const event = (body as { event?: { type?: unknown } }).event;
      if (!(typeof event?.type === 'string' && STOP_EVENTS.has(event.type))) {
        if (!(await ctx.repos.workspaces.isWorkspaceActive(tenant))) {
          await ctx.repos.workspaces.markActive(tenant, ctx.now());
          ctx.logger.info('workspace active again: a verified request arrived after an uninstall', {
            team: tenant,
          });
        }
        active.remember(tenant);
      }
    }
    await next();
  });
}

/** A revoked user token is dropped from the tenant's installation (Ladder asks for none today). */
async function forgetRevokedUserTokens(
  ctx: AppContext,
  tenant: string,
  userIds: readonly string[],
): Promise<void> {
  if (userIds.length === 0) return;
  const found = await ctx.repos.installations.find<{ user?: { id?: string; token?: string } }>(tenant);
  const user = found?.data.user;
  if (!found || !user?.token || !user.id || !userIds.includes(user.id)) return;
  const { token: _revoked, ...rest } = user;
  await ctx.repos.installations.save({ ...found, data: { ...found.data, user: rest } }, ctx.now());
}
