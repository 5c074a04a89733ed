import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from './connection.ts';
import { migrate } from './migrate.ts';

/** The row local mode writes into a database it creates (table `database_metadata`). */
export const LOCAL_MODE_MARKER = { key: 'created-by', value: 'local-mode' } as const;

export const LOCAL_DEFAULT_PATH = './data/local.db';

export class LocalDatabaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalDatabaseError';
  }
}

/**
 * Local mode opens only a database it created: its scheduler talks to the local Slack API, which
 * knows none of a real workspace's people, so on a real database it would switch everybody's
 * nudges off. A missing file is created (migrated, then marked, then moved into place, so a crash
 * never leaves an unmarked file behind); an existing one is read, never written, and refused
 * unless it carries the marker. Throws LocalDatabaseError naming DATABASE_PATH.
 */
export function prepareLocalDatabase(file: string, now: Date): 'created' | 'reused' {
  if (file === ':memory:') return 'created';
  if (!fs.existsSync(file)) {
    createMarkedDatabase(file, now);
    return 'created';
  }
  const why = markerProblem(file);
  if (why === null) return 'reused';
  const isDefault = path.resolve(file) === path.resolve(LOCAL_DEFAULT_PATH);
  throw new LocalDatabaseError(
    `local mode only opens a database it created itself, and ${path.resolve(file)} (DATABASE_PATH) ` +
      `${why}. It may hold real people's data, so it was left untouched. ` +
      (isDefault
        ? 'If it is a local workspace from an older version of Ladder, delete it and start again; ' +
          'otherwise set DATABASE_PATH to a file that does not exist yet.'
        : `Unset DATABASE_PATH to use the local default (${LOCAL_DEFAULT_PATH}), or set it to a file that does not exist yet.`),
  );
}

/** Why the file is not a database local mode made, or null when it is. Reads only. */
function markerProblem(file: string): string | null {
  const sidecars = ['-wal', '-shm'].map((s) => file + s).filter((f) => !fs.existsSync(f));
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const table = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'database_metadata'")
      .get();
    if (!table) return 'was not created by local mode';
    const row = db.prepare('SELECT value FROM database_metadata WHERE key = ?').get(LOCAL_MODE_MARKER.key) as
      | { value: string }
      | undefined;
    return row?.value === LOCAL_MODE_MARKER.value ? null : 'was not created by local mode';
  } catch {
    return 'is not a database local mode created (SQLite cannot read it as one)';
  } finally {
    db?.close();
    // A read-only look at a WAL database leaves an empty log and index beside it: remove what we made.
    for (const f of sidecars) {
      if (fs.existsSync(f) && (f.endsWith('-shm') || fs.statSync(f).size === 0))
        fs.rmSync(f, { force: true });
    }
  }
}

function createMarkedDatabase(file: string, now: Date): void {
  const tmp = path.join(
    path.dirname(path.resolve(file)),
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}.creating`,
  );
  try {
    const db = openDatabase(tmp);
    try {
      migrate(db);
      db.prepare('INSERT INTO database_metadata (key, value, written_at) VALUES (?, ?, ?)').run(
        LOCAL_MODE_MARKER.key,
        LOCAL_MODE_MARKER.value,
        now.toISOString(),
      );
    } finally {
      db.close();
    }
    fs.renameSync(tmp, file);
  } finally {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  }
}
