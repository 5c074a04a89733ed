import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS_DIR } from '../paths.ts';
import { type Db, openDatabase } from './connection.ts';

const FILE_PATTERN = /^(\d{4})_[a-z0-9_]+\.sql$/;

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

export interface MigrationFile {
  id: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export function readMigrations(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const seen = new Set<number>();
  return files.map((name) => {
    const match = FILE_PATTERN.exec(name);
    if (!match) {
      throw new MigrationError(`Migration file "${name}" must be named NNNN_lowercase_name.sql.`);
    }
    const id = Number(match[1]);
    if (seen.has(id)) throw new MigrationError(`Two migration files share the number ${match[1]}.`);
    seen.add(id);
    const sql = fs.readFileSync(path.join(dir, name), 'utf8');
    return { id, name, sql, checksum: checksumOf(sql) };
  });
}

/** Line endings are normalised so a checkout on another OS does not look "edited". */
export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

export interface AppliedMigration {
  id: number;
  name: string;
  checksum: string;
}

/**
 * The files still to apply, after checking what the database recorded: refuses when an applied
 * file was edited or the database holds a migration this code does not know (a downgrade), as
 * both would leave the schema and the code disagreeing. The same rule on every engine.
 */
export function pendingMigrations(files: MigrationFile[], applied: AppliedMigration[]): MigrationFile[] {
  const byId = new Map(files.map((f) => [f.id, f]));
  for (const row of applied) {
    const file = byId.get(row.id);
    if (!file || file.name !== row.name) {
      throw new MigrationError(
        `The database has migration ${row.name}, which this version of Ladder does not know. ` +
          'It was written by a newer version: run that version, or restore a backup taken before the upgrade.',
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        `Migration ${row.name} was edited after it was applied to this database. ` +
          'Migrations are forward-only: restore the original file and add a new migration instead.',
      );
    }
  }
  const done = new Set(applied.map((r) => r.id));
  return files.filter((f) => !done.has(f.id));
}

/** What a failed migration is reported as, on every engine. */
export function migrationFailed(file: MigrationFile, err: unknown): MigrationError {
  return new MigrationError(`Migration ${file.name} failed and was rolled back: ${(err as Error).message}`);
}

/** Applies pending migrations in order, each in its own transaction, recording name and checksum. */
export function migrate(db: Db, dir: string = MIGRATIONS_DIR): MigrationResult {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = db
    .prepare('SELECT id, name, checksum FROM schema_migrations ORDER BY id')
    .all() as AppliedMigration[];
  const pending = pendingMigrations(readMigrations(dir), applied);
  const record = db.prepare(
    'INSERT INTO schema_migrations (id, name, checksum, applied_at) VALUES (?, ?, ?, ?)',
  );
  for (const file of pending) {
    const apply = db.transaction(() => {
      db.exec(file.sql);
      record.run(file.id, file.name, file.checksum, new Date().toISOString());
    });
    try {
      apply.immediate();
    } catch (err) {
      throw migrationFailed(file, err);
    }
  }
  return { applied: pending.map((f) => f.name), alreadyApplied: applied.length };
}

/**
 * Opens the database file (created with its folder, owner-only) and applies the pending
 * migrations; closes it again if they fail. The one way the app and the CLI open a database.
 */
export function openAndMigrate(
  file: string,
  opts: { onMigrated?: (result: MigrationResult) => void } = {},
): Db {
  const db = openDatabase(file);
  try {
    const result = migrate(db);
    opts.onMigrated?.(result);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
