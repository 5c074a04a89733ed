import { describe, expect, it } from 'vitest';
import { createProfileRepository } from '../../src/db/profile-repository.ts';
import { ENGINES } from './engines.ts';

const alice = { teamId: 'T1', userId: 'U1' };
const bob = { teamId: 'T1', userId: 'U2' };
const t0 = new Date('2026-11-20T12:00:00.000Z');
const t1 = new Date('2026-11-21T12:00:00.000Z');

describe.each(ENGINES)('profile repository on $name', (engine) => {
  const repo = async () => createProfileRepository(await engine.open());

  it('someone new has an empty profile that is not stored', async () => {
    const r = await repo();
    expect(await r.get(alice)).toBeUndefined();
    expect(await r.getOrEmpty(alice)).toEqual({
      ...alice,
      level: null,
      target: null,
      levelRole: null,
      targetRole: null,
      tz: null,
      tzCheckedAt: null,
    });
    expect(await r.countOf(alice)).toEqual({ profiles: 0 });
  });

  it('levels and roles are set independently; the time zone keeps when it was read', async () => {
    const r = await repo();
    expect(await r.setLevels(alice, { level: 'tpm4', levelRole: 'tpm4-infra' }, t0)).toMatchObject({
      level: 'tpm4',
      levelRole: 'tpm4-infra',
      target: null,
    });
    await r.setLevels(alice, { target: 'tpm5' }, t1);
    await r.setTimeZone(alice, 'Europe/London', t1);
    expect(await r.get(alice)).toEqual({
      ...alice,
      level: 'tpm4',
      levelRole: 'tpm4-infra',
      target: 'tpm5',
      targetRole: null,
      tz: 'Europe/London',
      tzCheckedAt: t1.toISOString(),
    });
    expect(await r.get(bob)).toBeUndefined();
  });

  it('exports as stored, imports into an empty account, forgets', async () => {
    const r = await repo();
    await r.setLevels(alice, { level: 'tpm3' }, t0);
    await r.setTimeZone(alice, null, t1);
    const stored = await r.rowsOf(alice);
    expect(stored).toEqual({
      level: 'tpm3',
      target: null,
      levelRole: null,
      targetRole: null,
      tz: null,
      tzCheckedAt: t1.toISOString(),
      createdAt: t0.toISOString(),
      updatedAt: t1.toISOString(),
    });
    await r.importRows(bob, stored);
    expect(await r.rowsOf(bob)).toEqual(stored);
    expect(await r.deleteOf(alice)).toEqual({ profiles: 1 });
    expect(await r.rowsOf(alice)).toBeNull();
    expect(await r.countOf(bob)).toEqual({ profiles: 1 });
  });
});
