/**
 * The PostgreSQL store: the same `Store` the repositories use on SQLite, over a bounded `pg` pool.
 * Kysely compiles every query for PostgreSQL (`$1` placeholders); each distinct SQL text gets a
 * name, so every pooled connection parses it once and runs it as a prepared statement after.
 *
 * Transactions: the body's handle, `tx`, carries the pool client it runs on; statements given the
 * handle run on that client, a transaction given it joins it. A write transaction runs at
 * SERIALIZABLE, the isolation the SQLite store gives by having one writer, so a body that reads
 * then writes behaves the same on both engines; PostgreSQL may refuse such a body when another
 * commits a conflicting change first (SQLSTATE 40001, or 40P01 for a deadlock), and the body then
 * runs again from the start. Bodies touch only the database (never Slack), so running one again
 * is safe. A read transaction is REPEATABLE READ, READ ONLY: one snapshot, as on SQLite.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Kysely, PostgresDialect } from 'kysely';
import { LRUCache } from 'lru-cache';
import type pg from 'pg';
import type { Schema } from './schema.ts';
import { type Compilable, type Mode, prepareWith, type Store, type Tx } from './store.ts';

/** A named statement: `pg` prepares it once per connection and reuses it by name. */
interface Named {
  readonly name: string;
  readonly text: string;
}

/** Attempts of a write transaction PostgreSQL refused for a concurrent conflict, before giving up. */
const MAX_ATTEMPTS = 8;
const SERIALIZATION_FAILURE = '40001';
const DEADLOCK_DETECTED = '40P01';

const WRITE = 'BEGIN ISOLATION LEVEL SERIALIZABLE';
const READ = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

function isRetryable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === SERIALIZATION_FAILURE || code === DEADLOCK_DETECTED;
}

/** A short, growing, jittered pause before a refused transaction runs again. */
function backoffMs(attempt: number): number {
  return Math.min(2 ** attempt, 50) * (0.5 + Math.random());
}

function transactions(pool: pg.Pool, clients: WeakMap<Tx, pg.PoolClient>) {
  async function once<T>(begin: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let finish = () => {};
    const tx: Tx = { done: new Promise<void>((r) => (finish = r)) };
    clients.set(tx, client);
    // A client whose ROLLBACK failed is in an unknown state: it is destroyed, not reused.
    let broken: Error | undefined;
    try {
      await client.query(begin);
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((e: Error) => {
        broken = e;
      });
      throw error;
    } finally {
      clients.delete(tx);
      client.release(broken);
      finish();
    }
  }

  function transactionOf(begin: string) {
    return async <T>(fn: (tx: Tx) => Promise<T>, outer?: Tx): Promise<T> => {
      if (outer !== undefined && clients.has(outer)) return fn(outer);
      for (let attempt = 1; ; attempt++) {
        try {
          return await once(begin, fn);
        } catch (error) {
          if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error;
          await sleep(backoffMs(attempt));
        }
      }
    };
  }

  return { write: transactionOf(WRITE), read: transactionOf(READ) };
}

let statementCounter = 0;

/** The PostgreSQL store over `pool` (the pool's owner ends it). */
export function createPostgresStore(pool: pg.Pool): Store {
  // Building and compiling only: queries run through `execute` below, never through Kysely's driver.
  const qb = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  const clients = new WeakMap<Tx, pg.PoolClient>();
  const named = new LRUCache<string, Named>({ max: 500 });

  const statement = (text: string): Named => {
    let s = named.get(text);
    if (!s) {
      // Names are never reused for another text: a connection keeps what it prepared under a name.
      // The counter is the module's: several stores may share one pool (and its connections).
      statementCounter += 1;
      s = { name: `ladder_${statementCounter}`, text };
      named.set(text, s);
    }
    return s;
  };

  const execute = async (s: Named, values: unknown[], mode: Mode, tx: Tx | undefined): Promise<unknown> => {
    const runner = tx === undefined ? pool : clients.get(tx);
    if (runner === undefined) throw new Error('A statement was given a transaction that has already ended.');
    const result = await runner.query({ name: s.name, text: s.text, values });
    if (mode === 'run') return result.rowCount ?? 0;
    return mode === 'all' ? result.rows : result.rows[0];
  };

  const compiled = <R>(query: Compilable<R>, mode: Mode, tx: Tx | undefined) => {
    const c = query.compile();
    return execute(statement(c.sql), [...c.parameters], mode, tx);
  };

  const txs = transactions(pool, clients);
  return {
    engine: 'postgres',
    qb,
    prepare: (build) => prepareWith(qb, statement, execute, build),
    all: (query, tx) => compiled(query, 'all', tx) as Promise<never[]>,
    first: (query, tx) => compiled(query, 'first', tx) as Promise<never>,
    run: (query, tx) => compiled(query, 'run', tx) as Promise<number>,
    transaction: txs.write,
    read: txs.read,
  };
}
