import type { Db } from './connection.ts';

/** Why a tenant stopped hearing from the app: Slack's `app_uninstalled` or `tokens_revoked`. */
export type InactiveStatus = 'uninstalled' | 'revoked';

/**
 * The install state of each tenant (`team_id` holds the enterprise id for org-wide installs). A
 * tenant without a row has never been marked and is active. Every proactive send (weekly nudges,
 * time-zone refreshes) asks `isWorkspaceActive` first: after an uninstall the bot must go quiet.
 */
export function createWorkspaceRepository(db: Db) {
  const statusStmt = db.prepare('SELECT status FROM workspaces WHERE team_id = ?').pluck();
  const setStmt = db.prepare(
    `INSERT INTO workspaces (team_id, status, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (team_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at
     WHERE workspaces.status <> excluded.status`,
  );
  return {
    isWorkspaceActive(teamId: string): boolean {
      const status = statusStmt.get(teamId) as string | undefined;
      return status === undefined || status === 'active';
    },

    markInactive(teamId: string, status: InactiveStatus, now: Date): void {
      setStmt.run(teamId, status, now.toISOString());
    },

    /** A verified request arrived from the tenant again: Slack only sends those to installed apps. */
    markActive(teamId: string, now: Date): void {
      setStmt.run(teamId, 'active', now.toISOString());
    },
  };
}

export type WorkspaceRepository = ReturnType<typeof createWorkspaceRepository>;
