/**
 * Reading (and, for setting up an old state, writing) the app's tables from a test on either engine:
 * through the app's own store, with Kysely's `sql` tag, which compiles `${value}` to each dialect's
 * placeholder (`?` or `$1`). Write SQL both engines read alike: alias every aggregate
 * (`COUNT(*) AS n`), and compare instants and dates as the text the codecs give back.
 */
import { type RawBuilder, sql } from 'kysely';
import type { RunningLadder } from '../../src/main.ts';

export { sql };

type App = Pick<RunningLadder, 'database'>;

function compiled<R>(app: App, query: RawBuilder<R>) {
  const { store } = app.database;
  return { compile: () => query.compile(store.qb) };
}

/** Every row the query returns. */
export function rows<R = Record<string, unknown>>(app: App, query: RawBuilder<R>): Promise<R[]> {
  return app.database.store.all(compiled(app, query));
}

/** Runs a write; resolves to the number of rows it changed. */
export function run(app: App, query: RawBuilder<unknown>): Promise<number> {
  return app.database.store.run(compiled(app, query));
}

/** `SELECT COUNT(*)` of a table, optionally narrowed by a `sql` condition. */
export async function count(
  app: App,
  table: string,
  where: RawBuilder<unknown> = sql`1 = 1`,
): Promise<number> {
  const [row] = await rows<{ n: number | string }>(
    app,
    sql`SELECT COUNT(*) AS n FROM ${sql.table(table)} WHERE ${where}`,
  );
  return Number(row?.n ?? 0);
}

/** The app's tables, the migration ledger included, by name. */
export async function tableNames(app: App): Promise<string[]> {
  const query =
    app.database.engine === 'sqlite'
      ? sql<{
          name: string;
        }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
      : sql<{ name: string }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`;
  const found = await rows(app, query);
  return found.map((r) => r.name).sort();
}

/** A table's column names. */
export async function columnNames(app: App, table: string): Promise<string[]> {
  const query =
    app.database.engine === 'sqlite'
      ? sql<{ name: string }>`SELECT name FROM pragma_table_info(${table})`
      : sql<{ name: string }>`SELECT column_name AS name FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = ${table}`;
  return (await rows(app, query)).map((r) => r.name);
}
