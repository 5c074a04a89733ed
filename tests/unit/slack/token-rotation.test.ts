import type { Installation } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/connection.ts';
import { createInstallationRepository } from '../../../src/db/installation-repository.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { createSqliteStore } from '../../../src/db/store.ts';
import { createTokenCipher } from '../../../src/db/token-cipher.ts';
import {
  forBolt,
  freshInstallation,
  needsRefresh,
  REFRESH_LEASE_MS,
  type RotationDeps,
  TokenRefreshError,
} from '../../../src/slack/token-rotation.ts';

const T0 = new Date('2026-11-20T12:00:00.000Z');
const sec = (d: Date) => Math.floor(d.getTime() / 1000);
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const closers: Array<() => void> = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

function install(expiresAt: Date): Installation {
  return {
    team: { id: 'T1' },
    enterprise: undefined,
    user: { token: undefined, scopes: undefined, id: 'U1' },
    bot: {
      token: 'xoxe.xoxb-old',
      refreshToken: 'xoxe-1-old',
      expiresAt: sec(expiresAt),
      userId: 'UB',
      id: 'BB',
      scopes: ['chat:write'],
    },
  };
}

async function setup(expiresAt: Date) {
  const db = openDatabase(':memory:');
  migrate(db);
  closers.push(() => db.close());
  const repo = createInstallationRepository(
    createSqliteStore(db),
    createTokenCipher({ current: Buffer.alloc(32, 7) }),
  );
  await repo.save(
    {
      tenantId: 'T1',
      teamId: 'T1',
      enterpriseId: null,
      isEnterpriseInstall: false,
      data: install(expiresAt),
    },
    T0,
  );
  const calls: string[] = [];
  const errors: string[] = [];
  const deps = (owner: string, now: Date, fail = false): RotationDeps => ({
    repo,
    owner,
    now: () => now,
    logger: { info: () => {}, error: (m) => errors.push(m) },
    sleep: async () => {},
    refresh: async (rt) => {
      calls.push(`${owner}:${rt}`);
      if (fail) throw new Error('invalid_refresh_token');
      return { accessToken: `xoxe.xoxb-${owner}`, refreshToken: `xoxe-1-${owner}`, expiresIn: 43200 };
    },
  });
  return { repo, calls, errors, deps };
}

describe('when a rotating token is refreshed', () => {
  it('only with a refresh token and less than two hours left', () => {
    const bot = install(at(121)).bot;
    expect(needsRefresh(bot, T0)).toBe(false);
    expect(needsRefresh(bot, at(2))).toBe(true);
    expect(needsRefresh({ ...bot, refreshToken: undefined } as never, at(200))).toBe(false);
    expect(forBolt(install(at(1))).bot).not.toHaveProperty('refreshToken');
    expect(forBolt(install(at(1))).bot).not.toHaveProperty('expiresAt');
  });

  it('leaves a token with time left alone', async () => {
    const { calls, deps } = await setup(at(600));
    expect((await freshInstallation(deps('a', T0), 'T1'))?.bot?.token).toBe('xoxe.xoxb-old');
    expect(calls).toEqual([]);
  });

  it('refreshes once under the lease; a second instance re-reads the stored token', async () => {
    const { repo, calls, deps } = await setup(at(60));
    const got = await freshInstallation(deps('a', T0), 'T1');
    expect(got?.bot?.token).toBe('xoxe.xoxb-a');
    expect(got?.bot?.expiresAt).toBe(sec(T0) + 43200);
    expect((await freshInstallation(deps('b', at(1)), 'T1'))?.bot?.token).toBe('xoxe.xoxb-a');
    expect(calls).toEqual(['a:xoxe-1-old']);
    expect((await repo.find<Installation>('T1'))?.data.bot?.refreshToken).toBe('xoxe-1-a');
  });

  it('shares one refresh among concurrent fetches of one instance (the lease cannot tell them apart)', async () => {
    const { calls, deps } = await setup(at(60));
    const a = deps('a', T0);
    const got = await Promise.all([1, 2, 3, 4].map(() => freshInstallation(a, 'T1')));
    expect(got.map((i) => i?.bot?.token)).toEqual(Array(4).fill('xoxe.xoxb-a'));
    expect(calls).toEqual(['a:xoxe-1-old']);
  });

  it('never refreshes with a spent refresh token: the lease taken after a refresh re-reads first', async () => {
    const { repo, calls, deps } = await setup(at(60));
    const stale = (await repo.find<Installation>('T1'))?.data as Installation;
    await freshInstallation(deps('a', T0), 'T1');
    // b read the installation before a stored the new token, and finds the lease free after it.
    let reads = 0;
    const viaStale: RotationDeps = {
      ...deps('b', T0),
      repo: {
        ...repo,
        find: (async (id: string) => (reads++ === 0 ? { data: stale } : repo.find(id))) as typeof repo.find,
      },
    };
    expect((await freshInstallation(viaStale, 'T1'))?.bot?.token).toBe('xoxe.xoxb-a');
    expect(calls).toEqual(['a:xoxe-1-old']);
  });

  it('does not refresh while another instance holds the lease, and takes it once run out', async () => {
    const { repo, calls, deps } = await setup(at(60));
    expect(await repo.takeRefreshLease('T1', 'a', T0, new Date(T0.getTime() + REFRESH_LEASE_MS))).toBe(true);
    expect((await freshInstallation(deps('b', T0), 'T1'))?.bot?.token).toBe('xoxe.xoxb-old');
    expect(calls).toEqual([]);
    expect((await freshInstallation(deps('b', at(1)), 'T1'))?.bot?.token).toBe('xoxe.xoxb-b');
    expect(calls).toEqual(['b:xoxe-1-old']);
  });

  it('reports a failed refresh, keeps the install, and fails clearly once the token ran out', async () => {
    const { repo, errors, deps } = await setup(at(60));
    expect((await freshInstallation(deps('a', T0, true), 'T1'))?.bot?.token).toBe('xoxe.xoxb-old');
    expect(errors).toEqual(['token refresh failed']);
    await expect(freshInstallation(deps('a', at(61), true), 'T1')).rejects.toBeInstanceOf(TokenRefreshError);
    expect((await repo.find<Installation>('T1'))?.data.bot?.refreshToken).toBe('xoxe-1-old');
  });
});
