/**
 * The PostgreSQL migration runner and database handle on a real server: instances that start
 * together migrate once (advisory lock), the runner's refusals match SQLite's, and /healthz's
 * check follows the pool.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDatabaseFor } from '../../../src/db/database.ts';
import { createPostgresPool, migratePostgres } from '../../../src/db/postgres.ts';
import { POSTGRES_MIGRATIONS_DIR } from '../../../src/paths.ts';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../../helpers/postgres.ts';
import { tempDir } from '../../helpers/tmp.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function freshDatabase(label: string): Promise<TestDatabase> {
  const db = await createTestDatabase(label);
  cleanups.push(() => db.drop());
  return db;
}

function poolOn(url: string) {
  const pool = createPostgresPool(url, 4, () => {});
  cleanups.push(() => pool.end());
  return pool;
}

const files = fs.readdirSync(POSTGRES_MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'));

await describeOnPostgres('PostgreSQL migrations and handle', () => {
  it('three instances starting together migrate once: one applies every file, the others none', async () => {
    const { url } = await freshDatabase('together');
    const results = await Promise.all([1, 2, 3].map(() => migratePostgres(poolOn(url))));
    const applied = results.map((r) => r.applied.length).sort();
    expect(applied).toEqual([0, 0, files.length]);
    const { rows } = await poolOn(url).query('SELECT name FROM schema_migrations ORDER BY id');
    expect(rows.map((r) => r.name)).toEqual(files.sort());
    expect(await migratePostgres(poolOn(url))).toEqual({ applied: [], alreadyApplied: files.length });
  });

  it('refuses an edited migration and one it does not know, as on SQLite', async () => {
    const { url } = await freshDatabase('refusals');
    const dir = tempDir('ladder-pg-migrations-');
    for (const f of files) fs.copyFileSync(path.join(POSTGRES_MIGRATIONS_DIR, f), path.join(dir, f));
    await migratePostgres(poolOn(url), dir);
    const first = path.join(dir, files[0] as string);
    fs.appendFileSync(first, '\n-- edited\n');
    await expect(migratePostgres(poolOn(url), dir)).rejects.toThrow(/was edited after it was applied/);
    fs.rmSync(first);
    await expect(migratePostgres(poolOn(url), dir)).rejects.toThrow(
      /which this version of Ladder does not know/,
    );
  });

  it('rolls a failing migration back whole, naming it, and leaves the rest applied', async () => {
    const { url } = await freshDatabase('failing');
    const dir = tempDir('ladder-pg-migrations-');
    for (const f of files) fs.copyFileSync(path.join(POSTGRES_MIGRATIONS_DIR, f), path.join(dir, f));
    fs.writeFileSync(
      path.join(dir, '9999_broken.sql'),
      'CREATE TABLE half_done (id integer);\nSELECT no_such_function();\n',
    );
    await expect(migratePostgres(poolOn(url), dir)).rejects.toThrow(
      /Migration 9999_broken.sql failed and was rolled back: .*no_such_function/,
    );
    const pool = poolOn(url);
    const { rows } = await pool.query(
      "SELECT to_regclass('half_done') AS t, (SELECT count(*) FROM schema_migrations) AS n",
    );
    expect(rows[0]).toEqual({ t: null, n: files.length });
  });

  it('the handle answers health through its pool, and not once closed', async () => {
    const { url } = await freshDatabase('handle');
    const database = await openDatabaseFor({
      databasePath: 'unused.db',
      databaseUrl: url,
      databasePoolSize: 2,
    });
    expect(database.engine).toBe('postgres');
    expect(database.sqlite).toBeUndefined();
    expect(database.where).toMatch(/^PostgreSQL at 127\.0\.0\.1:5432, database "ladder_test_handle_/);
    expect(await database.isHealthy()).toBe(true);
    await database.close();
    expect(database.isOpen()).toBe(false);
    expect(await database.isHealthy()).toBe(false);
  });
});
