/**
 * Issue 21's proof, smaller, on one SQLite file: two app processes behind one local Slack API.
 * Takes a few minutes of real time (the processes tick on the real clock, once a minute).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/db/connection.ts';
import { migrate } from '../../src/db/migrate.ts';
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
import { tempDir } from '../helpers/tmp.ts';

/** 24 a minute: a tick claims 36 (a minute and a half of sends), so 4 of 40 stay unclaimed. */
const RATE = 24;

describe('two instances on one SQLite file', () => {
  let db: Db;
  let cluster: Cluster;
  const figures: Record<string, number> = {};

  /** Rows naming `userId` in every table that has a user_id column. */
  function rowsOf(userId: string): Record<string, number> {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all() as Array<{ name: string }>;
    const out: Record<string, number> = {};
    for (const { name } of tables) {
      const columns = db.prepare(`PRAGMA table_info(${name})`).all() as Array<{ name: string }>;
      if (!columns.some((c) => c.name === 'user_id')) continue;
      out[name] = (
        db.prepare(`SELECT COUNT(*) AS n FROM ${name} WHERE user_id = ?`).get(userId) as { n: number }
      ).n;
    }
    return out;
  }

  beforeAll(async () => {
    const file = path.join(tempDir(), 'many.db');
    db = openDatabase(file);
    migrate(db);
    cluster = await startCluster({
      instances: 2,
      count: 40,
      rate: RATE,
      databaseEnv: { DATABASE_PATH: file },
      repos: createRepositories(db),
    });
  }, 120_000);
  afterAll(async () => {
    process.stderr.write(`many-instances (SQLite) figures: ${JSON.stringify(figures)}\n`);
    await cluster?.close();
    db?.close();
  });

  it('requests spread over the two: each answers, log on one and Undo on the other, a modal opened on one and submitted on the other', async () => {
    expect(await requestsSpread(cluster, 10)).toEqual([5, 5]);
    await logHereUndoThere(cluster, cluster.people[0]?.id as string);
    await modalHereSubmitThere(cluster, cluster.people[0]?.id as string);
  });

  it(
    '40 people on one slot, two schedulers and a concurrent nudges run: each nudged once, within the rate, through a kill -9 of the sender',
    async () => {
      const result = await nudgeThroughKill(cluster, {
        killAfterPosts: 8,
        logOnVictim: 3,
        onEventRetries: (who) => retriedEventToEach(cluster, who, 'EvMANYSQL1'),
      });
      Object.assign(figures, result.figures);
      expect(result.figures.takeoverMs).toBeLessThan(120_000);

      // forget on the survivor (the other instance is dead): no row of that person in the file.
      const who = cluster.people.find((p) => p.id !== cluster.people[0]?.id)?.id as string;
      const [a] = result.survivors as [Instance];
      expect(Object.values(rowsOf(who)).some((n) => n > 0)).toBe(true);
      await forgetAcross(who, a, a);
      expect(Object.entries(rowsOf(who)).filter(([, n]) => n > 0)).toEqual([]);
      expect(await cluster.repos.evidence.count({ teamId: TEAM, userId: who })).toBe(0);
    },
    15 * 60_000,
  );
});
