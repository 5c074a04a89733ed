import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/connection.ts';
import { MigrationError, migrate } from '../../../src/db/migrate.ts';
import { MIGRATIONS_DIR } from '../../../src/paths.ts';
import { tempDir } from '../../helpers/tmp.ts';

function copyMigrations(): string {
  const dir = tempDir('ladder-migrations-');
  for (const f of fs.readdirSync(MIGRATIONS_DIR))
    fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
  return dir;
}

describe('migrations', () => {
  it('applies every migration to a fresh database, then is a no-op', () => {
    const db = openDatabase(path.join(tempDir(), 'fresh.db'));
    const files = fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'));
    const first = migrate(db);
    expect(first.applied).toEqual(files.sort());
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{
      name: string;
    }>;
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['schema_migrations', 'profiles']));
    const second = migrate(db);
    expect(second).toEqual({ applied: [], alreadyApplied: files.length });
    db.close();
  });

  it('0008 rebuilds the nudge ledger with a kind: rows written before it stay, as weekly rows', () => {
    const dir = copyMigrations();
    const later = fs.readdirSync(dir).filter((f) => f >= '0008');
    const parked = tempDir('ladder-later-');
    for (const f of later) fs.renameSync(path.join(dir, f), path.join(parked, f));
    const db = openDatabase(path.join(tempDir(), 'ledger.db'));
    migrate(db, dir);
    db.prepare(
      `INSERT INTO nudge_ledger (team_id, user_id, week_key, slot_at, state, attempts, created_at, updated_at)
       VALUES ('T1', 'U1', '2026-W49', '2026-12-04T21:00:00.000Z', 'sent', 0, 'x', 'x')`,
    ).run();
    for (const f of later) fs.renameSync(path.join(parked, f), path.join(dir, f));
    expect(migrate(db, dir).applied).toEqual(later);
    expect(db.prepare('SELECT kind, week_key, state FROM nudge_ledger').all()).toEqual([
      { kind: 'weekly', week_key: '2026-W49', state: 'sent' },
    ]);
    // One weekly and one digest row may share a key; two of one kind may not.
    const insert = db.prepare(
      `INSERT INTO nudge_ledger (team_id, user_id, kind, week_key, slot_at, state, created_at, updated_at)
       VALUES ('T1', 'U1', ?, '2026-W49', 'x', 'sent', 'x', 'x')`,
    );
    insert.run('digest');
    expect(() => insert.run('weekly')).toThrowError(/UNIQUE/);
    expect(() => insert.run('monthly')).toThrowError(/CHECK/);
    db.close();
  });

  it('refuses to start when an applied migration was edited', () => {
    const dir = copyMigrations();
    const db = openDatabase(path.join(tempDir(), 'edited.db'));
    migrate(db, dir);
    fs.appendFileSync(path.join(dir, '0001_init.sql'), '\n-- a later edit\n');
    expect(() => migrate(db, dir)).toThrowError(MigrationError);
    expect(() => migrate(db, dir)).toThrowError(/0001_init\.sql was edited after it was applied/);
    db.close();
  });

  it('refuses a database written by a newer version (unknown migration)', () => {
    const dir = copyMigrations();
    const db = openDatabase(path.join(tempDir(), 'newer.db'));
    fs.writeFileSync(path.join(dir, '9999_from_the_future.sql'), 'CREATE TABLE future (id INTEGER);');
    migrate(db, dir);
    const older = copyMigrations();
    expect(() => migrate(db, older)).toThrowError(
      /9999_from_the_future\.sql, which this version of Ladder does not know/,
    );
    db.close();
  });

  it('rolls back a failing migration whole', () => {
    const dir = copyMigrations();
    fs.writeFileSync(path.join(dir, '9000_broken.sql'), 'CREATE TABLE half (id INTEGER);\nTHIS IS NOT SQL;');
    const db = openDatabase(path.join(tempDir(), 'broken.db'));
    expect(() => migrate(db, dir)).toThrowError(/9000_broken\.sql failed and was rolled back/);
    const half = db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get();
    expect(half).toBeUndefined();
    db.close();
  });
});

describe('database file', () => {
  it('is created owner-only (0600) in an owner-only folder (0700), with WAL and synchronous=FULL', () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    const file = path.join(dir, 'ladder.db');
    const db = openDatabase(file);
    migrate(db);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.prepare(
      "INSERT INTO profiles (team_id, user_id, created_at, updated_at) VALUES ('T', 'U', 'x', 'x')",
    ).run();
    expect(fs.statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
    db.close();
  });

  it('tightens an existing world-readable file', () => {
    const file = path.join(tempDir(), 'loose.db');
    fs.writeFileSync(file, '', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    openDatabase(file).close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
});
