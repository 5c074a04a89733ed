import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type NudgeArgs, parseNudgeArgs, parseTimeOfDay } from '../../../src/domain/nudge-args.ts';
import { defaultNudgeSettings, dueNudges, type NudgeSettings } from '../../../src/domain/nudge-schedule.ts';
import {
  applyNudgeChange,
  describeSchedule,
  nextNudge,
  resolvePauseUntil,
  weekToSkip,
} from '../../../src/domain/nudge-settings.ts';

const at = (iso: string): Date => new Date(iso);
const ny = (overrides: Partial<NudgeSettings> = {}): NudgeSettings => ({
  ...defaultNudgeSettings({ teamId: 'T1', userId: 'U1' }, at('2026-01-01T00:00:00Z')),
  tz: 'America/New_York',
  ...overrides,
});

describe('parseNudgeArgs', () => {
  it.each<[string, NudgeArgs]>([
    ['', { kind: 'status' }],
    ['on', { kind: 'on' }],
    ['  ON ', { kind: 'on' }],
    ['off', { kind: 'off' }],
    ['stop', { kind: 'off' }],
    ['status', { kind: 'status' }],
    ['now', { kind: 'now' }],
    ['skip', { kind: 'skip' }],
    ['skip next', { kind: 'skip' }],
    ['fri 15:30', { kind: 'set', day: 5, minuteOfDay: 930 }],
    ['Friday 3:30pm', { kind: 'set', day: 5, minuteOfDay: 930 }],
    ['thu 3pm', { kind: 'set', day: 4, minuteOfDay: 900 }],
    ['tues 9 am', { kind: 'set', day: 2, minuteOfDay: 540 }],
    ['wed noon', { kind: 'set', day: 3, minuteOfDay: 720 }],
    ['mon 12am', { kind: 'set', day: 1, minuteOfDay: 0 }],
    ['sun 12pm', { kind: 'set', day: 0, minuteOfDay: 720 }],
    ['sat 9 a.m.', { kind: 'set', day: 6, minuteOfDay: 540 }],
    ['thurs 16h30', { kind: 'set', day: 4, minuteOfDay: 990 }],
    ['weds 0900', { kind: 'set', day: 3, minuteOfDay: 540 }],
    ['15:30 fri', { kind: 'set', day: 5, minuteOfDay: 930 }],
    ['Fridays at 4 PM', { kind: 'set', day: 5, minuteOfDay: 960 }],
    ['on fri 15:30', { kind: 'set', day: 5, minuteOfDay: 930 }],
    ['fri 17', { kind: 'set', day: 5, minuteOfDay: 1020 }],
    ['sun 00:00', { kind: 'set', day: 0, minuteOfDay: 0 }],
    ['sat 23:59', { kind: 'set', day: 6, minuteOfDay: 1439 }],
    ['pause 2027-01-05', { kind: 'pause', until: '2027-01-05' }],
    ['pause until 2027-01-05', { kind: 'pause', until: '2027-01-05' }],
    ['pause 2w', { kind: 'pause-weeks', weeks: 2 }],
    ['pause 2 weeks', { kind: 'pause-weeks', weeks: 2 }],
    ['pause for 1 week', { kind: 'pause-weeks', weeks: 1 }],
  ])('%j', (input, expected) => {
    expect(parseNudgeArgs(input)).toEqual(expected);
  });

  it.each<[string, RegExp]>([
    ['pause', /until when/i],
    ['pause 2027-02-30', /not a date/],
    ['pause 0w', /1 to 52 weeks/],
    ['pause 53w', /1 to 52 weeks/],
    ['pause tomorrow', /nudge pause 2w/],
    ['fri', /At what time on Friday\?.*nudge fri 15:30/],
    ['15:30', /Which day\?.*nudge fri 15:30/],
    ['fri 25:00', /not a time of day: hours go from 0 to 23/],
    ['fri 13pm', /couldn't read the time/],
    ['fri 9:75', /couldn't read the time/],
    ['fri 3', /morning or the afternoon.*3am.*3pm.*03:00/],
    ['mon fri 10:00', /pick one day/],
    ['fridy 15:30', /Did you mean `nudge fri 15:30`/],
    ['banana', /didn't understand `banana`.*nudge on/],
    ['off now', /takes nothing after it/],
    ['skip 2027-01-05', /skips the next nudge/],
    ['help', /nudge on/],
  ])('%j is invalid with a helpful message', (input, message) => {
    const result = parseNudgeArgs(input);
    expect(result.kind).toBe('invalid');
    expect(result.kind === 'invalid' && result.message).toMatch(message);
  });

  it('never throws, and always answers with a known shape', () => {
    const words = fc.constantFrom(
      'fri',
      'pause',
      'skip',
      'on',
      '15:30',
      '3pm',
      'w',
      '2027-01-05',
      '`',
      'at',
      '13',
      ':',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(words, { maxLength: 5 }).map((w) => w.join(' ')),
        ),
        (input) => {
          const result = parseNudgeArgs(input);
          switch (result.kind) {
            case 'invalid':
              expect(result.message.length).toBeGreaterThan(10);
              break;
            case 'set':
              expect(result.day).toBeGreaterThanOrEqual(0);
              expect(result.day).toBeLessThanOrEqual(6);
              expect(result.minuteOfDay).toBeGreaterThanOrEqual(0);
              expect(result.minuteOfDay).toBeLessThan(1440);
              break;
            case 'pause-weeks':
              expect(result.weeks).toBeGreaterThanOrEqual(1);
              break;
            case 'pause':
              expect(result.until).toMatch(/^\d{4}-\d{2}-\d{2}$/);
              break;
            default:
              expect(['on', 'off', 'status', 'now', 'skip']).toContain(result.kind);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reads back any day and time written in 24 h or am/pm', () => {
    const names = [
      ['sun', 'Sunday'],
      ['mon', 'monday'],
      ['tue', 'Tues'],
      ['wed', 'WEDNESDAY'],
      ['thu', 'thurs'],
      ['fri', 'Friday'],
      ['sat', 'saturday'],
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 1439 }),
        fc.boolean(),
        fc.boolean(),
        (day, minute, longName, twelveHour) => {
          const name = names[day]?.[longName ? 1 : 0] ?? '';
          const h = Math.floor(minute / 60);
          const m = String(minute % 60).padStart(2, '0');
          const time = twelveHour ? `${h % 12 || 12}:${m}${h < 12 ? 'am' : 'pm'}` : `${h}:${m}`;
          expect(parseNudgeArgs(`${name} ${time}`)).toEqual({ kind: 'set', day, minuteOfDay: minute });
        },
      ),
    );
  });

  it('parses times on their own', () => {
    expect(parseTimeOfDay('midnight')).toEqual({ ok: true, minuteOfDay: 0 });
    expect(parseTimeOfDay('12:30am')).toEqual({ ok: true, minuteOfDay: 30 });
    expect(parseTimeOfDay('12:30 p.m.')).toEqual({ ok: true, minuteOfDay: 750 });
    expect(parseTimeOfDay('0')).toEqual({ ok: true, minuteOfDay: 0 });
    expect(parseTimeOfDay('24:00').ok).toBe(false);
  });
});

describe('resolvePauseUntil', () => {
  // 03:00Z on 1 Jan 2027 is still 31 Dec 2026 in New York.
  const now = at('2027-01-01T03:00:00Z');

  it('pauses N whole weeks from today in the user zone', () => {
    expect(resolvePauseUntil({ kind: 'pause-weeks', weeks: 2 }, now, 'America/New_York')).toEqual({
      ok: true,
      pausedThrough: '2027-01-13',
    });
    expect(resolvePauseUntil({ kind: 'pause-weeks', weeks: 1 }, now, null)).toEqual({
      ok: true,
      pausedThrough: '2027-01-07',
    });
  });

  it('accepts today, refuses the past (by the user zone) and more than a year', () => {
    expect(resolvePauseUntil({ kind: 'pause', until: '2026-12-31' }, now, 'America/New_York')).toEqual({
      ok: true,
      pausedThrough: '2026-12-31',
    });
    const past = resolvePauseUntil({ kind: 'pause', until: '2026-12-31' }, now, 'UTC');
    expect(past).toMatchObject({ ok: false });
    expect(!past.ok && past.message).toMatch(/already passed \(today is 2027-01-01\)/);
    expect(resolvePauseUntil({ kind: 'pause', until: '2028-06-01' }, now, 'UTC')).toMatchObject({
      ok: false,
    });
  });
});

describe('describeSchedule and the next nudge', () => {
  const wednesday = at('2026-06-10T12:00:00Z');

  it('shows the next send in local time with the zone used', () => {
    const d = describeSchedule(ny(), wednesday);
    expect(d.next).toMatchObject({
      at: at('2026-06-12T20:00:00Z'),
      weekKey: '2026-W24',
      localSlot: '2026-06-12T16:00',
      localText: 'Friday 12 June 2026 at 16:00',
      pending: false,
    });
    expect(d.timeZone).toBe('America/New_York');
    expect(d.timeZoneNote).toBeNull();
    expect(d.text).toBe(
      'Weekly nudges: Fridays at 16:00, America/New_York. Next: Friday 12 June 2026 at 16:00.',
    );
  });

  it('says when UTC is used because Slack gave no time zone', () => {
    const d = describeSchedule(ny({ tz: null }), wednesday);
    expect(d.timeZone).toBe('UTC');
    expect(d.timeZoneNote).toBe('(UTC — Slack gave no time zone)');
    expect(d.text).toBe(
      'Weekly nudges: Fridays at 16:00 (UTC — Slack gave no time zone). Next: Friday 12 June 2026 at 16:00.',
    );
    expect(d.next?.at).toEqual(at('2026-06-12T16:00:00Z'));
    expect(describeSchedule(ny({ tz: 'Nowhere/Special' }), wednesday).timeZoneNote).toMatch(/not one I know/);
  });

  it('honours a pause and a skip', () => {
    const paused = describeSchedule(ny({ pausedThrough: '2026-06-20' }), wednesday);
    expect(paused.next?.localSlot).toBe('2026-06-26T16:00');
    expect(paused.pausedThrough).toBe('2026-06-20');
    expect(paused.text).toContain('Paused through 2026-06-20.');

    const skipping = describeSchedule(ny({ skipWeek: '2026-W24' }), wednesday);
    expect(skipping.next?.localSlot).toBe('2026-06-19T16:00');
    expect(skipping.skipWeek).toBe('2026-W24');

    const stale = describeSchedule(ny({ skipWeek: '2026-W20', pausedThrough: '2026-06-01' }), wednesday);
    expect(stale.next?.localSlot).toBe('2026-06-12T16:00');
    expect(stale.skipWeek).toBeNull();
    expect(stale.pausedThrough).toBeNull();
  });

  it('shows the DST-adjusted local time of a slot that does not exist', () => {
    const d = describeSchedule(ny({ day: 0, minuteOfDay: 150 }), at('2026-03-05T12:00:00Z'));
    expect(d.next?.localSlot).toBe('2026-03-08T03:00');
    expect(d.next?.at).toEqual(at('2026-03-08T07:00:00Z'));
  });

  it('reports nudges off', () => {
    const d = describeSchedule(ny({ enabled: false }), wednesday);
    expect(d.next).toBeNull();
    expect(d.text).toBe(
      'Weekly nudges are off. `nudge on` turns them on: Fridays at 16:00, America/New_York.',
    );
  });

  it('with the ledger, a passed slot inside the window without a row is pending', () => {
    const tenPast = at('2026-06-12T20:10:00Z');
    expect(nextNudge(ny(), tenPast, { ledger: [] })).toEqual({
      weekKey: '2026-W24',
      slotAt: at('2026-06-12T20:00:00Z'),
      pending: true,
    });
    expect(describeSchedule(ny(), tenPast, { ledger: [] }).text).toContain('Next: due now');
    const sent = {
      teamId: 'T1',
      userId: 'U1',
      weekKey: '2026-W24',
      slotAt: at('2026-06-12T20:00:00Z'),
      state: 'sent' as const,
      attempts: 0,
      nextAttemptAt: null,
      leaseOwner: null,
      leaseExpiresAt: null,
    };
    expect(nextNudge(ny(), tenPast, { ledger: [sent] })?.weekKey).toBe('2026-W25');
    expect(nextNudge(ny(), tenPast)?.weekKey).toBe('2026-W25');
  });

  it('finds the week `nudge skip` targets: the next one not yet sent, after any pause', () => {
    expect(weekToSkip(ny(), wednesday)).toBe('2026-W24');
    expect(weekToSkip(ny(), at('2026-06-12T20:00:00Z'))).toBe('2026-W25');
    expect(weekToSkip(ny({ skipWeek: '2026-W24' }), wednesday)).toBe('2026-W24');
    expect(weekToSkip(ny({ pausedThrough: '2026-06-19' }), wednesday)).toBe('2026-W26');
    expect(weekToSkip(ny({ enabled: false }), wednesday)).toBeNull();
  });
});

describe('applyNudgeChange', () => {
  const ctx = { teamId: 'T1', userId: 'U1', now: at('2026-06-12T20:05:00Z'), tz: 'America/New_York' };

  it('turns nudges on with the defaults, from now on (no catch-up of a slot already passed)', () => {
    const result = applyNudgeChange(null, { kind: 'on' }, ctx);
    expect(result).toEqual({
      ok: true,
      settings: {
        teamId: 'T1',
        userId: 'U1',
        enabled: true,
        day: 5,
        minuteOfDay: 960,
        tz: 'America/New_York',
        pausedThrough: null,
        skipWeek: null,
        createdAt: ctx.now,
      },
    });
    if (!result.ok) return;
    // Friday 16:00 New York passed five minutes ago: not sent this week, sent next Friday.
    expect(
      dueNudges({
        users: [result.settings],
        ledger: [],
        now: at('2026-06-12T20:10:00Z'),
        lateWindowHours: 24,
      }),
    ).toEqual([]);
    expect(
      dueNudges({
        users: [result.settings],
        ledger: [],
        now: at('2026-06-19T20:00:00Z'),
        lateWindowHours: 24,
      }),
    ).toHaveLength(1);
  });

  it('resumes from a pause on `on`, keeps the schedule on `off`, and sets day and time', () => {
    const off = ny({ enabled: false, pausedThrough: '2026-07-01', day: 2, minuteOfDay: 600 });
    const on = applyNudgeChange(off, { kind: 'on' }, ctx);
    expect(on).toMatchObject({
      ok: true,
      settings: { enabled: true, pausedThrough: null, day: 2, minuteOfDay: 600 },
    });
    expect(applyNudgeChange(ny(), { kind: 'off' }, ctx)).toMatchObject({
      ok: true,
      settings: { enabled: false, day: 5 },
    });
    expect(applyNudgeChange(off, { kind: 'set', day: 4, minuteOfDay: 930 }, ctx)).toMatchObject({
      ok: true,
      settings: { enabled: true, day: 4, minuteOfDay: 930, createdAt: ctx.now },
    });
  });

  it('pauses and skips only when on', () => {
    expect(applyNudgeChange(ny({ enabled: false }), { kind: 'pause-weeks', weeks: 2 }, ctx)).toMatchObject({
      ok: false,
    });
    expect(applyNudgeChange(ny(), { kind: 'pause-weeks', weeks: 2 }, ctx)).toMatchObject({
      ok: true,
      settings: { pausedThrough: '2026-06-25' },
    });
    expect(applyNudgeChange(ny(), { kind: 'pause', until: '2026-01-01' }, ctx)).toMatchObject({ ok: false });
    expect(applyNudgeChange(null, { kind: 'skip' }, ctx)).toMatchObject({ ok: false });
  });

  it('`skip` before the slot skips this week, and next week is sent', () => {
    const wednesday = { ...ctx, now: at('2026-06-10T12:00:00Z') };
    const result = applyNudgeChange(ny(), { kind: 'skip' }, wednesday);
    expect(result).toMatchObject({ ok: true, settings: { skipWeek: '2026-W24' } });
    if (!result.ok) return;
    const users = [result.settings];
    expect(dueNudges({ users, ledger: [], now: at('2026-06-12T20:00:00Z'), lateWindowHours: 24 })).toEqual([
      expect.objectContaining({ action: 'skip', reason: 'skipped-by-user' }),
    ]);
    expect(dueNudges({ users, ledger: [], now: at('2026-06-19T20:00:00Z'), lateWindowHours: 24 })).toEqual([
      expect.objectContaining({ weekKey: '2026-W25', action: 'send' }),
    ]);
  });
});
