/**
 * Reads ladder-data/ (or LADDER_DATA_DIR): every `*.yaml` / `*.yml` file, and every `*.json` one
 * (files written by a tool, such as the suggestion model), in name order. Files declare what they
 * hold with `kind:` (axes, track, roles, tags, suggestions, suggestion-model, coaching); `prompts.yaml` has its own
 * schema (src/domain/prompts.ts). A bad folder stops the app with a `LadderDataError` whose message
 * names each file, the path inside it and the problem, e.g.
 *   tpm.yaml: positions[2].steps.system: unknown step "Ownz" (expected one of …) [line 48]
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { buildLadder, checkLadderFile, type LadderFileInput } from './domain/ladder/build.ts';
import { formatPath, formatProblem, type Ladder, type LadderProblem } from './domain/ladder/model.ts';
import { type Prompt, PromptsFileSchema, type PromptVariant, validatePrompts } from './domain/prompts.ts';

/** The file with the weekly reflection prompts; it has no `kind`, its schema is its own. */
export const PROMPTS_FILE = 'prompts.yaml';

export class LadderDataError extends Error {
  readonly problems: readonly LadderProblem[];
  readonly dir: string;

  constructor(dir: string, problems: readonly LadderProblem[]) {
    const lines = problems.map((problem) => `  ${formatProblem(problem)}`);
    const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
    super(`Ladder data in ${dir} has ${count}:\n${lines.join('\n')}`);
    this.name = 'LadderDataError';
    this.problems = problems;
    this.dir = dir;
  }
}

export type LadderReadResult = { ok: true; ladder: Ladder } | { ok: false; problems: LadderProblem[] };

type YamlDocument = ReturnType<typeof parseDocument>;

interface ParsedYaml {
  file: string;
  data: unknown;
  document: YamlDocument;
  lines: LineCounter;
}

/** The line of the deepest node on `segments` that exists in the document. */
function lineOf(parsed: ParsedYaml, segments: readonly (string | number)[]): number | undefined {
  for (let depth = segments.length; depth >= 0; depth--) {
    const node = parsed.document.getIn(segments.slice(0, depth), true) as {
      range?: [number, number, number];
    } | null;
    const offset = node?.range?.[0];
    if (typeof offset === 'number') return parsed.lines.linePos(offset).line;
  }
  return undefined;
}

function parseYamlFile(dir: string, file: string, problems: LadderProblem[]): ParsedYaml | null {
  let text: string;
  try {
    text = readFileSync(path.join(dir, file), 'utf8');
  } catch (error) {
    problems.push({ file, path: '', message: `cannot be read: ${(error as Error).message}` });
    return null;
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const line = error.linePos?.[0]?.line;
      const first = (error.message.split('\n')[0] ?? '').replace(/\s+at line \d+, column \d+:?$/, '');
      const message = `not valid YAML: ${first}`;
      problems.push({ file, path: '', message, ...(line === undefined ? {} : { line }) });
    }
    return null;
  }
  return { file, data: document.toJS(), document, lines };
}

function parseJsonFile(dir: string, file: string, problems: LadderProblem[]): unknown {
  try {
    return JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as unknown;
  } catch (error) {
    const why =
      error instanceof SyntaxError
        ? `not valid JSON: ${error.message}`
        : `cannot be read: ${(error as Error).message}`;
    problems.push({ file, path: '', message: why });
    return undefined;
  }
}

function readPrompts(
  parsed: ParsedYaml,
  problems: LadderProblem[],
): { prompts: Prompt[]; variants: PromptVariant[] } {
  const result = PromptsFileSchema.safeParse(parsed.data);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const segments = issue.path.map((s) => (typeof s === 'number' ? s : String(s)));
      problems.push({ file: parsed.file, path: formatPath(segments), segments, message: issue.message });
    }
    return { prompts: [], variants: [] };
  }
  for (const problem of validatePrompts(result.data)) {
    problems.push({ file: parsed.file, path: problem.path, message: problem.message });
  }
  return { prompts: result.data.prompts, variants: result.data.variants };
}

/** Reads and validates the folder; never throws. */
export function readLadderDir(dir: string): LadderReadResult {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && /\.(ya?ml|json)$/i.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    return {
      ok: false,
      problems: [{ file: dir, path: '', message: `cannot read the folder: ${(error as Error).message}` }],
    };
  }
  const problems: LadderProblem[] = [];
  const parsedFiles = new Map<string, ParsedYaml>();
  const inputs: LadderFileInput[] = [];
  let prompts: { prompts: Prompt[]; variants: PromptVariant[] } = { prompts: [], variants: [] };
  let unreadable = false;
  for (const name of names) {
    if (/\.json$/i.test(name)) {
      // Generated files (the suggestion model) are JSON: large, and far quicker to read than YAML.
      const data = parseJsonFile(dir, name, problems);
      if (data === undefined) unreadable = true;
      else inputs.push({ file: name, data });
      continue;
    }
    const parsed = parseYamlFile(dir, name, problems);
    if (!parsed) {
      unreadable = true;
      continue;
    }
    parsedFiles.set(name, parsed);
    if (name === PROMPTS_FILE) prompts = readPrompts(parsed, problems);
    else inputs.push({ file: name, data: parsed.data });
  }
  // With a file that is not even YAML, checks across files would only echo its absence.
  const result: LadderReadResult = unreadable
    ? { ok: false, problems: inputs.flatMap(checkLadderFile) }
    : buildLadder(inputs, {
        prompts: prompts.prompts,
        promptVariants: prompts.variants,
        promptsFile: PROMPTS_FILE,
      });
  const all = [...problems, ...(result.ok ? [] : result.problems)].map((problem) => {
    const parsed = parsedFiles.get(problem.file);
    if (!parsed || problem.line !== undefined || !problem.segments) return problem;
    const line = lineOf(parsed, problem.segments);
    return line === undefined ? problem : { ...problem, line };
  });
  if (all.length > 0 || !result.ok) return { ok: false, problems: all };
  return { ok: true, ladder: result.ladder };
}

/** Reads and validates the folder; throws `LadderDataError` naming every problem. */
export function loadLadder(dir: string): Ladder {
  const result = readLadderDir(dir);
  if (!result.ok) throw new LadderDataError(dir, result.problems);
  return result.ladder;
}

/** One line per problem, for the CLI (`validate-ladder`) and the start-up log. */
export function formatLadderError(error: unknown): string {
  if (error instanceof LadderDataError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
