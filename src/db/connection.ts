import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Opens (creating when needed) the SQLite file with the durability settings the product promises:
 * WAL with synchronous=FULL, so a committed row survives a crash of the process or the machine.
 *
 * better-sqlite3 would create the file 0644; it holds private career notes, so the folder is
 * created 0700 and the file pre-created 0600 (and tightened if it already exists).
 */
export function openDatabase(file: string, opts: { readonly?: boolean } = {}): Db {
  if (file !== ':memory:') {
    ensurePrivateFile(file);
  }
  const db = new Database(file, { readonly: opts.readonly ?? false });
  applyPragmas(db);
  return db;
}

export function applyPragmas(db: Db): void {
  db.pragma('busy_timeout = 5000');
  // Deleted rows are overwritten with zeros, not left readable in free pages (see erasure.ts).
  db.pragma('secure_delete = ON');
  if (!db.readonly) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}

/** Creates the folder (0700) and an empty file (0600) if missing; tightens an existing file to 0600. */
export function ensurePrivateFile(file: string): void {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dir, 0o700);
  }
  const fd = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_RDWR, 0o600);
  fs.closeSync(fd);
  const mode = fs.statSync(file).mode & 0o777;
  if (mode !== 0o600) fs.chmodSync(file, 0o600);
  for (const suffix of ['-wal', '-shm']) {
    const side = `${file}${suffix}`;
    if (fs.existsSync(side) && (fs.statSync(side).mode & 0o777) !== 0o600) fs.chmodSync(side, 0o600);
  }
}

/** `SELECT 1` that never throws: what /healthz asks. */
export function isDatabaseHealthy(db: Db): boolean {
  try {
    return db.open && db.prepare('SELECT 1 AS ok').get() !== undefined;
  } catch {
    return false;
  }
}

/** The connection's state, for /healthz and shutdown, without handing out the connection. */
export function createConnectionStatus(db: Db) {
  return {
    isOpen: (): boolean => db.open,
    isHealthy: (): boolean => isDatabaseHealthy(db),
  };
}
