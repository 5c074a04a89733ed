/**
 * `/ladder nudge …` arguments: the words people type (days, times, `pause 2w`, typos) parsed into
 * a command, or a message saying what is wrong. Pure.
 */
import { notACalendarDate, quote } from './echo.ts';
import type { LocalDate } from './types.ts';
import { formatMinuteOfDay, parseLocalDate, WEEKDAY_NAMES } from './zoned-time.ts';

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
    if (!parseLocalDate(joined)) return { kind: 'invalid', message: notACalendarDate(joined) };
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
