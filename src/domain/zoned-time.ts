/**
 * Calendar and time-zone arithmetic for the pure domain: civil dates, ISO weeks, and the
 * conversion between a wall-clock time in an IANA zone and a UTC instant.
 *
 * Civil dates are handled as day numbers (days since 1970-01-01), never as JavaScript Dates in the
 * process' own zone, so results do not depend on the machine's TZ.
 */
import { tzOffset } from '@date-fns/tz';
import type { LocalDate } from './types.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** No zone's offset is outside ±14 h; a wall time's candidate instants lie within this of it. */
const MAX_OFFSET_MS = 14 * 60 * MINUTE_MS;

export const WEEKDAY_NAMES = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const;
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export function civilFromDays(days: number): CivilDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

export function formatCivil({ year, month, day }: CivilDate): LocalDate {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

export function daysToLocalDate(days: number): LocalDate {
  return formatCivil(civilFromDays(days));
}

/** Parses a real calendar date written YYYY-MM-DD (2027-02-30 is rejected). */
export function parseLocalDate(text: string): CivilDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return null;
  const back = civilFromDays(daysFromCivil(year, month, day));
  return back.month === month && back.day === day ? { year, month, day } : null;
}

/** Day number of a LocalDate; throws RangeError on a malformed one (callers validate input first). */
export function localDateToDays(date: LocalDate): number {
  const c = parseLocalDate(date);
  if (!c) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${date}`);
  return daysFromCivil(c.year, c.month, c.day);
}

export function addDaysToLocalDate(date: LocalDate, days: number): LocalDate {
  return daysToLocalDate(localDateToDays(date) + days);
}

/** Calendar months later (negative: earlier), clamped to the month's last day (Mar 31 − 1 month = Feb 28/29). */
export function addMonthsToLocalDate(date: LocalDate, months: number): LocalDate {
  const c = parseLocalDate(date);
  if (!c) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${date}`);
  const index = c.year * 12 + (c.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const lastDay = civilFromDays(
    daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - 1,
  ).day;
  return formatCivil({ year, month, day: Math.min(c.day, lastDay) });
}

/** 0 = Sunday … 6 = Saturday (as Date#getDay). */
export function weekdayOfDays(days: number): number {
  // 1970-01-01 was a Thursday.
  return (((days + 4) % 7) + 7) % 7;
}

/** 1 = Monday … 7 = Sunday. */
function isoWeekdayOfDays(days: number): number {
  return weekdayOfDays(days) || 7;
}

const WEEK_KEY_RE = /^(\d{4})-W(\d{2})$/;

/** The ISO week-year and week of a civil date, as 'YYYY-Www' (Fri 2027-01-01 → '2026-W53'). */
export function isoWeekKeyOfDays(days: number): string {
  const thursday = days - isoWeekdayOfDays(days) + 4;
  const isoYear = civilFromDays(thursday).year;
  const week = Math.floor((thursday - daysFromCivil(isoYear, 1, 1)) / 7) + 1;
  return `${String(isoYear).padStart(4, '0')}-W${pad2(week)}`;
}

export function isoWeekKeyOf(date: LocalDate): string {
  return isoWeekKeyOfDays(localDateToDays(date));
}

function mondayOfWeek1(isoYear: number): number {
  const jan4 = daysFromCivil(isoYear, 1, 4);
  return jan4 - isoWeekdayOfDays(jan4) + 1;
}

export function isValidWeekKey(key: string): boolean {
  const m = WEEK_KEY_RE.exec(key);
  if (!m) return false;
  const week = Number(m[2]);
  if (week < 1) return false;
  // A year has 53 ISO weeks exactly when Dec 28 falls in week 53.
  return week <= 52 || isoWeekKeyOfDays(daysFromCivil(Number(m[1]), 12, 28)).endsWith('W53');
}

/** Day number of the Monday of an ISO week; throws RangeError on a malformed or impossible key. */
export function mondayOfWeekKey(key: string): number {
  const m = WEEK_KEY_RE.exec(key);
  if (!m || !isValidWeekKey(key)) throw new RangeError(`Not an ISO week key (YYYY-Www): ${key}`);
  return mondayOfWeek1(Number(m[1])) + (Number(m[2]) - 1) * 7;
}

/** The date in that ISO week falling on `weekday` (0 = Sunday … 6 = Saturday; Sunday ends the ISO week). */
export function dateInWeek(key: string, weekday: number): LocalDate {
  return daysToLocalDate(mondayOfWeekKey(key) + ((weekday + 6) % 7));
}

export function shiftWeekKey(key: string, weeks: number): string {
  return isoWeekKeyOfDays(mondayOfWeekKey(key) + weeks * 7);
}

const validZones = new Map<string, boolean>();

/** True for a zone name the runtime's time-zone database knows (IANA names, 'UTC'). */
export function isValidTimeZone(tz: string): boolean {
  let ok = validZones.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      ok = Number.isFinite(tzOffset(tz, new Date(0)));
    } catch {
      ok = false;
    }
    validZones.set(tz, ok);
  }
  return ok;
}

export interface ResolvedTimeZone {
  /** The zone computations use. */
  timeZone: string;
  /** Why UTC is used instead of the user's zone, or null when it is not a fallback. */
  fallback: 'missing' | 'unknown' | null;
}

/** A user's zone from Slack; null (Slack gave none) or a name the runtime does not know → UTC. */
export function resolveTimeZone(tz: string | null | undefined): ResolvedTimeZone {
  if (tz === null || tz === undefined || tz.trim() === '') return { timeZone: 'UTC', fallback: 'missing' };
  if (!isValidTimeZone(tz)) return { timeZone: 'UTC', fallback: 'unknown' };
  return { timeZone: tz, fallback: null };
}

/** UTC offset in milliseconds of `tz` at the instant `ms` (positive east of Greenwich). */
export function offsetMs(tz: string, ms: number): number {
  const minutes = tzOffset(tz, new Date(ms));
  if (!Number.isFinite(minutes)) throw new RangeError(`Unknown time zone: ${tz}`);
  return Math.round(minutes * MINUTE_MS);
}

export interface LocalDateTime {
  date: LocalDate;
  /** Day number of `date` (days since 1970-01-01). */
  days: number;
  minuteOfDay: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

/** The wall-clock date and time of an instant in `tz`. */
export function toLocal(instant: Date, tz: string): LocalDateTime {
  const localMs = instant.getTime() + offsetMs(tz, instant.getTime());
  const days = Math.floor(localMs / DAY_MS);
  const minuteOfDay = Math.floor((localMs - days * DAY_MS) / MINUTE_MS);
  return { date: daysToLocalDate(days), days, minuteOfDay, weekday: weekdayOfDays(days) };
}

export function formatMinuteOfDay(minuteOfDay: number): string {
  return `${pad2(Math.floor(minuteOfDay / 60))}:${pad2(minuteOfDay % 60)}`;
}

/** 'YYYY-MM-DDTHH:mm' wall clock of an instant in `tz`. */
export function formatLocalDateTime(instant: Date, tz: string): string {
  const local = toLocal(instant, tz);
  return `${local.date}T${formatMinuteOfDay(local.minuteOfDay)}`;
}

/**
 * The instant at which the wall clock in `tz` shows `minuteOfDay` on the civil day `days`.
 *
 * DST: a wall time skipped by a forward transition does not exist, and the first valid minute after
 * it is used (02:30 on 2026-03-08 in New York → 03:00 EDT); a wall time repeated by a backward
 * transition resolves to its first occurrence (01:30 on 2026-11-01 in New York → 01:30 EDT).
 */
export function zonedDaysToInstant(days: number, minuteOfDay: number, tz: string): Date {
  const wall = days * DAY_MS + minuteOfDay * MINUTE_MS;
  const lo = wall - MAX_OFFSET_MS;
  const hi = wall + MAX_OFFSET_MS;
  const before = offsetMs(tz, lo);
  const after = offsetMs(tz, hi);
  let best: number | null = null;
  for (const offset of before === after ? [before] : [before, after]) {
    const candidate = wall - offset;
    if (offsetMs(tz, candidate) === offset && (best === null || candidate < best)) best = candidate;
  }
  if (best !== null) return new Date(best);
  // In a gap: the answer is the transition itself, the first instant carrying the later offset.
  let a = lo;
  let b = hi;
  while (b - a > MINUTE_MS) {
    const mid = a + Math.floor((b - a) / 2 / MINUTE_MS) * MINUTE_MS;
    if (offsetMs(tz, mid) === before) a = mid;
    else b = mid;
  }
  return new Date(b);
}

export function zonedToInstant(date: LocalDate, minuteOfDay: number, tz: string): Date {
  return zonedDaysToInstant(localDateToDays(date), minuteOfDay, tz);
}
