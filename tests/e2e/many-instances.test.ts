/**
 * Issue 21's proof on PostgreSQL: three app processes on one database behind one local Slack API.
 * Skips loudly (naming TEST_DATABASE_URL) where no PostgreSQL server answers. Takes a few minutes
 * of real time: the child processes tick on the real clock, once a minute, and a dead instance's
 * send lease runs out after a minute.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabaseFor } from '../../src/db/database.ts';
import { createRepositories } from '../../src/db/repositories.ts';
import { TEAM } from '../helpers/harness.ts';
import {
  type Cluster,
  forgetAcross,
  type Instance,
  logHereUndoThere,
  modalHereSubmitThere,
  nudgeThroughKill,
  requestsSpread,
  retriedEventToEach,
  startCluster,
} from '../helpers/many-instances.ts';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../helpers/postgres.ts';

/** 180 a minute: a tick claims 270 (a minute and a half of sends), so 30 of 300 stay unclaimed. */
const RATE = 180;

await describeOnPostgres('three instances on one PostgreSQL database', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let cluster: Cluster;
  const figures: Record<string, number> = {};

  /** Rows naming `userId` in every table that has a user_id column. */
  async function rowsOf(userId: string): Promise<Record<string, number>> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'user_id'",
      );
      const out: Record<string, number> = {};
      for (const { table_name } of rows) {
        const r = await client.query(`SELECT COUNT(*)::int AS n FROM "${table_name}" WHERE user_id = $1`, [
          userId,
        ]);
        out[table_name] = r.rows[0].n;
      }
      return out;
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase('many');
    handle = await openDatabaseFor({ databaseUrl: database.url, databasePath: '', databasePoolSize: 4 });
    cluster = await startCluster({
      instances: 3,
      count: 300,
      rate: RATE,
      databaseEnv: { DATABASE_URL: database.url },
      repos: createRepositories(handle),
    });
  }, 120_000);
  afterAll(async () => {
    process.stderr.write(`many-instances (PostgreSQL) figures: ${JSON.stringify(figures)}\n`);
    await cluster?.close();
    await handle?.close();
    await database?.drop();
  });

  it('requests spread over the three: each answers, log on one and Undo on another, a modal opened on one and submitted on another', async () => {
    const answered = await requestsSpread(cluster, 30);
    expect(answered).toEqual([10, 10, 10]);
    await logHereUndoThere(cluster, cluster.people[0]?.id as string);
    await modalHereSubmitThere(cluster, cluster.people[0]?.id as string);
  });

  it(
    '300 people on one slot, three schedulers and a concurrent nudges run: each nudged once, within the rate, through a kill -9 of the sender',
    async () => {
      const result = await nudgeThroughKill(cluster, {
        killAfterPosts: 60,
        logOnVictim: 5,
        onEventRetries: (who) => retriedEventToEach(cluster, who, 'EvMANYPG1'),
      });
      Object.assign(figures, result.figures);
      expect(result.figures.takeoverMs).toBeLessThan(120_000);

      // forget asked on one survivor, confirmed on the other: no row of that person anywhere.
      const who = cluster.people.find((p) => p.id !== cluster.people[0]?.id)?.id as string;
      const [a, b] = result.survivors as [Instance, Instance];
      expect(Object.values(await rowsOf(who)).some((n) => n > 0)).toBe(true);
      await forgetAcross(who, a, b);
      const left = await rowsOf(who);
      expect(Object.entries(left).filter(([, n]) => n > 0)).toEqual([]);
      expect(await cluster.repos.evidence.count({ teamId: TEAM, userId: who })).toBe(0);
    },
    15 * 60_000,
  );
});
