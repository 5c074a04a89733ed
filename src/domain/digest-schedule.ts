/**
 * When the monthly digest is due: the first Monday of each month, at the person's weekly nudge time
 * (default 16:00) in their zone, once per person per month. Pure: the clock is a parameter.
 *
 * Digest rows live in the weekly nudge's ledger (kind 'digest'); their `weekKey` holds the month of
 * the slot, 'YYYY-MM' in the person's zone.
 */
import { fromRow, type ReportRow, type RunLine } from './nudge-report.ts';
import { DEFAULT_NUDGE_MINUTE_OF_DAY, type LedgerRow, retryableRows } from './nudge-schedule.ts';
import type { LocalDate } from './types.ts';
import {
  daysFromCivil,
  daysToLocalDate,
  formatLocalDateTime,
  MONTH_NAMES,
  resolveTimeZone,
  toLocal,
  weekdayOfDays,
  zonedDaysToInstant,
} from './zoned-time.ts';

const HOUR_MS = 3_600_000;

/** One person who wants the digest, with what its slot depends on. */
export interface DigestUser {
  teamId: string;
  userId: string;
  enabled: boolean;
  tz: string | null;
  /** The weekly nudge's time of day (minutes after local midnight), whether or not nudges are on. */
  minuteOfDay: number;
  /** When the digest was switched on: a month whose slot came before it is not caught up. */
  effectiveFrom: Date;
}

export interface DigestDecision {
  teamId: string;
  userId: string;
  /** 'YYYY-MM' of the slot, in the person's zone. */
  monthKey: string;
  slotAt: Date;
  /** 'YYYY-MM-DDTHH:mm' in the person's zone. */
  localSlot: string;
  action: 'send' | 'skip';
  reason?: 'too-late';
}

export function defaultDigestMinute(weeklyMinute: number | null | undefined): number {
  return weeklyMinute ?? DEFAULT_NUDGE_MINUTE_OF_DAY;
}

/** 'YYYY-MM' of a local date. */
export function monthKeyOf(date: LocalDate): string {
  return date.slice(0, 7);
}

/** The month `months` after (or before) 'YYYY-MM'. */
export function shiftMonthKey(key: string, months: number): string {
  const index = Number(key.slice(0, 4)) * 12 + Number(key.slice(5, 7)) - 1 + months;
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** "November 2026". */
export function monthLabel(key: string): string {
  return `${MONTH_NAMES[Number(key.slice(5, 7)) - 1] ?? key} ${key.slice(0, 4)}`;
}

/** The first and last local dates of a month. */
export function monthRange(key: string): { startDate: LocalDate; endDate: LocalDate } {
  const year = Number(key.slice(0, 4));
  const month = Number(key.slice(5, 7));
  const first = daysFromCivil(year, month, 1);
  const next = shiftMonthKey(key, 1);
  const last = daysFromCivil(Number(next.slice(0, 4)), Number(next.slice(5, 7)), 1) - 1;
  return { startDate: daysToLocalDate(first), endDate: daysToLocalDate(last) };
}

/** Day number of the first Monday of a month. */
function firstMondayDays(key: string): number {
  const first = daysFromCivil(Number(key.slice(0, 4)), Number(key.slice(5, 7)), 1);
  return first + ((8 - weekdayOfDays(first)) % 7);
}

/**
 * The digest's instant in a month: its first Monday at `minuteOfDay` in `tz` (a wall time skipped
 * by a DST change moves to the first valid minute, as the weekly nudge's does).
 */
export function digestSlot(key: string, minuteOfDay: number, tz: string | null): { at: Date; local: string } {
  const { timeZone } = resolveTimeZone(tz);
  const at = zonedDaysToInstant(firstMondayDays(key), minuteOfDay, timeZone);
  return { at, local: formatLocalDateTime(at, timeZone) };
}

/** The next digest slot after `now` (this month's, else next month's). */
export function nextDigestSlot(
  user: Pick<DigestUser, 'tz' | 'minuteOfDay'>,
  now: Date,
): { at: Date; local: string; monthKey: string } {
  const { timeZone } = resolveTimeZone(user.tz);
  const month = monthKeyOf(toLocal(now, timeZone).date);
  const here = digestSlot(month, user.minuteOfDay, user.tz);
  if (here.at.getTime() > now.getTime()) return { ...here, monthKey: month };
  const next = shiftMonthKey(month, 1);
  return { ...digestSlot(next, user.minuteOfDay, user.tz), monthKey: next };
}

/**
 * Whether any zone can have a digest due, or to retry, at `now`: a first Monday is a local 1st to
 * 7th, and local dates are at most a day from UTC's; then the late window. Lets the minute tick skip
 * the due-check on the other days of the month.
 */
export function digestsPossibleAt(now: Date, lateWindowHours: number): boolean {
  const day = now.getUTCDate();
  return day >= 28 || day <= 8 + Math.ceil(Math.max(0, lateWindowHours) / 24);
}

export interface DueDigestsInput {
  users: readonly DigestUser[];
  /** Digest ledger rows of (at least) this month and the one before. */
  ledger: readonly LedgerRow[];
  now: Date;
  lateWindowHours: number;
}

/**
 * The digests to claim at `now`: every enabled person whose slot this month (in their zone) has
 * come, who has no ledger row for that month yet, and who switched the digest on before the slot.
 * A slot more than the late window ago is written as skipped ('too-late'), never sent.
 */
export function dueDigests({ users, ledger, now, lateWindowHours }: DueDigestsInput): DigestDecision[] {
  const nowMs = now.getTime();
  const windowMs = Math.max(0, lateWindowHours) * HOUR_MS;
  const written = new Set(ledger.map((r) => `${r.teamId}\u0000${r.userId}\u0000${r.weekKey}`));
  // Slots depend on the zone, the month and the minute only: computed once per zone and minute.
  const zones = new Map<
    string | null,
    { timeZone: string; month: string; slots: Map<number, { at: Date; local: string }> }
  >();
  const out: DigestDecision[] = [];
  for (const u of users) {
    if (!u.enabled) continue;
    let zone = zones.get(u.tz);
    if (zone === undefined) {
      const { timeZone } = resolveTimeZone(u.tz);
      zone = { timeZone, month: monthKeyOf(toLocal(now, timeZone).date), slots: new Map() };
      zones.set(u.tz, zone);
    }
    let slot = zone.slots.get(u.minuteOfDay);
    if (slot === undefined) {
      slot = digestSlot(zone.month, u.minuteOfDay, zone.timeZone);
      zone.slots.set(u.minuteOfDay, slot);
    }
    const slotMs = slot.at.getTime();
    if (slotMs > nowMs || slotMs < u.effectiveFrom.getTime()) continue;
    if (written.has(`${u.teamId}\u0000${u.userId}\u0000${zone.month}`)) continue;
    const late = nowMs - slotMs >= windowMs;
    out.push({
      teamId: u.teamId,
      userId: u.userId,
      monthKey: zone.month,
      slotAt: slot.at,
      localSlot: slot.local,
      action: late ? 'skip' : 'send',
      ...(late ? { reason: 'too-late' as const } : {}),
    });
  }
  return out;
}

/**
 * Digest rows to attempt again: failed ones after their backoff, claims whose process died; never
 * 'sending' ones (at most once), only inside the late window, only for people still opted in.
 */
export function retryableDigests(
  ledger: readonly LedgerRow[],
  now: Date,
  options: { lateWindowHours: number; users: readonly DigestUser[] },
): LedgerRow[] {
  const enabled = new Set(options.users.filter((u) => u.enabled).map((u) => `${u.teamId}\u0000${u.userId}`));
  return retryableRows(ledger, now, { lateWindowHours: options.lateWindowHours })
    .map((c) => c.row)
    .filter((r) => enabled.has(`${r.teamId}\u0000${r.userId}`));
}

/**
 * `nudges run`'s digest lines: one per person (opted in, or acted on by the run) whose digest slot
 * this month is at or before `at` and not before they switched it on, from the ledger as it stands
 * (with --dry-run, from the decisions). Sorted by team, user.
 */
export function buildDigestRunReport(input: {
  users: readonly DigestUser[];
  ledger: readonly ReportRow[];
  decisions: readonly DigestDecision[];
  at: Date;
}): RunLine[] {
  const rows = new Map(input.ledger.map((r) => [`${r.teamId}\u0000${r.userId}\u0000${r.weekKey}`, r]));
  const decided = new Map(input.decisions.map((d) => [`${d.teamId}\u0000${d.userId}\u0000${d.monthKey}`, d]));
  const lines: RunLine[] = [];
  for (const u of input.users) {
    const { timeZone } = resolveTimeZone(u.tz);
    const month = monthKeyOf(toLocal(input.at, timeZone).date);
    const slot = digestSlot(month, u.minuteOfDay, timeZone);
    const k = `${u.teamId}\u0000${u.userId}\u0000${month}`;
    const row = rows.get(k);
    const decision = decided.get(k);
    if (!row && (slot.at.getTime() > input.at.getTime() || slot.at.getTime() < u.effectiveFrom.getTime()))
      continue;
    const result: Pick<RunLine, 'status' | 'reason'> = row
      ? fromRow(row, input.at)
      : decision?.action === 'send'
        ? { status: 'due' }
        : { status: 'skipped', reason: decision?.reason ?? 'digest-off' };
    const local = row ? formatLocalDateTime(row.slotAt, timeZone) : slot.local;
    lines.push({
      teamId: u.teamId,
      userId: u.userId,
      weekKey: month,
      localSlot: local,
      kind: 'digest',
      ...result,
    });
  }
  return lines.sort((a, b) => (a.teamId + a.userId < b.teamId + b.userId ? -1 : 1));
}
