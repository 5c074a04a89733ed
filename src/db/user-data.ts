import type { Owner } from '../domain/types.ts';
import type { Db } from './connection.ts';

/**
 * Every table that holds a person's rows, keyed by (team_id, user_id). `/ladder forget` and the
 * JSON export go through this list; a test fails when a table with a user column is missing here.
 */
export const USER_TABLES = [
  'evidence',
  'deliveries',
  'pending_views',
  'response_urls',
  'profiles',
  'nudge_settings',
  'nudge_ledger',
  'nudge_dm_channels',
  'nudge_history',
  'exports',
] as const;

/** Tables that hold no personal data, listed so the test can tell "forgotten" from "exempt". */
export const NON_PERSONAL_TABLES = ['schema_migrations', 'workspaces', 'database_metadata'] as const;

export type UserDataCounts = Record<(typeof USER_TABLES)[number], number>;

export function countUserData(db: Db, owner: Owner): UserDataCounts {
  const out = {} as UserDataCounts;
  for (const table of USER_TABLES) {
    const row = db
      .prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE team_id = ? AND user_id = ?`)
      .get(owner.teamId, owner.userId) as { n: number };
    out[table] = row.n;
  }
  return out;
}

/** Deletes every row of the user in every table, in one transaction; returns what was deleted. */
export function deleteUserData(db: Db, owner: Owner): UserDataCounts {
  const tx = db.transaction(() => {
    const out = {} as UserDataCounts;
    for (const table of USER_TABLES) {
      out[table] = db
        .prepare(`DELETE FROM ${table} WHERE team_id = ? AND user_id = ?`)
        .run(owner.teamId, owner.userId).changes;
    }
    return out;
  });
  return tx.immediate();
}

/** Counting and deleting everything a person has, for `/ladder forget`. */
export function createUserDataRepository(db: Db) {
  return {
    count: (owner: Owner): UserDataCounts => countUserData(db, owner),
    deleteAll: (owner: Owner): UserDataCounts => deleteUserData(db, owner),
  };
}
