import { describe, expect, it } from 'vitest';
import { createDigestRepository } from '../../src/db/digest-repository.ts';
import { createNudgeRepository } from '../../src/db/nudge-repository.ts';
import type { DigestDecision } from '../../src/domain/digest-schedule.ts';
import { defaultNudgeSettings } from '../../src/domain/nudge-schedule.ts';
import { ENGINES } from './engines.ts';

const T = 'T1';
const slot = new Date('2027-01-04T21:00:00Z');
const at = slot;
const decision = (userId: string, action: DigestDecision['action'] = 'send'): DigestDecision => ({
  teamId: T,
  userId,
  monthKey: '2027-01',
  slotAt: slot,
  localSlot: '2027-01-04T16:00',
  action,
  ...(action === 'skip' ? { reason: 'too-late' as const } : {}),
});
const lease = (owner: string) => ({ owner, expiresAt: new Date(at.getTime() + 10 * 60_000) });

describe.each(ENGINES)('digest repository on $name', (engine) => {
  const repos = async () => {
    const store = await engine.open();
    return { digests: createDigestRepository(store), nudges: createNudgeRepository(store) };
  };

  it('two processes claiming the same month: exactly one gets it; each later step is a compare-and-set', async () => {
    const { digests } = await repos();
    const [mine, ...rest] = await digests.claimDigests([decision('U1')], [], lease('app:a'), at, at);
    expect(rest).toEqual([]);
    expect(await digests.claimDigests([decision('U1')], [], lease('cli:b'), at, at)).toEqual([]);
    if (!mine) throw new Error('no claim');
    expect(await digests.markDigestSending({ ...mine, leaseOwner: 'cli:b' }, 'D1', at)).toBe(false);
    expect(await digests.markDigestSending(mine, 'D1', at)).toBe(true);
    // Once in 'sending' it is never claimed again, nor failed by someone else.
    expect(await digests.markDigestFailed({ ...mine, leaseOwner: 'cli:b' }, 'x', at, at)).toBe(false);
    expect(await digests.markDigestSent(mine, { channelId: 'D1', messageTs: '1.2' }, at)).toBe(true);
    expect(await digests.digestLedgerOf({ teamId: T, userId: 'U1' })).toMatchObject([
      { weekKey: '2027-01', state: 'sent', messageTs: '1.2' },
    ]);
  });

  it('digest rows and weekly rows live side by side: neither repository sees the other’s', async () => {
    const { digests, nudges } = await repos();
    const owner = { teamId: T, userId: 'U1' };
    await nudges.saveSettings(defaultNudgeSettings(owner, at), at);
    await nudges.claim(
      [{ ...owner, weekKey: '2027-W01', slotAt: slot, localSlot: '', action: 'send' }],
      [],
      lease('app:a'),
      at,
      at,
    );
    await digests.claimDigests([decision('U1')], [], lease('app:a'), at, at);
    expect((await nudges.ledgerOf(owner)).map((r) => r.weekKey)).toEqual(['2027-W01']);
    expect((await nudges.ledgerSince('2026-W01')).map((r) => r.weekKey)).toEqual(['2027-W01']);
    expect((await digests.digestLedgerOf(owner)).map((r) => r.weekKey)).toEqual(['2027-01']);
    expect((await nudges.rowsOf(owner)).ledger.map((r) => r.week)).toEqual(['2027-W01']);
    expect((await digests.digestRowsOf(owner)).digestLedger.map((r) => r.month)).toEqual(['2027-01']);
  });

  it('switching on again starts a new effective date; on while on keeps it; the weekly time is the digest’s', async () => {
    const { digests, nudges } = await repos();
    const owner = { teamId: T, userId: 'U1' };
    const t = (s: string) => new Date(s);
    await digests.setDigest(owner, true, t('2027-01-01T00:00:00Z'));
    await digests.setDigest(owner, true, t('2027-01-02T00:00:00Z'));
    expect((await digests.getDigest(owner))?.effectiveFrom.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect((await digests.getDigest(owner))?.minuteOfDay).toBe(16 * 60);
    await digests.setDigest(owner, false, t('2027-01-03T00:00:00Z'));
    expect(await digests.listDigestUsers()).toEqual([]);
    await digests.setDigest(owner, true, t('2027-01-04T00:00:00Z'));
    expect((await digests.getDigest(owner))?.effectiveFrom.toISOString()).toBe('2027-01-04T00:00:00.000Z');
    await nudges.saveSettings({ ...defaultNudgeSettings(owner, at), enabled: false, minuteOfDay: 570 }, at);
    expect(await digests.listDigestUsers()).toMatchObject([{ userId: 'U1', minuteOfDay: 570 }]);
  });

  it('digest users and the ledger since a month come in key order, also after a change', async () => {
    const { digests } = await repos();
    const t = new Date('2027-01-01T00:00:00Z');
    for (const userId of ['U1', 'U2', 'U3']) await digests.setDigest({ teamId: T, userId }, true, t);
    await digests.setDigest({ teamId: T, userId: 'U1' }, false, t);
    await digests.setDigest({ teamId: T, userId: 'U1' }, true, t);
    expect((await digests.listDigestUsers()).map((u) => u.userId)).toEqual(['U1', 'U2', 'U3']);

    const claimed = await digests.claimDigests(
      [decision('U1'), decision('U2'), decision('U3')],
      [],
      lease('app:a'),
      at,
      at,
    );
    const mine = claimed.find((c) => c.userId === 'U1');
    if (!mine) throw new Error('not claimed');
    expect(await digests.markDigestSending(mine, 'D1', at)).toBe(true);
    expect((await digests.digestLedgerSince('2027-01')).map((r) => r.userId)).toEqual(['U1', 'U2', 'U3']);
  });
});
