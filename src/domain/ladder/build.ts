/**
 * Turns the parsed contents of the ladder files into a `Ladder`, or into the list of everything
 * wrong with them. Pure: the loader (src/load-ladder.ts) reads the files and passes the
 * parsed YAML here, so the same checks run at start-up, in `cli validate-ladder` and in tests.
 */
import type { z } from 'zod';
import type { Prompt, PromptVariant } from '../prompts.ts';
import { createTagTable } from '../tags.ts';
import { AXIS_IDS, type AxisId } from '../types.ts';
import { checkCoaching, checkPromptReferences } from './build-coaching.ts';
import {
  ALL_FILES,
  type ClaimLevelId,
  levelIdClaims,
  type Parsed,
  Problems,
  quoteList,
} from './build-problems.ts';
import { buildRoleFamilies, collectShifts } from './build-roles.ts';
import { buildAliases, buildSuggestions, buildTags } from './build-words.ts';
import type { Axis, Ladder, LadderFileInfo, LadderProblem, Level, Position, Step, Track } from './model.ts';
import {
  type AxesFile,
  AxesFileSchema,
  type CoachingFile,
  CoachingFileSchema,
  LADDER_FILE_KINDS,
  type LadderFile,
  type RolesFile,
  RolesFileSchema,
  type SuggestionModelFile,
  SuggestionModelFileSchema,
  type SuggestionsFile,
  SuggestionsFileSchema,
  type TagsFile,
  TagsFileSchema,
  type TrackFile,
  TrackFileSchema,
} from './schema.ts';

/** One file's parsed content (YAML already parsed) and its name, e.g. `tpm.yaml`. */
export interface LadderFileInput {
  file: string;
  data: unknown;
}

export type LadderBuildResult = { ok: true; ladder: Ladder } | { ok: false; problems: LadderProblem[] };

const SCHEMAS = {
  axes: AxesFileSchema,
  track: TrackFileSchema,
  roles: RolesFileSchema,
  tags: TagsFileSchema,
  suggestions: SuggestionsFileSchema,
  'suggestion-model': SuggestionModelFileSchema,
  coaching: CoachingFileSchema,
} as const;

function toSegments(path: readonly PropertyKey[]): (string | number)[] {
  return path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
}

function parseFile(input: LadderFileInput, problems: Problems): LadderFile | null {
  const { file, data } = input;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    problems.add(file, [], 'expected a mapping with a "kind" field at the top');
    return null;
  }
  const kind = (data as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !(LADDER_FILE_KINDS as readonly string[]).includes(kind)) {
    problems.add(
      file,
      ['kind'],
      `${kind === undefined ? 'missing' : `unknown kind ${JSON.stringify(kind)}`} (expected one of ${LADDER_FILE_KINDS.join(', ')})`,
    );
    return null;
  }
  const schema: z.ZodType<LadderFile> = SCHEMAS[kind as keyof typeof SCHEMAS];
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    problems.add(file, toSegments(issue.path), issue.message);
  }
  return null;
}

function buildAxes(
  axesFiles: Parsed<AxesFile>[],
  coachingFiles: Parsed<CoachingFile>[],
  problems: Problems,
): Axis[] | null {
  if (axesFiles.length === 0) {
    problems.add(ALL_FILES, [], 'no file has "kind: axes"; the axes and their steps are required');
    return null;
  }
  for (const extra of axesFiles.slice(1)) {
    problems.add(
      extra.file,
      ['kind'],
      `only one axes file is allowed (already defined in ${axesFiles[0]?.file})`,
    );
  }
  const { file, data } = axesFiles[0] as Parsed<AxesFile>;
  const coaching = checkCoaching(coachingFiles, data, problems);
  const axes: Axis[] = [];
  const seen = new Set<AxisId>();
  data.axes.forEach((input, i) => {
    if (seen.has(input.id)) {
      problems.add(file, ['axes', i, 'id'], `axis "${input.id}" is defined twice`);
      return;
    }
    seen.add(input.id);
    const names = new Set<string>();
    input.steps.forEach((step, j) => {
      const key = step.name.toLowerCase();
      if (names.has(key))
        problems.add(file, ['axes', i, 'steps', j, 'name'], `step "${step.name}" is defined twice`);
      names.add(key);
    });
    axes.push({
      id: input.id,
      name: input.name,
      measures: input.measures,
      steps: input.steps.map((step, j) => ({
        axisId: input.id,
        number: j + 1,
        name: step.name,
        meaning: step.meaning,
        scope: step.scope ?? null,
        advice: coaching?.[input.id]?.[step.name]?.advice ?? null,
        examples: coaching?.[input.id]?.[step.name]?.examples ?? [],
      })),
    });
  });
  const missing = AXIS_IDS.filter((id) => !seen.has(id));
  if (missing.length > 0) {
    problems.add(
      file,
      ['axes'],
      `missing axis ${quoteList(missing)} (every one of ${quoteList(AXIS_IDS)} is needed)`,
    );
  }
  return axes;
}

function resolveStep(
  axis: Axis,
  value: string | number,
  file: string,
  segments: (string | number)[],
  problems: Problems,
): Step | null {
  if (typeof value === 'number') {
    const step = axis.steps[value - 1];
    if (!step)
      problems.add(
        file,
        segments,
        `step ${value} does not exist (${axis.name} has steps 1–${axis.steps.length})`,
      );
    return step ?? null;
  }
  const step = axis.steps.find((candidate) => candidate.name === value);
  if (step) return step;
  const caseOnly = axis.steps.find((candidate) => candidate.name.toLowerCase() === value.toLowerCase());
  const hint = caseOnly ? `; did you mean "${caseOnly.name}"?` : '';
  problems.add(
    file,
    segments,
    `unknown step ${JSON.stringify(value)} (expected one of ${quoteList(axis.steps.map((s) => s.name))})${hint}`,
  );
  return null;
}

function buildTrack(parsed: Parsed<TrackFile>, axes: Axis[], problems: Problems): Track {
  const { file, data } = parsed;
  const axisById = new Map(axes.map((axis) => [axis.id as string, axis]));
  const positions: Position[] = [];
  data.positions.forEach((input, i) => {
    const steps: Partial<Record<AxisId, Step>> = {};
    for (const [key, value] of Object.entries(input.steps)) {
      const axis = axisById.get(key);
      if (!axis) {
        problems.add(
          file,
          ['positions', i, 'steps', key],
          `unknown axis ${JSON.stringify(key)} (expected one of ${quoteList(axes.map((a) => a.id))})`,
        );
        continue;
      }
      const step = resolveStep(axis, value, file, ['positions', i, 'steps', key], problems);
      if (step) steps[axis.id] = step;
    }
    for (const axis of axes) {
      if (!(axis.id in input.steps)) {
        problems.add(
          file,
          ['positions', i, 'steps'],
          `no step for axis "${axis.id}" (each position needs exactly one per axis)`,
        );
      }
    }
    positions.push({
      kind: 'position',
      id: input.id,
      code: input.code,
      title: input.title,
      trackId: data.id,
      rank: i,
      upstreamCode: input.upstream_code ?? null,
      seniority: input.seniority ?? null,
      aliases: [input.id, input.code, input.title, ...input.aliases],
      steps: steps as Record<AxisId, Step>,
    });
  });
  return {
    id: data.id,
    name: data.name,
    shortName: data.short_name ?? data.name,
    summary: data.summary,
    colour: data.colour ?? null,
    file,
    sources: data.sources,
    positions,
  };
}

interface FilesByKind {
  axes: Parsed<AxesFile>[];
  track: Parsed<TrackFile>[];
  roles: Parsed<RolesFile>[];
  tags: Parsed<TagsFile>[];
  suggestions: Parsed<SuggestionsFile>[];
  models: Parsed<SuggestionModelFile>[];
  coaching: Parsed<CoachingFile>[];
}

/** Each file through its schema, grouped by kind, with the list of files the ladder came from. */
function parseFiles(
  files: readonly LadderFileInput[],
  problems: Problems,
): { byKind: FilesByKind; infos: LadderFileInfo[] } {
  const byKind: FilesByKind = {
    axes: [],
    track: [],
    roles: [],
    tags: [],
    suggestions: [],
    models: [],
    coaching: [],
  };
  const infos: LadderFileInfo[] = [];
  for (const input of files) {
    const data = parseFile(input, problems);
    if (!data) continue;
    infos.push({ file: input.file, kind: data.kind, sources: data.sources });
    if (data.kind === 'axes') byKind.axes.push({ file: input.file, data });
    else if (data.kind === 'track') byKind.track.push({ file: input.file, data });
    else if (data.kind === 'roles') byKind.roles.push({ file: input.file, data });
    else if (data.kind === 'suggestions') byKind.suggestions.push({ file: input.file, data });
    else if (data.kind === 'suggestion-model') byKind.models.push({ file: input.file, data });
    else if (data.kind === 'coaching') byKind.coaching.push({ file: input.file, data });
    else byKind.tags.push({ file: input.file, data });
  }
  return { byKind, infos };
}

/** One track per track file; track ids and position ids (shared with roles) must be unique. */
function buildTracks(
  trackFiles: readonly Parsed<TrackFile>[],
  axes: Axis[] | null,
  claimLevelId: ClaimLevelId,
  problems: Problems,
): { track: Track; file: string }[] {
  const trackIds = new Map<string, string>();
  const tracks: { track: Track; file: string }[] = [];
  for (const parsed of trackFiles) {
    const owner = trackIds.get(parsed.data.id);
    if (owner !== undefined)
      problems.add(parsed.file, ['id'], `track id "${parsed.data.id}" is already used in ${owner}`);
    trackIds.set(parsed.data.id, parsed.file);
    parsed.data.positions.forEach((position, i) => {
      claimLevelId(position.id, parsed.file, ['positions', i, 'id']);
    });
    // Without axes there is nothing to check steps against; that problem is already reported.
    tracks.push({
      track: buildTrack(parsed, axes ?? [], axes ? problems : new Problems()),
      file: parsed.file,
    });
  }
  return tracks;
}

export interface LadderBuildOptions {
  prompts?: readonly Prompt[];
  promptVariants?: readonly PromptVariant[];
  promptsFile?: string;
}

/**
 * Validates every file and every reference between them, and joins them into a Ladder. All
 * problems are reported at once, each naming the file, the path inside it and what is wrong.
 */
export function buildLadder(
  files: readonly LadderFileInput[],
  options: LadderBuildOptions = {},
): LadderBuildResult {
  const problems = new Problems();
  const { byKind, infos } = parseFiles(files, problems);
  // Later checks depend on whole files: report the per-file problems first, on their own.
  if (problems.list.length > 0) return { ok: false, problems: problems.list };
  if (byKind.track.length === 0) {
    problems.add(ALL_FILES, [], 'no file has "kind: track"; at least one track of positions is required');
  }

  const axes = buildAxes(byKind.axes, byKind.coaching, problems);
  const claimLevelId = levelIdClaims(problems);
  const tracks = buildTracks(byKind.track, axes, claimLevelId, problems);
  const positionIds = new Set(tracks.flatMap(({ track }) => track.positions.map((p) => p.id)));
  const shifts = collectShifts(byKind.roles, problems);
  const shiftIds = new Set<string>(shifts.map((s) => s.id));
  const families = buildRoleFamilies(byKind.roles, { positionIds, shiftIds, claimLevelId }, problems);

  checkPromptReferences(options, axes ?? [], positionIds, problems);

  const tagDefinitions = buildTags(byKind.tags, problems);
  const aliases = buildAliases(tracks, families, problems);
  const suggestions = buildSuggestions(byKind.suggestions, byKind.models, problems);

  if (problems.list.length > 0) return { ok: false, problems: problems.list };

  const levels: Level[] = [
    ...tracks.flatMap(({ track }) => track.positions),
    ...families.flatMap((f) => f.roles),
  ];
  const ladder: Ladder = {
    axes: axes ?? [],
    tracks: tracks.map(({ track }) => track),
    roleFamilies: families,
    shifts,
    tags: createTagTable(tagDefinitions),
    files: infos,
    levels,
    levelsById: new Map(levels.map((level) => [level.id, level])),
    aliases,
    aliasIndex: new Map(aliases.map((entry) => [entry.key, entry])),
    prompts: options.prompts ?? [],
    promptVariants: options.promptVariants ?? [],
    suggestionRules: suggestions.rules,
    thinThreshold: suggestions.thinThreshold,
    growthSuggestions: suggestions.growth,
  };
  return { ok: true, ladder };
}

/** The problems of one file on its own (its shape), without references to other files. */
export function checkLadderFile(input: LadderFileInput): LadderProblem[] {
  const problems = new Problems();
  parseFile(input, problems);
  return problems.list;
}

/** The problems `buildLadder` would report; empty when the data is valid. */
export function validateLadderFiles(files: readonly LadderFileInput[]): LadderProblem[] {
  const result = buildLadder(files);
  return result.ok ? [] : result.problems;
}
