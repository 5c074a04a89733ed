/**
 * The page's side of local mode's workspaces: which are installed (the stored installs say, after a
 * restart), one page session per workspace (its people, its signed sender with its team and org),
 * and adding a workspace for the browser to install Ladder in.
 */
import { installThroughOAuth, LocalInstallError } from './local-install.ts';
import {
  addedTeam,
  LOCAL_ORG,
  LOCAL_TEAM_ID,
  localTeam,
  MAX_ADDED,
  nextAddedTeam,
  orgTeams,
  seedTeam,
  type WorldTeam,
} from './local-world.ts';
import type { PageSession } from './page-actions.ts';
import type { PageWorkspaces } from './page-server.ts';
import type { DemoUser } from './page-state.ts';
import { createSignedSender } from './signed-sender.ts';
import type { LocalSlackApi } from './slack-api.ts';

export interface LocalTeamsOptions {
  api: LocalSlackApi;
  /** The app's origin on 127.0.0.1, e.g. `http://127.0.0.1:PORT`. */
  appBase: string;
  signingSecret: string;
  users: readonly DemoUser[];
  /** Whether the app holds an install for this team or org (its database). */
  isInstalled(tenantId: string): Promise<boolean>;
  /** The parts of a page session every workspace shares (the app, the clock, notices…). */
  shared: Omit<PageSession, 'sender' | 'users' | 'team' | 'tenantId' | 'ownsChannel'>;
}

export interface LocalTeams extends PageWorkspaces {
  /** The session the page opens on: Ladder Local. */
  first: PageSession;
}

/**
 * Seeds every workspace into the local Slack and installs Ladder where it is not installed yet:
 * Ladder Local and the org-wide install of Ladder Org, through the OAuth flow. Workspaces added
 * from the page before a restart come back when their install is stored.
 */
export async function openLocalTeams(o: LocalTeamsOptions): Promise<LocalTeams> {
  const { api } = o;
  const teams = new Map<string, WorldTeam>();
  const sessions = new Map<string, PageSession>();
  const owner = new Map<string, string>();
  const seed = (t: WorldTeam) => {
    teams.set(t.id, t);
    owner.set(t.general, t.id);
    seedTeam(api, t);
  };
  for (const t of [localTeam(o.users), ...orgTeams()]) seed(t);
  for (const id of [LOCAL_TEAM_ID, LOCAL_ORG.id]) {
    if (await o.isInstalled(id)) api.workspaces.markInstalled(id);
    else await installThroughOAuth(o.appBase, id);
    if (!api.workspaces.isInstalled(id))
      throw new LocalInstallError('the code exchange', `${id} not installed`);
  }
  for (let n = 1; n <= MAX_ADDED; n += 1) {
    const t = addedTeam(n);
    if (!(await o.isInstalled(t.id))) continue;
    seed(t);
    api.workspaces.markInstalled(t.id);
  }

  const sessionOf = (t: WorldTeam): PageSession => {
    const known = sessions.get(t.id);
    if (known) return known;
    const org = t.enterpriseId ? { enterpriseId: t.enterpriseId, orgWide: true } : {};
    const session: PageSession = {
      ...o.shared,
      sender: createSignedSender({
        appUrl: `${o.appBase}/slack/events`,
        signingSecret: o.signingSecret,
        api,
        command: o.shared.app.command,
        teamId: t.id,
        ...org,
      }),
      users: t.users,
      team: { id: t.id, name: t.name, org: t.org },
      tenantId: t.enterpriseId ?? t.id,
      ownsChannel: (channelId) => (owner.get(channelId) ?? t.id) === t.id,
    };
    sessions.set(t.id, session);
    return session;
  };
  const installed = () => [...teams.values()].filter((t) => api.workspaces.isInstalled(t.id));
  return {
    first: sessionOf(teams.get(LOCAL_TEAM_ID) as WorldTeam),
    list: () => installed().map((t) => ({ id: t.id, name: t.name, org: t.org })),
    session(teamId) {
      const t = teams.get(teamId);
      return t && api.workspaces.isInstalled(t.id) ? sessionOf(t) : undefined;
    },
    add() {
      const t = nextAddedTeam(api, teams);
      if (!teams.has(t.id)) seed(t);
      return { teamId: t.id, installUrl: `${o.appBase}/slack/install` };
    },
  };
}
