/**
 * The summary behind `/ladder summary` and the App Home, over fixed data: counts per axis next to
 * the steps expected, growth axes and thin flags, months with every growth axis covered, weeks and
 * streaks in the user's time zone (across a zone boundary and a DST change), shifts, recent.
 */
import { describe, expect, it } from 'vitest';
import { type Period, periodRange } from '../../../src/domain/period.ts';
import { type SummaryInput, summarise } from '../../../src/domain/summary.ts';
import type { AxisId, EvidenceEntry, ShiftId } from '../../../src/domain/types.ts';
import { realLadder } from '../../helpers/ladder.ts';

const ladder = realLadder();
let nextId = 1;

function entry(
  occurredOn: string,
  axes: AxisId[] = [],
  more: { suggested?: AxisId[]; shift?: ShiftId; createdAt?: string; text?: string } = {},
): EvidenceEntry {
  const id = nextId++;
  return {
    id,
    teamId: 'T1',
    userId: 'U1',
    text: more.text ?? `entry ${id}`,
    occurredOn,
    axes,
    suggestedAxes: more.suggested ?? [],
    shift: more.shift ?? null,
    scope: null,
    link: null,
    source: 'command',
    promptId: null,
    createdAt: more.createdAt ?? `${occurredOn}T12:00:00.000Z`,
    updatedAt: more.createdAt ?? `${occurredOn}T12:00:00.000Z`,
  };
}

function run(
  entries: EvidenceEntry[],
  opts: {
    now: string;
    tz: string | null;
    period?: Period;
    level?: string | null;
    target?: string | null;
  } & Partial<Pick<SummaryInput, 'activityDates' | 'thinThreshold'>>,
) {
  const now = new Date(opts.now);
  const range = periodRange(opts.period ?? { kind: 'rolling', n: 90, unit: 'd' }, now, opts.tz);
  return summarise({
    entries,
    profile: { level: opts.level === undefined ? 'tpm4' : opts.level, target: opts.target ?? null },
    ladder,
    range,
    now,
    tz: opts.tz,
    ...(opts.activityDates ? { activityDates: opts.activityDates } : {}),
    ...(opts.thinThreshold ? { thinThreshold: opts.thinThreshold } : {}),
  });
}

describe('summarise: axes and growth (TPM4 → TPM5)', () => {
  const entries = [
    entry('2026-01-05', ['people']),
    entry('2026-01-12', ['system'], { shift: 'enabling' }),
    entry('2026-01-20', ['influence', 'people']),
    entry('2026-02-03', ['people'], { shift: 'enabling' }),
    entry('2026-02-10', [], { suggested: ['system'], shift: 'preventing' }),
    entry('2026-03-02', ['process']),
    entry('2026-03-10', ['process', 'people']),
    entry('2026-03-15', []),
    entry('2025-10-01', ['influence']), // before the 90 days: not counted
  ];
  const s = run(entries, { now: '2026-03-20T12:00:00Z', tz: 'America/New_York', target: 'tpm5' });

  it('counts entries per axis, suggested ones apart, next to the steps expected', () => {
    expect(s.total).toBe(8);
    expect(s.untagged).toBe(1);
    const byAxis = Object.fromEntries(
      s.axes.map((a) => [a.axis.id, [a.count, a.suggested, a.current?.name, a.target?.name, a.growth]]),
    );
    expect(byAxis).toEqual({
      technology: [0, 0, 'Specializes', 'Specializes', false],
      system: [2, 1, 'Designs', 'Owns', true],
      people: [4, 0, 'Coordinates', 'Manages', true],
      process: [2, 0, 'Defines', 'Defines', false],
      influence: [1, 0, 'Multiple Teams', 'Company', true],
    });
    expect(s.level?.id).toBe('tpm4');
    expect(s.target?.id).toBe('tpm5');
    expect(s.targetIsNextLevel).toBe(false);
  });

  it('lists the growth axes with thin flags below the threshold and one suggestion each', () => {
    expect(s.thinThreshold).toBe(3);
    expect(s.growth.map((g) => [g.axis.id, g.from.name, g.to.name, g.count, g.thin])).toEqual([
      ['system', 'Designs', 'Owns', 2, true],
      ['people', 'Coordinates', 'Manages', 4, false],
      ['influence', 'Multiple Teams', 'Company', 1, true],
    ]);
    // The advice of the step aimed at, not of the axis: People aims at Manages.
    for (const g of s.growth) expect(g.suggestion).toBe(g.to.advice);
    expect(s.growth.find((g) => g.axis.id === 'people')?.suggestion).toMatch(/careers/);
    const lenient = run(entries, {
      now: '2026-03-20T12:00:00Z',
      tz: 'America/New_York',
      target: 'tpm5',
      thinThreshold: 1,
    });
    expect(lenient.growth.filter((g) => g.thin)).toEqual([]);
  });

  it('counts the months in which every growth axis has an entry', () => {
    expect(s.months.map((m) => [m.month, m.entries, m.covered, m.partial])).toEqual([
      ['2025-12', 0, false, true],
      ['2026-01', 3, true, false],
      ['2026-02', 2, false, false],
      ['2026-03', 3, false, true],
    ]);
    expect(s.months[1]?.growthCounts).toEqual({ system: 1, people: 2, influence: 1 });
    expect(s.months[1]?.label).toBe('January 2026');
    expect(s.sustainedMonths).toBe(1);
  });

  it('counts entries per mindset shift, each with its suggestion', () => {
    expect(s.shifts.map((x) => [x.shift.id, x.count])).toEqual([
      ['enabling', 2],
      ['systems-thinking', 0],
      ['preventing', 1],
    ]);
    expect(s.shifts[1]?.suggestion).toBe(ladder.growthSuggestions.shifts['systems-thinking']);
  });

  it('keeps the three most recent entries of the period, newest first', () => {
    expect(s.recent.map((e) => e.occurredOn)).toEqual(['2026-03-15', '2026-03-10', '2026-03-02']);
    const sameDay = [
      entry('2026-03-19', [], { createdAt: '2026-03-19T09:00:00Z', text: 'first' }),
      entry('2026-03-19', [], { createdAt: '2026-03-19T15:00:00Z', text: 'second' }),
      entry('2026-03-18', [], { text: 'older' }),
      entry('2026-03-19', [], { createdAt: '2026-03-19T11:00:00Z', text: 'middle' }),
    ];
    expect(run(sameDay, { now: '2026-03-20T12:00:00Z', tz: 'UTC' }).recent.map((e) => e.text)).toEqual([
      'second',
      'middle',
      'first',
    ]);
  });

  it('counts the weeks of the period with an entry', () => {
    // 2025-12-21 (a Sunday, W51) to 2026-03-20 (W12): 14 ISO weeks; entries in 7 (03-10 and 03-15 share W11).
    expect(s.weeks.total).toBe(14);
    expect(s.weeks.withEntries).toBe(7);
    expect(s.weeks.currentWeek).toBe('2026-W12');
  });
});

describe('summarise: profile', () => {
  const entries = [entry('2026-03-02', ['people'])];
  const now = '2026-03-20T12:00:00Z';

  it('without a level: counts only, no steps, no growth axes', () => {
    const s = run(entries, { now, tz: 'UTC', level: null });
    expect(s.level).toBeNull();
    expect(s.target).toBeNull();
    expect(s.axes.every((a) => a.current === null && !a.growth)).toBe(true);
    expect(s.axes.find((a) => a.axis.id === 'people')?.count).toBe(1);
    expect(s.growth).toEqual([]);
    expect(s.sustainedMonths).toBeNull();
  });

  it('without a target: the next level up stands in for it', () => {
    const s = run(entries, { now, tz: 'UTC', level: 'tpm3' });
    expect(s.target?.id).toBe('tpm4');
    expect(s.targetIsNextLevel).toBe(true);
    expect(s.growth.map((g) => g.axis.id)).toEqual(['process']);
  });

  it('at the top of the track: no target and no growth axes', () => {
    const s = run(entries, { now, tz: 'UTC', level: 'tpm6' });
    expect(s.target).toBeNull();
    expect(s.growth).toEqual([]);
  });

  it('reads a stored role as its comparable position', () => {
    const s = run(entries, { now, tz: 'UTC', level: 'senior-tpm', target: 'lead-tpm' });
    expect([s.level?.id, s.target?.id]).toEqual(['tpm4', 'tpm5']);
  });

  it('a target below the level has no growth axes', () => {
    expect(run(entries, { now, tz: 'UTC', level: 'tpm5', target: 'tpm3' }).growth).toEqual([]);
  });
});

describe('summarise: weeks and streaks in the user time zone', () => {
  it('counts a streak back from this week, and from last week while this week has none yet', () => {
    const entries = [
      entry('2026-02-16'), // W08
      entry('2026-02-24'), // W09
      entry('2026-03-03'), // W10
      entry('2026-03-17'), // W12
      entry('2026-03-18'), // W12
    ];
    const now = '2026-03-20T12:00:00Z'; // Friday of W12
    const s = run(entries, { now, tz: 'UTC' });
    expect(s.weeks).toMatchObject({
      currentWeek: '2026-W12',
      thisWeekHasEntry: true,
      streak: 1,
      longestStreak: 3,
    });
    const nextMonday = run(entries, { now: '2026-03-23T12:00:00Z', tz: 'UTC' });
    expect(nextMonday.weeks).toMatchObject({ currentWeek: '2026-W13', thisWeekHasEntry: false, streak: 1 });
    const twoWeeksOn = run(entries, { now: '2026-03-30T12:00:00Z', tz: 'UTC' });
    expect(twoWeeksOn.weeks.streak).toBe(0);
  });

  it('across a time-zone boundary: Monday 03:00 UTC is still Sunday (and DST day) in Los Angeles', () => {
    // Entries in W08 and W09 only. 2026-03-09T03:00Z is Monday of W11 in UTC but Sunday 2026-03-08
    // 20:00 PDT (W10) in Los Angeles, on the day its clocks went forward.
    const entries = [entry('2026-02-18'), entry('2026-02-26')];
    const now = '2026-03-09T03:00:00Z';
    const la = run(entries, { now, tz: 'America/Los_Angeles' });
    const utc = run(entries, { now, tz: 'UTC' });
    expect([la.today, la.weeks.currentWeek, la.weeks.streak]).toEqual(['2026-03-08', '2026-W10', 2]);
    expect([utc.today, utc.weeks.currentWeek, utc.weeks.streak]).toEqual(['2026-03-09', '2026-W11', 0]);
    expect(la.timeZone).toBe('America/Los_Angeles');
  });

  it('east of UTC: late Sunday in UTC is already Monday of the next week in Tokyo', () => {
    const entries = [entry('2026-03-02'), entry('2026-03-08')]; // W10
    const now = '2026-03-08T16:00:00Z'; // Mon 01:00 in Tokyo
    expect(run(entries, { now, tz: 'Asia/Tokyo' }).weeks).toMatchObject({
      currentWeek: '2026-W11',
      thisWeekHasEntry: false,
      streak: 1,
    });
    expect(run(entries, { now, tz: 'UTC' }).weeks).toMatchObject({
      currentWeek: '2026-W10',
      thisWeekHasEntry: true,
      streak: 1,
    });
  });

  it('on the night summer time ends in London, 23:30 UTC is 23:30 Sunday, not Monday', () => {
    // BST ended at 01:00 UTC on 2026-10-25; applying the summer offset would make it Monday (W44).
    const entries = [entry('2026-10-14'), entry('2026-10-19'), entry('2026-10-25')];
    const s = run(entries, { now: '2026-10-25T23:30:00Z', tz: 'Europe/London' });
    expect(s.today).toBe('2026-10-25');
    expect(s.weeks).toMatchObject({ currentWeek: '2026-W43', thisWeekHasEntry: true, streak: 2 });
    const bst = run(entries, { now: '2026-10-24T23:30:00Z', tz: 'Europe/London' });
    expect(bst.today).toBe('2026-10-25'); // still summer time: 00:30 BST on Sunday
  });

  it('months follow the local date: the last evening of February in Los Angeles is March in UTC', () => {
    const now = '2026-03-01T02:00:00Z';
    const period: Period = { kind: 'rolling', n: 30, unit: 'd' };
    const entries = [entry('2026-02-20', ['people'])];
    expect(run(entries, { now, tz: 'America/Los_Angeles', period }).months.at(-1)?.month).toBe('2026-02');
    expect(run(entries, { now, tz: 'UTC', period }).months.at(-1)?.month).toBe('2026-03');
  });

  it('streaks reach past the period when every active date is given', () => {
    const entries = [entry('2026-03-17')];
    const activityDates = ['2026-03-17', '2026-03-10', '2026-03-03', '2026-02-24', '2026-01-01'];
    const period: Period = { kind: 'rolling', n: 7, unit: 'd' };
    const s = run(entries, { now: '2026-03-20T12:00:00Z', tz: 'UTC', period, activityDates });
    expect(s.total).toBe(1);
    expect(s.weeks.withEntries).toBe(1);
    expect(s.weeks.streak).toBe(4);
    expect(run(entries, { now: '2026-03-20T12:00:00Z', tz: 'UTC', period }).weeks.streak).toBe(1);
  });

  it('an unknown or missing zone is UTC, and says so', () => {
    const s = run([], { now: '2026-03-20T12:00:00Z', tz: 'Mars/Olympus' });
    expect([s.timeZone, s.timeZoneFallback]).toEqual(['UTC', 'unknown']);
    expect(run([], { now: '2026-03-20T12:00:00Z', tz: null }).timeZoneFallback).toBe('missing');
  });
});

describe('summarise: periods', () => {
  it('all time: months and weeks from the first entry', () => {
    const entries = [entry('2025-11-10', ['people']), entry('2026-01-05', ['system'])];
    const s = run(entries, { now: '2026-01-07T12:00:00Z', tz: 'UTC', period: { kind: 'all' } });
    expect(s.months.map((m) => m.month)).toEqual(['2025-11', '2025-12', '2026-01']);
    expect(s.weeks.total).toBe(9); // 2025-W46 … 2026-W02
    expect(s.weeks.withEntries).toBe(2);
  });

  it('nothing logged: zero counts, every growth axis thin, no months covered', () => {
    const s = run([], { now: '2026-03-20T12:00:00Z', tz: 'UTC', target: 'tpm5' });
    expect(s.total).toBe(0);
    expect(s.growth.every((g) => g.thin && g.count === 0)).toBe(true);
    expect(s.sustainedMonths).toBe(0);
    expect(s.weeks).toMatchObject({ withEntries: 0, streak: 0, longestStreak: 0 });
    expect(s.recent).toEqual([]);
  });

  it('a period starting in the future is empty', () => {
    const entries = [entry('2026-03-01', ['people'])];
    const s = run(entries, {
      now: '2026-03-20T12:00:00Z',
      tz: 'UTC',
      period: { kind: 'since', date: '2027-01-01' },
    });
    expect([s.total, s.months.length]).toEqual([0, 0]);
  });
});
