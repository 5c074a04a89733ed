import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { AppContext } from '../context.ts';

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
export function createInstallationStore(ctx: AppContext): InstallationStore {
  const repo = ctx.repos.installations;
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
      const found = await repo.find<Installation>(tenantOf(query));
      if (found) return found.data;
      // A workspace of a Grid org without its own install is served by its org's org-wide install.
      const org = query.enterpriseId ? await repo.find<Installation>(query.enterpriseId) : undefined;
      if (org?.isEnterpriseInstall) return org.data;
      throw new NotInstalledError();
    },

    async deleteInstallation(query: InstallationQuery<boolean>) {
      await repo.remove(tenantOf(query));
    },
  };
}

/** The tenant's bot token from its installation, for the scheduler and the CLI (none: undefined). */
export function installationTokens(ctx: AppContext): (teamId: string) => Promise<string | undefined> {
  return async (teamId) => (await ctx.repos.installations.find<Installation>(teamId))?.data.bot?.token;
}
