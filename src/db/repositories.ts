import { createConnectionStatus, type Db } from './connection.ts';
import { createDigestRepository } from './digest-repository.ts';
import { createErasure } from './erasure.ts';
import { createEvidenceRepository } from './evidence-repository.ts';
import { createExportRepository } from './export-repository.ts';
import { createNudgeRepository } from './nudge-repository.ts';
import { createProfileRepository } from './profile-repository.ts';
import { createSlackStateRepository } from './slack-state-repository.ts';
import { createSqliteStore } from './store.ts';
import { createUserDataRepository } from './user-data.ts';
import { createWorkspaceRepository } from './workspace-repository.ts';

/** Every repository, built once over one connection by the composition root. */
export function createRepositories(db: Db) {
  const store = createSqliteStore(db);
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
    connection: createConnectionStatus(db),
    erasure: createErasure(db),
    workspaces: createWorkspaceRepository(store),
    /** A person's data across the repositories above: forget, the JSON export, import. */
    userData: createUserDataRepository(store, owners),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
