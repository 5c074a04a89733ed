/**
 * The global middleware that runs the move of ../app/person-follow.ts before any handler, for a
 * request carrying an org-wide install (the tenant is the enterprise) from a workspace of it.
 */
import type { App } from '@slack/bolt';
import { createPersonFollow, type FollowDeps, type OrgRequest } from '../app/person-follow.ts';

interface SignedBody {
  team_id?: string;
  user_id?: string;
  enterprise_id?: string;
  is_enterprise_install?: string | boolean;
  user?: { id?: string; team_id?: string };
  team?: { id?: string } | null;
  enterprise?: { id?: string } | null;
  event?: { user?: string };
}

/** The org request a signed body stands for, or undefined when it is not from an org-wide install. */
export function orgRequestOf(body: SignedBody): OrgRequest | undefined {
  const orgWide = body.is_enterprise_install === true || body.is_enterprise_install === 'true';
  if (!orgWide) return undefined;
  const enterpriseId = body.enterprise_id ?? body.enterprise?.id;
  const workspaceId = body.team_id ?? body.user?.team_id ?? body.team?.id;
  const userId = body.user_id ?? body.user?.id ?? body.event?.user;
  if (!enterpriseId || !workspaceId || !userId) return undefined;
  return { enterpriseId, workspaceId, userId };
}

export function registerPersonFollow(app: App, deps: FollowDeps): void {
  const follow = createPersonFollow(deps);
  app.use(async ({ body, next }) => {
    const req = orgRequestOf(body as SignedBody);
    if (req) await follow(req);
    await next();
  });
}
