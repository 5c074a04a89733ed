/**
 * Periods for summaries and exports (`90d`, `12w`, `6m`, `1y`, `quarter`, `year`, `since
 * 2026-01-15`, `all`), resolved in the user's time zone. Pure; the clock is a parameter.
 */
import { notACalendarDate, quote } from './echo.ts';
import type { LocalDate } from './types.ts';
import {
  addDaysToLocalDate,
  addMonthsToLocalDate,
  localDateToDays,
  parseLocalDate,
  resolveTimeZone,
  toLocal,
  zonedDaysToInstant,
} from './zoned-time.ts';

export type PeriodUnit = 'd' | 'w' | 'm' | 'y';

export type Period =
  | { kind: 'rolling'; n: number; unit: PeriodUnit }
  | { kind: 'quarter' }
  | { kind: 'year' }
  | { kind: 'since'; date: LocalDate }
  | { kind: 'all' };

export type ParsedPeriod = Period | { kind: 'invalid'; message: string };

/** Upper bounds keep dates in a sane range (about a century back). */
export const MAX_ROLLING: Record<PeriodUnit, number> = { d: 36_600, w: 5_200, m: 1_200, y: 100 };

const UNIT_WORDS: Record<string, PeriodUnit> = {
  d: 'd',
  day: 'd',
  days: 'd',
  w: 'w',
  wk: 'w',
  wks: 'w',
  week: 'w',
  weeks: 'w',
  m: 'm',
  mo: 'm',
  mos: 'm',
  month: 'm',
  months: 'm',
  y: 'y',
  yr: 'y',
  yrs: 'y',
  year: 'y',
  years: 'y',
};

const PERIOD_HELP =
  'Periods: `90d`, `12w`, `6m`, `1y` (rolling), `quarter` or `year` (so far), `since 2026-01-15`, `all`.';

function parseOne(raw: string): ParsedPeriod {
  const text = raw.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
  if (text === 'all' || text === 'all time' || text === 'everything') return { kind: 'all' };
  if (text === 'quarter' || text === 'this quarter' || text === 'qtd') return { kind: 'quarter' };
  if (text === 'year' || text === 'this year' || text === 'ytd') return { kind: 'year' };
  const since = /^(?:since|from) (.+)$/.exec(text);
  if (since) {
    const date = since[1]?.trim() ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      return {
        kind: 'invalid',
        message: `After \`since\`, write a date as YYYY-MM-DD, e.g. \`since 2026-01-15\`.`,
      };
    }
    if (!parseLocalDate(date)) return { kind: 'invalid', message: notACalendarDate(date) };
    return { kind: 'since', date };
  }
  const rolling = /^(?:last )?(\d{1,6}) ?([a-z]+)$/.exec(text);
  const unit = rolling ? UNIT_WORDS[rolling[2] ?? ''] : undefined;
  if (rolling && unit) {
    const n = Number(rolling[1]);
    if (n < 1 || n > MAX_ROLLING[unit]) {
      return {
        kind: 'invalid',
        message: `${quote(text)} is out of range: use 1 to ${MAX_ROLLING[unit]}${unit}.`,
      };
    }
    return { kind: 'rolling', n, unit };
  }
  return { kind: 'invalid', message: `I don't know the period ${quote(raw.trim())}. ${PERIOD_HELP}` };
}

/** Parses a period; blank or missing text means `defaultText`. Never throws. */
export function parsePeriod(text: string | undefined, defaultText: string): ParsedPeriod {
  const chosen = text === undefined || text.trim() === '' ? defaultText : text;
  return parseOne(String(chosen));
}

export interface PeriodRange {
  /** First instant (local midnight of `startDate`), or null for all time. */
  start: Date | null;
  /** `now`: every period runs up to the present. */
  end: Date;
  /** First local date included, or null for all time. */
  startDate: LocalDate | null;
  /** Today in the user's zone (the last local date included). */
  endDate: LocalDate;
  /** 'last 90 days', 'Q2 2026 so far', '2026 so far', 'since 2026-01-15', 'all time'. */
  label: string;
}

const UNIT_LABEL: Record<PeriodUnit, [string, string]> = {
  d: ['day', 'days'],
  w: ['week', 'weeks'],
  m: ['month', 'months'],
  y: ['year', 'years'],
};

/**
 * The range a period covers at `now` in `tz` (null or unknown → UTC). Rolling periods count back
 * from today inclusive: `7d` is today and the six days before; `1m` starts the day after the same
 * date last month (clamped to month ends). `quarter` and `year` are the calendar quarter and year so
 * far. Local midnight that does not exist (a DST change at 00:00) starts at the first valid minute.
 * A `since` date in the future gives a start after the end (an empty range).
 */
export function periodRange(period: Period, now: Date, tz: string | null): PeriodRange {
  const { timeZone } = resolveTimeZone(tz);
  const today = toLocal(now, timeZone).date;
  const from = (startDate: LocalDate, label: string): PeriodRange => ({
    start: zonedDaysToInstant(localDateToDays(startDate), 0, timeZone),
    end: now,
    startDate,
    endDate: today,
    label,
  });
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  switch (period.kind) {
    case 'all':
      return { start: null, end: now, startDate: null, endDate: today, label: 'all time' };
    case 'since':
      return from(period.date, `since ${period.date}`);
    case 'year':
      return from(`${today.slice(0, 4)}-01-01`, `${year} so far`);
    case 'quarter': {
      const quarter = Math.floor((month - 1) / 3);
      const startMonth = String(quarter * 3 + 1).padStart(2, '0');
      return from(`${today.slice(0, 4)}-${startMonth}-01`, `Q${quarter + 1} ${year} so far`);
    }
    case 'rolling': {
      const { n, unit } = period;
      const back =
        unit === 'd'
          ? addDaysToLocalDate(today, -n)
          : unit === 'w'
            ? addDaysToLocalDate(today, -7 * n)
            : addMonthsToLocalDate(today, unit === 'm' ? -n : -12 * n);
      const [one, many] = UNIT_LABEL[unit];
      const label = n === 1 && unit === 'd' ? 'today' : n === 1 ? `last ${one}` : `last ${n} ${many}`;
      return from(addDaysToLocalDate(back, 1), label);
    }
  }
}

/**
 * Why a period cannot be used at `now` in `tz`, or null: a `since` date after today would give an
 * empty range that reads like "no evidence" rather than a mistake.
 */
export function periodProblemAt(period: Period, now: Date, tz: string | null): string | null {
  if (period.kind !== 'since') return null;
  const today = toLocal(now, resolveTimeZone(tz).timeZone).date;
  if (period.date <= today) return null;
  return `${quote(period.date)} is in the future (today is ${today}): a period starts on a day that has happened, e.g. \`since ${addMonthsToLocalDate(today, -3)}\`.`;
}
