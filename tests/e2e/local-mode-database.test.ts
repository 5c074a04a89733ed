import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { LOCAL_MODE_MARKER } from '../../src/db/local-database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createRepositories } from '../../src/db/repositories.ts';
import { defaultNudgeSettings } from '../../src/domain/nudge-schedule.ts';
import { startLadder } from '../../src/main.ts';
import { spawnLadder } from '../helpers/child.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../helpers/harness.ts';
import { tempDir } from '../helpers/tmp.ts';

/**
 * Local mode talks to a local Slack that knows none of a real workspace's people: pointed at a
 * production database, its scheduler would switch every real person's nudges off. It must only
 * ever open a database it created itself, and leave any other one untouched.
 */

/** A real install's database: migrated, with a person who gets weekly nudges. */
async function productionDatabase(): Promise<string> {
  const file = path.join(tempDir(), 'ladder.db');
  const db = openDatabase(file);
  migrate(db);
  const repos = createRepositories(db);
  const owner = { teamId: 'T0REALCO', userId: 'U0REALPERSON' };
  const at = new Date('2026-11-02T09:00:00Z');
  await repos.profiles.setTimeZone(owner, 'Europe/Berlin', at);
  await repos.nudges.saveSettings(defaultNudgeSettings(owner, at), at);
  await repos.evidence.insert(
    owner,
    {
      text: 'Led the Q3 planning',
      occurredOn: '2026-11-01',
      axes: [],
      shift: null,
      scope: null,
      link: null,
      source: 'command',
    },
    at,
  );
  db.close();
  return file;
}

function emptyFile(): string {
  const file = path.join(tempDir(), 'empty.db');
  fs.writeFileSync(file, '');
  return file;
}

const snapshot = (file: string) => ({
  bytes: fs.readFileSync(file),
  beside: fs.readdirSync(path.dirname(file)).sort(),
});

describe('local mode refuses a database it did not create', () => {
  const cases: Array<[string, () => string | Promise<string>, NodeJS.ProcessEnv, string[]]> = [
    ['an empty file, no credentials (npm start)', emptyFile, {}, []],
    ['a real install’s database, no credentials (npm start)', productionDatabase, {}, []],
    [
      'a real install’s database, empty credentials',
      productionDatabase,
      { SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' },
      [],
    ],
    [
      'a real install’s database, credentials set but `npm run local`',
      productionDatabase,
      { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET },
      ['--local'],
    ],
  ];

  it.each(cases)(
    '%s: exit 1 within seconds naming DATABASE_PATH and the local default; the file is byte-identical',
    async (_name, make, env, args) => {
      const file = await make();
      const before = snapshot(file);
      const started = Date.now();
      const child = spawnLadder({ PORT: '0', DATABASE_PATH: file, ...env }, 'src/main.ts', args);
      const exit = await child.exited;
      expect(exit.code, child.output()).toBe(1);
      expect(exit.at - started).toBeLessThan(15_000);
      const out = child.output();
      expect(out).toContain('local mode only opens a database it created itself');
      expect(out).toContain(`${file} (DATABASE_PATH)`);
      expect(out).toContain('./data/local.db');
      expect(out).not.toMatch(/\n\s+at /);
      // Nothing listened: no page address was printed.
      expect(out).not.toContain('Ladder local workspace:');
      const after = snapshot(file);
      expect(after.bytes.equals(before.bytes)).toBe(true);
      expect(after.beside).toEqual(before.beside);
    },
  );

  it('the real person’s nudges are still on afterwards', async () => {
    const file = await productionDatabase();
    await expect(
      startLadder({ env: { PORT: '0', DATABASE_PATH: file }, forceLocal: true, writeLog: () => {} }),
    ).rejects.toThrow(/local mode only opens a database it created itself/);
    const db = new Database(file, { readonly: true });
    const row = db.prepare('SELECT enabled, off_reason FROM nudge_settings').get();
    db.close();
    expect(row).toEqual({ enabled: 1, off_reason: null });
  });
});

describe('local mode on its own database', () => {
  it('creates a new file with its marker, and opens it again on the next start', async () => {
    const file = path.join(tempDir(), 'fresh', 'local.db');
    const first = await startLadder({
      env: { PORT: '0', DATABASE_PATH: file },
      forceLocal: true,
      writeLog: () => {},
    });
    await first.stop();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT key, value FROM database_metadata').all()).toEqual([LOCAL_MODE_MARKER]);
    db.close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(file)).filter((f) => f.includes('.creating'))).toEqual([]);
    const second = await startLadder({
      env: { PORT: '0', DATABASE_PATH: file },
      forceLocal: true,
      writeLog: () => {},
    });
    expect(second.localUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await second.stop();
  });
});
