import { describe, expect, it } from 'vitest';
import { createSendLeaseRepository } from '../../src/db/send-lease-repository.ts';
import { ENGINES } from './engines.ts';

const now = new Date('2027-01-08T15:00:00.000Z');
const seconds = (s: number) => new Date(now.getTime() + s * 1000);

describe.each(ENGINES)('send lease repository on $name', (engine) => {
  const repo = async () => createSendLeaseRepository(await engine.open());

  it('one owner per workspace: a running lease keeps the others out, its owner renews it', async () => {
    const r = await repo();
    expect(await r.acquire('T1', 'app:a', now, seconds(60))).toBe(true);
    expect(await r.acquire('T1', 'app:b', seconds(30), seconds(90))).toBe(false);
    expect(await r.acquire('T2', 'app:b', seconds(30), seconds(90))).toBe(true);
    // Renewed by its owner: still out of reach after the first expiry.
    expect(await r.acquire('T1', 'app:a', seconds(50), seconds(110))).toBe(true);
    expect(await r.acquire('T1', 'app:b', seconds(70), seconds(130))).toBe(false);
    expect(await r.holder('T1')).toEqual({ owner: 'app:a', expiresAt: seconds(110) });
  });

  it('a lease that ran out is taken over by another owner, and the old owner can no longer extend it', async () => {
    const r = await repo();
    expect(await r.acquire('T1', 'app:a', now, seconds(60))).toBe(true);
    expect(await r.acquire('T1', 'app:b', seconds(60), seconds(120))).toBe(true);
    expect(await r.extend('T1', 'app:a', seconds(180))).toBe(false);
    expect(await r.extend('T1', 'app:b', seconds(180))).toBe(true);
    expect(await r.holder('T1')).toEqual({ owner: 'app:b', expiresAt: seconds(180) });
  });

  it('releasing ends every lease of one owner at the given instant, never later than it was', async () => {
    const r = await repo();
    await r.acquire('T1', 'app:a', now, seconds(60));
    await r.acquire('T2', 'app:a', now, seconds(5));
    await r.acquire('T3', 'app:b', now, seconds(60));
    await r.releaseAll('app:a', seconds(10));
    expect(await r.holder('T1')).toEqual({ owner: 'app:a', expiresAt: seconds(10) });
    expect(await r.holder('T2')).toEqual({ owner: 'app:a', expiresAt: seconds(5) });
    expect(await r.acquire('T1', 'app:b', seconds(9), seconds(70))).toBe(false);
    expect(await r.acquire('T1', 'app:b', seconds(10), seconds(70))).toBe(true);
    expect((await r.holder('T3'))?.owner).toBe('app:b');
    expect(await r.holder('T9')).toBeUndefined();
  });

  it('of many owners racing for a free workspace, exactly one gets it', async () => {
    const r = await repo();
    const owners = Array.from({ length: 8 }, (_, i) => `app:${i}`);
    const got = await Promise.all(owners.map((o) => r.acquire('T1', o, now, seconds(60))));
    expect(got.filter(Boolean)).toHaveLength(1);
    expect((await r.holder('T1'))?.owner).toBe(owners[got.indexOf(true)]);
  });
});
