/**
 * Weekly nudge scheduling rules: when a user's slot falls, and which nudges are due at an instant.
 *
 * Pure: the caller passes the clock (`now`), the users' settings and the ledger of nudges.
 *
 * Invariants the functions here guarantee, given a caller that writes a ledger row for every
 * decision it acts on (one row per user per ISO week, see `LedgerRow`):
 * - at most one nudge per user per week (any ledger row for a week excludes it from `dueNudges`);
 * - never before the local slot;
 * - never `lateWindowHours` or more after it (the week is skipped as 'too-late' instead).
 */
import type { LocalDate } from './types.ts';
import {
  dateInWeek,
  daysToLocalDate,
  formatLocalDateTime,
  formatMinuteOfDay,
  isoWeekKeyOfDays,
  localDateToDays,
  mondayOfWeekKey,
  offsetMs,
  resolveTimeZone,
  shiftWeekKey,
  toLocal,
  zonedDaysToInstant,
} from './zoned-time.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const WEEK_HOURS = 7 * 24;

/** Friday (days are numbered 0 = Sunday … 6 = Saturday, as `Date#getDay`). */
export const DEFAULT_NUDGE_DAY = 5;
/** 16:00 local. */
export const DEFAULT_NUDGE_MINUTE_OF_DAY = 16 * 60;
export const DEFAULT_LATE_WINDOW_HOURS = 24;

export interface NudgeSettings {
  /** Tenant: enterprise_id for org-wide installs, else team_id. */
  teamId: string;
  userId: string;
  enabled: boolean;
  /** 0 = Sunday, 1 = Monday … 6 = Saturday (as `Date#getDay`). */
  day: number;
  /** Minutes after local midnight, 0–1439 (16:00 → 960). */
  minuteOfDay: number;
  /** IANA zone from Slack's users.info; null (or a name the runtime does not know) → UTC. */
  tz: string | null;
  /** No nudges for slots falling on or before this date, in the user's zone (inclusive). */
  pausedThrough: LocalDate | null;
  /** ISO week key ('YYYY-Www') of one upcoming nudge the user chose to skip. */
  skipWeek: string | null;
  /** When the user opted in: slots before this instant are never due (no catch-up for them). */
  createdAt: Date;
}

export function defaultNudgeSettings(
  owner: { teamId: string; userId: string },
  createdAt: Date,
): NudgeSettings {
  return {
    teamId: owner.teamId,
    userId: owner.userId,
    enabled: true,
    day: DEFAULT_NUDGE_DAY,
    minuteOfDay: DEFAULT_NUDGE_MINUTE_OF_DAY,
    tz: null,
    pausedThrough: null,
    skipWeek: null,
    createdAt,
  };
}

export const LEDGER_STATES = ['claimed', 'sending', 'sent', 'failed', 'skipped'] as const;
export type LedgerState = (typeof LEDGER_STATES)[number];

/** One row per user per ISO week of the slot's local date. */
export interface LedgerRow {
  teamId: string;
  userId: string;
  weekKey: string;
  /**
   * The slot this row is for, recorded at claim time. Retries are bounded by it (the late window),
   * so a change of settings after the claim cannot stretch the window.
   */
  slotAt: Date;
  state: LedgerState;
  /** Failed delivery attempts so far. */
  attempts: number;
  /** For 'failed' rows: not retried before this instant (see `nextAttemptAfterFailure`). */
  nextAttemptAt: Date | null;
  leaseOwner: string | null;
  /** For 'claimed' rows: after this instant the claim is considered abandoned (its process died). */
  leaseExpiresAt: Date | null;
}

export type SkipReason = 'paused' | 'skipped-by-user' | 'too-late';

export interface NudgeDecision {
  teamId: string;
  userId: string;
  weekKey: string;
  slotAt: Date;
  /** Wall clock of `slotAt` in the user's zone, 'YYYY-MM-DDTHH:mm' (after DST adjustment: 03:00, not 02:30). */
  localSlot: string;
  action: 'send' | 'skip';
  reason?: SkipReason;
}

interface Slot {
  at: Date;
  /** 'YYYY-MM-DDTHH:mm' local. */
  local: string;
}

function computeSlot(timeZone: string, day: number, minuteOfDay: number, weekKey: string): Slot {
  const at = zonedDaysToInstant(localDateToDays(dateInWeek(weekKey, day)), minuteOfDay, timeZone);
  return { at, local: formatLocalDateTime(at, timeZone) };
}

/**
 * Slots are memoised per call and per zone, since most users share a handful of (day, time): the
 * weeks looked at (oldest first) and their slots under a numeric key.
 */
interface ZoneSlots {
  timeZone: string;
  weeks: string[];
  /** Day number of each week's Monday. */
  mondays: number[];
  /**
   * The zone's UTC offset (ms) throughout each week when it does not change in it (no DST
   * transition that week, the usual case), else null: slots then need the exact conversion.
   * Undefined until a slot of that week is first needed.
   */
  fixedOffsets: Array<number | null | undefined>;
  slots: Map<number, Slot>;
}

const MINUTES_PER_WEEK = 7 * 1440;
/** Any wall time of a week lies within ±14 h of the week's UTC span. */
const WEEK_MARGIN_MS = 14 * HOUR_MS;

function zoneSlots(timeZone: string, weeks: string[]): ZoneSlots {
  return { timeZone, weeks, mondays: weeks.map(mondayOfWeekKey), fixedOffsets: [], slots: new Map() };
}

/**
 * Offsets at the start, middle and end of the week's span: all equal means no transition in it
 * (no zone changes its offset and back within one week).
 */
function fixedOffsetOfWeek(timeZone: string, monday: number): number | null {
  const start = monday * DAY_MS - WEEK_MARGIN_MS;
  const end = (monday + 7) * DAY_MS + WEEK_MARGIN_MS;
  const first = offsetMs(timeZone, start);
  return offsetMs(timeZone, (start + end) / 2) === first && offsetMs(timeZone, end) === first ? first : null;
}

function slotFor(zone: ZoneSlots, weekIndex: number, day: number, minuteOfDay: number): Slot {
  const key = weekIndex * MINUTES_PER_WEEK + day * 1440 + minuteOfDay;
  let slot = zone.slots.get(key);
  if (!slot) {
    let offset = zone.fixedOffsets[weekIndex];
    if (offset === undefined) {
      offset = fixedOffsetOfWeek(zone.timeZone, zone.mondays[weekIndex] as number);
      zone.fixedOffsets[weekIndex] = offset;
    }
    if (offset === null) {
      slot = computeSlot(zone.timeZone, day, minuteOfDay, zone.weeks[weekIndex] as string);
    } else {
      // No transition this week: every wall time exists once, and is the wall time minus the offset.
      const days = (zone.mondays[weekIndex] as number) + ((day + 6) % 7);
      slot = {
        at: new Date(days * DAY_MS + minuteOfDay * MINUTE_MS - offset),
        local: `${daysToLocalDate(days)}T${formatMinuteOfDay(minuteOfDay)}`,
      };
    }
    zone.slots.set(key, slot);
  }
  return slot;
}

/**
 * The UTC instant of a user's slot in an ISO week (the week of the slot's local date). A local time
 * that does not exist that day → the next valid minute; one that occurs twice → its first occurrence.
 */
export function slotInWeek(
  settings: Pick<NudgeSettings, 'day' | 'minuteOfDay' | 'tz'>,
  isoWeekKey: string,
): Date {
  return computeSlot(resolveTimeZone(settings.tz).timeZone, settings.day, settings.minuteOfDay, isoWeekKey)
    .at;
}

/** The ISO week key ('YYYY-Www') of the local date of `instant` in `tz` (null → UTC). */
export function weekKeyAt(instant: Date, tz: string | null): string {
  return isoWeekKeyOfDays(toLocal(instant, resolveTimeZone(tz).timeZone).days);
}

/** Whether a slot is covered by the user's pause (paused through a date, inclusive, in their zone). */
export function isPausedAt(settings: Pick<NudgeSettings, 'pausedThrough' | 'tz'>, slotAt: Date): boolean {
  if (settings.pausedThrough === null) return false;
  return toLocal(slotAt, resolveTimeZone(settings.tz).timeZone).date <= settings.pausedThrough;
}

export interface DueNudgesInput {
  users: readonly NudgeSettings[];
  /** Ledger rows for (at least) the current and previous weeks. */
  ledger: readonly LedgerRow[];
  now: Date;
  lateWindowHours: number;
}

/**
 * Who is due at `now`: for each opted-in user, each week whose slot is at or before `now` and that
 * has no ledger row yet. The current local week always gets a decision once its slot has passed
 * ('send', or 'skip' with a reason, 'too-late' included); earlier weeks only while still inside the
 * late window (a slot missed before the week changed, e.g. a Sunday-evening slot and downtime).
 * Slots earlier than the user's `createdAt` are ignored. Decisions come in input order.
 */
export function dueNudges({ users, ledger, now, lateWindowHours }: DueNudgesInput): NudgeDecision[] {
  const windowMs = Math.max(0, lateWindowHours) * HOUR_MS;
  const nowMs = now.getTime();
  // Weeks before the current one whose slot can still be inside the window.
  const weeksBack = Math.min(52, Math.ceil(Math.max(0, lateWindowHours) / WEEK_HOURS));
  // team → user → the week keys with a ledger row, joined ('2027-W01 2027-W02'): nested maps and
  // no per-row Set, so 100k+ people cost no key strings and little garbage.
  const taken = new Map<string, Map<string, string>>();
  for (const row of ledger) {
    let byUser = taken.get(row.teamId);
    if (!byUser) {
      byUser = new Map();
      taken.set(row.teamId, byUser);
    }
    const weeksTaken = byUser.get(row.userId);
    byUser.set(row.userId, weeksTaken === undefined ? row.weekKey : `${weeksTaken} ${row.weekKey}`);
  }

  const zones = new Map<string, ZoneSlots>();
  // The stored zone name as Slack gave it → its slots (most users share a few names).
  const zoneOfName = new Map<string | null, ZoneSlots>();
  const decisions: NudgeDecision[] = [];

  for (const user of users) {
    if (!user.enabled) continue;
    let zone = zoneOfName.get(user.tz);
    if (zone === undefined) {
      const { timeZone } = resolveTimeZone(user.tz);
      zone = zones.get(timeZone);
      if (zone === undefined) {
        const current = isoWeekKeyOfDays(toLocal(now, timeZone).days);
        const weeks: string[] = [];
        for (let back = weeksBack; back > 0; back--) weeks.push(shiftWeekKey(current, -back));
        weeks.push(current);
        zone = zoneSlots(timeZone, weeks);
        zones.set(timeZone, zone);
      }
      zoneOfName.set(user.tz, zone);
    }
    const { weeks } = zone;
    const createdMs = user.createdAt.getTime();
    // Looked up once per person, and only when a slot is due.
    let weeksTaken: string | null | undefined = null;
    for (let i = 0; i < weeks.length; i++) {
      const weekKey = weeks[i] as string;
      const slot = slotFor(zone, i, user.day, user.minuteOfDay);
      const slotMs = slot.at.getTime();
      if (slotMs > nowMs || slotMs < createdMs) continue;
      const late = nowMs - slotMs >= windowMs;
      // Earlier weeks only while still inside the window; the current week always gets a decision.
      if (late && i < weeks.length - 1) continue;
      if (weeksTaken === null) weeksTaken = taken.get(user.teamId)?.get(user.userId);
      if (weeksTaken?.includes(weekKey)) continue;
      const decision: NudgeDecision = {
        teamId: user.teamId,
        userId: user.userId,
        weekKey,
        slotAt: new Date(slotMs),
        localSlot: slot.local,
        action: 'send',
      };
      if (user.pausedThrough !== null && slot.local.slice(0, 10) <= user.pausedThrough) {
        decision.action = 'skip';
        decision.reason = 'paused';
      } else if (user.skipWeek === weekKey) {
        decision.action = 'skip';
        decision.reason = 'skipped-by-user';
      } else if (late) {
        decision.action = 'skip';
        decision.reason = 'too-late';
      }
      decisions.push(decision);
    }
  }
  return decisions;
}

/** Backoff after the n-th failed attempt: 1, 2, 4, 8 … minutes, capped at one hour. */
export function retryBackoffMs(attempts: number): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 6));
  return Math.min(2 ** exponent, 60) * MINUTE_MS;
}

/**
 * When a row that has just failed for the `attempts`-th time may be retried. Computed from the
 * tick's instant (not the wall clock), so `nudges run --at` later than that retries it.
 */
export function nextAttemptAfterFailure(attempts: number, tickAt: Date): Date {
  return new Date(tickAt.getTime() + retryBackoffMs(attempts));
}

export interface RetryOptions {
  lateWindowHours: number;
  /**
   * Current settings: when given, rows of users who since turned nudges off, paused over the slot or
   * chose to skip that week are not retried.
   */
  users?: readonly NudgeSettings[];
  /** Give up after this many failed attempts (default: only the late window bounds retries). */
  maxAttempts?: number;
}

export interface RetryCandidate {
  row: LedgerRow;
  reason: 'failed' | 'lease-expired';
}

/**
 * Ledger rows to attempt again at `now`: 'failed' rows whose backoff has elapsed, and 'claimed' rows
 * whose lease expired (their process died before sending; a claim without a lease counts as
 * expired). Both only while `now` is inside the late window of the row's slot. Rows in 'sending'
 * are never returned: the Slack call may have gone out, and a nudge is sent at most once.
 */
export function retryableRows(
  ledger: readonly LedgerRow[],
  now: Date,
  options: RetryOptions,
): RetryCandidate[] {
  const nowMs = now.getTime();
  const windowMs = Math.max(0, options.lateWindowHours) * HOUR_MS;
  const settingsByUser = options.users
    ? new Map(options.users.map((u) => [`${u.teamId}\u0000${u.userId}`, u]))
    : undefined;
  const out: RetryCandidate[] = [];
  for (const row of ledger) {
    let reason: RetryCandidate['reason'];
    if (row.state === 'failed') {
      if (row.nextAttemptAt !== null && row.nextAttemptAt.getTime() > nowMs) continue;
      if (options.maxAttempts !== undefined && row.attempts >= options.maxAttempts) continue;
      reason = 'failed';
    } else if (row.state === 'claimed') {
      if (row.leaseExpiresAt !== null && row.leaseExpiresAt.getTime() > nowMs) continue;
      reason = 'lease-expired';
    } else {
      continue;
    }
    const slotMs = row.slotAt.getTime();
    if (nowMs < slotMs || nowMs - slotMs >= windowMs) continue;
    if (settingsByUser) {
      const user = settingsByUser.get(`${row.teamId}\u0000${row.userId}`);
      if (!user?.enabled || user.skipWeek === row.weekKey || isPausedAt(user, row.slotAt)) continue;
    }
    out.push({ row, reason });
  }
  return out;
}

/** How many weeks ahead `nextDueAt` looks for a slot no row has handled yet. */
const NEXT_DUE_WEEKS_AHEAD = 8;

/**
 * The earliest instant at which `dueNudges` may make a decision for this person (a send, or a
 * skip: paused and skipped weeks still get their 'skipped' row at their slot), given the weeks
 * already handled (a ledger row, or a decision just made): the first slot from the schedule's
 * start with no row that is not past deciding at `at` (an earlier week beyond the late window).
 * At or before `at` when a decision is pending now; null when nudges are off. The scheduler reads
 * only the people whose instant has come, so this errs early, never late. `memo`: share one
 * across the people of a batch (and one instant `at`) to compute each zone's slots once.
 */
export function nextDueAt(
  settings: NudgeSettings,
  handledWeeks: ReadonlySet<string>,
  at: Date,
  lateWindowHours: number,
  memo: Map<string, number | string> = new Map(),
): Date | null {
  if (!settings.enabled) return null;
  const { timeZone } = resolveTimeZone(settings.tz);
  const windowMs = Math.max(0, lateWindowHours) * HOUR_MS;
  const weeksBack = Math.min(52, Math.ceil(Math.max(0, lateWindowHours) / WEEK_HOURS));
  // Memoised per call site (a batch shares a few zones and slots): the zone's week, each slot.
  let current = memo.get(timeZone) as string | undefined;
  if (current === undefined) {
    current = isoWeekKeyOfDays(toLocal(at, timeZone).days);
    memo.set(timeZone, current);
  }
  const atMs = at.getTime();
  const createdMs = settings.createdAt.getTime();
  for (let i = -weeksBack; i <= NEXT_DUE_WEEKS_AHEAD; i++) {
    const week = shiftWeekKey(current, i);
    const key = `${timeZone} ${week} ${settings.day} ${settings.minuteOfDay}`;
    let slotMs = memo.get(key) as number | undefined;
    if (slotMs === undefined) {
      const days = localDateToDays(dateInWeek(week, settings.day));
      slotMs = zonedDaysToInstant(days, settings.minuteOfDay, timeZone).getTime();
      memo.set(key, slotMs);
    }
    if (slotMs < createdMs || handledWeeks.has(week)) continue;
    // An earlier week's slot beyond the late window is never decided (the current week's is: too late).
    if (i < 0 && atMs - slotMs >= windowMs) continue;
    return new Date(slotMs);
  }
  // Every week looked at is handled (rows written ahead across a zone change): look again in a week.
  return new Date(atMs + 7 * DAY_MS);
}
