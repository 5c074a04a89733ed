/**
 * The ladder as the rest of the app sees it: every file of ladder-data/ validated, cross-checked
 * and joined (a position's steps are the Step objects of axes.yaml, not names). Built once at
 * start by `buildLadder` and read-only afterwards.
 */
import type { Prompt, PromptVariant } from '../prompts.ts';
import type { GrowthSuggestions, SuggestionRules } from '../suggest.ts';
import type { TagTable } from '../tags.ts';
import type { AxisId, ScopeId, ShiftId } from '../types.ts';
import type { LadderFileKind, Source } from './schema.ts';

export interface Step {
  axisId: AxisId;
  /** 1-based; steps are cumulative, so step n includes steps 1..n-1. */
  number: number;
  name: string;
  meaning: string;
  /** For Influence steps: the matching scope of influence. */
  scope: ScopeId | null;
  /** What to do next when this is the step aimed at (coaching.yaml); null without coaching data. */
  advice: string | null;
  /** "What counts here": examples of evidence at this step; empty without coaching data. */
  examples: readonly string[];
}

export interface Axis {
  id: AxisId;
  name: string;
  /** What the axis measures, one line. */
  measures: string;
  steps: readonly Step[];
}

export interface Position {
  kind: 'position';
  id: string;
  /** As users type and read it: "TPM5". */
  code: string;
  title: string;
  trackId: string;
  /** 0-based order inside its track, lowest first. */
  rank: number;
  /** The code the upstream ladder uses for the same position, when it differs. */
  upstreamCode: string | null;
  /** The seniority the source gives the level ("Senior"); null when the data has none. */
  seniority: string | null;
  /** Every name it answers to, as written in the data (id, code, title, aliases). */
  aliases: readonly string[];
  steps: Readonly<Record<AxisId, Step>>;
}

export interface Track {
  id: string;
  name: string;
  shortName: string;
  /** The role in one line. */
  summary: string;
  colour: string | null;
  file: string;
  sources: readonly Source[];
  positions: readonly Position[];
}

export interface Aspect {
  id: string;
  name: string;
}

export interface Role {
  kind: 'role';
  id: string;
  name: string;
  familyId: string;
  /** 0-based order inside its family, most junior first. */
  rank: number;
  aliases: readonly string[];
  core: string;
  question: string;
  /** "Delivers programs." / "Keeps the organisation steady."; null when the data has none. */
  contribution: string | null;
  proves: string | null;
  /** Words that name this role and also read as a position (`senior` vs TPM3 Senior Engineer). */
  clashes: ReadonlyArray<{ alias: string; levelId: string; note: string }>;
  /** Aspect id → text, one per aspect of the family. */
  aspects: Readonly<Record<string, string>>;
  comparable: {
    /** Used wherever a position is needed. */
    positionId: string;
    positionIds: readonly string[];
    reason: string;
  };
}

export interface Shift {
  id: ShiftId;
  from: string;
  to: string;
  summary: string;
}

export interface Transition {
  fromRoleId: string;
  toRoleId: string;
  shiftIds: readonly ShiftId[];
  note: string | null;
  /** Why promotion follows sustained behaviour (and why the summary counts months). */
  promotion: string | null;
  preparation: readonly PreparationAction[];
}

export interface PreparationAction {
  id: string;
  text: string;
}

export interface RoleFamily {
  id: string;
  name: string;
  file: string;
  sources: readonly Source[];
  aspects: readonly Aspect[];
  roles: readonly Role[];
  transitions: readonly Transition[];
}

export type Level = Position | Role;

export interface LadderFileInfo {
  file: string;
  kind: LadderFileKind | 'prompts';
  sources: readonly Source[];
}

/** One alias after normalisation, and the level it names. */
export interface AliasEntry {
  /** Normalised: see `normaliseLevelQuery`. */
  key: string;
  /** As written in the data, for display. */
  alias: string;
  levelId: string;
}

export interface Ladder {
  /** In the framework's order (Technology, System, People, Process, Influence). */
  axes: readonly Axis[];
  tracks: readonly Track[];
  roleFamilies: readonly RoleFamily[];
  shifts: readonly Shift[];
  tags: TagTable;
  files: readonly LadderFileInfo[];
  /** Every position (track by track, lowest first) then every role. */
  levels: readonly Level[];
  levelsById: ReadonlyMap<string, Level>;
  /** Longest key first, so a prefix scan finds "senior staff" before "senior". */
  aliases: readonly AliasEntry[];
  aliasIndex: ReadonlyMap<string, AliasEntry>;
  /** Weekly reflection prompts from prompts.yaml (validated by its own schema); empty without one. */
  prompts: readonly Prompt[];
  /** Who the prompts are for, picked by level (prompts.yaml `variants`); empty: one audience. */
  promptVariants: readonly PromptVariant[];
  /** Keyword rules that suggest tags for untagged evidence (`kind: suggestions`); none without one. */
  suggestionRules: SuggestionRules;
  /** A growth axis with fewer entries than this in a summary's period is thin (default 3). */
  thinThreshold: number;
  /** One thing to do or log next per axis and per shift; empty without a suggestions file. */
  growthSuggestions: GrowthSuggestions;
}

/** A problem found in the data: the file, where inside it, and what is wrong. */
export interface LadderProblem {
  file: string;
  /** e.g. `positions[2].steps.system`; empty for the file as a whole. */
  path: string;
  message: string;
  /** The same path as segments, for locating it in the source (line numbers). */
  segments?: readonly (string | number)[];
  /** 1-based line in the file, when the loader could locate it. */
  line?: number;
}

export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_][\w-]*$/.test(segment))
      out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

export function formatProblem(problem: LadderProblem): string {
  const where = problem.path ? `${problem.file}: ${problem.path}` : problem.file;
  const line = problem.line === undefined ? '' : ` [line ${problem.line}]`;
  return `${where}: ${problem.message}${line}`;
}
