import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_NUDGE_DAY,
  DEFAULT_NUDGE_MINUTE_OF_DAY,
  defaultNudgeSettings,
  dueNudges,
  type LedgerRow,
  type NudgeDecision,
  type NudgeSettings,
  nextAttemptAfterFailure,
  retryableRows,
  retryBackoffMs,
  slotInWeek,
  weekKeyAt,
} from '../../../src/domain/nudge-schedule.ts';
import { isoWeekKeyOf, shiftWeekKey } from '../../../src/domain/zoned-time.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Wall clock of an instant, computed independently of the code under test (Intl, h23). */
const formatters = new Map<string, Intl.DateTimeFormat>();
function wall(instant: Date, tz: string): string {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

const at = (iso: string): Date => new Date(iso);

function user(overrides: Partial<NudgeSettings> = {}): NudgeSettings {
  return {
    ...defaultNudgeSettings({ teamId: 'T1', userId: 'U1' }, at('2020-01-01T00:00:00Z')),
    ...overrides,
  };
}

function row(overrides: Partial<LedgerRow> & Pick<LedgerRow, 'weekKey' | 'slotAt' | 'state'>): LedgerRow {
  return {
    teamId: 'T1',
    userId: 'U1',
    attempts: 0,
    nextAttemptAt: null,
    leaseOwner: null,
    leaseExpiresAt: null,
    ...overrides,
  };
}

describe('defaults', () => {
  it('is Friday 16:00, days numbered 0 = Sunday', () => {
    expect(DEFAULT_NUDGE_DAY).toBe(5);
    expect(DEFAULT_NUDGE_MINUTE_OF_DAY).toBe(960);
    const s = defaultNudgeSettings({ teamId: 'T', userId: 'U' }, at('2026-01-01T00:00:00Z'));
    expect(s).toMatchObject({
      enabled: true,
      day: 5,
      minuteOfDay: 960,
      tz: null,
      pausedThrough: null,
      skipWeek: null,
    });
  });
});

describe('slotInWeek: DST and week numbering (expected instants computed by hand)', () => {
  const cases: Array<{
    name: string;
    tz: string;
    day: number;
    time: string;
    week: string;
    utc: string;
    local: string;
  }> = [
    {
      name: 'New York 02:30 on 2026-03-08 does not exist → 03:00 EDT',
      tz: 'America/New_York',
      day: 0,
      time: '02:30',
      week: '2026-W10',
      utc: '2026-03-08T07:00:00.000Z',
      local: '2026-03-08T03:00',
    },
    {
      name: 'New York 02:30 on 2027-03-14 does not exist → 03:00 EDT',
      tz: 'America/New_York',
      day: 0,
      time: '02:30',
      week: '2027-W10',
      utc: '2027-03-14T07:00:00.000Z',
      local: '2027-03-14T03:00',
    },
    {
      name: 'New York 01:30 on 2026-11-01 occurs twice → first, EDT',
      tz: 'America/New_York',
      day: 0,
      time: '01:30',
      week: '2026-W44',
      utc: '2026-11-01T05:30:00.000Z',
      local: '2026-11-01T01:30',
    },
    {
      name: 'New York 01:30 on 2027-11-07 occurs twice → first, EDT',
      tz: 'America/New_York',
      day: 0,
      time: '01:30',
      week: '2027-W44',
      utc: '2027-11-07T05:30:00.000Z',
      local: '2027-11-07T01:30',
    },
    {
      name: 'London 01:30 on 2026-03-29 does not exist → 02:00 BST',
      tz: 'Europe/London',
      day: 0,
      time: '01:30',
      week: '2026-W13',
      utc: '2026-03-29T01:00:00.000Z',
      local: '2026-03-29T02:00',
    },
    {
      name: 'London 01:30 on 2026-10-25 occurs twice → first, BST',
      tz: 'Europe/London',
      day: 0,
      time: '01:30',
      week: '2026-W43',
      utc: '2026-10-25T00:30:00.000Z',
      local: '2026-10-25T01:30',
    },
    {
      name: 'Lord Howe 02:15 on 2026-10-04 does not exist (+10:30 → +11 at 02:00) → 02:30',
      tz: 'Australia/Lord_Howe',
      day: 0,
      time: '02:15',
      week: '2026-W40',
      utc: '2026-10-03T15:30:00.000Z',
      local: '2026-10-04T02:30',
    },
    {
      name: 'Lord Howe 01:45 on 2026-04-05 occurs twice (+11 → +10:30 at 02:00) → first, +11',
      tz: 'Australia/Lord_Howe',
      day: 0,
      time: '01:45',
      week: '2026-W14',
      utc: '2026-04-04T14:45:00.000Z',
      local: '2026-04-05T01:45',
    },
    {
      name: 'Friday 2027-01-01 is in ISO week 2026-W53 (UTC)',
      tz: 'UTC',
      day: 5,
      time: '16:00',
      week: '2026-W53',
      utc: '2027-01-01T16:00:00.000Z',
      local: '2027-01-01T16:00',
    },
    {
      name: 'Friday 2027-01-01 16:00 in New York (EST) is 21:00Z',
      tz: 'America/New_York',
      day: 5,
      time: '16:00',
      week: '2026-W53',
      utc: '2027-01-01T21:00:00.000Z',
      local: '2027-01-01T16:00',
    },
    {
      name: 'Friday 16:00 in Tokyo (+9, no DST) is 07:00Z',
      tz: 'Asia/Tokyo',
      day: 5,
      time: '16:00',
      week: '2026-W24',
      utc: '2026-06-12T07:00:00.000Z',
      local: '2026-06-12T16:00',
    },
    {
      name: 'Kolkata (+5:30) Monday 09:00',
      tz: 'Asia/Kolkata',
      day: 1,
      time: '09:00',
      week: '2026-W02',
      utc: '2026-01-05T03:30:00.000Z',
      local: '2026-01-05T09:00',
    },
    {
      name: 'Chatham (+13:45 in January) Monday 08:00 is Sunday 18:15Z',
      tz: 'Pacific/Chatham',
      day: 1,
      time: '08:00',
      week: '2026-W02',
      utc: '2026-01-04T18:15:00.000Z',
      local: '2026-01-05T08:00',
    },
  ];

  it.each(cases)('$name', ({ tz, day, time, week, utc, local }) => {
    const [h, m] = time.split(':').map(Number);
    const slot = slotInWeek({ day, minuteOfDay: (h ?? 0) * 60 + (m ?? 0), tz }, week);
    expect(slot.toISOString()).toBe(utc);
    expect(wall(slot, tz)).toBe(local);
    expect(isoWeekKeyOf(local.slice(0, 10))).toBe(week);
  });

  it('uses UTC when the zone is null or unknown', () => {
    expect(slotInWeek({ day: 5, minuteOfDay: 960, tz: null }, '2026-W53').toISOString()).toBe(
      '2027-01-01T16:00:00.000Z',
    );
    expect(slotInWeek({ day: 5, minuteOfDay: 960, tz: 'Mars/Olympus' }, '2026-W53').toISOString()).toBe(
      '2027-01-01T16:00:00.000Z',
    );
  });

  it('numbers ISO weeks across year ends', () => {
    expect(isoWeekKeyOf('2027-01-01')).toBe('2026-W53');
    expect(isoWeekKeyOf('2027-01-03')).toBe('2026-W53');
    expect(isoWeekKeyOf('2027-01-04')).toBe('2027-W01');
    expect(isoWeekKeyOf('2025-12-29')).toBe('2026-W01');
    expect(isoWeekKeyOf('2024-12-30')).toBe('2025-W01');
    expect(shiftWeekKey('2026-W53', 1)).toBe('2027-W01');
    expect(shiftWeekKey('2027-W01', -1)).toBe('2026-W53');
    expect(() => slotInWeek({ day: 5, minuteOfDay: 960, tz: null }, '2027-W53')).toThrow(RangeError);
    expect(weekKeyAt(at('2027-01-03T15:30:00Z'), 'Asia/Tokyo')).toBe('2027-W01'); // Mon 4 Jan 00:30 in Tokyo
    expect(weekKeyAt(at('2027-01-03T15:30:00Z'), 'UTC')).toBe('2026-W53');
    expect(weekKeyAt(at('2027-01-04T02:00:00Z'), 'America/New_York')).toBe('2026-W53'); // still Sunday there
  });
});

describe('dueNudges', () => {
  const window = 24;
  const ny = user({ tz: 'America/New_York' }); // Friday 16:00
  const slot = at('2026-06-12T20:00:00Z'); // Fri 2026-06-12 16:00 EDT, week 2026-W24

  const due = (users: NudgeSettings[], now: string, ledger: LedgerRow[] = []): NudgeDecision[] =>
    dueNudges({ users, ledger, now: at(now), lateWindowHours: window });

  it('is not due before the slot, due at it, and until the window closes', () => {
    expect(due([ny], '2026-06-12T19:59:59Z')).toEqual([]);
    expect(due([ny], '2026-06-12T20:00:00Z')).toEqual([
      {
        teamId: 'T1',
        userId: 'U1',
        weekKey: '2026-W24',
        slotAt: slot,
        localSlot: '2026-06-12T16:00',
        action: 'send',
      },
    ]);
    expect(due([ny], '2026-06-13T19:59:00Z')[0]?.action).toBe('send');
  });

  it('skips the week as too-late once the window has passed (downtime)', () => {
    expect(due([ny], '2026-06-13T20:00:00Z')).toEqual([
      expect.objectContaining({ weekKey: '2026-W24', action: 'skip', reason: 'too-late' }),
    ]);
    expect(due([ny], '2026-06-14T23:00:00Z')[0]).toMatchObject({ action: 'skip', reason: 'too-late' });
  });

  it('ignores users who are off, and slots before they opted in', () => {
    expect(due([{ ...ny, enabled: false }], '2026-06-12T20:05:00Z')).toEqual([]);
    expect(due([{ ...ny, createdAt: at('2026-06-12T20:01:00Z') }], '2026-06-12T20:05:00Z')).toEqual([]);
    expect(due([{ ...ny, createdAt: slot }], '2026-06-12T20:05:00Z')).toHaveLength(1);
  });

  it.each(['claimed', 'sending', 'sent', 'failed', 'skipped'] as const)(
    'excludes a week that already has a %s ledger row',
    (state) => {
      expect(due([ny], '2026-06-12T20:05:00Z', [row({ weekKey: '2026-W24', slotAt: slot, state })])).toEqual(
        [],
      );
    },
  );

  it('does not confuse another user or another week in the ledger', () => {
    const ledger = [
      row({ userId: 'U2', weekKey: '2026-W24', slotAt: slot, state: 'sent' }),
      row({ weekKey: '2026-W23', slotAt: at('2026-06-05T20:00:00Z'), state: 'sent' }),
    ];
    expect(due([ny], '2026-06-12T20:05:00Z', ledger)).toHaveLength(1);
  });

  it('honours a pause through the slot date (inclusive, local) and a skipped week', () => {
    expect(due([{ ...ny, pausedThrough: '2026-06-12' }], '2026-06-12T20:05:00Z')[0]).toMatchObject({
      action: 'skip',
      reason: 'paused',
    });
    expect(due([{ ...ny, pausedThrough: '2026-06-11' }], '2026-06-12T20:05:00Z')[0]?.action).toBe('send');
    expect(due([{ ...ny, skipWeek: '2026-W24' }], '2026-06-12T20:05:00Z')[0]).toMatchObject({
      action: 'skip',
      reason: 'skipped-by-user',
    });
    expect(due([{ ...ny, skipWeek: '2026-W25' }], '2026-06-12T20:05:00Z')[0]?.action).toBe('send');
  });

  it('compares the pause with the slot date in the user zone, not in UTC', () => {
    // Friday 22:00 in New York is already Saturday in UTC.
    const late = { ...ny, minuteOfDay: 22 * 60, pausedThrough: '2026-06-12' };
    expect(due([late], '2026-06-13T02:10:00Z')[0]).toMatchObject({
      localSlot: '2026-06-12T22:00',
      reason: 'paused',
    });
  });

  it('sends a slot missed just before the week changed (window crossing the week boundary)', () => {
    const sunday = { ...ny, day: 0, minuteOfDay: 23 * 60 }; // Sun 2026-06-14 23:00 EDT = Mon 03:00Z
    expect(due([sunday], '2026-06-15T05:00:00Z')).toEqual([
      expect.objectContaining({ weekKey: '2026-W24', localSlot: '2026-06-14T23:00', action: 'send' }),
    ]);
    // Past the window, the previous week yields nothing and this week's slot is still ahead.
    expect(due([sunday], '2026-06-16T04:00:00Z')).toEqual([]);
  });

  it('uses each user zone: New York and Tokyo at their own 16:00', () => {
    const tokyo = user({ userId: 'U2', tz: 'Asia/Tokyo' });
    expect(due([ny, tokyo], '2026-06-12T07:00:00Z').map((d) => [d.userId, d.localSlot])).toEqual([
      ['U2', '2026-06-12T16:00'],
    ]);
    expect(due([ny, tokyo], '2026-06-12T20:00:00Z').map((d) => [d.userId, d.localSlot])).toEqual([
      ['U1', '2026-06-12T16:00'],
      ['U2', '2026-06-12T16:00'],
    ]);
  });

  it('falls back to UTC for a user without a zone', () => {
    expect(due([user()], '2026-06-12T16:00:00Z')[0]).toMatchObject({ localSlot: '2026-06-12T16:00' });
  });

  it('keys Friday 2027-01-01 as week 2026-W53', () => {
    expect(due([user()], '2027-01-01T16:00:00Z')[0]).toMatchObject({ weekKey: '2026-W53', action: 'send' });
    expect(due([ny], '2027-01-01T21:00:00Z')[0]).toMatchObject({
      weekKey: '2026-W53',
      localSlot: '2027-01-01T16:00',
    });
  });

  it.each([
    ['America/New_York', 0, 150, '2026-03-08T06:59:00Z', '2026-03-08T07:00:00Z', '2026-W10'],
    ['America/New_York', 0, 150, '2027-03-14T06:59:00Z', '2027-03-14T07:00:00Z', '2027-W10'],
    ['America/New_York', 0, 90, '2026-11-01T05:29:00Z', '2026-11-01T05:30:00Z', '2026-W44'],
    ['America/New_York', 0, 90, '2027-11-07T05:29:00Z', '2027-11-07T05:30:00Z', '2027-W44'],
    ['Europe/London', 0, 90, '2026-03-29T00:59:00Z', '2026-03-29T01:00:00Z', '2026-W13'],
    ['Europe/London', 0, 90, '2026-10-25T00:29:00Z', '2026-10-25T00:30:00Z', '2026-W43'],
    ['Australia/Lord_Howe', 0, 135, '2026-10-03T15:29:00Z', '2026-10-03T15:30:00Z', '2026-W40'],
    ['Australia/Lord_Howe', 0, 105, '2026-04-04T14:44:00Z', '2026-04-04T14:45:00Z', '2026-W14'],
    ['UTC', 5, 960, '2027-01-01T15:59:00Z', '2027-01-01T16:00:00Z', '2026-W53'],
  ] as const)(
    'transition day %s day %i minute %i: not due at %s, due at %s (%s), once',
    (tz, day, minute, before, on, week) => {
      const u = user({ tz, day, minuteOfDay: minute });
      expect(due([u], before)).toEqual([]);
      const [decision] = due([u], on);
      expect(decision).toMatchObject({ weekKey: week, action: 'send' });
      expect(decision?.slotAt.toISOString()).toBe(at(on).toISOString());
      // After an hour (the second occurrence of a repeated time included) it is still one decision,
      // and none once the ledger has it.
      const later = new Date(at(on).getTime() + HOUR).toISOString();
      expect(due([u], later)).toHaveLength(1);
      expect(
        due([u], later, [row({ weekKey: week, slotAt: decision?.slotAt ?? at(on), state: 'sent' })]),
      ).toEqual([]);
    },
  );
});

describe('retries', () => {
  const slotAt = at('2026-06-12T20:00:00Z');
  const opts = { lateWindowHours: 24 };

  it('backs off 1, 2, 4 … minutes, capped at an hour, from the tick instant', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => retryBackoffMs(n) / MIN)).toEqual([
      1, 2, 4, 8, 16, 32, 60, 60, 60,
    ]);
    expect(nextAttemptAfterFailure(3, at('2026-06-12T20:00:00Z')).toISOString()).toBe(
      '2026-06-12T20:04:00.000Z',
    );
  });

  it('retries a failed row once its backoff has elapsed, within the window only', () => {
    const failed = row({
      weekKey: '2026-W24',
      slotAt,
      state: 'failed',
      attempts: 1,
      nextAttemptAt: at('2026-06-12T20:01:00Z'),
    });
    expect(retryableRows([failed], at('2026-06-12T20:00:30Z'), opts)).toEqual([]);
    expect(retryableRows([failed], at('2026-06-12T20:01:00Z'), opts)).toEqual([
      { row: failed, reason: 'failed' },
    ]);
    expect(retryableRows([failed], at('2026-06-13T19:59:00Z'), opts)).toHaveLength(1);
    expect(retryableRows([failed], at('2026-06-13T20:00:00Z'), opts)).toEqual([]);
    expect(
      retryableRows([{ ...failed, nextAttemptAt: null }], at('2026-06-12T20:00:10Z'), opts),
    ).toHaveLength(1);
    expect(retryableRows([failed], at('2026-06-12T21:00:00Z'), { ...opts, maxAttempts: 1 })).toEqual([]);
  });

  it('retakes a claim whose lease expired, never a row in sending', () => {
    const claimed = row({
      weekKey: '2026-W24',
      slotAt,
      state: 'claimed',
      leaseOwner: 'p1',
      leaseExpiresAt: at('2026-06-12T20:05:00Z'),
    });
    expect(retryableRows([claimed], at('2026-06-12T20:04:00Z'), opts)).toEqual([]);
    expect(retryableRows([claimed], at('2026-06-12T20:05:00Z'), opts)).toEqual([
      { row: claimed, reason: 'lease-expired' },
    ]);
    for (const state of ['sending', 'sent', 'skipped'] as const) {
      expect(retryableRows([{ ...claimed, state }], at('2026-06-12T21:00:00Z'), opts)).toEqual([]);
    }
  });

  it('with current settings, does not retry users who turned nudges off, paused or skipped', () => {
    const failed = row({ weekKey: '2026-W24', slotAt, state: 'failed', attempts: 1 });
    const now = at('2026-06-12T21:00:00Z');
    const u = user({ tz: 'America/New_York' });
    expect(retryableRows([failed], now, { ...opts, users: [u] })).toHaveLength(1);
    expect(retryableRows([failed], now, { ...opts, users: [{ ...u, enabled: false }] })).toEqual([]);
    expect(retryableRows([failed], now, { ...opts, users: [{ ...u, pausedThrough: '2026-06-12' }] })).toEqual(
      [],
    );
    expect(retryableRows([failed], now, { ...opts, users: [{ ...u, skipWeek: '2026-W24' }] })).toEqual([]);
    expect(retryableRows([failed], now, { ...opts, users: [] })).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const ZONES = [
  'America/New_York',
  'Europe/London',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Asia/Tokyo',
  'UTC',
  'America/Santiago',
  'America/St_Johns',
  'Asia/Kathmandu',
  'Africa/Casablanca',
  'Pacific/Kiritimati',
] as const;

/** Sundays (and neighbours) of DST changes, where mistakes show. */
const INTERESTING_WEEKS = [
  '2026-W10',
  '2026-W13',
  '2026-W14',
  '2026-W40',
  '2026-W43',
  '2026-W44',
  '2026-W53',
  '2027-W01',
  '2027-W10',
  '2027-W36',
  '2027-W44',
];

const weekArb = fc.oneof(
  fc.constantFrom(...INTERESTING_WEEKS),
  fc.integer({ min: 0, max: 150 }).map((n) => shiftWeekKey('2026-W01', n)),
);
// Minutes biased towards the small hours, where transitions happen.
const minuteArb = fc.oneof(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 240 }));

describe('property: a wall time resolves to its first valid instant', () => {
  it('local(result) ≥ wanted, and no earlier instant nearby shows the wanted time or later', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        weekArb,
        fc.integer({ min: 0, max: 6 }),
        minuteArb,
        (tz, week, day, minute) => {
          const slot = slotInWeek({ day, minuteOfDay: minute, tz }, week);
          const wantedDate = isoDate(week, day);
          const wanted = `${wantedDate}T${hhmm(minute)}`;
          expect(wall(slot, tz) >= wanted).toBe(true);
          expect(wall(slot, tz).slice(0, 10)).toBe(wantedDate);
          for (let k = 1; k <= 16; k++) {
            expect(wall(new Date(slot.getTime() - k * 15 * MIN), tz) < wanted).toBe(true);
          }
          expect(wall(new Date(slot.getTime() - MIN), tz) < wanted).toBe(true);
          // Only a skipped wall time moves, and then by less than the skipped amount (≤ 1 h).
          expect(toMinutes(wall(slot, tz)) - toMinutes(wanted)).toBeLessThanOrEqual(60);
        },
      ),
      { numRuns: 400 },
    );
  });
});

function hhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}
function toMinutes(localIso: string): number {
  return Date.parse(`${localIso}:00Z`) / MIN;
}
/** The date of `day` (0 = Sunday) in an ISO week, from the week's Thursday (independent of the code). */
function isoDate(week: string, day: number): string {
  const [y, w] = [Number(week.slice(0, 4)), Number(week.slice(6))];
  const jan4 = Date.UTC(y, 0, 4);
  const jan4Dow = new Date(jan4).getUTCDay() || 7;
  const monday = jan4 - (jan4Dow - 1) * 86_400_000 + (w - 1) * 7 * 86_400_000;
  return new Date(monday + ((day + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
}

/** Small deterministic PRNG for the simulation's failures and crashes. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface SimUser {
  tz: string;
  day: number;
  minute: number;
  pauseWeeksAhead: number | null;
  skipWeeksAhead: number | null;
  createdDaysBefore: number;
  enabled: boolean;
}

const simUserArb: fc.Arbitrary<SimUser> = fc.record({
  tz: fc.constantFrom(...ZONES),
  day: fc.integer({ min: 0, max: 6 }),
  minute: minuteArb,
  pauseWeeksAhead: fc.option(fc.integer({ min: 0, max: 3 }), { freq: 3 }),
  skipWeeksAhead: fc.option(fc.integer({ min: 0, max: 3 }), { freq: 3 }),
  createdDaysBefore: fc.integer({ min: -3, max: 20 }),
  enabled: fc.integer({ min: 0, max: 4 }).map((n) => n > 0), // mostly on
});

interface Delivery {
  key: string;
  at: number;
  slotAt: number;
  maybe: boolean;
}

function simulate(params: {
  users: NudgeSettings[];
  start: number;
  ticks: number;
  tickMinutes: number;
  windowHours: number;
  outages: Array<[number, number]>;
  failRate: number;
  crashRate: number;
  seed: number;
}): {
  deliveries: Delivery[];
  decisions: Array<NudgeDecision & { now: number }>;
  ledger: Map<string, LedgerRow>;
} {
  const random = mulberry32(params.seed);
  const ledger = new Map<string, LedgerRow>();
  const deliveries: Delivery[] = [];
  const decisions: Array<NudgeDecision & { now: number }> = [];
  const keyOf = (r: { teamId: string; userId: string; weekKey: string }) =>
    `${r.teamId}/${r.userId}/${r.weekKey}`;

  const attempt = (r: LedgerRow, now: number) => {
    const roll = random();
    if (roll < params.crashRate / 2) {
      // Process died after the claim, before 'sending': the lease will expire.
      r.state = 'claimed';
      r.leaseExpiresAt = new Date(now + 5 * MIN);
      return;
    }
    r.state = 'sending';
    if (roll < params.crashRate) {
      // Died during the Slack call: it may or may not have gone out; the row stays 'sending'.
      deliveries.push({ key: keyOf(r), at: now, slotAt: r.slotAt.getTime(), maybe: true });
      return;
    }
    if (roll < params.crashRate + params.failRate) {
      r.state = 'failed';
      r.attempts += 1;
      r.nextAttemptAt = nextAttemptAfterFailure(r.attempts, new Date(now));
      return;
    }
    r.state = 'sent';
    deliveries.push({ key: keyOf(r), at: now, slotAt: r.slotAt.getTime(), maybe: false });
  };

  for (let i = 0; i < params.ticks; i++) {
    const now = params.start + i * params.tickMinutes * MIN;
    if (params.outages.some(([from, to]) => now >= from && now < to)) continue;
    const nowDate = new Date(now);
    const rows = [...ledger.values()];
    for (const d of dueNudges({
      users: params.users,
      ledger: rows,
      now: nowDate,
      lateWindowHours: params.windowHours,
    })) {
      decisions.push({ ...d, now });
      const key = keyOf(d);
      expect(ledger.has(key)).toBe(false);
      const r: LedgerRow = {
        teamId: d.teamId,
        userId: d.userId,
        weekKey: d.weekKey,
        slotAt: d.slotAt,
        state: d.action === 'send' ? 'claimed' : 'skipped',
        attempts: 0,
        nextAttemptAt: null,
        leaseOwner: 'p1',
        leaseExpiresAt: new Date(now + 5 * MIN),
      };
      ledger.set(key, r);
      if (d.action === 'send') attempt(r, now);
    }
    for (const { row: r } of retryableRows([...ledger.values()], nowDate, {
      lateWindowHours: params.windowHours,
      users: params.users,
    })) {
      attempt(r, now);
    }
  }
  return { deliveries, decisions, ledger };
}

function buildUsers(sim: SimUser[], start: number): NudgeSettings[] {
  return sim.map((s, i) => {
    const startWeek = weekKeyAt(new Date(start), s.tz);
    return {
      teamId: 'T1',
      userId: `U${i}`,
      enabled: s.enabled,
      day: s.day,
      minuteOfDay: s.minute,
      tz: s.tz,
      pausedThrough:
        s.pauseWeeksAhead === null
          ? null
          : isoDate(shiftWeekKey(startWeek, s.pauseWeeksAhead), (s.day + 1) % 7),
      skipWeek: s.skipWeeksAhead === null ? null : shiftWeekKey(startWeek, s.skipWeeksAhead),
      createdAt: new Date(start - s.createdDaysBefore * 24 * HOUR),
    };
  });
}

describe('property: simulated ticks over several weeks', () => {
  it('at most one nudge per user per week, never before the slot, never beyond the window', () => {
    fc.assert(
      fc.property(
        fc.array(simUserArb, { minLength: 1, maxLength: 4 }),
        weekArb,
        fc.integer({ min: 0, max: 48 * 60 }),
        fc.constantFrom(1, 7, 30, 60, 180, 600),
        fc.constantFrom(1, 6, 24, 200),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 21 * 24 }), fc.integer({ min: 1, max: 72 })), {
          maxLength: 2,
        }),
        fc.constantFrom(0, 0.3, 0.7),
        fc.constantFrom(0, 0.1),
        fc.integer(),
        (simUsers, week, leadMinutes, tickMinutes, windowHours, outageSpecs, failRate, crashRate, seed) => {
          const first = simUsers[0] as SimUser;
          const start =
            slotInWeek({ day: first.day, minuteOfDay: first.minute, tz: first.tz }, week).getTime() -
            leadMinutes * MIN;
          const users = buildUsers(simUsers, start);
          const ticks = Math.min(Math.ceil((21 * 24 * 60) / tickMinutes), 1500);
          const outages = outageSpecs.map(
            ([h, len]) => [start + h * HOUR, start + (h + len) * HOUR] as [number, number],
          );
          const { deliveries, decisions } = simulate({
            users,
            start,
            ticks,
            tickMinutes,
            windowHours,
            outages,
            failRate,
            crashRate,
            seed,
          });
          const perWeek = new Map<string, number>();
          for (const d of deliveries) {
            perWeek.set(d.key, (perWeek.get(d.key) ?? 0) + 1);
            expect(d.at).toBeGreaterThanOrEqual(d.slotAt);
            expect(d.at - d.slotAt).toBeLessThan(windowHours * HOUR);
          }
          for (const n of perWeek.values()) expect(n).toBeLessThanOrEqual(1);
          for (const d of decisions) {
            const u = users.find((x) => x.userId === d.userId) as NudgeSettings;
            const tz = u.tz ?? 'UTC';
            expect(u.enabled).toBe(true);
            expect(d.slotAt.getTime()).toBeLessThanOrEqual(d.now);
            expect(d.slotAt.getTime()).toBeGreaterThanOrEqual(u.createdAt.getTime());
            expect(wall(d.slotAt, tz)).toBe(d.localSlot);
            expect(isoWeekKeyOf(d.localSlot.slice(0, 10))).toBe(d.weekKey);
            expect(d.slotAt.getTime()).toBe(slotInWeek(u, d.weekKey).getTime());
            const paused = u.pausedThrough !== null && d.localSlot.slice(0, 10) <= u.pausedThrough;
            if (d.action === 'send') {
              expect(paused).toBe(false);
              expect(u.skipWeek).not.toBe(d.weekKey);
              expect(d.now - d.slotAt.getTime()).toBeLessThan(windowHours * HOUR);
            } else if (d.reason === 'paused') {
              expect(paused).toBe(true);
            } else if (d.reason === 'skipped-by-user') {
              expect(u.skipWeek).toBe(d.weekKey);
            } else {
              expect(d.reason).toBe('too-late');
              expect(d.now - d.slotAt.getTime()).toBeGreaterThanOrEqual(windowHours * HOUR);
            }
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('without failures or downtime, every week whose slot passed gets exactly one decision, at the first tick', () => {
    fc.assert(
      fc.property(
        fc.array(simUserArb, { minLength: 1, maxLength: 3 }),
        weekArb,
        fc.integer({ min: 0, max: 48 * 60 }),
        fc.constantFrom(1, 15, 60),
        (simUsers, week, leadMinutes, tickMinutes) => {
          const first = simUsers[0] as SimUser;
          const start =
            slotInWeek({ day: first.day, minuteOfDay: first.minute, tz: first.tz }, week).getTime() -
            leadMinutes * MIN;
          const users = buildUsers(simUsers, start);
          const ticks = Math.min(Math.ceil((15 * 24 * 60) / tickMinutes), 1500);
          const end = start + (ticks - 1) * tickMinutes * MIN;
          const { decisions } = simulate({
            users,
            start,
            ticks,
            tickMinutes,
            windowHours: 24,
            outages: [],
            failRate: 0,
            crashRate: 0,
            seed: 1,
          });
          for (const u of users) {
            if (!u.enabled) continue;
            const tz = u.tz ?? 'UTC';
            for (let k = -1; k <= 3; k++) {
              const wk = shiftWeekKey(weekKeyAt(new Date(start), tz), k);
              const slot = slotInWeek(u, wk).getTime();
              const mine = decisions.filter((d) => d.userId === u.userId && d.weekKey === wk);
              if (slot < start || slot > end || slot < u.createdAt.getTime()) {
                if (slot > end) expect(mine).toEqual([]);
                continue;
              }
              expect(mine).toHaveLength(1);
              const decidedAt = mine[0]?.now ?? 0;
              expect(decidedAt).toBeGreaterThanOrEqual(slot);
              expect(decidedAt - slot).toBeLessThan(tickMinutes * MIN);
              expect(mine[0]?.action === 'send' || mine[0]?.reason !== 'too-late').toBe(true);
            }
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});
