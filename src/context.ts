import type { BaseConfig } from './config.ts';
import type { Db } from './db/connection.ts';
import type { DatabaseHandle } from './db/database.ts';
import { createRepositories, type Repositories } from './db/repositories.ts';
import type { CipherKeys } from './db/token-cipher.ts';
import type { Ladder } from './domain/ladder/model.ts';
import type { Logger } from './log.ts';

export interface Health {
  ok: boolean;
  database: boolean;
  scheduler: 'not-started' | 'ok' | 'stalled';
}

/**
 * What the composition root builds once and hands down: configuration, the repositories over
 * one database, the ladder content, the logger and the clock. Listeners and jobs take what they
 * need from it; nothing reads process.env or the system clock directly, and nothing below the
 * composition root holds the raw connection.
 */
export interface AppContext {
  config: Readonly<BaseConfig>;
  repos: Repositories;
  ladder: Ladder;
  logger: Logger;
  now: () => Date;
  health: () => Promise<Health>;
}

export interface AppContextParts {
  config: Readonly<BaseConfig>;
  /** An open, migrated database (`openDatabaseFor`), or a bare SQLite connection (tests, tools). */
  db: DatabaseHandle | Db;
  ladder: Ladder;
  logger: Logger;
  /** Distribution mode: the keys that seal and open stored installations. */
  keys?: CipherKeys | undefined;
  /** Default: the system clock. */
  now?: () => Date;
  /** Default: healthy while the database answers; no scheduler. */
  health?: () => Promise<Health>;
}

/** The one way main.ts and the CLI build a context. */
export function createAppContext(parts: AppContextParts): AppContext {
  const repos = createRepositories(parts.db, { keys: parts.keys });
  return {
    config: parts.config,
    repos,
    ladder: parts.ladder,
    logger: parts.logger,
    now: parts.now ?? (() => new Date()),
    health:
      parts.health ??
      (async () => {
        const database = await repos.connection.isHealthy();
        return { ok: database, database, scheduler: 'not-started' };
      }),
  };
}
