/**
 * Where a user stands against their target level: the summary behind `/ladder summary` and the
 * App Home. Pure: entries, profile, ladder, period and the clock are parameters.
 *
 * Every date is a local date in the user's time zone: entries carry the day they happened there,
 * and "today", "this week" and "this month" come from `now` in `tz`. Weeks are ISO weeks (Monday
 * to Sunday). An entry counts on an axis when the axis is confirmed or suggested; suggested ones
 * are counted apart as well, so every surface can mark them.
 */
import { nextLevel, toPosition } from './ladder/compare.ts';
import type { Axis, Ladder, Position, Shift, Step } from './ladder/model.ts';
import type { PeriodRange } from './period.ts';
import { DEFAULT_THIN_THRESHOLD } from './suggest.ts';
import type { AxisId, EvidenceEntry, LocalDate } from './types.ts';
import {
  daysFromCivil,
  isoWeekKeyOfDays,
  localDateToDays,
  MONTH_NAMES,
  resolveTimeZone,
  toLocal,
} from './zoned-time.ts';

export interface SummaryInput {
  /** The user's entries; those outside the period count only towards the streaks. */
  entries: readonly EvidenceEntry[];
  /**
   * Every local date the user has an entry on, any period (e.g. from a DISTINCT query), so the
   * streaks look past the period; without it they are computed from `entries`.
   */
  activityDates?: readonly LocalDate[];
  /** Position ids as stored in the profile (a role id is read as its comparable position). */
  profile: { level: string | null; target: string | null };
  ladder: Ladder;
  range: Pick<PeriodRange, 'startDate' | 'endDate' | 'label'>;
  now: Date;
  /** The user's IANA zone; null or unknown → UTC. */
  tz: string | null;
  /** Default: the ladder's (ladder-data/suggestions.yaml, else 3). */
  thinThreshold?: number;
}

export interface AxisSummary {
  axis: Axis;
  /** Entries in the period on this axis, confirmed or suggested. */
  count: number;
  /** Of `count`, the entries where the axis is only suggested. */
  suggested: number;
  /** What the current level expects; null without a level. */
  current: Step | null;
  /** What the target level expects; null without a target. */
  target: Step | null;
  /** The target expects a higher step than the current level. */
  growth: boolean;
}

export interface GrowthAxis {
  axis: Axis;
  from: Step;
  to: Step;
  count: number;
  suggested: number;
  /** Fewer entries than the threshold in the period. */
  thin: boolean;
  /** One concrete thing to do or log next, from ladder-data; null when the data has none. */
  suggestion: string | null;
}

export interface MonthSummary {
  /** YYYY-MM. */
  month: string;
  /** "March 2026". */
  label: string;
  entries: number;
  /** Entries on each growth axis (only growth axes are keys). */
  growthCounts: Partial<Record<AxisId, number>>;
  /** At least one entry on every growth axis (false when there are no growth axes). */
  covered: boolean;
  /** The period starts or ends inside this month. */
  partial: boolean;
}

export interface WeeksSummary {
  /** ISO weeks in the period with at least one entry. */
  withEntries: number;
  /** ISO weeks the period touches, this week included. */
  total: number;
  /** This week in the user's zone, YYYY-Www. */
  currentWeek: string;
  thisWeekHasEntry: boolean;
  /**
   * Consecutive weeks with an entry, ending this week, or last week while this week has none yet
   * (a week still under way does not break a streak).
   */
  streak: number;
  /** The longest run of consecutive weeks with an entry among the entries given. */
  longestStreak: number;
}

export interface ShiftSummary {
  shift: Shift;
  count: number;
  /** What to do or log next for this shift, from ladder-data; null when the data has none. */
  suggestion: string | null;
}

export interface Summary {
  period: { label: string; startDate: LocalDate | null; endDate: LocalDate };
  /** Today in the user's zone. */
  today: LocalDate;
  timeZone: string;
  /** Why UTC stands in for the user's zone, or null. */
  timeZoneFallback: 'missing' | 'unknown' | null;
  /** Entries in the period. */
  total: number;
  /** Entries in the period with no axis, confirmed or suggested. */
  untagged: number;
  level: Position | null;
  target: Position | null;
  /** No target in the profile: the next level up stands in for it. */
  targetIsNextLevel: boolean;
  thinThreshold: number;
  axes: AxisSummary[];
  growth: GrowthAxis[];
  months: MonthSummary[];
  /** Months with an entry on every growth axis; null without growth axes. */
  sustainedMonths: number | null;
  weeks: WeeksSummary;
  shifts: ShiftSummary[];
  /** The three most recent entries of the period, newest first. */
  recent: EvidenceEntry[];
}

function positionOf(ladder: Ladder, id: string | null): Position | null {
  if (id === null) return null;
  const level = ladder.levelsById.get(id);
  return level ? toPosition(ladder, level).position : null;
}

/** Weeks numbered so that consecutive ISO weeks are consecutive integers (Monday starts a week). */
function weekIndex(days: number): number {
  // Day 0 (1970-01-01) was a Thursday; day 4 was the first Monday after it.
  return Math.floor((days + 3) / 7);
}

function monthKey(date: LocalDate): string {
  return date.slice(0, 7);
}

function monthLabel(key: string): string {
  return `${MONTH_NAMES[Number(key.slice(5, 7)) - 1] ?? key} ${key.slice(0, 4)}`;
}

function nextMonthKey(key: string): string {
  const year = Number(key.slice(0, 4));
  const month = Number(key.slice(5, 7));
  return month === 12
    ? `${String(year + 1).padStart(4, '0')}-01`
    : `${key.slice(0, 4)}-${String(month + 1).padStart(2, '0')}`;
}

function lastDayOfMonth(key: string): LocalDate {
  const year = Number(key.slice(0, 4));
  const month = Number(key.slice(5, 7));
  const days = daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - 1;
  return `${key}-${String(days - daysFromCivil(year, month, 1) + 1).padStart(2, '0')}`;
}

function newestFirst(a: EvidenceEntry, b: EvidenceEntry): number {
  if (a.occurredOn !== b.occurredOn) return a.occurredOn < b.occurredOn ? 1 : -1;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return b.id - a.id;
}

/** Axes whose step rises from the level to the target: where growth is expected. */
function growthAxisIds(ladder: Ladder, level: Position | null, target: Position | null): AxisId[] {
  return ladder.axes
    .filter((axis) => {
      const from = level?.steps[axis.id];
      const to = target?.steps[axis.id];
      return from !== undefined && to !== undefined && to.number > from.number;
    })
    .map((axis) => axis.id);
}

/** What one pass over the entries counts. */
interface Tally {
  total: number;
  untagged: number;
  earliest: LocalDate | null;
  counts: Map<AxisId, number>;
  suggestedCounts: Map<AxisId, number>;
  shiftCounts: Map<string, number>;
  months: Map<string, { entries: number; growth: Map<AxisId, number> }>;
  /** Weeks (any time up to today) with an entry, for streaks. */
  activeWeeks: Set<number>;
  /** Weeks of the period with an entry. */
  periodWeeks: Set<number>;
  /** The three newest entries of the period. */
  recent: EvidenceEntry[];
}

/** Counts the period's entries per axis, shift, month and week, in one pass. */
function tallyEntries(input: SummaryInput, today: LocalDate, growthIds: readonly AxisId[]): Tally {
  const { range } = input;
  const axisIds = input.ladder.axes.map((axis) => axis.id);
  const t: Tally = {
    total: 0,
    untagged: 0,
    earliest: null,
    counts: new Map(axisIds.map((id) => [id, 0])),
    suggestedCounts: new Map(axisIds.map((id) => [id, 0])),
    shiftCounts: new Map(),
    months: new Map(),
    activeWeeks: new Set(),
    periodWeeks: new Set(),
    recent: [],
  };
  const dayCache = new Map<LocalDate, number>();
  for (const entry of input.entries) {
    const date = entry.occurredOn;
    let days = dayCache.get(date);
    if (days === undefined) {
      try {
        days = localDateToDays(date);
      } catch {
        continue; // Not a calendar date: the repository never stores one, but stay total.
      }
      dayCache.set(date, days);
    }
    const week = weekIndex(days);
    if (!input.activityDates && date <= today) t.activeWeeks.add(week);
    if ((range.startDate !== null && date < range.startDate) || date > range.endDate) continue;

    t.total += 1;
    t.periodWeeks.add(week);
    if (t.earliest === null || date < t.earliest) t.earliest = date;
    const { axes, suggestedAxes } = entry;
    if (axes.length === 0 && suggestedAxes.length === 0) t.untagged += 1;
    for (const id of axisIds) {
      const confirmed = axes.includes(id);
      if (confirmed || suggestedAxes.includes(id)) {
        t.counts.set(id, (t.counts.get(id) ?? 0) + 1);
        if (!confirmed) t.suggestedCounts.set(id, (t.suggestedCounts.get(id) ?? 0) + 1);
      }
    }
    if (entry.shift) t.shiftCounts.set(entry.shift, (t.shiftCounts.get(entry.shift) ?? 0) + 1);

    const key = monthKey(date);
    let month = t.months.get(key);
    if (!month) {
      month = { entries: 0, growth: new Map() };
      t.months.set(key, month);
    }
    month.entries += 1;
    for (const id of growthIds) {
      if (axes.includes(id) || suggestedAxes.includes(id))
        month.growth.set(id, (month.growth.get(id) ?? 0) + 1);
    }

    // The three newest, kept sorted as we go: no sort of the whole list.
    const { recent } = t;
    if (recent.length < 3 || newestFirst(entry, recent[recent.length - 1] as EvidenceEntry) < 0) {
      recent.push(entry);
      recent.sort(newestFirst);
      if (recent.length > 3) recent.pop();
    }
  }
  for (const date of input.activityDates ?? []) {
    if (date > today) continue;
    try {
      t.activeWeeks.add(weekIndex(localDateToDays(date)));
    } catch {
      // Not a calendar date: ignored, as for entries.
    }
  }
  return t;
}

/** Every month the period touches, oldest first (for `all`, from the first entry's month). */
function monthSummaries(
  tally: Tally,
  growthIds: readonly AxisId[],
  firstDate: LocalDate,
  end: LocalDate,
): MonthSummary[] {
  const monthList: MonthSummary[] = [];
  const lastKey = monthKey(end);
  for (let key = monthKey(firstDate); key <= lastKey; key = nextMonthKey(key)) {
    const month = tally.months.get(key);
    const growthCounts: Partial<Record<AxisId, number>> = {};
    for (const id of growthIds) growthCounts[id] = month?.growth.get(id) ?? 0;
    monthList.push({
      month: key,
      label: monthLabel(key),
      entries: month?.entries ?? 0,
      growthCounts,
      covered: growthIds.length > 0 && growthIds.every((id) => (growthCounts[id] ?? 0) > 0),
      partial: (key === monthKey(firstDate) && !firstDate.endsWith('-01')) || lastDayOfMonth(key) > end,
    });
  }
  return monthList;
}

/** The current run of weeks with evidence (this week counts once it has one) and the longest. */
function weekStreaks(activeWeeks: ReadonlySet<number>, todayWeek: number) {
  const thisWeekHasEntry = activeWeeks.has(todayWeek);
  let streak = 0;
  for (let week = thisWeekHasEntry ? todayWeek : todayWeek - 1; activeWeeks.has(week); week -= 1) streak += 1;
  let longestStreak = 0;
  for (const week of activeWeeks) {
    if (activeWeeks.has(week - 1)) continue; // not the start of a run
    let run = 1;
    while (activeWeeks.has(week + run)) run += 1;
    if (run > longestStreak) longestStreak = run;
  }
  return { thisWeekHasEntry, streak, longestStreak };
}

export function summarise(input: SummaryInput): Summary {
  const { ladder, range } = input;
  const zone = resolveTimeZone(input.tz);
  const local = toLocal(input.now, zone.timeZone);
  const today = local.date;
  const thinThreshold = input.thinThreshold ?? ladder.thinThreshold ?? DEFAULT_THIN_THRESHOLD;

  const level = positionOf(ladder, input.profile.level);
  const profileTarget = positionOf(ladder, input.profile.target);
  const target = profileTarget ?? (level ? nextLevel(ladder, level.id) : null);
  const growthIds = growthAxisIds(ladder, level, target);
  const start = range.startDate;
  const end = range.endDate;
  const tally = tallyEntries(input, today, growthIds);

  const axisSummaries: AxisSummary[] = ladder.axes.map((axis) => ({
    axis,
    count: tally.counts.get(axis.id) ?? 0,
    suggested: tally.suggestedCounts.get(axis.id) ?? 0,
    current: level?.steps[axis.id] ?? null,
    target: target?.steps[axis.id] ?? null,
    growth: growthIds.includes(axis.id),
  }));
  const growth: GrowthAxis[] = axisSummaries
    .filter((a) => a.growth && a.current && a.target)
    .map((a) => ({
      axis: a.axis,
      from: a.current as Step,
      to: a.target as Step,
      count: a.count,
      suggested: a.suggested,
      thin: a.count < thinThreshold,
      suggestion: ladder.growthSuggestions.axes[a.axis.id] ?? null,
    }));

  const firstDate = start ?? tally.earliest ?? today;
  const monthList = monthSummaries(tally, growthIds, firstDate, end);
  const firstWeek = weekIndex(Math.min(localDateToDays(firstDate), local.days));
  const lastWeek = weekIndex(localDateToDays(end));

  return {
    period: { label: range.label, startDate: start, endDate: end },
    today,
    timeZone: zone.timeZone,
    timeZoneFallback: zone.fallback,
    total: tally.total,
    untagged: tally.untagged,
    level,
    target,
    targetIsNextLevel: profileTarget === null && target !== null,
    thinThreshold,
    axes: axisSummaries,
    growth,
    months: monthList,
    sustainedMonths: growthIds.length > 0 ? monthList.filter((m) => m.covered).length : null,
    weeks: {
      withEntries: tally.periodWeeks.size,
      total: Math.max(0, lastWeek - firstWeek + 1),
      currentWeek: isoWeekKeyOfDays(local.days),
      ...weekStreaks(tally.activeWeeks, weekIndex(local.days)),
    },
    shifts: ladder.shifts.map((shift) => ({
      shift,
      count: tally.shiftCounts.get(shift.id) ?? 0,
      suggestion: ladder.growthSuggestions.shifts[shift.id] ?? null,
    })),
    recent: tally.recent,
  };
}
