/**
 * A person's data follows them to an org-wide install: on their first request under the
 * enterprise tenant, the rows they made under a workspace tenant of that org move to it (one
 * transaction, ../db/user-data.ts `moveAll`). The process remembers moves already made so later
 * requests cost nothing; correctness comes from the database (a second move finds no rows).
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
  const moved = new Set<string>();
  return async function follow(req: OrgRequest): Promise<void> {
    if (!req.enterpriseId || !req.workspaceId || req.enterpriseId === req.workspaceId) return;
    const key = `${req.workspaceId}\u0000${req.enterpriseId}\u0000${req.userId}`;
    if (moved.has(key)) return;
    await deps.repos.userData.moveAll({ from: req.workspaceId, to: req.enterpriseId, userId: req.userId });
    moved.add(key);
  };
}
