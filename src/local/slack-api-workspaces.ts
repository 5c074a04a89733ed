import type { AuthorizeTarget } from './slack-api-authorize.ts';
import type { LocalOAuth } from './slack-api-oauth.ts';

/**
 * The workspaces and orgs the local Slack knows, for its authorize page (which one to install
 * Ladder in, or an org-wide install) and for who has installed the app. An org (Enterprise Grid)
 * holds workspaces; an install of the org covers all of them. Users and messages live in the one
 * shared store (Slack's ids are unique across workspaces); this registry says which team is which.
 */

export interface LocalTeamInfo {
  id: string;
  name: string;
  /** The org this workspace belongs to. */
  enterpriseId?: string;
  /** Who clicks "Allow" when the app is installed here. */
  installer: string;
}

export interface LocalOrgInfo {
  id: string;
  name: string;
  installer: string;
}

export interface LocalWorkspaceRegistry {
  addTeam(team: LocalTeamInfo): void;
  addOrg(org: LocalOrgInfo): void;
  teams(): readonly LocalTeamInfo[];
  orgs(): readonly LocalOrgInfo[];
  /** The app is installed in this team (or org-wide in its org), or in this org. */
  isInstalled(id: string): boolean;
  /** An install finished (`oauth.v2.access`): the team's, or the org's. */
  markInstalled(id: string): void;
}

export function createWorkspaceRegistry(): LocalWorkspaceRegistry {
  const teams = new Map<string, LocalTeamInfo>();
  const orgs = new Map<string, LocalOrgInfo>();
  const installed = new Set<string>();
  return {
    addTeam: (t) => void teams.set(t.id, { ...t }),
    addOrg: (o) => void orgs.set(o.id, { ...o }),
    teams: () => [...teams.values()],
    orgs: () => [...orgs.values()],
    isInstalled(id) {
      const org = teams.get(id)?.enterpriseId;
      return installed.has(id) || (org !== undefined && installed.has(org));
    },
    markInstalled: (id) => void installed.add(id),
  };
}

/** What the authorize page offers: the registry's workspaces and orgs, else the API's own team. */
export function authorizeTargetOf(o: {
  registry: LocalWorkspaceRegistry;
  oauth: Pick<LocalOAuth, 'authorize'>;
  ownTeamId: string;
  ownInstaller: string;
  clientId: string | undefined;
  redirectUri: string | undefined;
}): AuthorizeTarget {
  const { registry } = o;
  const teams = registry.teams();
  const orgs = registry.orgs();
  // Slack opens the authorize page on the workspace last added that has not got the app yet.
  const fresh = [...teams].reverse().find((t) => !registry.isInstalled(t.id));
  return {
    oauth: o.oauth,
    defaultTeamId: fresh?.id ?? teams[0]?.id ?? o.ownTeamId,
    choices: [
      ...teams.map((t) => ({ id: t.id, name: t.name })),
      ...orgs.map((g) => ({ id: g.id, name: `${g.name} (the whole org)`, org: true })),
    ],
    teamName: (id) =>
      teams.find((t) => t.id === id)?.name ??
      orgs.find((g) => g.id === id)?.name ??
      (id === o.ownTeamId ? 'Local' : undefined),
    isOrg: (id) => orgs.some((g) => g.id === id),
    orgOf: (id) => teams.find((t) => t.id === id)?.enterpriseId,
    installerOf: (id) =>
      teams.find((t) => t.id === id)?.installer ?? orgs.find((g) => g.id === id)?.installer ?? o.ownInstaller,
    clientId: o.clientId,
    ...(o.redirectUri ? { defaultRedirectUri: o.redirectUri } : {}),
  };
}

/** A finished install (`oauth.v2.access`): the registry knows, and `announce` tells listeners. */
export function recordInstall(
  registry: LocalWorkspaceRegistry,
  announce: (id: string) => void,
  body: Record<string, unknown>,
): void {
  const ref = (body.enterprise ?? body.team) as { id?: string } | null | undefined;
  if (!ref?.id || body.bot_user_id === undefined) return;
  registry.markInstalled(ref.id);
  announce(ref.id);
}
