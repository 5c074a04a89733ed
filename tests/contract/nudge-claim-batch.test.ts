import { describe, expect, it } from 'vitest';
import { createNudgeRepository } from '../../src/db/nudge-repository.ts';
import { defaultNudgeSettings, type NudgeDecision, retryableRows } from '../../src/domain/nudge-schedule.ts';
import { ENGINES } from './engines.ts';

const T = 'T1';
const at = new Date('2027-01-08T21:00:00Z');
const minutes = (n: number) => new Date(at.getTime() + n * 60_000);
const send = (userId: string): NudgeDecision => ({
  teamId: T,
  userId,
  weekKey: '2027-W01',
  slotAt: at,
  localSlot: '2027-01-08T16:00',
  action: 'send',
});
const people = (n: number) => Array.from({ length: n }, (_, i) => `U${String(i).padStart(3, '0')}`);

describe.each(ENGINES)('the batched claim on $name', (engine) => {
  it('takes over many expired claims in one go, each only once, in the candidates order', async () => {
    const r = createNudgeRepository(await engine.open());
    const users = people(120);
    await r.claim(users.map(send), [], { owner: 'app:dead', expiresAt: minutes(10) }, at, at);
    const candidates = retryableRows(await r.ledgerSince('2027-W01'), minutes(11), { lateWindowHours: 24 });
    expect(candidates).toHaveLength(120);
    const lease = { owner: 'app:b', expiresAt: minutes(21) };
    const got = await r.claim([], candidates, lease, minutes(11), minutes(11));
    expect(got.claimed.map((c) => c.userId)).toEqual(candidates.map((c) => c.row.userId));
    expect(got.claimed.every((c) => c.slotAt.getTime() === at.getTime() && c.attempts === 0)).toBe(true);
    // The lease is live again: a second taker gets none of them.
    expect(
      (await r.claim([], candidates, { ...lease, owner: 'app:c' }, minutes(12), minutes(12))).claimed,
    ).toEqual([]);
    expect((await r.ledgerRow({ teamId: T, userId: 'U007', weekKey: '2027-W01' }))?.leaseOwner).toBe('app:b');
  });

  it('two instances taking over the same rows at once never both get one person', async () => {
    const store = await engine.open();
    const [a, b] = [createNudgeRepository(store), createNudgeRepository(store)];
    const users = people(200);
    await a.claim(users.map(send), [], { owner: 'app:dead', expiresAt: minutes(10) }, at, at);
    for (let round = 0; round < 3; round++) {
      const now = minutes(11 + round * 20);
      const candidates = retryableRows(await a.ledgerSince('2027-W01'), now, { lateWindowHours: 24 });
      expect(candidates).toHaveLength(200);
      const lease = (owner: string) => ({ owner, expiresAt: minutes(11 + round * 20 + 10) });
      const [x, y] = await Promise.all([
        a.claim([], candidates, lease(`app:a${round}`), now, now),
        b.claim([], [...candidates].reverse(), lease(`app:b${round}`), now, now),
      ]);
      const xs = x.claimed.map((c) => c.userId);
      const ys = new Set(y.claimed.map((c) => c.userId));
      expect(xs.filter((u) => ys.has(u))).toEqual([]);
      expect(xs.length + ys.size).toBeLessThanOrEqual(200);
      for (const c of [...x.claimed, ...y.claimed]) {
        expect((await a.ledgerRow(c))?.leaseOwner).toBe(c.leaseOwner);
      }
    }
  });

  it('claims a batch of sends and skips in one go, leaving the rows another process wrote first', async () => {
    const r = createNudgeRepository(await engine.open());
    const users = people(250);
    const skip = (userId: string): NudgeDecision => ({ ...send(userId), action: 'skip', reason: 'paused' });
    const decide = (u: string, i: number) => (i % 5 === 4 ? skip(u) : send(u));
    // Another process got to every seventh person first.
    const first = users.filter((_, i) => i % 7 === 0);
    await r.claim(first.map(send), [], { owner: 'app:other', expiresAt: minutes(10) }, at, at);
    const got = await r.claim(users.map(decide), [], { owner: 'app:me', expiresAt: minutes(10) }, at, at);
    const mine = users.filter((_, i) => i % 7 !== 0);
    expect(got.claimed.map((c) => c.userId)).toEqual(mine.filter((u) => users.indexOf(u) % 5 !== 4));
    expect(got.skipped.map((c) => c.userId)).toEqual(mine.filter((u) => users.indexOf(u) % 5 === 4));
    const row = (userId: string) => r.ledgerRow({ teamId: T, userId, weekKey: '2027-W01' });
    expect(await row('U001')).toMatchObject({ state: 'claimed', leaseOwner: 'app:me', reason: null });
    expect((await row('U001'))?.leaseExpiresAt?.getTime()).toBe(minutes(10).getTime());
    expect(await row('U004')).toMatchObject({ state: 'skipped', reason: 'paused', leaseOwner: null });
    expect((await row('U004'))?.leaseExpiresAt).toBeNull();
    expect(await row('U014')).toMatchObject({ state: 'claimed', leaseOwner: 'app:other' });
    expect((await row('U249'))?.slotAt.getTime()).toBe(at.getTime());
  });

  it('reads the settings of many people at once, leaving out those without any', async () => {
    const r = createNudgeRepository(await engine.open());
    const users = people(600);
    for (const userId of users.slice(0, 550)) {
      await r.saveSettings({ ...defaultNudgeSettings({ teamId: T, userId }, at), day: 3 }, at);
    }
    const read = await r.settingsOfMany(users.map((userId) => ({ teamId: T, userId })));
    expect(read.map((s) => s.userId).sort()).toEqual(users.slice(0, 550));
    expect(read.every((s) => s.day === 3 && s.enabled)).toBe(true);
    expect(await r.settingsOfMany([])).toEqual([]);
  });
});
