/**
 * What an operator sees when DATABASE_URL is wrong: the app and the CLI stop with exit 1 and a
 * message naming host, port, database and user — never the password — and no stack trace.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnLadder } from '../helpers/child.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../helpers/harness.ts';
import { postgresAnswers, TEST_DATABASE_URL } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/tmp.ts';

const onPostgres = await postgresAnswers();
const PASSWORD = 's3cret-Pa55word';
const SLACK = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, PORT: '0' };

/** A URL to the test server with a password added and another database name. */
function onTestServer(database: string): string {
  const u = new URL(TEST_DATABASE_URL);
  u.password = PASSWORD;
  u.pathname = `/${database}`;
  return u.toString();
}

describe('a DATABASE_URL that does not work', () => {
  it('stops the app with exit 1 naming host, port, database and user when no server answers', async () => {
    const child = spawnLadder({
      ...SLACK,
      DATABASE_URL: `postgres://ladder_app:${PASSWORD}@127.0.0.1:1/ladder_prod`,
    });
    const exit = await child.exited;
    expect(exit.code).toBe(1);
    const out = child.output();
    expect(out).toContain(
      'could not use PostgreSQL at 127.0.0.1:1, database "ladder_prod", as ladder_app (DATABASE_URL)',
    );
    expect(out).toContain('ECONNREFUSED');
    expect(out).not.toContain(PASSWORD);
    expect(out).not.toMatch(/\n\s+at /);
  });

  it('refuses a URL that is not a PostgreSQL one, without echoing it', async () => {
    const child = spawnLadder({ ...SLACK, DATABASE_URL: `mysql://root:${PASSWORD}@127.0.0.1/ladder` });
    const exit = await child.exited;
    expect(exit.code).toBe(1);
    expect(child.output()).toContain('DATABASE_URL must be a PostgreSQL URL');
    expect(child.output()).not.toContain(PASSWORD);
  });

  it('CLI migrate exits 1 with the same message', async () => {
    const child = spawnLadder(
      { DATABASE_URL: `postgres://ops:${PASSWORD}@127.0.0.1:1/ladder_prod` },
      'src/cli/index.ts',
      ['migrate'],
    );
    const exit = await child.exited;
    expect(exit.code).toBe(1);
    expect(child.output()).toContain(
      'ladder migrate: could not use PostgreSQL at 127.0.0.1:1, database "ladder_prod", as ops',
    );
    expect(child.output()).not.toContain(PASSWORD);
  });

  it('CLI backup names the pg_dump command to use, without the password, and writes nothing', async () => {
    const file = path.join(tempDir(), 'ladder.dump');
    const child = spawnLadder(
      { DATABASE_URL: `postgres://ops:${PASSWORD}@db.internal:6432/ladder_prod` },
      'src/cli/index.ts',
      ['backup', file],
    );
    const exit = await child.exited;
    expect(exit.code).toBe(1);
    const out = child.output();
    expect(out).toContain(
      `pg_dump --format=custom --no-owner --file='${file}' 'postgres://ops@db.internal:6432/ladder_prod'`,
    );
    expect(out).toContain('no copy was written');
    expect(out).not.toContain(PASSWORD);
  });

  describe.skipIf(!onPostgres)('on a PostgreSQL server that answers', () => {
    it('stops the app naming a database that does not exist', async () => {
      const child = spawnLadder({ ...SLACK, DATABASE_URL: onTestServer('ladder_no_such_database') });
      const exit = await child.exited;
      expect(exit.code).toBe(1);
      const out = child.output();
      expect(out).toContain('database "ladder_no_such_database"');
      expect(out).toContain('does not exist');
      expect(out).not.toContain(PASSWORD);
    });
  });
});
