import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ParsedPeriod, type Period, parsePeriod, periodRange } from '../../../src/domain/period.ts';

const at = (iso: string): Date => new Date(iso);

describe('parsePeriod', () => {
  it.each<[string | undefined, ParsedPeriod]>([
    ['90d', { kind: 'rolling', n: 90, unit: 'd' }],
    ['12w', { kind: 'rolling', n: 12, unit: 'w' }],
    ['6m', { kind: 'rolling', n: 6, unit: 'm' }],
    ['1y', { kind: 'rolling', n: 1, unit: 'y' }],
    ['90 days', { kind: 'rolling', n: 90, unit: 'd' }],
    ['last 2 weeks', { kind: 'rolling', n: 2, unit: 'w' }],
    [' QUARTER ', { kind: 'quarter' }],
    ['year', { kind: 'year' }],
    ['since 2026-01-15', { kind: 'since', date: '2026-01-15' }],
    ['all', { kind: 'all' }],
    [undefined, { kind: 'rolling', n: 90, unit: 'd' }],
    ['   ', { kind: 'rolling', n: 90, unit: 'd' }],
  ])('%j', (text, expected) => {
    expect(parsePeriod(text, '90d')).toEqual(expected);
  });

  it.each<[string, RegExp]>([
    ['0d', /out of range/],
    ['101y', /out of range/],
    ['since yesterday', /YYYY-MM-DD/],
    ['since 2026-02-30', /not a date/],
    ['fortnight', /don't know the period `fortnight`.*90d.*quarter.*since 2026-01-15.*all/],
    ['90x', /don't know the period/],
  ])('%j is invalid with a helpful message', (text, message) => {
    const result = parsePeriod(text, 'all');
    expect(result.kind).toBe('invalid');
    expect(result.kind === 'invalid' && result.message).toMatch(message);
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const result = parsePeriod(text, 'all');
        expect(['rolling', 'quarter', 'year', 'since', 'all', 'invalid']).toContain(result.kind);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('periodRange', () => {
  // 03:00Z on 1 April 2026 is still 31 March, 23:00 EDT, in New York: Q1, not Q2.
  const now = at('2026-04-01T03:00:00Z');
  const ny = 'America/New_York';

  it('uses the calendar quarter of the user zone, so far', () => {
    expect(periodRange({ kind: 'quarter' }, now, ny)).toEqual({
      start: at('2026-01-01T05:00:00Z'),
      end: now,
      startDate: '2026-01-01',
      endDate: '2026-03-31',
      label: 'Q1 2026 so far',
    });
    expect(periodRange({ kind: 'quarter' }, now, 'UTC')).toMatchObject({
      start: at('2026-04-01T00:00:00Z'),
      startDate: '2026-04-01',
      endDate: '2026-04-01',
      label: 'Q2 2026 so far',
    });
  });

  it('uses the calendar year of the user zone, so far', () => {
    const newYear = at('2027-01-01T03:00:00Z');
    expect(periodRange({ kind: 'year' }, newYear, ny)).toMatchObject({
      start: at('2026-01-01T05:00:00Z'),
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      label: '2026 so far',
    });
    expect(periodRange({ kind: 'year' }, newYear, 'Asia/Tokyo')).toMatchObject({
      start: at('2026-12-31T15:00:00Z'),
      startDate: '2027-01-01',
      label: '2027 so far',
    });
  });

  it('counts rolling days back from today, local, inclusive', () => {
    expect(periodRange({ kind: 'rolling', n: 7, unit: 'd' }, now, ny)).toEqual({
      start: at('2026-03-25T04:00:00Z'), // EDT since 8 March
      end: now,
      startDate: '2026-03-25',
      endDate: '2026-03-31',
      label: 'last 7 days',
    });
    expect(periodRange({ kind: 'rolling', n: 1, unit: 'd' }, now, ny)).toMatchObject({
      startDate: '2026-03-31',
      label: 'today',
    });
    expect(periodRange({ kind: 'rolling', n: 2, unit: 'w' }, now, ny).startDate).toBe('2026-03-18');
    // Across the DST change: 90 days back is in EST.
    expect(periodRange({ kind: 'rolling', n: 90, unit: 'd' }, now, ny)).toMatchObject({
      start: at('2026-01-01T05:00:00Z'),
      startDate: '2026-01-01',
    });
  });

  it('counts months and years by the calendar, clamped to month ends', () => {
    expect(periodRange({ kind: 'rolling', n: 1, unit: 'm' }, now, ny)).toMatchObject({
      startDate: '2026-03-01', // 31 Mar − 1 month = 28 Feb, + 1 day
      label: 'last month',
    });
    expect(
      periodRange({ kind: 'rolling', n: 6, unit: 'm' }, at('2026-08-15T12:00:00Z'), 'UTC').startDate,
    ).toBe('2026-02-16');
    expect(
      periodRange({ kind: 'rolling', n: 2, unit: 'y' }, at('2028-02-29T12:00:00Z'), 'UTC'),
    ).toMatchObject({
      startDate: '2026-03-01',
      label: 'last 2 years',
    });
  });

  it('since a date and all time', () => {
    expect(periodRange({ kind: 'since', date: '2026-01-15' }, now, 'Asia/Kolkata')).toMatchObject({
      start: at('2026-01-14T18:30:00Z'),
      startDate: '2026-01-15',
      endDate: '2026-04-01',
      label: 'since 2026-01-15',
    });
    expect(periodRange({ kind: 'all' }, now, ny)).toEqual({
      start: null,
      end: now,
      startDate: null,
      endDate: '2026-03-31',
      label: 'all time',
    });
  });

  it('falls back to UTC without a zone, and starts at the first valid minute when midnight does not exist', () => {
    expect(periodRange({ kind: 'quarter' }, now, null).startDate).toBe('2026-04-01');
    // Santiago moves from -04 to -03 at 24:00 on Saturday 5 September 2026: Sunday 00:00 does not exist.
    expect(
      periodRange({ kind: 'since', date: '2026-09-06' }, at('2026-09-10T12:00:00Z'), 'America/Santiago')
        .start,
    ).toEqual(at('2026-09-06T04:00:00Z'));
  });

  it('the range always contains now and starts at a local midnight (or the first minute after)', () => {
    const periods: Period[] = [
      { kind: 'quarter' },
      { kind: 'year' },
      { kind: 'rolling', n: 1, unit: 'd' },
      { kind: 'rolling', n: 30, unit: 'd' },
      { kind: 'rolling', n: 3, unit: 'm' },
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...periods),
        fc.date({ min: at('2025-01-01T00:00:00Z'), max: at('2029-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom(
          'America/New_York',
          'Europe/London',
          'Asia/Kolkata',
          'Australia/Lord_Howe',
          'Pacific/Chatham',
          'UTC',
        ),
        (period, instant, tz) => {
          const range = periodRange(period, instant, tz);
          expect(range.start).not.toBeNull();
          expect((range.start as Date).getTime()).toBeLessThanOrEqual(instant.getTime());
          expect(instant.getTime() - (range.start as Date).getTime()).toBeLessThan(367 * 86_400_000);
          expect(range.startDate && range.startDate <= range.endDate).toBe(true);
          const local = new Intl.DateTimeFormat('en-CA', {
            timeZone: tz,
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
          }).format(instant);
          expect(range.endDate).toBe(local);
        },
      ),
      { numRuns: 300 },
    );
  });
});
