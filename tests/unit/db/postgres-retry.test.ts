/**
 * Two processes' write transactions on one PostgreSQL database (here: two stores on one pool, each
 * with its own queue, as two instances have): SERIALIZABLE refuses the one that would lose an
 * update, and the store runs its body again, so no update is lost.
 */

import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPostgresPool, migratePostgres } from '../../../src/db/postgres.ts';
import { createPostgresStore } from '../../../src/db/postgres-store.ts';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../../helpers/postgres.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

await describeOnPostgres('write transactions of two instances', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    database = await createTestDatabase('retry');
    pool = createPostgresPool(database.url, 6, () => {});
    await migratePostgres(pool);
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('a body refused for a concurrent commit runs again: four increments from two instances make four', async () => {
    const instances = [createPostgresStore(pool), createPostgresStore(pool)];
    const [first] = instances;
    if (!first) throw new Error('no store');
    await first.run(
      first.qb
        .insertInto('response_urls')
        .values({ url: 'u', team_id: 'T', user_id: 'U', uses: 0, created_at: new Date().toISOString() }),
    );
    let bodies = 0;
    const increment = (store: (typeof instances)[number]) =>
      store.transaction(async (tx) => {
        bodies++;
        const row = await store.first(
          store.qb.selectFrom('response_urls').select('uses').where('url', '=', 'u'),
          tx,
        );
        await tick();
        await store.run(
          store.qb
            .updateTable('response_urls')
            .set({ uses: (row?.uses ?? 0) + 1 })
            .where('url', '=', 'u'),
          tx,
        );
      });
    await Promise.all(instances.flatMap((s) => [increment(s), increment(s)]));
    const row = await first.first(first.qb.selectFrom('response_urls').select('uses').where('url', '=', 'u'));
    expect(row?.uses).toBe(4);
    // The two instances' bodies overlapped: at least one was refused and ran again.
    expect(bodies).toBeGreaterThan(4);
  });
});
