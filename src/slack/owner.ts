import type { Owner } from '../domain/types.ts';

/**
 * The owner of a request, from the signed body Bolt verified: the tenant is the enterprise for
 * org-wide installs, else the workspace. Never from a button value or private_metadata.
 */
export function ownerOfCommand(body: {
  team_id: string;
  user_id: string;
  enterprise_id?: string;
  is_enterprise_install?: string;
}): Owner {
  const tenant =
    body.is_enterprise_install === 'true' && body.enterprise_id ? body.enterprise_id : body.team_id;
  return { teamId: tenant, userId: body.user_id };
}

/** block_actions, view_submission, message_action, shortcut payloads. */
export function ownerOfInteraction(body: {
  user: { id: string; team_id?: string };
  team?: { id: string } | null;
  enterprise?: { id: string } | null;
  is_enterprise_install?: boolean;
}): Owner {
  const tenant =
    body.is_enterprise_install && body.enterprise?.id
      ? body.enterprise.id
      : (body.team?.id ?? body.user.team_id ?? '');
  return { teamId: tenant, userId: body.user.id };
}

/** The tenant of an event_callback envelope: the enterprise for org-wide installs, else the team. */
export function tenantOfEvent(body: {
  team_id?: string;
  enterprise_id?: string;
  authorizations?: Array<{
    is_enterprise_install?: boolean;
    enterprise_id?: string | null;
    team_id?: string | null;
  }>;
}): string {
  const auth = body.authorizations?.[0];
  return auth?.is_enterprise_install && (auth.enterprise_id ?? body.enterprise_id)
    ? ((auth.enterprise_id ?? body.enterprise_id) as string)
    : (body.team_id ?? auth?.team_id ?? '');
}

/** event_callback envelopes: the team (or enterprise) of the install and the event's user. */
export function ownerOfEvent(body: Parameters<typeof tenantOfEvent>[0], userId: string): Owner {
  return { teamId: tenantOfEvent(body), userId };
}

/**
 * The person's other tenant in the same Grid org, from the signed body (never a client value):
 * under an org-wide install, the workspace the request came from (rows made under its own install
 * before they move); under a workspace's own install in an org, the enterprise (rows made through
 * the org-wide install). None outside an org. `forget`, `nudge off` and Stop reach both.
 */
export function otherTenantOfCommand(body: Parameters<typeof ownerOfCommand>[0]): Owner[] {
  const enterprise = body.enterprise_id;
  if (!enterprise || enterprise === body.team_id) return [];
  const orgWide = body.is_enterprise_install === 'true';
  return [{ teamId: orgWide ? body.team_id : enterprise, userId: body.user_id }];
}

/** {@link otherTenantOfCommand} for block_actions, view_submission and shortcut payloads. */
export function otherTenantOfInteraction(body: Parameters<typeof ownerOfInteraction>[0]): Owner[] {
  const enterprise = body.enterprise?.id;
  // The same workspace as the move picks (person-follow.ts): the user's team first.
  const workspace = body.user.team_id ?? body.team?.id;
  if (!enterprise || !workspace || enterprise === workspace) return [];
  return [{ teamId: body.is_enterprise_install ? workspace : enterprise, userId: body.user.id }];
}
