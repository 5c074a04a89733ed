import type { Db } from './connection.ts';
import { type DatabaseHandle, sqliteHandle } from './database.ts';
import { createDigestRepository } from './digest-repository.ts';
import { createErasure, type Erasure } from './erasure.ts';
import { createEvidenceRepository } from './evidence-repository.ts';
import { createExportRepository } from './export-repository.ts';
import { createInstallationRepository } from './installation-repository.ts';
import { createNudgeRepository } from './nudge-repository.ts';
import { createOauthStateRepository } from './oauth-state-repository.ts';
import { createProfileRepository } from './profile-repository.ts';
import { createSendLeaseRepository } from './send-lease-repository.ts';
import { createSlackStateRepository } from './slack-state-repository.ts';
import { createTenantPurge } from './tenant-purge.ts';
import { type CipherKeys, createTokenCipher } from './token-cipher.ts';
import { createUserDataRepository } from './user-data.ts';
import { createWorkspaceRepository } from './workspace-repository.ts';

/**
 * PostgreSQL keeps no write-ahead log the app could truncate: a deleted row's bytes stay in dead
 * tuples until autovacuum reclaims them, and in WAL archives and backups for as long as the
 * operator keeps those (docs/deploy.md says so).
 */
const NOTHING_TO_SCRUB: Erasure = { scrub: async () => true };

/** Every repository, built once over one database by the composition root. */
export function createRepositories(
  database: DatabaseHandle | Db,
  opts: { keys?: CipherKeys | undefined } = {},
) {
  const handle = 'engine' in database ? database : sqliteHandle(database);
  const store = handle.store;
  const owners = {
    digests: createDigestRepository(store),
    evidence: createEvidenceRepository(store),
    exports: createExportRepository(store),
    nudges: createNudgeRepository(store),
    profiles: createProfileRepository(store),
    slackState: createSlackStateRepository(store),
  };
  return {
    ...owners,
    connection: { isOpen: handle.isOpen, isHealthy: handle.isHealthy },
    erasure: handle.sqlite ? createErasure(handle.sqlite) : NOTHING_TO_SCRUB,
    workspaces: createWorkspaceRepository(store),
    /** Distribution mode: installations, sealed under `opts.keys` (without keys they cannot be read). */
    installations: createInstallationRepository(store, opts.keys ? createTokenCipher(opts.keys) : undefined),
    oauthStates: createOauthStateRepository(store),
    tenants: createTenantPurge(store),
    /** Which instance sends each workspace's scheduled DMs (no personal data). */
    sendLeases: createSendLeaseRepository(store),
    /** A person's data across the repositories above: forget, the JSON export, import. */
    userData: createUserDataRepository(store, owners),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
