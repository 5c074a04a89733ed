import { describe, expect, it } from 'vitest';
import { createNudgeRepository } from '../../src/db/nudge-repository.ts';
import { defaultNudgeSettings, type NudgeDecision, retryableRows } from '../../src/domain/nudge-schedule.ts';
import { ENGINES } from './engines.ts';

const T = 'T1';
const slot = new Date('2027-01-08T21:00:00Z');
const at = slot;
const decision = (userId: string, action: NudgeDecision['action'] = 'send'): NudgeDecision => ({
  teamId: T,
  userId,
  weekKey: '2027-W01',
  slotAt: slot,
  localSlot: '2027-01-08T16:00',
  action,
  ...(action === 'skip' ? { reason: 'paused' as const } : {}),
});
const lease = (owner: string, minutes = 10) => ({
  owner,
  expiresAt: new Date(at.getTime() + minutes * 60_000),
});

describe.each(ENGINES)('nudge repository on $name', (engine) => {
  const repo = async () => createNudgeRepository(await engine.open());

  describe('nudge ledger: every step is a compare-and-set', () => {
    it('two processes claiming the same week: exactly one gets it', async () => {
      const r = await repo();
      const a = await r.claim([decision('U1'), decision('U2', 'skip')], [], lease('app:a'), at, at);
      const b = await r.claim([decision('U1'), decision('U2', 'skip')], [], lease('cli:b'), at, at);
      expect(a.claimed.map((c) => c.userId)).toEqual(['U1']);
      expect(a.skipped.map((c) => c.userId)).toEqual(['U2']);
      expect(b.claimed).toEqual([]);
      expect(b.skipped).toEqual([]);
      expect(await r.ledgerRow({ teamId: T, userId: 'U2', weekKey: '2027-W01' })).toMatchObject({
        state: 'skipped',
        reason: 'paused',
      });
    });

    it('only the claim holder moves claimed → sending → sent; sent rows are never retried', async () => {
      const r = await repo();
      const [mine] = (await r.claim([decision('U1')], [], lease('app:a'), at, at)).claimed;
      if (!mine) throw new Error('not claimed');
      expect(await r.markSending({ ...mine, leaseOwner: 'cli:b' }, 'p1', 'D1', at)).toBe(false);
      expect(await r.markSending(mine, 'p1', 'D1', at)).toBe(true);
      expect(await r.markSending(mine, 'p1', 'D1', at)).toBe(false);
      expect(await r.markSent(mine, { channelId: 'D1', messageTs: '1.1', promptId: 'p1' }, at)).toBe(true);
      expect(await r.findMessage({ teamId: T, userId: 'U1' }, 'D1', '1.1')).toMatchObject({
        promptId: 'p1',
        trigger: 'weekly',
        weekKey: '2027-W01',
      });
      const later = new Date(at.getTime() + 3_600_000);
      expect(retryableRows(await r.ledgerSince('2027-W01'), later, { lateWindowHours: 24 })).toEqual([]);
    });

    it('a failed row is taken again only after its backoff; a live claim only after its lease; sending never', async () => {
      const r = await repo();
      const claimed = (
        await r.claim([decision('U1'), decision('U2'), decision('U3')], [], lease('app:a', 10), at, at)
      ).claimed;
      const [u1, , u3] = claimed;
      if (!u1 || !u3) throw new Error('not claimed');
      await r.markFailed(u1, 'http_500', new Date(at.getTime() + 60_000), at);
      await r.markSending(u3, 'p1', 'D3', at);
      const retry = async (minutes: number, owner: string) => {
        const now = new Date(at.getTime() + minutes * 60_000);
        const candidates = retryableRows(await r.ledgerSince('2027-W01'), now, { lateWindowHours: 24 });
        return (
          await r.claim([], candidates, { owner, expiresAt: new Date(now.getTime() + 600_000) }, now, now)
        ).claimed;
      };
      expect(await retry(0.5, 'cli:b')).toEqual([]);
      expect((await retry(1, 'cli:b')).map((c) => [c.userId, c.attempts])).toEqual([['U1', 1]]);
      // U2's claim (app:a) expires at +10 min; U3 is 'sending' and stays so.
      expect((await retry(11, 'cli:c')).map((c) => c.userId)).toEqual(['U1', 'U2']);
      expect((await r.ledgerRow({ teamId: T, userId: 'U3', weekKey: '2027-W01' }))?.state).toBe('sending');
    });

    it('settings keep their schedule start; the app can switch a person off', async () => {
      const r = await repo();
      const owner = { teamId: T, userId: 'U1' };
      await r.saveSettings({ ...defaultNudgeSettings(owner, at), day: 2, minuteOfDay: 570 }, at);
      expect(await r.getSettings(owner)).toMatchObject({
        enabled: true,
        day: 2,
        minuteOfDay: 570,
        createdAt: at,
        tz: null,
      });
      expect(await r.listEnabled()).toHaveLength(1);
      await r.switchOff(owner, 'account-gone', at);
      expect(await r.getSettings(owner)).toMatchObject({ enabled: false, offReason: 'account-gone' });
      expect(await r.listEnabled()).toHaveLength(0);
    });

    it('everyone opted in comes in key order, also after changes (so runs send and report alike)', async () => {
      const r = await repo();
      const users = ['U1', 'U2', 'U3', 'U4', 'U5'];
      for (const userId of users) await r.saveSettings(defaultNudgeSettings({ teamId: T, userId }, at), at);
      // A changed row moves on PostgreSQL (a new row version); SQLite keeps key order regardless.
      for (const userId of ['U2', 'U1']) {
        await r.saveSettings({ ...defaultNudgeSettings({ teamId: T, userId }, at), minuteOfDay: 600 }, at);
      }
      expect((await r.listEnabled()).map((s) => s.userId)).toEqual(users);
    });
  });
});
