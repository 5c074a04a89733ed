import type { EXPORT_FILE_KINDS } from '../domain/export/json.ts';
import type { Owner } from '../domain/types.ts';
import { exportColumns as C } from './columns.ts';
import { ownedTables } from './owned-tables.ts';
import { pick, type Store, type Tx } from './store.ts';

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

const FILE_COLUMNS = [
  'file_id',
  'kind',
  'channel_id',
  'on_home',
  'fingerprint',
  'alt_text',
  'created_at',
] as const;
const STORED = ['team_id', 'user_id', ...FILE_COLUMNS] as const;

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
  onHome: C.on_home.read(r.on_home),
  fingerprint: r.fingerprint,
  altText: r.alt_text,
  createdAt: C.created_at.read(r.created_at),
});

/** The stored row of one file. */
function fileRow(
  owner: Owner,
  file: NewUploadedFile,
  createdAt: string,
): FileRow & Owner & { team_id: string; user_id: string } {
  return {
    teamId: owner.teamId,
    userId: owner.userId,
    team_id: owner.teamId,
    user_id: owner.userId,
    file_id: file.fileId,
    kind: file.kind,
    channel_id: file.channelId,
    on_home: C.on_home.write(file.onHome ?? false),
    fingerprint: file.fingerprint ?? null,
    alt_text: file.altText ?? null,
    created_at: C.created_at.write(createdAt),
  };
}

/** Uploaded files (exports and charts). Every statement is scoped by the owner. */
/** The statements on `exports`, compiled once. */
function fileStatements(store: Store) {
  const insertFile = store.prepare((qb, p: FileRow & { team_id: string; user_id: string }) =>
    qb
      .insertInto('exports')
      .values(pick(p, STORED))
      .onConflict((oc) => oc.columns(['team_id', 'user_id', 'file_id']).doNothing()),
  );
  const clearHome = store.prepare((qb, p: Owner) =>
    qb
      .updateTable('exports')
      .set({ on_home: 0 })
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId)
      .where('on_home', '=', 1),
  );
  const files = store.prepare((qb, p: Owner) =>
    qb
      .selectFrom('exports')
      .select(FILE_COLUMNS)
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId)
      .orderBy('created_at')
      .orderBy('file_id'),
  );
  const home = store.prepare((qb, p: Owner) =>
    qb
      .selectFrom('exports')
      .select(FILE_COLUMNS)
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId)
      .where('on_home', '=', 1),
  );
  const deleteFile = store.prepare((qb, p: Owner & { fileId: string }) =>
    qb
      .deleteFrom('exports')
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId)
      .where('file_id', '=', p.fileId),
  );
  return { insertFile, clearHome, files, home, deleteFile };
}

export function createExportRepository(store: Store) {
  const { insertFile, clearHome, files, home, deleteFile } = fileStatements(store);
  const owned = ownedTables(store, EXPORT_TABLES);
  const key = (owner: Owner): Owner => ({ teamId: owner.teamId, userId: owner.userId });
  const list = async (owner: Owner, tx?: Tx): Promise<UploadedFile[]> =>
    (await files.all(key(owner), tx)).map(toFile);

  return {
    /** Keeps an uploaded file's id; `onHome` makes it the chart the App Home shows (replacing the last). */
    async recordFile(owner: Owner, file: NewUploadedFile, now: Date): Promise<void> {
      const row = fileRow(owner, file, now.toISOString());
      if (!file.onHome) {
        await insertFile.run(row);
        return;
      }
      await store.transaction(async (tx) => {
        await clearHome.run(key(owner), tx);
        await insertFile.run(row, tx);
      });
    },

    /** Oldest first. */
    files: (owner: Owner): Promise<UploadedFile[]> => list(owner),

    async homeChart(owner: Owner): Promise<UploadedFile | undefined> {
      const row = await home.first(key(owner));
      return row ? toFile(row) : undefined;
    },

    /** The App Home stops showing its chart (e.g. Slack no longer has the file). */
    async clearHomeChart(owner: Owner): Promise<void> {
      await clearHome.run(key(owner));
    },

    async removeFile(owner: Owner, fileId: string): Promise<boolean> {
      return (await deleteFile.run({ ...key(owner), fileId })) > 0;
    },

    /** Every file of the person, oldest first, for the JSON export. */
    rowsOf: list,

    /** `ladder import`: call inside the import's transaction. */
    async importRows(owner: Owner, imported: readonly ImportedFile[], tx?: Tx): Promise<void> {
      for (const f of imported) {
        await insertFile.run(
          fileRow(owner, { fileId: f.fileId, kind: f.kind, channelId: null }, f.createdAt),
          tx,
        );
      }
    },

    countOf: owned.countOf,
    deleteOf: owned.deleteOf,
    moveOf: owned.moveOf,
    holdsAnyOf: owned.holdsAnyOf,
  };
}

export type ExportRepository = ReturnType<typeof createExportRepository>;
