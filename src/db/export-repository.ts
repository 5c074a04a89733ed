import type { EXPORT_FILE_KINDS } from '../domain/export/json.ts';
import type { Owner } from '../domain/types.ts';
import type { Db } from './connection.ts';
import { ownedTables } from './owned-tables.ts';

/** The tables this repository owns, each keyed by (team_id, user_id). */
export const EXPORT_TABLES = ['exports'] as const;

export type UploadedFileKind = (typeof EXPORT_FILE_KINDS)[number];

/** A file the app uploaded to the person's DM. */
export interface UploadedFile {
  fileId: string;
  kind: UploadedFileKind;
  /** The DM it was shared in; null for files loaded by `ladder import`. */
  channelId: string | null;
  /** The chart currently shown on the App Home. */
  onHome: boolean;
  /** For the Home chart: a hash of its content. */
  fingerprint: string | null;
  /** For charts: the numbers in words, for the image block. */
  altText: string | null;
  createdAt: string;
}

export type NewUploadedFile = Pick<UploadedFile, 'fileId' | 'kind' | 'channelId'> &
  Partial<Pick<UploadedFile, 'onHome' | 'fingerprint' | 'altText'>>;

/** An uploaded file as `ladder import` writes it: no DM (the old one is not the new owner's). */
export type ImportedFile = Pick<UploadedFile, 'fileId' | 'kind' | 'createdAt'>;

interface FileRow {
  file_id: string;
  kind: UploadedFileKind;
  channel_id: string | null;
  on_home: number;
  fingerprint: string | null;
  alt_text: string | null;
  created_at: string;
}

const toFile = (r: FileRow): UploadedFile => ({
  fileId: r.file_id,
  kind: r.kind,
  channelId: r.channel_id,
  onHome: r.on_home === 1,
  fingerprint: r.fingerprint,
  altText: r.alt_text,
  createdAt: r.created_at,
});

const FILE_COLUMNS = 'file_id, kind, channel_id, on_home, fingerprint, alt_text, created_at';

/** Uploaded files (exports and charts). Every statement is scoped by the owner. */
/** The insert's parameters for one file. */
function fileParams(owner: Owner, file: NewUploadedFile, createdAt: string) {
  return {
    teamId: owner.teamId,
    userId: owner.userId,
    fileId: file.fileId,
    kind: file.kind,
    channelId: file.channelId,
    onHome: file.onHome ? 1 : 0,
    fingerprint: file.fingerprint ?? null,
    altText: file.altText ?? null,
    createdAt,
  };
}

export function createExportRepository(db: Db) {
  const insertFile = db.prepare(
    `INSERT INTO exports (team_id, user_id, file_id, kind, channel_id, on_home, fingerprint, alt_text, created_at)
     VALUES (@teamId, @userId, @fileId, @kind, @channelId, @onHome, @fingerprint, @altText, @createdAt)
     ON CONFLICT (team_id, user_id, file_id) DO NOTHING`,
  );
  const clearHome = db.prepare(
    'UPDATE exports SET on_home = 0 WHERE team_id = ? AND user_id = ? AND on_home = 1',
  );
  const filesStmt = db.prepare(
    `SELECT ${FILE_COLUMNS} FROM exports WHERE team_id = ? AND user_id = ? ORDER BY created_at, file_id`,
  );
  const homeStmt = db.prepare(
    `SELECT ${FILE_COLUMNS} FROM exports WHERE team_id = ? AND user_id = ? AND on_home = 1`,
  );
  const deleteFile = db.prepare('DELETE FROM exports WHERE team_id = ? AND user_id = ? AND file_id = ?');

  const owned = ownedTables(db, EXPORT_TABLES);

  const recordTx = db.transaction((owner: Owner, file: NewUploadedFile, now: string) => {
    if (file.onHome) clearHome.run(owner.teamId, owner.userId);
    insertFile.run(fileParams(owner, file, now));
  });

  return {
    /** Keeps an uploaded file's id; `onHome` makes it the chart the App Home shows (replacing the last). */
    recordFile(owner: Owner, file: NewUploadedFile, now: Date): void {
      recordTx.immediate(owner, file, now.toISOString());
    },

    /** Oldest first. */
    files(owner: Owner): UploadedFile[] {
      return (filesStmt.all(owner.teamId, owner.userId) as FileRow[]).map(toFile);
    },

    homeChart(owner: Owner): UploadedFile | undefined {
      const row = homeStmt.get(owner.teamId, owner.userId) as FileRow | undefined;
      return row ? toFile(row) : undefined;
    },

    /** The App Home stops showing its chart (e.g. Slack no longer has the file). */
    clearHomeChart(owner: Owner): void {
      clearHome.run(owner.teamId, owner.userId);
    },

    removeFile(owner: Owner, fileId: string): boolean {
      return deleteFile.run(owner.teamId, owner.userId, fileId).changes > 0;
    },

    /** Every file of the person, oldest first, for the JSON export. */
    rowsOf(owner: Owner): UploadedFile[] {
      return this.files(owner);
    },

    /** `ladder import`: call inside the import's transaction. */
    importRows(owner: Owner, files: readonly ImportedFile[]): void {
      for (const f of files) {
        insertFile.run(fileParams(owner, { fileId: f.fileId, kind: f.kind, channelId: null }, f.createdAt));
      }
    },

    countOf: owned.countOf,
    deleteOf: owned.deleteOf,
  };
}

export type ExportRepository = ReturnType<typeof createExportRepository>;
