/**
 * PostgreSQL for tests: the server named by `TEST_DATABASE_URL`, one fresh database per test file
 * (created here, dropped WITH (FORCE) after), and a describe that skips loudly when no server answers.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';

export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** The URL with any password hidden, for messages. */
function shown(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an unparsable TEST_DATABASE_URL)';
  }
}

async function withAdmin<T>(timeoutMs: number, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: timeoutMs });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

let answers: Promise<boolean> | undefined;

/** Whether a server answers at TEST_DATABASE_URL (asked once per process, with a short timeout). */
export function postgresAnswers(): Promise<boolean> {
  answers ??= withAdmin(2_000, async (c) => {
    await c.query('SELECT 1');
    return true;
  }).catch(() => false);
  return answers;
}

export interface TestDatabase {
  /** The URL of the new, empty database. */
  url: string;
  /** Drops the database, closing any connection still open to it. Safe to call twice. */
  drop(): Promise<void>;
}

/** A database of its own: `ladder_test_<label>_<pid>_<random>`, lower-case letters, digits and `_`. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const safe = label
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, 24);
  const name = `ladder_test_${safe}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin(5_000, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await withAdmin(5_000, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

let warned = false;

/** The one loud line, once per test file, saying PostgreSQL runs are skipped and why. */
export function warnSkipped(): void {
  if (warned) return;
  warned = true;
  process.stderr.write(
    `!!! PostgreSQL tests SKIPPED: no server answers at TEST_DATABASE_URL=${shown(TEST_DATABASE_URL)} ` +
      '(start one, or run .ci/ensure-postgres) !!!\n',
  );
}

/**
 * `describe` for tests that need PostgreSQL. Await it at the top level of the test file. When no
 * server answers, the block is skipped and one loud line on stderr names TEST_DATABASE_URL: a
 * machine without PostgreSQL must not pass these tests silently.
 */
export async function describeOnPostgres(name: string, body: () => void): Promise<void> {
  const up = await postgresAnswers();
  if (!up) warnSkipped();
  // Skipped, not failed, when no server answers: the reason is the line printed above.
  describe.skipIf(!up)(name, body);
}
