import type { Store } from './store.ts';

/** Why a tenant stopped hearing from the app: Slack's `app_uninstalled` or `tokens_revoked`. */
export type InactiveStatus = 'uninstalled' | 'revoked';

/**
 * The install state of each tenant (`team_id` holds the enterprise id for org-wide installs). A
 * tenant without a row has never been marked and is active. Every proactive send (weekly nudges,
 * time-zone refreshes) asks `isWorkspaceActive` first: after an uninstall the bot must go quiet.
 */
export function createWorkspaceRepository(store: Store) {
  const status = store.prepare((qb, p: { teamId: string }) =>
    qb.selectFrom('workspaces').select('status').where('team_id', '=', p.teamId),
  );
  const set = store.prepare((qb, p: { teamId: string; status: 'active' | InactiveStatus; now: string }) =>
    qb
      .insertInto('workspaces')
      .values({ team_id: p.teamId, status: p.status, updated_at: p.now })
      .onConflict((oc) =>
        oc
          .column('team_id')
          .doUpdateSet((eb) => ({
            status: eb.ref('excluded.status'),
            updated_at: eb.ref('excluded.updated_at'),
          }))
          .where('workspaces.status', '<>', (eb) => eb.ref('excluded.status')),
      ),
  );
  return {
    async isWorkspaceActive(teamId: string): Promise<boolean> {
      const row = await status.first({ teamId });
      return row === undefined || row.status === 'active';
    },

    async markInactive(teamId: string, status: InactiveStatus, now: Date): Promise<void> {
      await set.run({ teamId, status, now: now.toISOString() });
    },

    /** A verified request arrived from the tenant again: Slack only sends those to installed apps. */
    async markActive(teamId: string, now: Date): Promise<void> {
      await set.run({ teamId, status: 'active', now: now.toISOString() });
    },
  };
}

export type WorkspaceRepository = ReturnType<typeof createWorkspaceRepository>;
