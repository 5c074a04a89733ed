import type { Owner } from '../domain/types.ts';
import { count } from './columns.ts';
import { type TenantMove, tableMover } from './owned-move.ts';
import type { PersonTable } from './schema.ts';
import type { Store, Tx } from './store.ts';

/** Rows per table: what a person has, or what was deleted. */
export type TableCounts<T extends string> = Record<T, number>;

/**
 * Counting and deleting one person's rows in the tables a repository owns, each keyed by
 * (team_id, user_id). `/ladder forget` composes every repository's `deleteOf`.
 */
export function ownedTables<const T extends PersonTable>(store: Store, tables: readonly T[]) {
  const queries = tables.map((t) => {
    const table = t as PersonTable;
    return {
      table: t,
      count: store.prepare((qb, p: Owner) =>
        qb
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('team_id', '=', p.teamId)
          .where('user_id', '=', p.userId),
      ),
      move: tableMover(store, table),
      remove: store.prepare((qb, p: Owner) =>
        qb.deleteFrom(table).where('team_id', '=', p.teamId).where('user_id', '=', p.userId),
      ),
    };
  });
  // One statement for all the tables: `SELECT EXISTS (…) OR EXISTS (…)`, each an index probe.
  const holds = store.prepare((qb, p: Owner) =>
    qb.selectNoFrom((eb) =>
      eb
        .or(
          tables.map((t) =>
            eb.exists(
              qb
                .selectFrom(t as PersonTable)
                .select('user_id')
                .where('team_id', '=', p.teamId)
                .where('user_id', '=', p.userId),
            ),
          ),
        )
        .as('held'),
    ),
  );
  return {
    async countOf(owner: Owner, tx?: Tx): Promise<TableCounts<T>> {
      const out = {} as TableCounts<T>;
      for (const q of queries) out[q.table] = count((await q.count.first(owner, tx))?.n);
      return out;
    },
    /** Whether any of the tables holds a row of the person: one statement, an index probe per table. */
    async holdsAnyOf(owner: Owner, tx?: Tx): Promise<boolean> {
      // SQLite answers 0 or 1, PostgreSQL false or true.
      return Boolean((await holds.first(owner, tx))?.held);
    },
    /** Call inside the caller's transaction (`tx`). */
    async deleteOf(owner: Owner, tx?: Tx): Promise<TableCounts<T>> {
      const out = {} as TableCounts<T>;
      for (const q of queries) out[q.table] = await q.remove.run(owner, tx);
      return out;
    },
    /** Moves the person's rows from a workspace tenant to its enterprise tenant, inside `tx`. */
    async moveOf(move: TenantMove, tx: Tx): Promise<TableCounts<T>> {
      const out = {} as TableCounts<T>;
      for (const q of queries) out[q.table] = await q.move(move, tx);
      return out;
    },
  };
}
