/**
 * The workspaces of local mode: "Ladder Local" (the one a new user lands in), an org "Ladder Org"
 * (Enterprise Grid) with two workspaces and Ladder installed org-wide, and the workspaces a person
 * adds from the page. Each workspace has its own people (Slack's user ids are unique), #general and
 * DMs; the org's two workspaces share their people, as Grid does, so they share Ladder's data too.
 */
import type { PageTeamRef } from './page-actions.ts';
import type { DemoUser } from './page-state.ts';
import type { LocalSlackApi } from './slack-api.ts';

export interface WorldTeam extends PageTeamRef {
  /** The org, for a workspace of the local org. */
  enterpriseId?: string;
  users: readonly DemoUser[];
  /** This workspace's #general. */
  general: string;
}

export const LOCAL_TEAM_ID = 'T0LOCAL';
export const LOCAL_ORG = { id: 'E0LADDERORG', name: 'Ladder Org' } as const;
const GENERAL = 'C0GENERAL';
const ADDED_PREFIX = 'T0ADDED';
/** How many added workspaces a restart looks for among the stored installs. */
export const MAX_ADDED = 20;

const people = (ids: [string, string], suffix = ''): DemoUser[] => [
  { id: ids[0], name: 'alex', realName: `Alex (demo)${suffix}`, tz: 'America/New_York' },
  { id: ids[1], name: 'sam', realName: `Sam (demo)${suffix}`, tz: 'Europe/London' },
];

export function localTeam(users: readonly DemoUser[]): WorldTeam {
  return { id: LOCAL_TEAM_ID, name: 'Ladder Local', org: null, users, general: GENERAL };
}

/** The org's two workspaces: the same two people (Grid user ids are org-wide). */
export function orgTeams(): WorldTeam[] {
  const users = people(['W0ORGALEX', 'W0ORGSAM']);
  const org = { org: LOCAL_ORG.name, enterpriseId: LOCAL_ORG.id, users };
  return [
    { id: 'T0ORGDESIGN', name: 'Ladder Org · Design', general: 'C0GENDESIGN', ...org },
    { id: 'T0ORGPLATFORM', name: 'Ladder Org · Platform', general: 'C0GENPLATFORM', ...org },
  ];
}

/** The n-th workspace added from the page (1, 2, …). */
export function addedTeam(n: number): WorldTeam {
  return {
    id: `${ADDED_PREFIX}${n}`,
    name: `Workspace ${n + 1}`,
    org: null,
    users: people([`U0ADD${n}ALEX`, `U0ADD${n}SAM`]),
    general: `C0GENADD${n}`,
  };
}

/** A message in #general to try "Save as evidence" on. The bot is not a member there. */
function seedGeneral(api: LocalSlackApi, team: WorldTeam): void {
  const [first, second] = team.users;
  if (!first || !second) return;
  api.postAsUser({
    channel: team.general,
    user: second.id,
    text: `Thanks <@${first.id}> for running the cross-team launch review: three teams, one plan, no surprises at launch.`,
  });
}

/**
 * Creates the workspace in the local Slack: its people, #general (shared by an org's workspaces'
 * people only where they are members) and their DMs with the app, and registers it for the
 * authorize page.
 */
export function seedTeam(api: LocalSlackApi, team: WorldTeam): void {
  for (const u of team.users) {
    if (!api.state.users.has(u.id)) api.addUser({ id: u.id, name: u.name, realName: u.realName, tz: u.tz });
  }
  if (!api.state.channels.has(team.general)) {
    api.addChannel({
      id: team.general,
      name: 'general',
      members: team.users.map((u) => u.id),
      botIsMember: false,
    });
  }
  // Every person has a DM with the app from the start, as in Slack (the app's Messages tab).
  for (const u of team.users) api.openDm(u.id);
  seedGeneral(api, team);
  const installer = team.users[0]?.id ?? '';
  api.workspaces.addTeam({
    id: team.id,
    name: team.name,
    installer,
    ...(team.enterpriseId ? { enterpriseId: team.enterpriseId } : {}),
  });
  if (team.enterpriseId && !api.workspaces.orgs().some((o) => o.id === team.enterpriseId)) {
    api.workspaces.addOrg({ id: LOCAL_ORG.id, name: LOCAL_ORG.name, installer });
  }
}

/** The next workspace to add: an added one not installed yet (an install left halfway), else a new one. */
export function nextAddedTeam(api: LocalSlackApi, known: ReadonlyMap<string, WorldTeam>): WorldTeam {
  for (let n = 1; ; n += 1) {
    const team = known.get(`${ADDED_PREFIX}${n}`);
    if (!team || !api.workspaces.isInstalled(team.id)) return team ?? addedTeam(n);
  }
}
