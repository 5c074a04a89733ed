/**
 * How the keyword rules' matches become tags (domain/suggest.ts): axes by score, one shift, one
 * scope, and the chore check. Pure.
 */
import type { SuggestionMatch, TagSuggestion } from './suggest-types.ts';
import { AXIS_IDS, type AxisId, type ScopeId, type ShiftId } from './types.ts';

/**
 * An axis is suggested when its score is at least this share of the best axis' score: one stray
 * word beside two strong ones does not add an axis. Each match scores its rule's weight (1 unless
 * the data says otherwise) for each of its axes.
 * (Chosen on the tuning part of the labelled wins, with LEAD_BONUS.)
 */
const AXIS_SHARE = 0.5;
/**
 * The first match that names an axis scores this share more: a win usually opens with what it was
 * about ("Coached the Payments TPM through her first exec review" is about People first).
 */
const LEAD_BONUS = 0.5;
/**
 * At most this many axes are suggested: a win with three or more is rare, and the third strongest
 * was mostly a stray word (chosen on the labelled wins: it removed more unfair axes than first axes).
 */
const MAX_AXES = 2;
/**
 * A shift is suggested when the matches pointing to it count at least this much: one word that
 * says it ("delegated", "root cause"), or two that hint at it ("runbook" and "failover").
 */
const SHIFT_MIN = 1;
/**
 * A line holding a chore's words ("took Friday off", "my expense claims", "timesheet") gets no
 * suggestion unless the other words weigh at least this much (one more when the line opens with
 * the chore): one stray word ("conference", "newsletter") does not make a chore a win; "automated
 * the expense approvals across 6 teams" does.
 */
const CHORE_OUTWEIGH = 2;

/** Whether a chore's words are in the line and the other words weigh too little to outweigh them. */
export function isChore(matches: readonly SuggestionMatch[]): boolean {
  if (!matches.some((m) => m.chore)) return false;
  const other = matches.reduce((sum, m) => sum + (m.chore ? 0 : Math.max(m.weight, m.shiftWeight)), 0);
  // A line that opens with the chore is about it ("Joined a webinar on roadmaps"): one word more.
  return other < CHORE_OUTWEIGH + (matches[0]?.chore ? 1 : 0);
}

/** The tags the matches point to: axes by score (the lead match weighs more), one shift, one scope. */
export function pickTags(matches: readonly SuggestionMatch[]): Omit<TagSuggestion, 'matches'> {
  const lead = matches.find((x) => x.axes.length > 0);
  const axisScore = new Map<AxisId, number>();
  const shiftScore = new Map<ShiftId, number>();
  const scopes = new Set<ScopeId>();
  for (const m of matches) {
    const weight = m === lead ? m.weight * (1 + LEAD_BONUS) : m.weight;
    for (const axis of m.axes) axisScore.set(axis, (axisScore.get(axis) ?? 0) + weight);
    if (m.shift) shiftScore.set(m.shift, (shiftScore.get(m.shift) ?? 0) + m.shiftWeight);
    if (m.scope) scopes.add(m.scope);
  }
  const best = Math.max(0, ...axisScore.values());
  // The strongest MAX_AXES of those within AXIS_SHARE of the best; a tie goes to the one named first.
  const strongest = [...axisScore]
    .filter(([, score]) => best > 0 && score >= best * AXIS_SHARE)
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_AXES)
    .map(([id]) => id);
  const axes = AXIS_IDS.filter((id) => strongest.includes(id));
  const bestShift = Math.max(0, ...shiftScore.values());
  // A tie goes to the shift named first in the text; hints alone must add up to one clear word.
  const topShift =
    bestShift >= SHIFT_MIN
      ? matches.find((m) => m.shift !== null && shiftScore.get(m.shift) === bestShift)?.shift
      : undefined;
  const [onlyScope] = scopes;
  return {
    axes,
    shift: topShift ?? null,
    scope: scopes.size === 1 && onlyScope !== undefined ? onlyScope : null,
  };
}
