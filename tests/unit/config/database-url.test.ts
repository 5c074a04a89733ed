import { describe, expect, it } from 'vitest';
import { ConfigError, loadBaseConfig, loadConfig } from '../../../src/config.ts';

const SLACK = { SLACK_BOT_TOKEN: 'xoxb-1111-2222-abcdef', SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef' };
const URL_WITH_PASSWORD = 'postgres://ladder:Very-Secret-1@db.internal:5432/ladder';

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('DATABASE_URL and DATABASE_POOL_SIZE', () => {
  it('select PostgreSQL with a pool of 10 by default; without a URL, SQLite at DATABASE_PATH', () => {
    const pg = loadConfig({ ...SLACK, DATABASE_URL: URL_WITH_PASSWORD });
    expect(pg.databaseUrl).toBe(URL_WITH_PASSWORD);
    expect(pg.databasePoolSize).toBe(10);
    const sqlite = loadConfig({ ...SLACK, DATABASE_PATH: '/var/lib/ladder/ladder.db' });
    expect(sqlite.databaseUrl).toBeUndefined();
    expect(sqlite.databasePath).toBe('/var/lib/ladder/ladder.db');
    expect(
      loadConfig({ ...SLACK, DATABASE_URL: 'postgresql://u@h/d', DATABASE_POOL_SIZE: '25' }),
    ).toMatchObject({
      databaseUrl: 'postgresql://u@h/d',
      databasePoolSize: 25,
    });
  });

  it('local mode never takes DATABASE_URL: it opens only the SQLite file it created', () => {
    const local = loadConfig({ DATABASE_URL: URL_WITH_PASSWORD });
    expect(local.slack.mode).toBe('local');
    expect(local.databaseUrl).toBeUndefined();
    expect(local.databasePath).toBe('./data/local.db');
    // The CLI (base settings, not local) does use it.
    expect(loadBaseConfig({ DATABASE_URL: URL_WITH_PASSWORD }).databaseUrl).toBe(URL_WITH_PASSWORD);
  });

  it('refuses a URL of another database, or a pool size out of range, without echoing the URL', () => {
    const message = errorOf(() =>
      loadConfig({ ...SLACK, DATABASE_URL: 'mysql://root:Very-Secret-1@h/ladder' }),
    );
    expect(message).toContain(
      'DATABASE_URL must be a PostgreSQL URL, postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE',
    );
    expect(message).not.toContain('Very-Secret-1');
    expect(errorOf(() => loadConfig({ ...SLACK, DATABASE_POOL_SIZE: '0' }))).toContain(
      'DATABASE_POOL_SIZE must be a whole number from 1 to 1000',
    );
    expect(errorOf(() => loadConfig({ ...SLACK, DATABASE_POOL_SIZE: 'ten' }))).toContain(
      'DATABASE_POOL_SIZE',
    );
  });
});
