/**
 * The monthly digest's content: the previous month in review, from the same summary as
 * `/ladder summary` over that calendar month. Pure.
 */
import { monthLabel } from './digest-schedule.ts';
import type { Summary } from './summary.ts';
import { daysFromCivil, MONTH_NAMES, WEEKDAY_NAMES, weekdayOfDays } from './zoned-time.ts';

export interface DigestAxisLine {
  name: string;
  count: number;
  /** The step the target level expects; null without a target. */
  target: string | null;
  /** The target expects more than the current level here. */
  growth: boolean;
}

export interface Digest {
  /** 'YYYY-MM' of the month in review. */
  month: string;
  /** "November 2026". */
  label: string;
  total: number;
  /** "TPM5" (or the role chosen), or null without a level to aim from. */
  targetName: string | null;
  axes: DigestAxisLine[];
  /** The growth axis with the fewest entries, and the step to aim at there. */
  thinnest: { axis: string; from: string; to: string; count: number; advice: string | null } | null;
  /** Mindset shifts with at least one entry in the month, most practised first. */
  shifts: Array<{ name: string; count: number }>;
  weeksWithEvidence: number;
  weeksInMonth: number;
  /** The longest run of consecutive ISO weeks with an entry, inside the month. */
  longestStreak: number;
  /** One reflection question to think about; null when the ladder data has none. */
  question: string | null;
}

/** The digest of `month` from its summary (computed over that month only). */
export function buildDigest(summary: Summary, month: string, question: string | null): Digest {
  const thinnest = [...summary.growth].sort((a, b) => a.count - b.count)[0];
  return {
    month,
    label: monthLabel(month),
    total: summary.total,
    targetName: summary.targetRole?.name ?? summary.target?.code ?? null,
    axes: summary.axes.map((a) => ({
      name: a.axis.name,
      count: a.count,
      target: a.target?.name ?? null,
      growth: a.growth,
    })),
    thinnest: thinnest
      ? {
          axis: thinnest.axis.name,
          from: thinnest.from.name,
          to: thinnest.to.name,
          count: thinnest.count,
          advice: thinnest.suggestion,
        }
      : null,
    shifts: summary.shifts
      .filter((s) => s.count > 0)
      .sort((a, b) => b.count - a.count)
      .map((s) => ({ name: `${s.shift.from} → ${s.shift.to}`, count: s.count })),
    weeksWithEvidence: summary.weeks.withEntries,
    weeksInMonth: summary.weeks.total,
    longestStreak: summary.weeks.longestStreak,
    question,
  };
}

/** "Monday 4 January 2027 at 16:00" from a 'YYYY-MM-DDTHH:mm' wall time. */
export function describeLocalSlot(local: string): string {
  const [date = '', time = ''] = local.split('T');
  const [y, m, d] = date.split('-').map(Number);
  const weekday = weekdayOfDays(daysFromCivil(y ?? 1970, m ?? 1, d ?? 1));
  return `${WEEKDAY_NAMES[weekday]} ${d} ${MONTH_NAMES[(m ?? 1) - 1]} ${y} at ${time}`;
}
