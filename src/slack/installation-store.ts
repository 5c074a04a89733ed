import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { AppContext } from '../context.ts';
import { forBolt, freshInstallation, type Refresher } from './token-rotation.ts';

/** How this instance refreshes rotating tokens (token-rotation.ts): its lease name and Slack's exchange. */
export interface RotationOptions {
  owner: string;
  refresh: Refresher;
}

/** The tenant of an installation or a query: the enterprise for org-wide installs, else the team. */
export function tenantOf(q: {
  isEnterpriseInstall?: boolean;
  enterpriseId?: string;
  teamId?: string;
}): string {
  const tenant = q.isEnterpriseInstall && q.enterpriseId ? q.enterpriseId : q.teamId;
  if (!tenant) throw new Error('an installation query names neither a team nor an enterprise');
  return tenant;
}

export class NotInstalledError extends Error {
  constructor() {
    super('Ladder is not installed in this workspace');
    this.name = 'NotInstalledError';
  }
}

/**
 * Bolt's installation store over our installations repository (tokens sealed at rest). Bolt's
 * authorize reads it for every request; a tenant without an installation gets NotInstalledError.
 */
export function createInstallationStore(ctx: AppContext, rotation?: RotationOptions): InstallationStore {
  const repo = ctx.repos.installations;
  const fetchFresh = fetcher(ctx, rotation);
  return {
    async storeInstallation(installation) {
      const enterpriseId = installation.enterprise?.id ?? null;
      const teamId = installation.team?.id ?? null;
      const tenantId = tenantOf({
        isEnterpriseInstall: installation.isEnterpriseInstall ?? false,
        ...(enterpriseId ? { enterpriseId } : {}),
        ...(teamId ? { teamId } : {}),
      });
      await repo.save(
        {
          tenantId,
          teamId,
          enterpriseId,
          isEnterpriseInstall: installation.isEnterpriseInstall ?? false,
          data: installation,
        },
        ctx.now(),
      );
      // An install (or a reinstall after app_uninstalled) makes the tenant active again.
      await ctx.repos.workspaces.markActive(tenantId, ctx.now());
      ctx.logger.info('installation stored', { team: tenantId });
    },

    async fetchInstallation(query: InstallationQuery<boolean>) {
      // A workspace of a Grid org without its own install is served by its org's org-wide install.
      const org = async (id: string) => {
        const installation = await fetchFresh(id);
        return installation?.isEnterpriseInstall ? installation : undefined;
      };
      const found =
        (await fetchFresh(tenantOf(query))) ??
        (query.enterpriseId ? await org(query.enterpriseId) : undefined);
      if (!found) throw new NotInstalledError();
      return rotation ? forBolt(found) : found;
    },

    async deleteInstallation(query: InstallationQuery<boolean>) {
      await repo.remove(tenantOf(query));
    },
  };
}

/** The tenant's installation; with rotation, its bot token refreshed first when about to run out. */
function fetcher(ctx: AppContext, rotation: RotationOptions | undefined) {
  return async (tenantId: string): Promise<Installation | undefined> =>
    rotation
      ? freshInstallation(
          { ...rotation, repo: ctx.repos.installations, now: ctx.now, logger: ctx.logger },
          tenantId,
        )
      : (await ctx.repos.installations.find<Installation>(tenantId))?.data;
}

/** The tenant's bot token from its installation, for the scheduler and the CLI (none: undefined). */
export function installationTokens(
  ctx: AppContext,
  rotation?: RotationOptions,
): (teamId: string) => Promise<string | undefined> {
  const fetchFresh = fetcher(ctx, rotation);
  return async (teamId) => (await fetchFresh(teamId))?.bot?.token;
}
