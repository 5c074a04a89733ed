import { flag } from './columns.ts';
import { pick, type Store } from './store.ts';
import { type TokenCipher, TokenKeyError } from './token-cipher.ts';

/**
 * Distribution mode's installations, one per tenant: the team id, or the enterprise id of an
 * org-wide install. What Slack returned for the install (tokens included) is stored only sealed
 * (token-cipher.ts); the tenant, team and enterprise ids stay readable for lookups and purges.
 */
export interface InstallationRecord<T = unknown> {
  tenantId: string;
  teamId: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
  /** The installation as Slack's OAuth library built it; JSON. */
  data: T;
}

export interface RotationResult {
  /** Rows now sealed under the current key that were not before. */
  rewritten: number;
  /** Rows that already were. */
  alreadyCurrent: number;
}

const NO_KEY = new TokenKeyError(
  'LADDER_ENCRYPTION_KEY is not set: stored installations cannot be read or written',
);

export function createInstallationRepository(store: Store, cipher: TokenCipher | undefined) {
  const need = (): TokenCipher => {
    if (!cipher) throw NO_KEY;
    return cipher;
  };
  const s = { ...statements(store), ...leaseStatements(store) };
  async function orgOf(tenantId: string): Promise<{ enterpriseId: string | null; others: string[] }> {
    const own = await s.byTenant.first({ tenantId });
    const enterpriseId = own?.enterprise_id ?? tenantId;
    const rows = await s.ofEnterprise.all({ enterpriseId });
    const tenants = new Set([enterpriseId, ...rows.map((r) => r.tenant_id)]);
    tenants.delete(tenantId);
    const others = [...tenants].sort();
    return { enterpriseId: others.length > 0 || own?.enterprise_id ? enterpriseId : null, others };
  }
  return {
    ...keyMethods(s, need),
    ...refreshMethods(s, need),
    /**
     * The org a tenant belongs to, from the stored installations: its enterprise id (null when it
     * is in no org) and the org's other tenants (the enterprise and its workspace installs); none
     * outside distribution mode.
     */
    orgOf,
    /**
     * Inserts or replaces the tenant's installation, sealed under the current key. A replacement
     * ends the refresh lease, so a refresh that was under way cannot store over it.
     */
    async save(record: InstallationRecord, now: Date): Promise<void> {
      const { keyId, sealed } = need().seal(JSON.stringify(record.data), record.tenantId);
      await s.upsert.run({
        tenant_id: record.tenantId,
        team_id: record.teamId,
        enterprise_id: record.enterpriseId,
        is_enterprise_install: flag.write(record.isEnterpriseInstall),
        key_id: keyId,
        sealed,
        installed_at: now.toISOString(),
        updated_at: now.toISOString(),
      });
    },

    async find<T = unknown>(tenantId: string): Promise<InstallationRecord<T> | undefined> {
      const row = await s.byTenant.first({ tenantId });
      if (!row) return undefined;
      const data = JSON.parse(need().open({ keyId: row.key_id, sealed: row.sealed }, tenantId)) as T;
      return {
        tenantId,
        teamId: row.team_id,
        enterpriseId: row.enterprise_id,
        isEnterpriseInstall: flag.read(row.is_enterprise_install),
        data,
      };
    },

    /** Deletes the tenant's installation and with it every token; the number of rows deleted. */
    async remove(tenantId: string): Promise<number> {
      return s.remove.run({ tenantId });
    },
  };
}

const INSTALLATION_COLUMNS = [
  'tenant_id',
  'team_id',
  'enterprise_id',
  'is_enterprise_install',
  'key_id',
  'sealed',
  'installed_at',
  'updated_at',
] as const;

/**
 * The refresh lease of a rotating token (0012): one instance at a time exchanges an
 * installation's refresh token. Each call is one conditional statement on both engines.
 */
function refreshMethods(s: ReturnType<typeof leaseStatements>, need: () => TokenCipher) {
  return {
    /**
     * Takes the tenant's refresh lease until `until` when it is free, run out (at `now`) or
     * `owner`'s already. True when `owner` holds it now; false when another instance does or the
     * tenant has no installation.
     */
    async takeRefreshLease(tenantId: string, owner: string, now: Date, until: Date): Promise<boolean> {
      const row = await s.takeLease.first({
        tenantId,
        owner,
        now: now.toISOString(),
        until: until.toISOString(),
      });
      return row?.refresh_owner === owner;
    },

    /**
     * Stores the refreshed installation and ends the lease, only while `owner` still holds it;
     * false when the lease was lost (another instance may have refreshed meanwhile).
     */
    async saveRefreshed<T>(tenantId: string, data: T, owner: string, now: Date): Promise<boolean> {
      const { keyId, sealed } = need().seal(JSON.stringify(data), tenantId);
      const row = await s.storeRefreshed.first({ tenantId, owner, keyId, sealed, now: now.toISOString() });
      return row !== undefined;
    },

    /** Ends `owner`'s refresh lease of the tenant (a failed refresh: another may try at once). */
    async releaseRefreshLease(tenantId: string, owner: string): Promise<void> {
      await s.releaseLease.run({ tenantId, owner });
    },
  };
}

/** What a key rotation needs: which rows no configured key opens, and re-sealing the rest. */
function keyMethods(s: ReturnType<typeof statements>, need: () => TokenCipher) {
  return {
    /** Key ids of stored rows that neither configured key opens, with their row counts. */
    async unknownKeys(): Promise<Array<{ keyId: string; rows: number }>> {
      const c = need();
      const known = new Set([c.currentKeyId, ...(c.previousKeyId ? [c.previousKeyId] : [])]);
      const byKey = new Map<string, number>();
      for (const row of await s.keys.all({})) {
        if (!known.has(row.key_id)) byKey.set(row.key_id, (byKey.get(row.key_id) ?? 0) + 1);
      }
      return [...byKey].map(([keyId, rows]) => ({ keyId, rows }));
    },

    /**
     * Re-seals every row not under the current key (`cli rotate-key`). Each row is rewritten only
     * if it is still what was read, so an install stored meanwhile by a running instance is kept.
     */
    async reencryptAll(now: Date): Promise<RotationResult> {
      const c = need();
      const rows = await s.keys.all({});
      let rewritten = 0;
      for (const row of rows) {
        if (row.key_id === c.currentKeyId) continue;
        const plain = c.open({ keyId: row.key_id, sealed: row.sealed }, row.tenant_id);
        const next = c.seal(plain, row.tenant_id);
        rewritten += await s.reseal.run({
          tenantId: row.tenant_id,
          oldKeyId: row.key_id,
          oldSealed: row.sealed,
          keyId: next.keyId,
          sealed: next.sealed,
          now: now.toISOString(),
        });
      }
      return { rewritten, alreadyCurrent: rows.length - rewritten };
    },
  };
}

function statements(store: Store) {
  return {
    upsert: store.prepare(
      (
        qb,
        p: {
          tenant_id: string;
          team_id: string | null;
          enterprise_id: string | null;
          is_enterprise_install: number;
          key_id: string;
          sealed: string;
          installed_at: string;
          updated_at: string;
        },
      ) =>
        qb
          .insertInto('installations')
          .values(pick(p, INSTALLATION_COLUMNS))
          .onConflict((oc) =>
            oc.column('tenant_id').doUpdateSet((eb) => ({
              team_id: eb.ref('excluded.team_id'),
              enterprise_id: eb.ref('excluded.enterprise_id'),
              is_enterprise_install: eb.ref('excluded.is_enterprise_install'),
              key_id: eb.ref('excluded.key_id'),
              sealed: eb.ref('excluded.sealed'),
              installed_at: eb.ref('excluded.installed_at'),
              updated_at: eb.ref('excluded.updated_at'),
              // A reinstall ends any refresh in flight: its result belongs to the replaced install.
              refresh_owner: null,
              refresh_until: null,
            })),
          ),
    ),
    byTenant: store.prepare((qb, p: { tenantId: string }) =>
      qb
        .selectFrom('installations')
        .select(['team_id', 'enterprise_id', 'is_enterprise_install', 'key_id', 'sealed'])
        .where('tenant_id', '=', p.tenantId),
    ),
    ofEnterprise: store.prepare((qb, p: { enterpriseId: string }) =>
      qb.selectFrom('installations').select('tenant_id').where('enterprise_id', '=', p.enterpriseId),
    ),
    remove: store.prepare((qb, p: { tenantId: string }) =>
      qb.deleteFrom('installations').where('tenant_id', '=', p.tenantId),
    ),
    keys: store.prepare((qb, _p: Record<string, never>) =>
      qb.selectFrom('installations').select(['tenant_id', 'key_id', 'sealed']).orderBy('tenant_id'),
    ),
    reseal: store.prepare(
      (
        qb,
        p: {
          tenantId: string;
          oldKeyId: string;
          oldSealed: string;
          keyId: string;
          sealed: string;
          now: string;
        },
      ) =>
        qb
          .updateTable('installations')
          .set({ key_id: p.keyId, sealed: p.sealed, updated_at: p.now })
          .where('tenant_id', '=', p.tenantId)
          .where('key_id', '=', p.oldKeyId)
          .where('sealed', '=', p.oldSealed),
    ),
  };
}

/** The refresh lease's statements (0012). */
function leaseStatements(store: Store) {
  return {
    takeLease: store.prepare((qb, p: { tenantId: string; owner: string; now: string; until: string }) =>
      qb
        .updateTable('installations')
        .set({ refresh_owner: p.owner, refresh_until: p.until })
        .where('tenant_id', '=', p.tenantId)
        .where((eb) =>
          eb.or([
            eb('refresh_until', 'is', null),
            eb('refresh_until', '<=', p.now),
            eb('refresh_owner', '=', p.owner),
          ]),
        )
        .returning('refresh_owner'),
    ),
    storeRefreshed: store.prepare(
      (qb, p: { tenantId: string; owner: string; keyId: string; sealed: string; now: string }) =>
        qb
          .updateTable('installations')
          .set({
            key_id: p.keyId,
            sealed: p.sealed,
            updated_at: p.now,
            refresh_owner: null,
            refresh_until: null,
          })
          .where('tenant_id', '=', p.tenantId)
          .where('refresh_owner', '=', p.owner)
          .returning('tenant_id'),
    ),
    releaseLease: store.prepare((qb, p: { tenantId: string; owner: string }) =>
      qb
        .updateTable('installations')
        .set({ refresh_owner: null, refresh_until: null })
        .where('tenant_id', '=', p.tenantId)
        .where('refresh_owner', '=', p.owner),
    ),
  };
}

export type InstallationRepository = ReturnType<typeof createInstallationRepository>;
