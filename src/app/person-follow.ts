/**
 * A person's data follows them to an org-wide install: on their first request under the
 * enterprise tenant, the rows they made under a workspace tenant of that org move to it (one
 * transaction, ../db/user-data.ts `moveAll`). Every org request first asks the database whether
 * the workspace tenant still holds anything of the person (an `EXISTS` per table, one statement per
 * repository, stopping at the first that finds a row): so a row written there later, by this
 * process or another, moves on the person's next org request, and a request with nothing to move
 * takes no write lock.
 */
import type { AppContext } from '../context.ts';

/** A signed request from a workspace (`workspaceId`) of an org whose install is org-wide. */
export interface OrgRequest {
  readonly enterpriseId: string;
  readonly workspaceId: string;
  readonly userId: string;
}

export type FollowDeps = Pick<AppContext, 'repos'>;

export function createPersonFollow(deps: FollowDeps) {
  return async function follow(req: OrgRequest): Promise<void> {
    if (!req.enterpriseId || !req.workspaceId || req.enterpriseId === req.workspaceId) return;
    if (!(await deps.repos.userData.holdsAny({ teamId: req.workspaceId, userId: req.userId }))) return;
    await deps.repos.userData.moveAll({ from: req.workspaceId, to: req.enterpriseId, userId: req.userId });
  };
}
