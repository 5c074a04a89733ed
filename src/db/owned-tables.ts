import type { Owner } from '../domain/types.ts';
import type { Db } from './connection.ts';

/** Rows per table: what a person has, or what was deleted. */
export type TableCounts<T extends string> = Record<T, number>;

/**
 * Counting and deleting one person's rows in the tables a repository owns, each keyed by
 * (team_id, user_id). `/ladder forget` composes every repository's `deleteOf`.
 */
export function ownedTables<const T extends string>(db: Db, tables: readonly T[]) {
  const count = tables.map(
    (t) => [t, db.prepare(`SELECT COUNT(*) AS n FROM ${t} WHERE team_id = ? AND user_id = ?`)] as const,
  );
  const remove = tables.map(
    (t) => [t, db.prepare(`DELETE FROM ${t} WHERE team_id = ? AND user_id = ?`)] as const,
  );
  return {
    countOf(owner: Owner): TableCounts<T> {
      const out = {} as TableCounts<T>;
      for (const [t, stmt] of count) out[t] = (stmt.get(owner.teamId, owner.userId) as { n: number }).n;
      return out;
    },
    /** Call inside the caller's transaction. */
    deleteOf(owner: Owner): TableCounts<T> {
      const out = {} as TableCounts<T>;
      for (const [t, stmt] of remove) out[t] = stmt.run(owner.teamId, owner.userId).changes;
      return out;
    },
  };
}
