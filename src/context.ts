import type { BaseConfig } from './config.ts';
import type { Db } from './db/connection.ts';
import type { Repositories } from './db/repositories.ts';
import type { Ladder } from './domain/ladder/model.ts';
import type { Logger } from './log.ts';

export interface Health {
  ok: boolean;
  database: boolean;
  scheduler: 'not-started' | 'ok' | 'stalled';
}

/**
 * What the composition root builds once and hands down: configuration, the database and its
 * repositories, the ladder content, the logger and the clock. Listeners and jobs take what they
 * need from it; nothing reads process.env or the system clock directly.
 */
export interface AppContext {
  config: Readonly<BaseConfig>;
  db: Db;
  repos: Repositories;
  ladder: Ladder;
  logger: Logger;
  now: () => Date;
  health: () => Health;
}
