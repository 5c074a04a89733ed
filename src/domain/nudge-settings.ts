/**
 * `/ladder nudge …`: parsing the arguments, applying them to a user's settings, and describing the
 * resulting schedule. Pure; the clock and the user's zone are parameters.
 */
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

export type NudgeArgs =
  | { kind: 'on' }
  | { kind: 'off' }
  | { kind: 'status' }
  | { kind: 'now' }
  | { kind: 'skip' }
  /** Day 0 = Sunday … 6 = Saturday; setting a schedule also turns nudges on. */
  | { kind: 'set'; day: number; minuteOfDay: number }
  /** Paused through this date (inclusive) in the user's zone. */
  | { kind: 'pause'; until: LocalDate }
  | { kind: 'pause-weeks'; weeks: number }
  | { kind: 'invalid'; message: string };

export const MAX_PAUSE_WEEKS = 52;
/** How far ahead `nudge pause <date>` may reach; beyond that, `nudge off` is the honest answer. */
export const MAX_PAUSE_DAYS = 366;

const USAGE =
  'Try `nudge on` (Fridays 16:00), `nudge fri 15:30`, `nudge pause 2027-01-05`, `nudge pause 2w`, ' +
  '`nudge skip`, `nudge status`, `nudge now` or `nudge off`.';

const DAY_WORDS: Record<string, number> = {
  sun: 0,
  sunday: 0,
  mon: 1,
  monday: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  wed: 3,
  weds: 3,
  wednesday: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
};
const SHORT_DAY = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const FILLER = new Set(['at', 'on', 'every', 'each', '@']);

/** Echo a piece of user input safely inside inline code. */
function quote(text: string): string {
  const clean = text.replace(/[`\r\n]/g, '');
  return `\`${clean.length > 30 ? `${clean.slice(0, 30)}…` : clean}\``;
}

function dayOf(token: string): number | undefined {
  const word = token.replace(/\.$/, '');
  return DAY_WORDS[word] ?? DAY_WORDS[word.replace(/s$/, '')];
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

function suggestDay(token: string): string | undefined {
  if (token.length < 3 || token.length > 12 || !/^[a-z]+$/.test(token)) return undefined;
  let best: { word: string; distance: number } | undefined;
  for (const word of Object.keys(DAY_WORDS)) {
    const distance = editDistance(token, word);
    if (distance <= (word.length > 4 ? 2 : 1) && (!best || distance < best.distance))
      best = { word, distance };
  }
  return best ? SHORT_DAY[DAY_WORDS[best.word] ?? 0] : undefined;
}

type TimeResult = { ok: true; minuteOfDay: number } | { ok: false; message: string };

const TIME_HELP = 'Use 24-hour `15:30` or `3:30pm`.';

/** '15:30', '3:30pm', '3pm', '9am', '9 a.m.', '16h30', '1530', 'noon', 'midnight'. */
export function parseTimeOfDay(input: string): TimeResult {
  const text = input.toLowerCase().replace(/\s+/g, '');
  if (text === 'noon' || text === 'midday' || text === '12noon') return { ok: true, minuteOfDay: 720 };
  if (text === 'midnight') return { ok: true, minuteOfDay: 0 };
  const bad: TimeResult = { ok: false, message: `I couldn't read the time ${quote(input)}. ${TIME_HELP}` };
  const compact = /^(\d{2})(\d{2})$/.exec(text);
  const m = compact ?? /^(\d{1,2})(?:[:.h](\d{2})?)?(a\.?m?\.?|p\.?m?\.?)?$/.exec(text);
  if (!m) return bad;
  const hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const meridiem = compact ? undefined : m[3]?.[0];
  if (minute > 59) return bad;
  if (meridiem) {
    if (hour < 1 || hour > 12) return bad;
    return { ok: true, minuteOfDay: ((hour % 12) + (meridiem === 'p' ? 12 : 0)) * 60 + minute };
  }
  if (hour > 23)
    return {
      ok: false,
      message: `${quote(input)} is not a time of day: hours go from 0 to 23. ${TIME_HELP}`,
    };
  if (m[2] === undefined && !/h$/.test(text) && hour >= 1 && hour <= 12) {
    return {
      ok: false,
      message: `Is ${quote(input)} in the morning or the afternoon? Write \`${hour}am\`, \`${hour}pm\` or \`${String(hour).padStart(2, '0')}:00\`.`,
    };
  }
  return { ok: true, minuteOfDay: hour * 60 + minute };
}

function parseSchedule(tokens: string[]): NudgeArgs {
  const days: string[] = [];
  const rest: string[] = [];
  for (const token of tokens) {
    if (FILLER.has(token)) continue;
    if (dayOf(token) !== undefined) days.push(token);
    else rest.push(token);
  }
  if (days.length > 1) {
    return {
      kind: 'invalid',
      message: `Nudges come once a week, so pick one day (you wrote ${days.map(quote).join(' and ')}). Example: \`nudge fri 15:30\`.`,
    };
  }
  const timeText = rest.join(' ');
  if (days.length === 0) {
    const unknown = rest.find((t) => !/\d/.test(t) && !/^(a\.?m\.?|p\.?m\.?|noon|midday|midnight)$/.test(t));
    if (unknown !== undefined) {
      const suggestion = suggestDay(unknown);
      const timeWords = rest.filter((t) => t !== unknown).join(' ');
      const time = timeWords === '' ? null : parseTimeOfDay(timeWords);
      if (!suggestion && time?.ok !== false) {
        return { kind: 'invalid', message: `I didn't understand ${quote(tokens.join(' '))}. ${USAGE}` };
      }
      // Say every part that is wrong, and suggest only a time that exists.
      const validTime = time?.ok ? formatMinuteOfDay(time.minuteOfDay) : '16:00';
      const example = `\`nudge ${suggestion ?? 'fri'} ${validTime}\``;
      const day = `${quote(unknown)} is not a day of the week`;
      return {
        kind: 'invalid',
        message:
          time && !time.ok
            ? `Two parts are wrong: ${day}, and ${quote(timeWords)} is not a time of day (hours go from 0 to 23: ${TIME_HELP.replace(/^Use (.*)\.$/, 'use $1')}). ${suggestion ? 'Did you mean' : 'For example:'} ${example}${suggestion ? '?' : '.'}`
            : `${day}. Did you mean ${example}?`,
      };
    }
    return { kind: 'invalid', message: `Which day? Add one, e.g. \`nudge fri ${timeText || '15:30'}\`.` };
  }
  const day = dayOf(days[0] ?? '') ?? 5;
  if (timeText === '') {
    return {
      kind: 'invalid',
      message: `At what time on ${WEEKDAY_NAMES[day]}? Add one, e.g. \`nudge ${SHORT_DAY[day]} 15:30\` or \`nudge ${SHORT_DAY[day]} 3pm\`.`,
    };
  }
  const time = parseTimeOfDay(timeText);
  if (!time.ok) return { kind: 'invalid', message: time.message };
  return { kind: 'set', day, minuteOfDay: time.minuteOfDay };
}

function parsePause(tokens: string[]): NudgeArgs {
  const words = tokens.filter((t) => !['until', 'till', 'til', 'through', 'thru', 'for', 'to'].includes(t));
  const help = 'Say until when: `nudge pause 2027-01-05` (no nudges through that date) or `nudge pause 2w`.';
  if (words.length === 0) return { kind: 'invalid', message: help };
  const joined = words.join('');
  const weeks = /^(\d{1,4})(w|wk|wks|week|weeks)$/.exec(joined);
  if (weeks) {
    const n = Number(weeks[1]);
    if (n < 1 || n > MAX_PAUSE_WEEKS) {
      return {
        kind: 'invalid',
        message: `Pause for 1 to ${MAX_PAUSE_WEEKS} weeks (or use \`nudge off\` to stop nudges).`,
      };
    }
    return { kind: 'pause-weeks', weeks: n };
  }
  if (words.length === 1 && /^\d{4}-\d{2}-\d{2}$/.test(joined)) {
    if (!parseLocalDate(joined))
      return { kind: 'invalid', message: `${quote(joined)} is not a date on the calendar.` };
    return { kind: 'pause', until: joined };
  }
  return { kind: 'invalid', message: `I couldn't read ${quote(words.join(' '))}. ${help}` };
}

/** Parses what follows `/ladder nudge`. Never throws; unknown input yields a friendly message. */
export function parseNudgeArgs(rest: string): NudgeArgs {
  const text = String(rest ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[‘’“”"'`]/g, '')
    .trim();
  const tokens = text
    .split(/[\s,;]+/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const [first, ...more] = tokens;
  if (first === undefined) return { kind: 'status' };
  const alone = (args: NudgeArgs, example: string): NudgeArgs =>
    more.length === 0
      ? args
      : { kind: 'invalid', message: `\`${example}\` takes nothing after it. ${USAGE}` };
  switch (first) {
    case 'on':
    case 'enable':
    case 'start':
    case 'resume':
      return more.length === 0 ? { kind: 'on' } : parseSchedule(more);
    case 'off':
    case 'disable':
    case 'stop':
      return alone({ kind: 'off' }, 'nudge off');
    case 'status':
    case 'show':
    case 'when':
    case 'settings':
      return alone({ kind: 'status' }, 'nudge status');
    case 'now':
    case 'test':
      return alone({ kind: 'now' }, 'nudge now');
    case 'skip':
      return more.every((t) => ['next', 'this', 'week', 'one'].includes(t))
        ? { kind: 'skip' }
        : { kind: 'invalid', message: `\`nudge skip\` skips the next nudge; it takes no date. ${USAGE}` };
    case 'pause':
    case 'snooze':
      return parsePause(more);
    case 'help':
      return { kind: 'invalid', message: USAGE };
    case 'set':
    case 'every':
    case 'at':
      return parseSchedule(more);
    default:
      return parseSchedule(tokens);
  }
}

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
  if (!parseLocalDate(args.until))
    return { ok: false, message: `${quote(args.until)} is not a date on the calendar.` };
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
