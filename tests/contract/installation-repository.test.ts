import { describe, expect, it } from 'vitest';
import { createInstallationRepository } from '../../src/db/installation-repository.ts';
import { createOauthStateRepository } from '../../src/db/oauth-state-repository.ts';
import type { Store } from '../../src/db/store.ts';
import { createTenantPurge, TENANT_TABLES } from '../../src/db/tenant-purge.ts';
import { createTokenCipher, keyIdOf } from '../../src/db/token-cipher.ts';
import { createWorkspaceRepository } from '../../src/db/workspace-repository.ts';
import { ENGINES } from './engines.ts';

const now = new Date('2026-11-20T12:00:00.000Z');
const KEY_A = Buffer.alloc(32, 1);
const KEY_B = Buffer.alloc(32, 2);
const TOKEN = 'xoxb-T1-secret-token-value';

const install = (tenantId: string, token: string) => ({
  tenantId,
  teamId: tenantId,
  enterpriseId: null,
  isEnterpriseInstall: false,
  data: { team: { id: tenantId }, bot: { token, userId: 'UBOT', id: 'BBOT', scopes: ['commands'] } },
});

async function rawRows(store: Store) {
  return store.all(store.qb.selectFrom('installations').selectAll().orderBy('tenant_id'));
}

describe.each(ENGINES)('installation repository on $name', (engine) => {
  it('lets one instance at a time hold the refresh lease, and stores only under it', async () => {
    const store = await engine.open();
    const r = createInstallationRepository(store, createTokenCipher({ current: KEY_A }));
    const later = (s: number) => new Date(now.getTime() + s * 1000);
    expect(await r.takeRefreshLease('T1', 'a', now, later(30))).toBe(false);
    await r.save(install('T1', TOKEN), now);
    expect(await r.takeRefreshLease('T1', 'a', now, later(30))).toBe(true);
    expect(await r.takeRefreshLease('T1', 'b', later(10), later(40))).toBe(false);
    expect(await r.saveRefreshed('T1', install('T1', 'xoxb-by-b').data, 'b', later(10))).toBe(false);
    expect(await r.takeRefreshLease('T1', 'a', later(10), later(40))).toBe(true);
    expect(await r.saveRefreshed('T1', install('T1', 'xoxe.xoxb-new').data, 'a', later(11))).toBe(true);
    expect((await r.find<{ bot: { token: string } }>('T1'))?.data.bot.token).toBe('xoxe.xoxb-new');
    expect(JSON.stringify(await rawRows(store))).not.toContain('xoxb-');
    // Stored: the lease is free again; a run-out lease is taken over; a released one at once.
    expect(await r.takeRefreshLease('T1', 'b', later(12), later(42))).toBe(true);
    expect(await r.takeRefreshLease('T1', 'a', later(42), later(72))).toBe(true);
    await r.releaseRefreshLease('T1', 'b');
    expect(await r.takeRefreshLease('T1', 'b', later(43), later(73))).toBe(false);
    await r.releaseRefreshLease('T1', 'a');
    expect(await r.takeRefreshLease('T1', 'b', later(43), later(73))).toBe(true);
  });

  it('keeps a reinstall that lands while a refresh of the replaced install is under way', async () => {
    const store = await engine.open();
    const r = createInstallationRepository(store, createTokenCipher({ current: KEY_A }));
    const later = (s: number) => new Date(now.getTime() + s * 1000);
    await r.save(install('T1', 'xoxe.xoxb-first'), now);
    expect(await r.takeRefreshLease('T1', 'a', now, later(30))).toBe(true);
    await r.save(install('T1', 'xoxb-reinstalled'), later(5));
    expect(await r.saveRefreshed('T1', install('T1', 'xoxe.xoxb-refreshed-old').data, 'a', later(6))).toBe(
      false,
    );
    expect((await r.find<{ bot: { token: string } }>('T1'))?.data.bot.token).toBe('xoxb-reinstalled');
    expect(await r.takeRefreshLease('T1', 'b', later(7), later(37))).toBe(true);
  });

  it('stores an installation per tenant sealed, and gives it back opened', async () => {
    const store = await engine.open();
    const r = createInstallationRepository(store, createTokenCipher({ current: KEY_A }));
    await r.save(install('T1', TOKEN), now);
    await r.save(install('E1', 'xoxb-E1-other'), now);
    const found = await r.find<{ bot: { token: string } }>('T1');
    expect(found?.data.bot.token).toBe(TOKEN);
    expect(found?.teamId).toBe('T1');
    expect(await r.find('T9')).toBeUndefined();
    const rows = await rawRows(store);
    expect(JSON.stringify(rows)).not.toContain('xoxb-');
    expect(rows.map((row) => row.key_id)).toEqual([keyIdOf(KEY_A), keyIdOf(KEY_A)]);
    await r.save(install('T1', 'xoxb-T1-reinstalled'), now);
    expect((await r.find<{ bot: { token: string } }>('T1'))?.data.bot.token).toBe('xoxb-T1-reinstalled');
    expect(await r.remove('T1')).toBe(1);
    expect(await r.find('T1')).toBeUndefined();
  });

  it('re-encrypts every row under the new key while the previous one still opens them', async () => {
    const store = await engine.open();
    await createInstallationRepository(store, createTokenCipher({ current: KEY_A })).save(
      install('T1', TOKEN),
      now,
    );
    const rotating = createInstallationRepository(
      store,
      createTokenCipher({ current: KEY_B, previous: KEY_A }),
    );
    expect((await rotating.find<{ bot: { token: string } }>('T1'))?.data.bot.token).toBe(TOKEN);
    await rotating.save(install('T2', 'xoxb-T2-token'), now);
    expect(await rotating.reencryptAll(now)).toEqual({ rewritten: 1, alreadyCurrent: 1 });
    expect(await rotating.reencryptAll(now)).toEqual({ rewritten: 0, alreadyCurrent: 2 });
    const after = createInstallationRepository(store, createTokenCipher({ current: KEY_B }));
    expect((await after.find<{ bot: { token: string } }>('T1'))?.data.bot.token).toBe(TOKEN);
    expect((await rawRows(store)).map((row) => row.key_id)).toEqual([keyIdOf(KEY_B), keyIdOf(KEY_B)]);
    expect(await after.unknownKeys()).toEqual([]);
    const wrong = createInstallationRepository(store, createTokenCipher({ current: Buffer.alloc(32, 3) }));
    expect(await wrong.unknownKeys()).toEqual([{ keyId: keyIdOf(KEY_B), rows: 2 }]);
  });

  it('cannot read or write installations without a key', async () => {
    const r = createInstallationRepository(await engine.open(), undefined);
    await expect(r.save(install('T1', TOKEN), now)).rejects.toThrow(/LADDER_ENCRYPTION_KEY is not set/);
  });
});

describe.each(ENGINES)('OAuth state repository on $name', (engine) => {
  it('gives a state once, within ten minutes, and says when it expired', async () => {
    const r = createOauthStateRepository(await engine.open());
    await r.issue('s1', '{"scopes":["commands"]}', now);
    expect(await r.consume('s1', new Date(now.getTime() + 60_000))).toEqual({
      found: true,
      expired: false,
      installOptions: '{"scopes":["commands"]}',
    });
    expect(await r.consume('s1', now)).toEqual({ found: false });
    await r.issue('s2', '{}', now);
    expect((await r.consume('s2', new Date(now.getTime() + 10 * 60_000 + 1))).found && 'expired').toBe(
      'expired',
    );
    expect(await r.consume('never-issued', now)).toEqual({ found: false });
  });

  it('lets only one of two concurrent takers have the state', async () => {
    const r = createOauthStateRepository(await engine.open());
    await r.issue('s1', '{}', now);
    const results = await Promise.all([r.consume('s1', now), r.consume('s1', now), r.consume('s1', now)]);
    expect(results.filter((x) => x.found)).toHaveLength(1);
  });
});

describe.each(ENGINES)('tenant purge on $name', (engine) => {
  it('counts every row of a tenant, deletes them all, and leaves other tenants alone', async () => {
    const store = await engine.open();
    await createInstallationRepository(store, createTokenCipher({ current: KEY_A })).save(
      install('T1', TOKEN),
      now,
    );
    await createInstallationRepository(store, createTokenCipher({ current: KEY_A })).save(
      install('T2', TOKEN),
      now,
    );
    await createWorkspaceRepository(store).markInactive('T1', 'uninstalled', now);
    for (const team of ['T1', 'T2']) {
      await store.run(
        store.qb.insertInto('profiles').values({
          team_id: team,
          user_id: 'U1',
          level: 'tpm4',
          target: null,
          level_role: null,
          target_role: null,
          tz: null,
          tz_checked_at: null,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        }),
      );
    }
    const purge = createTenantPurge(store);
    const counted = await purge.count('T1');
    expect(counted).toMatchObject({ installations: 1, workspaces: 1, profiles: 1, evidence: 0 });
    expect(Object.keys(counted).sort()).toEqual(Object.keys(TENANT_TABLES).sort());
    expect(await purge.purge('T1')).toEqual(counted);
    expect(Object.values(await purge.count('T1')).every((n) => n === 0)).toBe(true);
    expect(await purge.count('T2')).toMatchObject({ installations: 1, profiles: 1 });
  });
});
