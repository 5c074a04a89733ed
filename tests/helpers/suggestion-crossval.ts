/**
 * Leave-one-file-out cross-validation of the learned tag suggestions (issue 16): each tuning file
 * (LABELLED_FILES.tuning) is left out in turn, the model is fitted on the others exactly as
 * `npm run train:suggestions` fits it, and the left-out file is scored. This is how the method,
 * the features and the thresholds are chosen, never on the held-out file, which it never reads:
 *
 *   npx tsx tests/helpers/suggestion-crossval.ts          # one row per fold, and the mean
 *
 * It takes about two minutes (one fit per tuning file). The table it prints is the one in
 * bench/RESULTS.md, "Tag suggestions: the learned weights".
 */
import path from 'node:path';
import { type SuggestionRules, suggestTags } from '../../src/domain/suggest.ts';
import { compileSuggestionModel, type ModelThresholds } from '../../src/domain/suggest-model.ts';
import { type Figures, LABELLED_FILES, measure, readWins } from './suggestion-eval.ts';
import { rulesForTraining, THRESHOLDS, trainSuggestionModel } from './suggestion-train.ts';

export interface Fold {
  file: string;
  figures: Figures;
}

/** The figures of each fold: the model fitted without the file, scored on it. */
export function crossValidate(
  thresholds: ModelThresholds = THRESHOLDS,
  files: readonly string[] = LABELLED_FILES.tuning,
): Fold[] {
  const rules = rulesForTraining();
  const byFile = new Map(files.map((file) => [file, readWins(file)]));
  return files.map((file) => {
    const others = files.filter((f) => f !== file).flatMap((f) => byFile.get(f) ?? []);
    const data = trainSuggestionModel(others, rules);
    const withModel: SuggestionRules = {
      ...rules,
      model: compileSuggestionModel({ ...data, thresholds }),
    };
    return { file, figures: measure(byFile.get(file) ?? [], (text) => suggestTags(text, withModel)) };
  });
}

/** One Markdown row per fold, then the mean (the nothing-lines summed). */
export function foldsTable(folds: readonly Fold[]): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const mean = (f: (x: Figures) => number) => folds.reduce((s, x) => s + f(x.figures), 0) / folds.length;
  const sum = (f: (x: Figures) => number) => folds.reduce((s, x) => s + f(x.figures), 0);
  return [
    '| file left out | lines | first-axis recall | suggested-axis precision | shift recall | nothing-lines with a tag |',
    '| --- | --- | --- | --- | --- | --- |',
    ...folds.map(
      ({ file, figures: f }) =>
        `| ${file} | ${f.lines} | ${pct(f.firstAxisRecall)} | ${pct(f.axisPrecision)} | ${pct(f.shiftRecall)} | ${f.nothingSuggested} of ${f.nothingLines} |`,
    ),
    `| mean of the ${folds.length} folds | | ${pct(mean((f) => f.firstAxisRecall))} | ${pct(mean((f) => f.axisPrecision))} | ${pct(mean((f) => f.shiftRecall))} | ${sum((f) => f.nothingSuggested)} of ${sum((f) => f.nothingLines)} |`,
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  process.stdout.write(`${foldsTable(crossValidate())}\n`);
}
