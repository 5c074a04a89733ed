/**
 * The one way repositories reach the database: Kysely builds and compiles every query (so a query
 * is written once for SQLite and PostgreSQL), and this store runs it. On SQLite it runs on the one
 * better-sqlite3 connection, through prepared statements kept for the life of the connection:
 * a fixed query is compiled once when its repository is built (`prepare`), a query whose shape
 * depends on its input (an edit's changed columns) is compiled per call and its statement cached.
 *
 * Transactions: a write transaction begins with `BEGIN IMMEDIATE` (Kysely's own `begin` is
 * deferred, which turns a concurrent writer, such as the CLI during a run, into SQLITE_BUSY); a
 * read transaction (a consistent export) with a deferred `BEGIN`. (PostgreSQL: postgres-store.ts.) The body gets a handle, `tx`,
 * and passes it to every statement it runs and to any transaction it calls (which then joins it);
 * statements without the handle wait until the transaction ends, so another request's write
 * never lands inside it. (An explicit handle rather than AsyncLocalStorage: that one slows every
 * promise in the process, and PostgreSQL will need the handle to pick the transaction's client.)
 * A single statement outside a transaction commits on its own.
 */
import type Database from 'better-sqlite3';
import { type CompiledQuery, Kysely, SqliteDialect } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Schema } from './schema.ts';

type Statement = Database.Statement<unknown[], unknown>;

/** Anything Kysely can compile: a query builder or a raw `sql` expression bound to the builder. */
export interface Compilable<R> {
  compile(): CompiledQuery<R>;
}

/** An open transaction: pass it to the statements and transactions that belong to it. */
export interface Tx {
  readonly done: Promise<void>;
}

/** A compiled query run with new values each time; `tx` when it belongs to an open transaction. */
export interface Prepared<P, R> {
  all(params: P, tx?: Tx): Promise<R[]>;
  first(params: P, tx?: Tx): Promise<R | undefined>;
  /** Runs a write; resolves to the number of rows it changed. */
  run(params: P, tx?: Tx): Promise<number>;
}

/** A named value of a prepared query; stands in for the value while the query is compiled. */
class Param {
  constructor(readonly name: string) {}
}

type Slot = { param: string } | { constant: unknown };
export type Mode = 'all' | 'first' | 'run';

export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  /** The query builder (building and compiling only: run what it builds through the store). */
  readonly qb: Kysely<Schema>;
  /**
   * Compiles `build` once, its values standing in for the named parameters of `P`, and returns a
   * query to run with real values. Only for queries whose shape does not depend on the values.
   */
  prepare<P extends object, R>(build: (qb: Kysely<Schema>, p: P) => Compilable<R>): Prepared<P, R>;
  all<R>(query: Compilable<R>, tx?: Tx): Promise<R[]>;
  first<R>(query: Compilable<R>, tx?: Tx): Promise<R | undefined>;
  run(query: Compilable<unknown>, tx?: Tx): Promise<number>;
  /**
   * A write transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK on a throw). With `outer`, the body
   * runs in that transaction instead.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>, outer?: Tx): Promise<T>;
  /** A read transaction: every read in `fn` sees one snapshot. With `outer`, joins it. */
  read<T>(fn: (tx: Tx) => Promise<T>, outer?: Tx): Promise<T>;
}

type Execute<S> = (s: S, args: unknown[], mode: Mode, tx: Tx | undefined) => Promise<unknown>;

/**
 * `Store.prepare` for either engine: compiles once with stand-ins for the parameters, keeps the
 * engine's statement for the SQL (`statement`), and binds real values per call.
 */
export function prepareWith<S, P extends object, R>(
  qb: Kysely<Schema>,
  statement: (sql: string) => S,
  execute: Execute<S>,
  build: (qb: Kysely<Schema>, p: P) => Compilable<R>,
): Prepared<P, R> {
  const names = new Map<string, Param>();
  const p = new Proxy({} as P, {
    get: (_target, key) => {
      const name = String(key);
      const param = names.get(name) ?? new Param(name);
      names.set(name, param);
      return param;
    },
  });
  const c = build(qb, p).compile();
  const slots: Slot[] = c.parameters.map((v) => (v instanceof Param ? { param: v.name } : { constant: v }));
  const s = statement(c.sql);
  // Per slot: the parameter's name, or the constant the query was built with.
  const paramNames = slots.map((slot) => ('param' in slot ? slot.param : null));
  const constants = slots.map((slot) => ('constant' in slot ? slot.constant : undefined));
  const bind = (params: P): unknown[] => {
    const values = params as Record<string, unknown>;
    const args = new Array<unknown>(paramNames.length);
    for (let i = 0; i < paramNames.length; i++) {
      const name = paramNames[i];
      args[i] = name == null ? constants[i] : values[name];
    }
    return args;
  };
  return {
    all: (params, tx) => execute(s, bind(params), 'all', tx) as Promise<R[]>,
    first: (params, tx) => execute(s, bind(params), 'first', tx) as Promise<R | undefined>,
    run: (params, tx) => execute(s, bind(params), 'run', tx) as Promise<number>,
  };
}

function exec(s: Statement, args: unknown[], mode: Mode): unknown {
  if (mode === 'run') return s.run(...args).changes;
  // A write with RETURNING is stepped to its end: `get` stops after the first row and resets it,
  // which outside a transaction costs SQLite about half as much system time again per commit
  // (measured: 105 µs against 65 µs per INSERT … RETURNING, WAL, synchronous=FULL).
  if (mode === 'all') return s.all(...args);
  return s.readonly ? s.get(...args) : s.all(...args)[0];
}

/**
 * The one open transaction of a connection: statements of other flows wait for its end, a
 * transaction given its handle joins it.
 */
function transactions(db: Database.Database) {
  let open: Tx | null = null;
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');

  /** The transaction a statement outside `tx` must wait for, if one is open. */
  const blocking = (tx: Tx | undefined): Tx | null => (open !== null && open !== tx ? open : null);

  function transactionOf(begin: Database.Statement) {
    return async <T>(fn: (tx: Tx) => Promise<T>, outer?: Tx): Promise<T> => {
      if (outer !== undefined && outer === open) return fn(outer);
      // Checked again after every wait, and taken with no await in between: only one begins.
      while (open !== null) await open.done;
      let finish = () => {};
      const tx: Tx = { done: new Promise<void>((r) => (finish = r)) };
      open = tx;
      try {
        begin.run();
        const result = await fn(tx);
        commit.run();
        return result;
      } catch (error) {
        if (db.inTransaction) rollback.run();
        throw error;
      } finally {
        open = null;
        finish();
      }
    };
  }

  return {
    blocking,
    write: transactionOf(db.prepare('BEGIN IMMEDIATE')),
    read: transactionOf(db.prepare('BEGIN')),
  };
}

/** The SQLite store over one better-sqlite3 connection (the connection's owner closes it). */
export function createSqliteStore(db: Database.Database): Store {
  const qb = new Kysely<Schema>({ dialect: new SqliteDialect({ database: db }) });
  const statements = new LRUCache<string, Statement>({ max: 500 });
  const txs = transactions(db);

  const statement = (sql: string): Statement => {
    let s = statements.get(sql);
    if (!s) {
      s = db.prepare(sql) as Statement;
      statements.set(sql, s);
    }
    return s;
  };

  const execute: Execute<Statement> = async (s, args, mode, tx) => {
    // Runs with no await between the last check and the statement.
    for (let t = txs.blocking(tx); t !== null; t = txs.blocking(tx)) await t.done;
    return exec(s, args, mode);
  };

  const compiled = <R>(query: Compilable<R>, mode: Mode, tx: Tx | undefined) => {
    const c = query.compile();
    return execute(statement(c.sql), [...c.parameters], mode, tx);
  };

  return {
    engine: 'sqlite',
    qb,
    prepare: (build) => prepareWith(qb, statement, execute, build),
    all: (query, tx) => compiled(query, 'all', tx) as Promise<never[]>,
    first: (query, tx) => compiled(query, 'first', tx) as Promise<never>,
    run: (query, tx) => compiled(query, 'run', tx) as Promise<number>,
    transaction: txs.write,
    read: txs.read,
  };
}

/**
 * The named parameters `keys` of a prepared query as an object (for `values` and `set`): the
 * parameters object of `prepare` has no keys of its own to spread.
 */
export function pick<P, const K extends keyof P>(p: P, keys: readonly K[]): Pick<P, K> {
  const out = {} as Pick<P, K>;
  for (const k of keys) out[k] = p[k];
  return out;
}

/** A write refused by a unique index: SQLite's SQLITE_CONSTRAINT_UNIQUE (PostgreSQL's is 23505). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}
