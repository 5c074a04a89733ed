import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { loadBaseConfig } from '../config.ts';
import { openDatabase } from '../db/connection.ts';
import { pgDumpCommand } from '../db/postgres.ts';

export interface BackupCliIo {
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export const BACKUP_USAGE = 'Usage: ladder backup FILE [--force]';

/** Pages copied per step: all of them, so the copy is one read transaction (one snapshot). */
const ALL_PAGES = 0x7fffffff;
const SIDECARS = ['-wal', '-shm', '-journal'];

/**
 * `ladder backup FILE [--force]`: an online copy of DATABASE_PATH while the app keeps writing.
 * better-sqlite3's `backup()` copies every page in one step, inside one read transaction, so the
 * copy is one consistent snapshot (WAL readers never block the app's writers). The copy goes to
 * a 0600 temporary file beside FILE (better-sqlite3 would create it 0644), is checked with
 * `PRAGMA integrity_check`, turned into a single self-contained file (journal_mode=DELETE), and
 * only then moved to FILE: a failed backup never leaves a partial file behind.
 * Exit codes: 0 done; 1 failed (no database, FILE exists without --force, copy failed); 2 bad arguments.
 */
/** On PostgreSQL its own tool makes the consistent online copy: this names it and writes nothing. */
function namePgDump(url: string, dest: string, io: BackupCliIo): number {
  io.stdout(`${pgDumpCommand(url, dest)}\n`);
  io.stderr(
    'ladder backup: this Ladder runs on PostgreSQL (DATABASE_URL): no copy was written. Run the pg_dump ' +
      "command above (the password, if any, from PGPASSWORD or ~/.pgpass), or use your provider's backups; " +
      'see docs/deploy.md.\n',
  );
  return 1;
}

export async function backupCommand(args: string[], io: BackupCliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { force: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const fail = (message: string, code = 1) => {
    io.stderr(`ladder backup: ${message}\n${code === 2 ? `${BACKUP_USAGE}\n` : ''}`);
    return code;
  };
  if (positionals.length !== 1 || !positionals[0]) return fail('name one FILE to write the copy to.', 2);
  const dest = path.resolve(positionals[0]);
  const config = loadBaseConfig(io.env);
  if (config.databaseUrl !== undefined) return namePgDump(config.databaseUrl, dest, io);
  const source = path.resolve(config.databasePath);

  if (!fs.existsSync(source)) return fail(`there is no database at ${source} (DATABASE_PATH).`);
  if (dest === source || (fs.existsSync(dest) && fs.realpathSync(dest) === fs.realpathSync(source))) {
    return fail('FILE must not be the database itself (DATABASE_PATH).', 2);
  }
  const dir = path.dirname(dest);
  if (!fs.existsSync(dir)) return fail(`the folder ${dir} does not exist.`);
  const taken = [dest, ...SIDECARS.map((s) => dest + s)].filter((f) => fs.existsSync(f));
  if (taken.length > 0 && !values.force) {
    return fail(`${dest} already exists; pass --force to replace it.`);
  }

  const tmp = path.join(dir, `.${path.basename(dest)}.${randomBytes(6).toString('hex')}.partial`);
  const removeTmp = () => {
    for (const f of [tmp, ...SIDECARS.map((s) => tmp + s)]) fs.rmSync(f, { force: true });
  };
  const started = performance.now();
  try {
    fs.closeSync(fs.openSync(tmp, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600));
    const db = openDatabase(source);
    try {
      await db.backup(tmp, { progress: () => ALL_PAGES });
    } finally {
      db.close();
    }
    const copy = new Database(tmp);
    let integrity: string;
    let evidence: number;
    try {
      copy.pragma('journal_mode = DELETE');
      integrity = String(copy.pragma('integrity_check', { simple: true }));
      const hasEvidence = copy.prepare("SELECT 1 FROM sqlite_master WHERE name = 'evidence'").get();
      evidence = hasEvidence ? (copy.prepare('SELECT COUNT(*) FROM evidence').pluck().get() as number) : 0;
    } finally {
      copy.close();
    }
    if (integrity !== 'ok') {
      removeTmp();
      return fail(`the copy failed its integrity check (${integrity}); nothing was written to ${dest}.`);
    }
    syncFile(tmp);
    if (values.force) {
      for (const s of SIDECARS) fs.rmSync(dest + s, { force: true });
      fs.renameSync(tmp, dest);
    } else {
      // link() refuses to replace a file that appeared meanwhile; rename() would not.
      fs.linkSync(tmp, dest);
      fs.rmSync(tmp);
    }
    syncFile(dir);
    const bytes = fs.statSync(dest).size;
    io.stdout(
      `Backed up ${source} to ${dest} (${(bytes / 1024).toFixed(0)} KiB, ${evidence} evidence entries, ` +
        `integrity ok) in ${Math.round(performance.now() - started)} ms. The file is readable by its owner only.\n`,
    );
    return 0;
  } catch (err) {
    removeTmp();
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EEXIST') return fail(`${dest} already exists; pass --force to replace it.`);
    return fail(`the backup failed: ${e.message}; nothing was written to ${dest}.`);
  }
}

function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
