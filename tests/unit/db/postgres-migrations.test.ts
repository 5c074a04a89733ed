/**
 * The parity guard between the engines: migrations/postgres holds the same files as
 * migrations/sqlite, and applied in order they reach the same tables, columns, nullability,
 * primary keys and indexes (with their names), with the types the store's codecs expect.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/connection.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { MIGRATIONS_DIR, POSTGRES_MIGRATIONS_DIR } from '../../../src/paths.ts';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../../helpers/postgres.ts';

const sqlFiles = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();

interface Column {
  name: string;
  nullable: boolean;
  /** 'integer' or 'text': what the engines' types share. */
  family: string;
  /** The DEFAULT as SQL text ('active', 0, '[]'), or null. */
  default: string | null;
  /** PostgreSQL only: the exact type. */
  type?: string;
}

interface Index {
  name: string;
  table: string;
  unique: boolean;
  partial: boolean;
  columns: string[];
}

interface SchemaShape {
  tables: string[];
  columns: Record<string, Column[]>;
  primaryKeys: Record<string, string[]>;
  indexes: Index[];
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

/** The runner's own bookkeeping table is not part of the schema the migrations write. */
const RUNNER_TABLE = 'schema_migrations';

function sqliteShape(): SchemaShape {
  const db = openDatabase(':memory:');
  migrate(db, MIGRATIONS_DIR);
  const tables = (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as Array<{ name: string }>
  )
    .map((t) => t.name)
    .filter((t) => t !== RUNNER_TABLE);
  const shape: SchemaShape = { tables, columns: {}, primaryKeys: {}, indexes: [] };
  for (const table of tables) {
    const info = db.pragma(`table_info(${table})`) as Array<{
      name: string;
      type: string;
      notnull: number;
      pk: number;
      dflt_value: string | null;
    }>;
    // A primary key column never holds NULL (WITHOUT ROWID and INTEGER PRIMARY KEY tables enforce it).
    shape.columns[table] = info
      .map((c) => ({
        name: c.name,
        nullable: c.notnull === 0 && c.pk === 0,
        family: c.type.toLowerCase(),
        default: c.dflt_value,
      }))
      .sort(byName);
    shape.primaryKeys[table] = info
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    const indexes = db.pragma(`index_list(${table})`) as Array<{
      name: string;
      unique: number;
      origin: string;
      partial: number;
    }>;
    for (const ix of indexes.filter((i) => i.origin === 'c')) {
      const cols = (
        db.pragma(`index_xinfo(${ix.name})`) as Array<{ name: string; desc: number; key: number }>
      )
        .filter((c) => c.key === 1)
        .map((c) => (c.desc ? `${c.name} DESC` : c.name));
      shape.indexes.push({
        name: ix.name,
        table,
        unique: ix.unique === 1,
        partial: ix.partial === 1,
        columns: cols,
      });
    }
  }
  shape.indexes.sort(byName);
  db.close();
  return shape;
}

const PG_FAMILY: Record<string, string> = {
  integer: 'integer',
  bigint: 'integer',
  text: 'text',
  'timestamp with time zone': 'text',
  date: 'text',
};

async function postgresShape(client: pg.Client): Promise<SchemaShape> {
  const tables = (
    await client.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    )
  ).rows.map((t) => t.name);
  const shape: SchemaShape = { tables, columns: {}, primaryKeys: {}, indexes: [] };
  const cols = await client.query<{
    table: string;
    name: string;
    nullable: string;
    type: string;
    default: string | null;
  }>(
    `SELECT table_name AS table, column_name AS name, is_nullable AS nullable, data_type AS type,
       column_default AS default
     FROM information_schema.columns WHERE table_schema = 'public'`,
  );
  for (const c of cols.rows) {
    const family = PG_FAMILY[c.type] ?? c.type;
    const list = shape.columns[c.table] ?? [];
    // PostgreSQL spells a text default with its cast ('active'::text).
    const dflt = c.default === null ? null : c.default.replace(/::text$/, '');
    list.push({ name: c.name, nullable: c.nullable === 'YES', family, default: dflt, type: c.type });
    shape.columns[c.table] = list;
  }
  for (const t of Object.keys(shape.columns)) shape.columns[t]?.sort(byName);
  const keys = await client.query<{ table: string; columns: string[] }>(
    `SELECT t.relname AS table,
       array(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY u(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.attnum ORDER BY u.ord) AS columns
     FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = 'public' AND i.indisprimary`,
  );
  for (const k of keys.rows) shape.primaryKeys[k.table] = k.columns;
  const indexes = await client.query<Index>(
    `SELECT c.relname AS name, t.relname AS table, i.indisunique AS unique, i.indpred IS NOT NULL AS partial,
       array(SELECT pg_get_indexdef(i.indexrelid, k + 1, true)
                    || CASE WHEN i.indoption[k] & 1 = 1 THEN ' DESC' ELSE '' END
             FROM generate_subscripts(i.indkey, 1) k ORDER BY k) AS columns
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = 'public' AND NOT i.indisprimary`,
  );
  shape.indexes = indexes.rows.sort(byName);
  return shape;
}

describe('migrations/postgres beside migrations/sqlite', () => {
  it('holds exactly the same file names: same numbers, same names', () => {
    const sqlite = sqlFiles(MIGRATIONS_DIR);
    expect(sqlite.length).toBeGreaterThan(0);
    expect(sqlFiles(POSTGRES_MIGRATIONS_DIR)).toEqual(sqlite);
  });
});

await describeOnPostgres('migrations/postgres applied in order on PostgreSQL', () => {
  let database: TestDatabase;
  let client: pg.Client;
  let pgShape: SchemaShape;
  let sqlite: SchemaShape;

  beforeAll(async () => {
    sqlite = sqliteShape();
    database = await createTestDatabase('migrations');
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    // Each file in its own transaction, as the runner applies them.
    for (const file of sqlFiles(POSTGRES_MIGRATIONS_DIR)) {
      await client.query('BEGIN');
      try {
        await client.query(fs.readFileSync(path.join(POSTGRES_MIGRATIONS_DIR, file), 'utf8'));
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`${file} failed on PostgreSQL: ${(err as Error).message}`);
      }
    }
    pgShape = await postgresShape(client);
  });

  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('creates the same tables as SQLite', () => {
    expect(pgShape.tables).toEqual(sqlite.tables);
  });

  it('gives every table the same columns, nullability, defaults and type family (integer or text)', () => {
    const strip = (cols: Column[] | undefined) => cols?.map(({ type: _type, ...c }) => c);
    for (const table of sqlite.tables) {
      expect({ table, columns: strip(pgShape.columns[table]) }).toEqual({
        table,
        columns: sqlite.columns[table],
      });
    }
  });

  it('keys every table by the same primary key columns, in the same order', () => {
    expect(pgShape.primaryKeys).toEqual(sqlite.primaryKeys);
  });

  it('creates the same indexes: names, tables, columns, uniqueness and partial ones', () => {
    expect(pgShape.indexes).toEqual(sqlite.indexes);
  });

  it('stores instants as timestamptz and the integer primary keys as bigint', () => {
    const instants = Object.entries(pgShape.columns).flatMap(([table, cols]) =>
      cols
        .filter((c) => c.name.endsWith('_at') || c.name === 'effective_from')
        .map((c) => `${table}.${c.name}: ${c.type}`),
    );
    expect(instants.length).toBeGreaterThan(10);
    for (const line of instants) expect(line).toMatch(/: timestamp with time zone$/);
    for (const [table, key] of Object.entries(sqlite.primaryKeys)) {
      const single = key.length === 1 ? sqlite.columns[table]?.find((c) => c.name === key[0]) : undefined;
      if (single?.family !== 'integer') continue;
      expect(
        `${table}.${single.name}: ${pgShape.columns[table]?.find((c) => c.name === single.name)?.type}`,
      ).toBe(`${table}.${single.name}: bigint`);
    }
  });
});
