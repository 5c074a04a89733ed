/**
 * The input every review-packet renderer takes (Markdown, CSV, radar chart).
 *
 * It is independent of how the ladder content is modelled: the caller resolves the user's current
 * and target levels against the ladder and copies the few strings the packet shows. Renderers only
 * format what is here; they never invent a claim (every line is ladder data or the user's entry).
 */
import type { AxisId, EvidenceEntry, ScopeId, ShiftId } from '../types.ts';

export interface PacketStep {
  /** 1-based step on the axis. */
  number: number;
  /** The step's name, e.g. 'Owns'. */
  name: string;
  /** The project's one-line meaning of the step. */
  meaning: string;
}

export interface PacketLevel {
  /** Position id, e.g. 'tpm5'. */
  id: string;
  /** Display code, e.g. 'TPM5'. */
  code: string;
  /** Public title, e.g. 'Senior Staff Engineer'. */
  title: string;
  /** The role the person chose, e.g. 'Lead TPM', named first: "Lead TPM (compared with TPM5)". */
  role?: string | null;
}

/** "Lead TPM (compared with TPM5)" when a role was chosen, else "TPM5 Senior Staff Engineer". */
export function packetLevelName(level: PacketLevel): string {
  return level.role ? `${level.role} (compared with ${level.code})` : `${level.code} ${level.title}`;
}

export interface PacketAxis {
  id: AxisId;
  /** Display name, e.g. 'Technology'. */
  name: string;
  /** What the current level expects on this axis; null when the user has no level. */
  currentStep: PacketStep | null;
  /** What the target level expects on this axis; null when the user has no target. */
  targetStep: PacketStep | null;
}

/** One axis on which the target expects a higher step: the advice for the step aimed at. */
export interface PacketGap {
  axis: AxisId;
  /** Display name, e.g. 'People'. */
  axisName: string;
  from: PacketStep;
  to: PacketStep;
  /** Names of the steps passed on the way, e.g. ['Owns']. */
  via: string[];
  /** What to do next for the step aimed at; null when the ladder data has none. */
  advice: string | null;
  /** "What counts here" at the step aimed at. */
  examples: string[];
}

/** Links an entry to the reflection prompt it answers. */
export interface PacketReflection {
  entryId: number;
  shift: ShiftId;
  /** Display name of the shift, e.g. 'Doing → enabling'. */
  shiftName: string;
  /** The prompt's question as it was asked. */
  question: string;
}

export interface PacketInput {
  user: { name: string; teamId: string; userId: string };
  /** The user's current level, or null when not set. */
  level: PacketLevel | null;
  /** The user's target level, or null when not set. */
  target: PacketLevel | null;
  /**
   * The exported period as the user chose it. `label` is shown as is (e.g. 'last 12 months');
   * dates are local YYYY-MM-DD; `startDate` is null for `all`.
   */
  period: { label: string; startDate: string | null; endDate: string };
  /** ISO instant the packet was generated (the clock is a parameter, never read here). */
  generatedAt: string;
  /** The ladder's axes in the ladder's order (Technology, System, People, Process, Influence). */
  axes: PacketAxis[];
  /** The user's entries in the period, in any order. */
  entries: EvidenceEntry[];
  /** Which entries answer which reflection prompt. Ids not in `entries` are ignored. */
  reflections: PacketReflection[];
  /** The mindset shifts in display order, e.g. `{ id: 'enabling', name: 'Doing → enabling' }`. */
  shifts: Array<{ id: ShiftId; name: string }>;
  /**
   * Display names of the scope tags (the Influence steps, e.g. 'Multiple Teams' for
   * 'multi-team'). Optional: a scope without a name is shown by its id.
   */
  scopes?: Array<{ id: ScopeId; name: string }>;
  /** The axes where the target expects more than the current level, in axis order (the gap section). */
  gaps?: PacketGap[];
  /** The target level's competencies for the appendix, in display order. Empty without a target. */
  competencies: Array<{ axis: string; step: string; meaning: string }>;
}

/**
 * The order every renderer lists entries in: the day it happened, then when it was logged, then
 * the id, so the output is deterministic whatever order the caller passes.
 */
export function compareEntries(a: EvidenceEntry, b: EvidenceEntry): number {
  if (a.occurredOn !== b.occurredOn) return a.occurredOn < b.occurredOn ? -1 : 1;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id - b.id;
}

/** A sorted copy; the input is not modified. */
export function sortEntries(entries: readonly EvidenceEntry[]): EvidenceEntry[] {
  return [...entries].sort(compareEntries);
}

/** Whether the entry counts on the axis: confirmed or suggested (suggestions count like tags). */
export function entryHasAxis(entry: EvidenceEntry, axis: AxisId): boolean {
  return entry.axes.includes(axis) || entry.suggestedAxes.includes(axis);
}

/** Whether the axis is only suggested on the entry (not confirmed by the user). */
export function isSuggestedOnly(entry: EvidenceEntry, axis: AxisId): boolean {
  return !entry.axes.includes(axis) && entry.suggestedAxes.includes(axis);
}
