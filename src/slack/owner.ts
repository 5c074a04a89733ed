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
