import type { Kysely } from 'kysely';
import { count } from './columns.ts';
import type { Schema } from './schema.ts';
import type { Store } from './store.ts';

/**
 * Every table holding a tenant's rows, with the column naming the tenant. A new table keyed by
 * `team_id` belongs here (tests/contract/tenant-purge.test.ts compares this list with the schema).
 */
export const TENANT_TABLES = {
  profiles: 'team_id',
  evidence: 'team_id',
  deliveries: 'team_id',
  pending_views: 'team_id',
  response_urls: 'team_id',
  nudge_settings: 'team_id',
  nudge_ledger: 'team_id',
  digest_settings: 'team_id',
  nudge_dm_channels: 'team_id',
  nudge_history: 'team_id',
  exports: 'team_id',
  workspaces: 'team_id',
  installations: 'tenant_id',
  // Which instance sends the workspace's DMs: gone with the workspace.
  send_leases: 'team_id',
} as const satisfies Partial<Record<keyof Schema, string>>;

export type TenantTable = keyof typeof TENANT_TABLES;
export type TenantCounts = Record<TenantTable, number>;

/**
 * `cli purge --team T`: counts, or deletes in one transaction, every row of a tenant in every
 * table: its people's data, its workspace status and its installation (tokens included).
 */
export function createTenantPurge(store: Store) {
  const tables = Object.entries(TENANT_TABLES) as Array<[TenantTable, string]>;
  // Table and column names come from the constant above; Kysely's types cannot follow them.
  type Loose = Kysely<Record<string, Record<string, string>>>;
  const statements = tables.map(([table, column]) => ({
    table,
    count: store.prepare((q, p: { tenant: string }) =>
      (q as unknown as Loose)
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(column, '=', p.tenant),
    ),
    remove: store.prepare((q, p: { tenant: string }) =>
      (q as unknown as Loose).deleteFrom(table).where(column, '=', p.tenant),
    ),
  }));
  return {
    async count(tenant: string): Promise<TenantCounts> {
      const out = {} as TenantCounts;
      for (const s of statements) out[s.table] = count((await s.count.first({ tenant }))?.n);
      return out;
    },
    async purge(tenant: string): Promise<TenantCounts> {
      return store.transaction(async (tx) => {
        const out = {} as TenantCounts;
        for (const s of statements) out[s.table] = await s.remove.run({ tenant }, tx);
        return out;
      });
    },
  };
}
