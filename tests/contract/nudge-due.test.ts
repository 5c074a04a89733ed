/**
 * The scheduler's reads of who is due: the stored next due instant, selected in bounded batches in
 * its order, moved on with the claim unless the settings changed meanwhile, and the open rows a
 * tick may take over. On SQLite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { createNudgeRepository } from '../../src/db/nudge-repository.ts';
import { defaultNudgeSettings, type NudgeDecision } from '../../src/domain/nudge-schedule.ts';
import { ENGINES } from './engines.ts';

const T = 'T1';
const CREATED = new Date('2026-12-01T00:00:00Z');
const SLOT = new Date('2027-01-08T16:00:00Z');
const minutes = (m: number) => new Date(SLOT.getTime() + m * 60_000);
const settings = (userId: string) => ({ ...defaultNudgeSettings({ teamId: T, userId }, CREATED), tz: 'UTC' });
const decision = (userId: string): NudgeDecision => ({
  teamId: T,
  userId,
  weekKey: '2027-W01',
  slotAt: SLOT,
  localSlot: '2027-01-08T16:00',
  action: 'send',
});
const lease = (owner: string, until: Date) => ({ owner, expiresAt: until });

describe.each(ENGINES)('who is due, on $name', (engine) => {
  const repo = async () => createNudgeRepository(await engine.open());
  const dueIds = async (r: Awaited<ReturnType<typeof repo>>, at: Date, limit = 500) =>
    (await r.dueBatch(at, '2026-W52', limit)).users.map((u) => u.userId);

  it('selects only people whose next due instant has come, earliest first, at most the batch', async () => {
    const r = await repo();
    await r.saveSettings(settings('U4'), CREATED, minutes(1));
    await r.saveSettings(settings('U3'), CREATED, SLOT);
    await r.saveSettings(settings('U2'), CREATED, SLOT);
    await r.saveSettings(settings('U1'), CREATED, minutes(-30));
    await r.saveSettings({ ...settings('U5'), enabled: false }, CREATED, minutes(-60));
    expect(await dueIds(r, SLOT)).toEqual(['U1', 'U2', 'U3']);
    expect(await dueIds(r, SLOT, 2)).toEqual(['U1', 'U2']);
    expect(await dueIds(r, minutes(1))).toEqual(['U1', 'U2', 'U3', 'U4']);
    expect(await dueIds(r, minutes(-31))).toEqual([]);
  });

  it("reads the batch's own ledger rows only, from the week asked on", async () => {
    const r = await repo();
    await r.saveSettings(settings('U1'), CREATED, SLOT);
    await r.saveSettings(settings('U2'), CREATED, minutes(60));
    await r.claim([decision('U1'), decision('U2')], [], lease('app:a', minutes(10)), SLOT, SLOT);
    const { users, ledger } = await r.dueBatch(SLOT, '2027-W01', 500);
    expect(users.map((u) => [u.userId, u.tz])).toEqual([['U1', null]]);
    expect(ledger.map((l) => [l.userId, l.weekKey, l.state])).toEqual([['U1', '2027-W01', 'claimed']]);
    expect((await r.dueBatch(SLOT, '2027-W02', 500)).ledger).toEqual([]);
  });

  it('an imported schedule that is on is due from its start; one that is off never is', async () => {
    const r = await repo();
    const rows = (enabled: boolean) => ({
      nudgeSettings: {
        enabled,
        day: 5,
        minuteOfDay: 960,
        pausedThrough: null,
        skipWeek: null,
        effectiveFrom: CREATED.toISOString(),
      },
      dmChannel: null,
      ledger: [],
      history: [],
    });
    await r.importRows({ teamId: T, userId: 'U1' }, rows(true), CREATED.toISOString());
    await r.importRows({ teamId: T, userId: 'U2' }, rows(false), CREATED.toISOString());
    expect(await dueIds(r, CREATED)).toEqual(['U1']);
  });

  it('a settings change without an instant, and a changed zone, make the person due from the start of the schedule', async () => {
    const r = await repo();
    await r.saveSettings(settings('U1'), CREATED);
    expect(await dueIds(r, CREATED)).toEqual(['U1']);
    await r.saveSettings(settings('U1'), CREATED, minutes(60));
    expect(await dueIds(r, SLOT)).toEqual([]);
    await r.invalidateNextDue({ teamId: T, userId: 'U1' }, SLOT);
    expect(await dueIds(r, SLOT)).toEqual(['U1']);
    await r.switchOff({ teamId: T, userId: 'U1' }, 'account-gone', SLOT);
    expect(await dueIds(r, minutes(10_000))).toEqual([]);
    await r.invalidateNextDue({ teamId: T, userId: 'U1' }, SLOT);
    expect(await dueIds(r, minutes(10_000))).toEqual([]);
  });

  it('the claim moves each person read to their next due instant, unless their settings changed since the read', async () => {
    const r = await repo();
    await r.saveSettings(settings('U1'), CREATED, SLOT);
    await r.saveSettings(settings('U2'), CREATED, SLOT);
    const { users } = await r.dueBatch(SLOT, '2026-W52', 500);
    // U2 changes their schedule between the tick's read and its claim.
    await r.saveSettings({ ...settings('U2'), minuteOfDay: 17 * 60 }, minutes(0.5), minutes(60));
    const nextWeek = new Date(SLOT.getTime() + 7 * 86_400_000);
    const advance = users.map((u) => ({
      teamId: u.teamId,
      userId: u.userId,
      nextDueAt: nextWeek,
      dueMark: u.dueMark,
    }));
    await r.claim([decision('U1')], [], lease('app:a', minutes(10)), SLOT, SLOT, advance);
    expect(await dueIds(r, minutes(59))).toEqual([]);
    expect(await dueIds(r, minutes(60))).toEqual(['U2']);
    expect(await dueIds(r, nextWeek)).toEqual(['U2', 'U1']);
  });

  it('open rows: failed ones once their backoff is over, lapsed claims, inside the late window; sending ones apart', async () => {
    const r = await repo();
    const claimed = (
      await r.claim(['U1', 'U2', 'U3', 'U4'].map(decision), [], lease('app:a', minutes(10)), SLOT, SLOT)
    ).claimed;
    const [u1, u2, u3] = claimed;
    if (!u1 || !u2 || !u3) throw new Error('not claimed');
    await r.markFailed(u1, 'http_500', minutes(2), SLOT);
    await r.markSending(u2, 'p1', 'D2', SLOT);
    await r.releaseClaims('nobody', SLOT);
    const open = async (at: Date, windowHours = 24) => {
      const rows = await r.openRowsAt(at, '2026-W52', 500, {
        retryFrom: new Date(at.getTime() - windowHours * 3_600_000),
        unconfirmedFrom: new Date(0),
      });
      return {
        retry: rows.retry.map((l) => [l.userId, l.state]),
        unconfirmed: rows.unconfirmed.map((l) => l.userId),
      };
    };
    expect(await open(minutes(1))).toEqual({ retry: [], unconfirmed: [] });
    expect(await open(minutes(2))).toEqual({ retry: [['U1', 'failed']], unconfirmed: [] });
    expect(await open(minutes(10))).toEqual({
      retry: [
        ['U1', 'failed'],
        ['U3', 'claimed'],
        ['U4', 'claimed'],
      ],
      unconfirmed: ['U2'],
    });
    // Past the late window nothing is taken over; the unconfirmed row is still reported.
    expect(await open(minutes(24 * 60))).toEqual({ retry: [], unconfirmed: ['U2'] });
    // A released claim (no lease) is open at once.
    await r.releaseClaims('app:a', minutes(1));
    expect((await open(minutes(1))).retry).toEqual([
      ['U3', 'claimed'],
      ['U4', 'claimed'],
    ]);
  });
});
