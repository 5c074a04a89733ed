/**
 * The checks `buildLadder` runs on the coaching file and on the prompts' references into the other
 * files (steps, variant levels). Pure.
 */
import type { Prompt, PromptVariant } from '../prompts.ts';
import { type Parsed, type Problems, quoteList } from './build-problems.ts';
import type { Axis } from './model.ts';
import type { AxesFile, CoachingFile } from './schema.ts';

/**
 * The coaching file (optional): once there is one, every step of every axis needs its advice and
 * examples, and every name in it must be a step of axes.yaml.
 */
export function checkCoaching(
  files: Parsed<CoachingFile>[],
  axesFile: AxesFile,
  problems: Problems,
): CoachingFile['steps'] | null {
  if (files.length === 0) return null;
  for (const extra of files.slice(1)) {
    problems.add(
      extra.file,
      ['kind'],
      `only one coaching file is allowed (already defined in ${files[0]?.file})`,
    );
  }
  const { file, data } = files[0] as Parsed<CoachingFile>;
  for (const axis of axesFile.axes) {
    const given = data.steps[axis.id] ?? {};
    const names = axis.steps.map((step) => step.name);
    for (const name of names) {
      if (!(name in given)) problems.add(file, ['steps', axis.id], `no advice for step "${name}"`);
    }
    for (const name of Object.keys(given)) {
      if (!names.includes(name))
        problems.add(
          file,
          ['steps', axis.id, name],
          `unknown step ${JSON.stringify(name)} (expected one of ${quoteList(names)})`,
        );
    }
  }
  return data.steps;
}

/** The prompts' references into the other files: each step exists, each variant's levels are positions. */
export function checkPromptReferences(
  options: { prompts?: readonly Prompt[]; promptVariants?: readonly PromptVariant[]; promptsFile?: string },
  axes: readonly Axis[],
  positionIds: ReadonlySet<string>,
  problems: Problems,
): void {
  const file = options.promptsFile ?? 'prompts.yaml';
  (options.prompts ?? []).forEach((prompt, i) => {
    if (prompt.axis === undefined || prompt.step === undefined) return;
    const axis = axes.find((a) => a.id === prompt.axis);
    if (axis && !axis.steps.some((s) => s.name === prompt.step)) {
      problems.add(
        file,
        ['prompts', i, 'step'],
        `unknown step ${JSON.stringify(prompt.step)} on ${axis.name} (expected one of ${quoteList(axis.steps.map((s) => s.name))})`,
      );
    }
  });
  (options.promptVariants ?? []).forEach((variant, i) => {
    variant.levels.forEach((id, j) => {
      if (!positionIds.has(id)) problems.add(file, ['variants', i, 'levels', j], `unknown position "${id}"`);
    });
  });
}
