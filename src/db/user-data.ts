/**
 * Everything the app holds about one person, composed from the repositories that own the
 * tables: `/ladder forget` (deleteOf), its counts (countOf), the JSON export (rowsOf) and
 * `ladder import` (importRows). No SQL of its own.
 */
import type { Owner } from '../domain/types.ts';
import type { Db } from './connection.ts';
import { createDigestRepository, DIGEST_TABLES, type DigestRows } from './digest-repository.ts';
import {
  createEvidenceRepository,
  EVIDENCE_TABLES,
  type ImportedEvidence,
  type StoredEvidence,
} from './evidence-repository.ts';
import {
  createExportRepository,
  EXPORT_TABLES,
  type ImportedFile,
  type UploadedFile,
} from './export-repository.ts';
import { createNudgeRepository } from './nudge-repository.ts';
import { NUDGE_TABLES, type NudgeRows } from './nudge-repository-rows.ts';
import type { TableCounts } from './owned-tables.ts';
import { createProfileRepository, PROFILE_TABLES, type StoredProfile } from './profile-repository.ts';
import { createSlackStateRepository, SLACK_STATE_TABLES } from './slack-state-repository.ts';

/**
 * Every table that holds a person's rows, keyed by (team_id, user_id): the tables each
 * repository declares it owns. A test fails when a table with a user column is missing here.
 */
export const USER_TABLES = [
  ...EVIDENCE_TABLES,
  ...SLACK_STATE_TABLES,
  ...PROFILE_TABLES,
  ...NUDGE_TABLES,
  ...DIGEST_TABLES,
  ...EXPORT_TABLES,
] as const;

/** Tables that hold no personal data, listed so the test can tell "forgotten" from "exempt". */
export const NON_PERSONAL_TABLES = ['schema_migrations', 'workspaces', 'database_metadata'] as const;

export type UserDataCounts = TableCounts<(typeof USER_TABLES)[number]>;

/** Every row the app keeps about one person, as stored, for the JSON export. */
export interface UserRows extends NudgeRows, DigestRows {
  profile: StoredProfile | null;
  /** In any order. */
  entries: StoredEvidence[];
  files: UploadedFile[];
}

/** What `ladder import` writes for one person: the export re-keyed to the target owner. */
export interface ImportRows extends NudgeRows, DigestRows {
  profile: StoredProfile | null;
  /** `ref` is the entry's number in the file; the database assigns the new id. */
  entries: Array<ImportedEvidence & { ref: number }>;
  files: ImportedFile[];
}

export interface ImportCounts {
  entries: number;
  ledger: number;
  history: number;
  files: number;
}

/** The target account already holds data: an import only goes into an empty account. */
export class ImportConflictError extends Error {
  constructor(readonly rows: number) {
    super(`the account already holds ${rows} row(s) in this database`);
    this.name = 'ImportConflictError';
  }
}

/** The repositories that own a person's tables. */
export interface UserDataParts {
  evidence: Pick<
    ReturnType<typeof createEvidenceRepository>,
    'countOf' | 'deleteOf' | 'rowsOf' | 'importRows'
  >;
  slackState: Pick<ReturnType<typeof createSlackStateRepository>, 'countOf' | 'deleteOf'>;
  profiles: Pick<
    ReturnType<typeof createProfileRepository>,
    'countOf' | 'deleteOf' | 'rowsOf' | 'importRows'
  >;
  nudges: Pick<ReturnType<typeof createNudgeRepository>, 'countOf' | 'deleteOf' | 'rowsOf' | 'importRows'>;
  digests: Pick<
    ReturnType<typeof createDigestRepository>,
    'countOf' | 'deleteOf' | 'digestRowsOf' | 'importDigestRows'
  >;
  exports: Pick<ReturnType<typeof createExportRepository>, 'countOf' | 'deleteOf' | 'rowsOf' | 'importRows'>;
}

export function createUserDataRepository(db: Db, parts: UserDataParts) {
  const { evidence, slackState, profiles, nudges, digests, exports } = parts;

  function count(owner: Owner): UserDataCounts {
    return {
      ...evidence.countOf(owner),
      ...slackState.countOf(owner),
      ...profiles.countOf(owner),
      ...nudges.countOf(owner),
      ...digests.countOf(owner),
      ...exports.countOf(owner),
    };
  }

  const deleteTx = db.transaction(
    (owner: Owner): UserDataCounts => ({
      ...evidence.deleteOf(owner),
      ...slackState.deleteOf(owner),
      ...profiles.deleteOf(owner),
      ...nudges.deleteOf(owner),
      ...digests.deleteOf(owner),
      ...exports.deleteOf(owner),
    }),
  );

  const readTx = db.transaction(
    (owner: Owner): UserRows => ({
      profile: profiles.rowsOf(owner),
      ...nudges.rowsOf(owner),
      ...digests.digestRowsOf(owner),
      entries: evidence.rowsOf(owner),
      files: exports.rowsOf(owner),
    }),
  );

  const importTx = db.transaction((owner: Owner, rows: ImportRows, now: string): ImportCounts => {
    const existing = Object.values(count(owner)).reduce((a, b) => a + b, 0);
    if (existing > 0) throw new ImportConflictError(existing);
    profiles.importRows(owner, rows.profile);
    nudges.importRows(owner, rows, now);
    digests.importDigestRows(owner, rows, now);
    evidence.importRows(owner, rows.entries);
    exports.importRows(owner, rows.files);
    return {
      entries: rows.entries.length,
      ledger: rows.ledger.length,
      history: rows.history.length,
      files: rows.files.length,
    };
  });

  return {
    count,
    /** Deletes every row of the person in every table, in one transaction; returns what was deleted. */
    deleteAll: (owner: Owner): UserDataCounts => deleteTx.immediate(owner),
    /** Everything about the person, in one read transaction so the export is consistent. */
    rows: (owner: Owner): UserRows => readTx(owner),
    /**
     * Writes an imported account in one transaction: all of it or nothing. Throws
     * {@link ImportConflictError} when the owner already has any row in this database.
     */
    importAll: (owner: Owner, rows: ImportRows, now: Date): ImportCounts =>
      importTx.immediate(owner, rows, now.toISOString()),
  };
}

/** For tests and tools holding a bare connection. */
function userDataOf(db: Db) {
  return createUserDataRepository(db, {
    evidence: createEvidenceRepository(db),
    slackState: createSlackStateRepository(db),
    profiles: createProfileRepository(db),
    nudges: createNudgeRepository(db),
    digests: createDigestRepository(db),
    exports: createExportRepository(db),
  });
}

export function countUserData(db: Db, owner: Owner): UserDataCounts {
  return userDataOf(db).count(owner);
}

/** Deletes every row of the user in every table, in one transaction; returns what was deleted. */
export function deleteUserData(db: Db, owner: Owner): UserDataCounts {
  return userDataOf(db).deleteAll(owner);
}
