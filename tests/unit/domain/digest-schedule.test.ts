/**
 * When the monthly digest is due: the first Monday of the month at the weekly nudge time in the
 * person's zone, across DST changes and zones far from UTC; once per month; too late after the
 * window; retries of failed and abandoned claims only.
 */
import { describe, expect, it } from 'vitest';
import {
  buildDigestRunReport,
  type DigestUser,
  digestSlot,
  digestsPossibleAt,
  dueDigests,
  monthRange,
  nextDigestSlot,
  retryableDigests,
  shiftMonthKey,
} from '../../../src/domain/digest-schedule.ts';
import type { ReportRow } from '../../../src/domain/nudge-report.ts';
import type { LedgerRow } from '../../../src/domain/nudge-schedule.ts';

const SINCE = new Date('2026-01-01T00:00:00Z');

function user(userId: string, tz: string | null, more: Partial<DigestUser> = {}): DigestUser {
  return { teamId: 'T1', userId, enabled: true, tz, minuteOfDay: 16 * 60, effectiveFrom: SINCE, ...more };
}

function row(userId: string, month: string, slotAt: string, more: Partial<LedgerRow> = {}): ReportRow {
  return {
    teamId: 'T1',
    userId,
    weekKey: month,
    slotAt: new Date(slotAt),
    state: 'sent',
    attempts: 0,
    nextAttemptAt: null,
    leaseOwner: null,
    leaseExpiresAt: null,
    reason: null,
    ...more,
  };
}

const iso = (d: Date) => d.toISOString();

describe('digestSlot: the first Monday of the month, at the weekly time, in the zone', () => {
  it.each([
    ['2027-01', 'America/New_York', '2027-01-04T21:00:00.000Z', '2027-01-04T16:00'], // 1 Jan is a Friday
    ['2027-02', 'America/New_York', '2027-02-01T21:00:00.000Z', '2027-02-01T16:00'], // 1 Feb is a Monday
    ['2026-11', 'America/New_York', '2026-11-02T21:00:00.000Z', '2026-11-02T16:00'], // the day after DST ends
    ['2026-10', 'America/New_York', '2026-10-05T20:00:00.000Z', '2026-10-05T16:00'], // still daylight time
    ['2027-03', 'Europe/London', '2027-03-01T16:00:00.000Z', '2027-03-01T16:00'],
    ['2027-04', 'Europe/London', '2027-04-05T15:00:00.000Z', '2027-04-05T16:00'], // summer time
    ['2027-03', 'Australia/Sydney', '2027-03-01T05:00:00.000Z', '2027-03-01T16:00'], // daylight time, +11
    ['2027-04', 'Australia/Sydney', '2027-04-05T06:00:00.000Z', '2027-04-05T16:00'], // the day after it ends
    ['2027-01', 'Asia/Kolkata', '2027-01-04T10:30:00.000Z', '2027-01-04T16:00'], // a half-hour offset
    ['2027-01', null, '2027-01-04T16:00:00.000Z', '2027-01-04T16:00'], // no zone: UTC
  ])('%s in %s', (month, tz, at, local) => {
    const slot = digestSlot(month, 16 * 60, tz);
    expect(iso(slot.at)).toBe(at);
    expect(slot.local).toBe(local);
  });

  it('every month of two years, in zones with DST both ways: a Monday in the first week, at the time asked', () => {
    for (let m = 0; m < 24; m++) {
      const month = shiftMonthKey('2026-01', m);
      for (const tz of ['America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'America/Santiago']) {
        const { at, local } = digestSlot(month, 9 * 60 + 15, tz);
        expect(local).toMatch(new RegExp(`^${month}-0[1-7]T09:15$`));
        const weekday = new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'long' }).format(at);
        expect(weekday).toBe('Monday');
      }
    }
  });

  it('months: shift across years, and their first and last dates', () => {
    expect(shiftMonthKey('2026-12', 1)).toBe('2027-01');
    expect(shiftMonthKey('2027-01', -1)).toBe('2026-12');
    expect(shiftMonthKey('2027-03', -14)).toBe('2026-01');
    expect(monthRange('2028-02')).toEqual({ startDate: '2028-02-01', endDate: '2028-02-29' });
    expect(monthRange('2026-12')).toEqual({ startDate: '2026-12-01', endDate: '2026-12-31' });
  });

  it('nextDigestSlot: this month’s while it is ahead, else next month’s', () => {
    const u = { tz: 'America/New_York', minuteOfDay: 16 * 60 };
    expect(nextDigestSlot(u, new Date('2027-01-04T20:59:00Z')).local).toBe('2027-01-04T16:00');
    expect(nextDigestSlot(u, new Date('2027-01-04T21:00:00Z')).local).toBe('2027-02-01T16:00');
    expect(nextDigestSlot(u, new Date('2027-01-04T21:00:00Z')).monthKey).toBe('2027-02');
  });
});

describe('dueDigests', () => {
  const at = (s: string) => ({ now: new Date(s), lateWindowHours: 24 });

  it('is due from the slot on, not before; once per month', () => {
    const alice = user('alice', 'America/New_York');
    expect(dueDigests({ users: [alice], ledger: [], ...at('2027-01-04T20:59:59Z') })).toEqual([]);
    const [due] = dueDigests({ users: [alice], ledger: [], ...at('2027-01-04T21:05:00Z') });
    expect(due).toMatchObject({ monthKey: '2027-01', action: 'send', localSlot: '2027-01-04T16:00' });
    const sent = [row('alice', '2027-01', '2027-01-04T21:00:00Z')];
    expect(dueDigests({ users: [alice], ledger: sent, ...at('2027-01-04T21:30:00Z') })).toEqual([]);
    expect(dueDigests({ users: [alice], ledger: sent, ...at('2027-01-20T12:00:00Z') })).toEqual([]);
  });

  it('takes the month in the person’s zone, not UTC’s', () => {
    // 10:30Z on 31 January is 00:30 on Monday 1 February at +14.
    const kiri = user('kiri', 'Pacific/Kiritimati', { minuteOfDay: 30 });
    const [due] = dueDigests({ users: [kiri], ledger: [], ...at('2027-01-31T10:31:00Z') });
    expect(due).toMatchObject({ monthKey: '2027-02', localSlot: '2027-02-01T00:30', action: 'send' });
    // 05:00Z on 1 March is still 28 February in Honolulu: February's digest is long past (too late).
    const hono = user('hono', 'Pacific/Honolulu');
    const [late] = dueDigests({ users: [hono], ledger: [], ...at('2027-03-01T05:00:00Z') });
    expect(late).toMatchObject({ monthKey: '2027-02', action: 'skip', reason: 'too-late' });
  });

  it('past the late window: skipped as too late, never sent', () => {
    const carol = user('carol', null);
    const [late] = dueDigests({ users: [carol], ledger: [], ...at('2027-01-05T16:00:00Z') });
    expect(late).toMatchObject({ action: 'skip', reason: 'too-late' });
    const [inTime] = dueDigests({ users: [carol], ledger: [], ...at('2027-01-05T15:59:00Z') });
    expect(inTime).toMatchObject({ action: 'send' });
  });

  it('nothing for a month whose slot came before the person switched it on, nor for anyone off', () => {
    const late = user('late', null, { effectiveFrom: new Date('2027-01-04T17:00:00Z') });
    const off = user('off', null, { enabled: false });
    expect(dueDigests({ users: [late, off], ledger: [], ...at('2027-01-04T18:00:00Z') })).toEqual([]);
    const [next] = dueDigests({ users: [late], ledger: [], ...at('2027-02-01T16:01:00Z') });
    expect(next).toMatchObject({ monthKey: '2027-02', action: 'send' });
  });

  it('uses each person’s weekly time', () => {
    const early = user('early', 'Europe/London', { minuteOfDay: 9 * 60 + 30 });
    const [due] = dueDigests({ users: [early], ledger: [], ...at('2027-01-04T09:30:00Z') });
    expect(due?.localSlot).toBe('2027-01-04T09:30');
  });
});

describe('retryableDigests', () => {
  const now = new Date('2027-01-04T22:00:00Z');
  const users = [user('alice', 'America/New_York'), user('bob', 'America/New_York', { enabled: false })];

  it('failed rows after their backoff and abandoned claims, inside the window, of people still opted in', () => {
    const ledger = [
      row('alice', '2027-01', '2027-01-04T21:00:00Z', {
        state: 'failed',
        nextAttemptAt: new Date('2027-01-04T21:59:00Z'),
      }),
      row('bob', '2027-01', '2027-01-04T21:00:00Z', { state: 'failed', nextAttemptAt: null }),
    ];
    expect(retryableDigests(ledger, now, { lateWindowHours: 24, users }).map((r) => r.userId)).toEqual([
      'alice',
    ]);
  });

  it('never a row in sending (the post may have gone out), nor one past the window', () => {
    const ledger = [
      row('alice', '2027-01', '2027-01-04T21:00:00Z', { state: 'sending' }),
      row('alice', '2026-12', '2026-12-07T21:00:00Z', { state: 'failed' }),
    ];
    expect(retryableDigests(ledger, now, { lateWindowHours: 24, users })).toEqual([]);
  });
});

describe('buildDigestRunReport', () => {
  it('one line per person whose slot this month has come, naming the kind', () => {
    const users = [user('alice', 'America/New_York'), user('bob', 'Asia/Tokyo'), user('carol', null)];
    const lines = buildDigestRunReport({
      users,
      ledger: [row('bob', '2027-01', '2027-01-04T07:00:00Z')],
      decisions: dueDigests({
        users,
        ledger: [],
        now: new Date('2027-01-04T16:30:00Z'),
        lateWindowHours: 24,
      }),
      at: new Date('2027-01-04T16:30:00Z'),
    });
    expect(lines.map((l) => [l.userId, l.status, l.localSlot, l.kind])).toEqual([
      ['bob', 'sent', '2027-01-04T16:00', 'digest'],
      ['carol', 'due', '2027-01-04T16:00', 'digest'],
    ]);
  });
});

describe('digestsPossibleAt: the days of the month the tick looks for digests', () => {
  it('from the UTC 28th to the 8th plus the late window; never in between', () => {
    expect(digestsPossibleAt(new Date('2027-01-31T11:00:00Z'), 24)).toBe(true); // 1 Feb at +14
    expect(digestsPossibleAt(new Date('2027-02-01T05:00:00Z'), 24)).toBe(true);
    expect(digestsPossibleAt(new Date('2027-03-08T09:00:00Z'), 24)).toBe(true); // Monday 7 March at -12, late
    expect(digestsPossibleAt(new Date('2027-03-09T23:59:00Z'), 24)).toBe(true);
    expect(digestsPossibleAt(new Date('2027-03-10T00:00:00Z'), 24)).toBe(false);
    expect(digestsPossibleAt(new Date('2027-03-20T12:00:00Z'), 24)).toBe(false);
    expect(digestsPossibleAt(new Date('2027-03-12T12:00:00Z'), 96)).toBe(true);
  });

  it('agrees with dueDigests: whenever a digest is to be sent somewhere, the tick looks', () => {
    const zones = ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Tokyo', 'America/New_York', null];
    const users = zones.map((tz, i) => user(`u${i}`, tz, { minuteOfDay: i * 300 }));
    for (let h = 0; h < 24 * 366; h += 5) {
      const now = new Date(Date.UTC(2026, 0, 1) + h * 3_600_000);
      // Too-late skips are only bookkeeping: any later run writes them.
      const sends = dueDigests({ users, ledger: [], now, lateWindowHours: 24 }).filter(
        (d) => d.action === 'send',
      );
      if (sends.length > 0) {
        expect(digestsPossibleAt(now, 24), now.toISOString()).toBe(true);
      }
    }
  });
});
