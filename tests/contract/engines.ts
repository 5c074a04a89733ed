/**
 * The engines the repository contract runs on. Each test file is written against the repositories'
 * interfaces only and runs once per engine (`describe.each(ENGINES)`); PostgreSQL joins this list
 * in the next step, and every contract file then runs against it unchanged.
 */
import { afterEach } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createSqliteStore, type Store } from '../../src/db/store.ts';

export interface Engine {
  name: string;
  /** A fresh, migrated, empty database as a store; closed after the test. */
  open(): Promise<Store>;
}

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

export const ENGINES: Engine[] = [
  {
    name: 'SQLite',
    async open() {
      const db = openDatabase(':memory:');
      migrate(db);
      closers.push(() => db.close());
      return createSqliteStore(db);
    },
  },
];
