import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/connection.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { TENANT_TABLES } from '../../../src/db/tenant-purge.ts';

describe('cli purge --team', () => {
  it('covers every table with a tenant column in the migrated schema', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all() as Array<{ name: string }>;
    const withTenant = tables
      .filter(({ name }) =>
        (db.prepare(`PRAGMA table_info("${name}")`).all() as Array<{ name: string }>).some((c) =>
          ['team_id', 'tenant_id'].includes(c.name),
        ),
      )
      .map((t) => t.name)
      .sort();
    db.close();
    expect(Object.keys(TENANT_TABLES).sort()).toEqual(withTenant);
  });
});
