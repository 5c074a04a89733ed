/**
 * `/ladder nudge …`: applying the parsed arguments (./nudge-args.ts) to a user's settings, and
 * describing the resulting schedule. Pure; the clock and the user's zone are parameters.
 */

import { notACalendarDate, quote } from './echo.ts';
import { MAX_PAUSE_DAYS, MAX_PAUSE_WEEKS, type NudgeArgs } from './nudge-args.ts';
import {
  DEFAULT_LATE_WINDOW_HOURS,
  defaultNudgeSettings,
  dueNudges,
  isPausedAt,
  type LedgerRow,
  type NudgeSettings,
  weekKeyAt,
} from './nudge-schedule.ts';
import type { LocalDate } from './types.ts';
import {
  addDaysToLocalDate,
  dateInWeek,
  formatLocalDateTime,
  formatMinuteOfDay,
  isoWeekKeyOf,
  localDateToDays,
  MONTH_NAMES,
  parseLocalDate,
  resolveTimeZone,
  shiftWeekKey,
  toLocal,
  WEEKDAY_NAMES,
  zonedDaysToInstant,
} from './zoned-time.ts';

export type PauseResolution = { ok: true; pausedThrough: LocalDate } | { ok: false; message: string };

/**
 * The last paused date (inclusive, in the user's zone). `pause Nw` covers N whole weeks from today:
 * through today + 7N − 1, so each weekday's slot is skipped exactly N times and nudges resume on the
 * same weekday N weeks later. A date in the past, or more than a year ahead, is refused.
 */
export function resolvePauseUntil(
  args: { kind: 'pause'; until: LocalDate } | { kind: 'pause-weeks'; weeks: number },
  now: Date,
  tz: string | null,
): PauseResolution {
  const today = toLocal(now, resolveTimeZone(tz).timeZone).date;
  if (args.kind === 'pause-weeks') {
    const weeks = Math.trunc(args.weeks);
    if (!(weeks >= 1 && weeks <= MAX_PAUSE_WEEKS)) {
      return { ok: false, message: `Pause for 1 to ${MAX_PAUSE_WEEKS} weeks.` };
    }
    return { ok: true, pausedThrough: addDaysToLocalDate(today, weeks * 7 - 1) };
  }
  if (!parseLocalDate(args.until)) return { ok: false, message: notACalendarDate(args.until) };
  if (args.until < today) {
    return {
      ok: false,
      message: `${args.until} has already passed (today is ${today}). Pick today or a later date.`,
    };
  }
  if (args.until > addDaysToLocalDate(today, MAX_PAUSE_DAYS)) {
    return {
      ok: false,
      message: 'You can pause for up to a year. To stop nudges altogether, use `nudge off`.',
    };
  }
  return { ok: true, pausedThrough: args.until };
}

export interface NextNudgeOptions {
  /**
   * The user's ledger rows: with them, a slot that has passed but is still inside the late window
   * and has no row counts as pending (the next tick sends it).
   */
  ledger?: readonly LedgerRow[];
  lateWindowHours?: number;
  /** Disregard `skipWeek` (to find which nudge `nudge skip` should skip). */
  ignoreSkip?: boolean;
}

export interface NextNudge {
  weekKey: string;
  slotAt: Date;
  /** True when the slot has already passed and the next tick will send it. */
  pending: boolean;
}

/** The next nudge that will be sent, honouring pause and skip; null when nudges are off. */
export function nextNudge(
  settings: NudgeSettings,
  now: Date,
  options: NextNudgeOptions = {},
): NextNudge | null {
  if (!settings.enabled) return null;
  const effective = options.ignoreSkip ? { ...settings, skipWeek: null } : settings;
  if (options.ledger) {
    const pending = dueNudges({
      users: [effective],
      ledger: options.ledger,
      now,
      lateWindowHours: options.lateWindowHours ?? DEFAULT_LATE_WINDOW_HOURS,
    }).find((d) => d.action === 'send');
    if (pending) return { weekKey: pending.weekKey, slotAt: pending.slotAt, pending: true };
  }
  const { timeZone } = resolveTimeZone(settings.tz);
  let week = weekKeyAt(now, timeZone);
  // A week already in the ledger (sent, sending, skipped, or failed past retrying) is done: its
  // slot is never the next one, whatever the clock says (the local clock can deliver ahead of now).
  const handled = new Set(
    (options.ledger ?? [])
      .filter((r) => r.teamId === settings.teamId && r.userId === settings.userId)
      .map((r) => r.weekKey),
  );
  // Jump over a long pause instead of walking week by week.
  if (effective.pausedThrough !== null && parseLocalDate(effective.pausedThrough)) {
    const pauseWeek = isoWeekKeyOf(effective.pausedThrough);
    if (pauseWeek > week) week = pauseWeek;
  }
  for (let i = 0; i < 8; i++, week = shiftWeekKey(week, 1)) {
    const slotAt = zonedDaysToInstant(
      localDateToDays(dateInWeek(week, settings.day)),
      settings.minuteOfDay,
      timeZone,
    );
    if (slotAt.getTime() <= now.getTime() || slotAt.getTime() < settings.createdAt.getTime()) continue;
    if (isPausedAt(effective, slotAt) || effective.skipWeek === week || handled.has(week)) continue;
    return { weekKey: week, slotAt, pending: false };
  }
  return null;
}

/** The week `nudge skip` should record: that of the next nudge not yet sent (pause honoured). */
export function weekToSkip(
  settings: NudgeSettings,
  now: Date,
  options: NextNudgeOptions = {},
): string | null {
  return nextNudge(settings, now, { ...options, ignoreSkip: true })?.weekKey ?? null;
}

export interface ScheduleDescription {
  enabled: boolean;
  day: number;
  minuteOfDay: number;
  /** 'Fridays at 16:00'. */
  weekly: string;
  /** The zone used for computations ('UTC' when Slack gave none). */
  timeZone: string;
  /** '(UTC — Slack gave no time zone)' when the zone is a fallback, else null. */
  timeZoneNote: string | null;
  next: {
    at: Date;
    weekKey: string;
    /** 'YYYY-MM-DDTHH:mm', local. */
    localSlot: string;
    /** 'Friday 8 January 2027 at 16:00', local. */
    localText: string;
    pending: boolean;
  } | null;
  /** The pause, when it still covers today or later. */
  pausedThrough: LocalDate | null;
  /** The skipped week, when its slot is still ahead. */
  skipWeek: string | null;
  /** One paragraph for a reply (Slack mrkdwn). */
  text: string;
}

function longLocal(at: Date, timeZone: string): string {
  const local = toLocal(at, timeZone);
  const [year, month, day] = local.date.split('-').map(Number);
  return `${WEEKDAY_NAMES[local.weekday]} ${day} ${MONTH_NAMES[(month ?? 1) - 1]} ${year} at ${formatMinuteOfDay(local.minuteOfDay)}`;
}

/** What `nudge status` shows: the weekly slot, the next send in local time, the zone used. */
export function describeSchedule(
  settings: NudgeSettings,
  now: Date,
  options: Omit<NextNudgeOptions, 'ignoreSkip'> = {},
): ScheduleDescription {
  const { timeZone, fallback } = resolveTimeZone(settings.tz);
  const timeZoneNote =
    fallback === 'missing'
      ? '(UTC — Slack gave no time zone)'
      : fallback === 'unknown'
        ? `(UTC — Slack's time zone ${quote(settings.tz ?? '')} is not one I know)`
        : null;
  const weekly = `${WEEKDAY_NAMES[settings.day] ?? 'Friday'}s at ${formatMinuteOfDay(settings.minuteOfDay)}`;
  const today = toLocal(now, timeZone).date;
  const pausedThrough =
    settings.enabled && settings.pausedThrough !== null && settings.pausedThrough >= today
      ? settings.pausedThrough
      : null;
  const found = nextNudge(settings, now, options);
  const next = found
    ? {
        at: found.slotAt,
        weekKey: found.weekKey,
        localSlot: formatLocalDateTime(found.slotAt, timeZone),
        localText: longLocal(found.slotAt, timeZone),
        pending: found.pending,
      }
    : null;
  let skipWeek: string | null = null;
  if (settings.enabled && settings.skipWeek !== null) {
    const skipped = nextNudge(settings, now, { ...options, ignoreSkip: true });
    if (skipped && skipped.weekKey === settings.skipWeek) skipWeek = settings.skipWeek;
  }
  const when = timeZoneNote ? `${weekly} ${timeZoneNote}` : `${weekly}, ${timeZone}`;
  const parts: string[] = [];
  if (!settings.enabled) {
    parts.push(`Weekly nudges are off. \`nudge on\` turns them on: ${when}.`);
  } else {
    parts.push(`Weekly nudges: ${when}.`);
    if (pausedThrough) parts.push(`Paused through ${pausedThrough}.`);
    if (skipWeek) parts.push('Skipping the next one, as you asked.');
    if (next) parts.push(next.pending ? 'Next: due now, on its way.' : `Next: ${next.localText}.`);
  }
  return {
    enabled: settings.enabled,
    day: settings.day,
    minuteOfDay: settings.minuteOfDay,
    weekly,
    timeZone,
    timeZoneNote,
    next,
    pausedThrough,
    skipWeek,
    text: parts.join(' '),
  };
}

export type NudgeChange = Extract<
  NudgeArgs,
  { kind: 'on' | 'off' | 'set' | 'pause' | 'pause-weeks' | 'skip' }
>;

export interface NudgeChangeContext {
  teamId: string;
  userId: string;
  now: Date;
  /** The user's current zone from Slack (undefined: keep the stored one). */
  tz?: string | null;
  ledger?: readonly LedgerRow[];
  lateWindowHours?: number;
}

export type NudgeChangeResult = { ok: true; settings: NudgeSettings } | { ok: false; message: string };

/**
 * The settings after a `nudge` command. Turning nudges on, or setting a day and time, restarts
 * `createdAt` at `now`: slots that passed while nudges were off, or before the new schedule, are
 * never caught up. `on` also ends a pause. A change never re-sends a week already in the ledger.
 */
export function applyNudgeChange(
  current: NudgeSettings | null,
  change: NudgeChange,
  context: NudgeChangeContext,
): NudgeChangeResult {
  const base = current ?? { ...defaultNudgeSettings(context, context.now), enabled: false };
  const settings: NudgeSettings = { ...base, tz: context.tz === undefined ? base.tz : context.tz };
  const turnOn = (s: NudgeSettings): NudgeSettings =>
    s.enabled ? s : { ...s, enabled: true, createdAt: context.now };
  switch (change.kind) {
    case 'on':
      return { ok: true, settings: { ...turnOn(settings), pausedThrough: null } };
    case 'off':
      return { ok: true, settings: { ...settings, enabled: false } };
    case 'set':
      // A new schedule applies from now on: a slot it puts earlier in this week is not caught up.
      return {
        ok: true,
        settings: {
          ...settings,
          enabled: true,
          createdAt: context.now,
          day: change.day,
          minuteOfDay: change.minuteOfDay,
        },
      };
    case 'pause':
    case 'pause-weeks': {
      if (!settings.enabled) return { ok: false, message: 'Nudges are off, so there is nothing to pause.' };
      const resolved = resolvePauseUntil(change, context.now, settings.tz);
      if (!resolved.ok) return resolved;
      return { ok: true, settings: { ...settings, pausedThrough: resolved.pausedThrough } };
    }
    case 'skip': {
      if (!settings.enabled) return { ok: false, message: 'Nudges are off, so there is nothing to skip.' };
      const week = weekToSkip(settings, context.now, context);
      if (week === null) return { ok: false, message: 'There is no upcoming nudge to skip.' };
      return { ok: true, settings: { ...settings, skipWeek: week } };
    }
  }
}
