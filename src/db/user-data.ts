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
import type { TenantMove } from './owned-move.ts';
import type { TableCounts } from './owned-tables.ts';
import { createProfileRepository, PROFILE_TABLES, type StoredProfile } from './profile-repository.ts';
import { createSlackStateRepository, SLACK_STATE_TABLES } from './slack-state-repository.ts';
import { createSqliteStore, type Store, type Tx } from './store.ts';

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

/**
 * Tables that hold no personal data, listed so the test can tell "forgotten" from "exempt". A
 * workspace's installation and OAuth states belong to the tenant: `cli purge --team` removes them.
 */
export const NON_PERSONAL_TABLES = [
  'schema_migrations',
  'workspaces',
  'database_metadata',
  'installations',
  'oauth_states',
  // A workspace id and an instance id (send-lease-repository.ts): nothing to forget or export.
  'send_leases',
] as const;

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
    'countOf' | 'deleteOf' | 'moveOf' | 'holdsAnyOf' | 'rowsOf' | 'importRows'
  >;
  slackState: Pick<
    ReturnType<typeof createSlackStateRepository>,
    'countOf' | 'deleteOf' | 'moveOf' | 'holdsAnyOf'
  >;
  profiles: Pick<
    ReturnType<typeof createProfileRepository>,
    'countOf' | 'deleteOf' | 'moveOf' | 'holdsAnyOf' | 'rowsOf' | 'importRows'
  >;
  nudges: Pick<
    ReturnType<typeof createNudgeRepository>,
    'countOf' | 'deleteOf' | 'moveOf' | 'holdsAnyOf' | 'rowsOf' | 'importRows'
  >;
  digests: Pick<
    ReturnType<typeof createDigestRepository>,
    'countOf' | 'deleteOf' | 'moveOf' | 'holdsAnyOf' | 'digestRowsOf' | 'importDigestRows'
  >;
  exports: Pick<
    ReturnType<typeof createExportRepository>,
    'countOf' | 'deleteOf' | 'moveOf' | 'holdsAnyOf' | 'rowsOf' | 'importRows'
  >;
}

export function createUserDataRepository(store: Store, parts: UserDataParts) {
  const { evidence, slackState, profiles, nudges, digests, exports } = parts;

  async function count(owner: Owner, tx?: Tx): Promise<UserDataCounts> {
    return {
      ...(await evidence.countOf(owner, tx)),
      ...(await slackState.countOf(owner, tx)),
      ...(await profiles.countOf(owner, tx)),
      ...(await nudges.countOf(owner, tx)),
      ...(await digests.countOf(owner, tx)),
      ...(await exports.countOf(owner, tx)),
    };
  }

  async function deleteOne(owner: Owner, tx: Tx): Promise<UserDataCounts> {
    return {
      ...(await evidence.deleteOf(owner, tx)),
      ...(await slackState.deleteOf(owner, tx)),
      ...(await profiles.deleteOf(owner, tx)),
      ...(await nudges.deleteOf(owner, tx)),
      ...(await digests.deleteOf(owner, tx)),
      ...(await exports.deleteOf(owner, tx)),
    };
  }

  return {
    count: (owner: Owner): Promise<UserDataCounts> => count(owner),
    /** The rows of one person under several tenants (a workspace and its org), summed per table. */
    countAcross: async (owners: readonly Owner[]): Promise<UserDataCounts> =>
      sumCounts(await Promise.all(owners.map((o) => count(o)))),
    /** Whether any table holds a row of the person: stops at the first row found. */
    holdsAny: async (owner: Owner): Promise<boolean> => {
      for (const part of [evidence, slackState, profiles, nudges, digests, exports]) {
        if (await part.holdsAnyOf(owner)) return true;
      }
      return false;
    },
    /** Deletes every row of the person in every table, in one transaction; returns what was deleted. */
    deleteAll: (owner: Owner): Promise<UserDataCounts> => store.transaction((tx) => deleteOne(owner, tx)),
    /** `deleteAll` for one person under several tenants, in one transaction; the counts summed. */
    deleteAcross: (owners: readonly Owner[]): Promise<UserDataCounts> =>
      store.transaction(async (tx) => {
        const out: UserDataCounts[] = [];
        for (const owner of owners) out.push(await deleteOne(owner, tx));
        return sumCounts(out);
      }),
    /**
     * Moves every row of the person from a workspace tenant to its enterprise tenant, in one write
     * transaction, by the merge rules of ../domain/tenant-move.ts; returns the source rows per table.
     * Idempotent: once moved, the workspace tenant holds nothing of the person.
     */
    moveAll: (move: TenantMove): Promise<UserDataCounts> =>
      store.transaction(async (tx) => ({
        ...(await evidence.moveOf(move, tx)),
        ...(await slackState.moveOf(move, tx)),
        ...(await profiles.moveOf(move, tx)),
        ...(await nudges.moveOf(move, tx)),
        ...(await digests.moveOf(move, tx)),
        ...(await exports.moveOf(move, tx)),
      })),
    /** Everything about the person, in one read transaction so the export is consistent. */
    rows: (owner: Owner): Promise<UserRows> =>
      store.read(async (tx) => ({
        profile: await profiles.rowsOf(owner, tx),
        ...(await nudges.rowsOf(owner, tx)),
        ...(await digests.digestRowsOf(owner, tx)),
        entries: await evidence.rowsOf(owner, tx),
        files: await exports.rowsOf(owner, tx),
      })),
    importAll: importAllOf(store, parts, count),
  };
}

/**
 * Writes an imported account in one transaction: all of it or nothing. Throws
 * {@link ImportConflictError} when the owner already has any row in this database.
 */
function importAllOf(
  store: Store,
  parts: UserDataParts,
  count: (owner: Owner, tx?: Tx) => Promise<UserDataCounts>,
) {
  const { evidence, profiles, nudges, digests, exports } = parts;
  return (owner: Owner, rows: ImportRows, now: Date): Promise<ImportCounts> =>
    store.transaction(async (tx) => {
      const existing = Object.values(await count(owner, tx)).reduce((a, b) => a + b, 0);
      if (existing > 0) throw new ImportConflictError(existing);
      await profiles.importRows(owner, rows.profile, tx);
      await nudges.importRows(owner, rows, now.toISOString(), tx);
      await digests.importDigestRows(owner, rows, now.toISOString(), tx);
      await evidence.importRows(owner, rows.entries, tx);
      await exports.importRows(owner, rows.files, tx);
      return {
        entries: rows.entries.length,
        ledger: rows.ledger.length,
        history: rows.history.length,
        files: rows.files.length,
      };
    });
}

function sumCounts(all: readonly UserDataCounts[]): UserDataCounts {
  const out = {} as Record<string, number>;
  for (const counts of all) {
    for (const [table, n] of Object.entries(counts)) out[table] = (out[table] ?? 0) + n;
  }
  return out as UserDataCounts;
}

/** For tests and tools holding a bare connection. */
function userDataOf(db: Db) {
  const store = createSqliteStore(db);
  return createUserDataRepository(store, {
    evidence: createEvidenceRepository(store),
    slackState: createSlackStateRepository(store),
    profiles: createProfileRepository(store),
    nudges: createNudgeRepository(store),
    digests: createDigestRepository(store),
    exports: createExportRepository(store),
  });
}

export function countUserData(db: Db, owner: Owner): Promise<UserDataCounts> {
  return userDataOf(db).count(owner);
}

/** Deletes every row of the user in every table, in one transaction; returns what was deleted. */
export function deleteUserData(db: Db, owner: Owner): Promise<UserDataCounts> {
  return userDataOf(db).deleteAll(owner);
}
