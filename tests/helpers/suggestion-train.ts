/**
 * Fits the learned weights of the tag suggestions (src/domain/suggest-model.ts) on the labelled
 * tuning files, never on the held-out one (LABELLED_FILES in suggestion-eval.ts), and writes them to
 * ladder-data/suggestion-model.json:
 *
 *   npm run train:suggestions            # rewrite the model file
 *   npm run train:suggestions -- --check # exit 1 when the file is not what training gives
 *
 * One logistic regression per label (MODEL_LABELS: each axis as a fair tag and as the one picked
 * first, each shift, and "nothing to tag"), fitted by full-batch AdaGrad from zero
 * weights with L2 regularisation: no randomness, so the same rules and labels always give the same
 * file (the model test holds the committed file to that). Run it after changing the rules or the
 * word forms in suggestions.yaml, or the tuning files.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { modelInputOf, type SuggestionRules } from '../../src/domain/suggest.ts';
import {
  featureNames,
  MODEL_LABELS,
  type ModelThresholds,
  NOTHING,
  type SuggestionModelData,
} from '../../src/domain/suggest-model.ts';
import { loadLadder } from '../../src/load-ladder.ts';
import { LADDER_DIR } from './ladder.ts';
import { LABELLED_FILES, type LabelledWin, loadTuningSet } from './suggestion-eval.ts';

/**
 * How the weights are fitted and when a score becomes a tag. Chosen by cross-validation on the
 * tuning files only, each left out in turn, never on the held-out file (bench/RESULTS.md, "Tag
 * suggestions: the learned weights").
 */
export const TRAINING = { lambda: 0.0005, iterations: 1000, rate: 0.5 } as const;
export const THRESHOLDS: ModelThresholds = {
  axis: 0.4,
  secondAxis: 0.75,
  shift: 0.25,
  withoutRules: 0.7,
  nothing: 0.3,
};

export const MODEL_FILE = path.join(LADDER_DIR, 'suggestion-model.json');

/** Whether the labelled line carries the label: an axis fair for it, its shift, or its first axis. */
function carries(win: LabelledWin, label: (typeof MODEL_LABELS)[number]): boolean {
  if (label === NOTHING) return win.first === null;
  if (label.startsWith('first-')) return `first-${win.first}` === label;
  return win.first === label || (win.also as readonly string[]).includes(label) || win.shift === label;
}

/**
 * The weights of one label: logistic regression, full-batch AdaGrad from zero, L2 on every weight
 * but the bias (feature 0). Rows are lists of feature indices (each feature present counts 1).
 */
function fitOne(rows: readonly Int32Array[], targets: readonly number[], features: number): Float64Array {
  const w = new Float64Array(features);
  const squares = new Float64Array(features);
  const gradient = new Float64Array(features);
  const { lambda, iterations, rate } = TRAINING;
  for (let it = 0; it < iterations; it++) {
    gradient.fill(0);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as Int32Array;
      let z = 0;
      for (let k = 0; k < row.length; k++) z += w[row[k] as number] as number;
      const error = 1 / (1 + Math.exp(-z)) - (targets[r] as number);
      for (let k = 0; k < row.length; k++) {
        const f = row[k] as number;
        gradient[f] = (gradient[f] as number) + error;
      }
    }
    for (let f = 0; f < features; f++) {
      const g = (gradient[f] as number) / rows.length + (f === 0 ? 0 : lambda * (w[f] as number));
      const square = (squares[f] as number) + g * g;
      squares[f] = square;
      w[f] = (w[f] as number) - (rate * g) / (Math.sqrt(square) + 1e-8);
    }
  }
  return w;
}

const round = (x: number) => Math.round(x * 10_000) / 10_000 || 0;

export function trainSuggestionModel(
  wins: readonly LabelledWin[],
  rules: SuggestionRules,
): SuggestionModelData {
  const plain: SuggestionRules = { ...rules, model: null };
  const named = wins.map((win) => [...featureNames(modelInputOf(win.text, plain))]);
  // The bias first (index 0, never regularised), then every other feature in name order.
  const names = ['bias', ...[...new Set(named.flat())].filter((n) => n !== 'bias').sort()];
  const index = new Map(names.map((name, i) => [name, i]));
  const rows = named.map((list) => Int32Array.from(list, (name) => index.get(name) as number));
  const fitted = MODEL_LABELS.map((label) =>
    fitOne(
      rows,
      wins.map((win) => (carries(win, label) ? 1 : 0)),
      names.length,
    ),
  );
  const weights: Record<string, number[]> = {};
  names.forEach((name, i) => {
    const row = fitted.map((w) => round(w[i] as number));
    if (row.some((x) => x !== 0)) weights[name] = row;
  });
  return { thresholds: THRESHOLDS, weights };
}

/** The model file: what it is, the labels and thresholds, then one row of weights per feature. */
export function modelFileText(data: SuggestionModelData): string {
  const t = data.thresholds;
  const head = {
    kind: 'suggestion-model',
    about: [
      'Learned weights of the tag suggestions (src/domain/suggest-model.ts), written by',
      '`npm run train:suggestions` (tests/helpers/suggestion-train.ts); never edit by hand: run it again after',
      'changing suggestions.yaml or the labelled tuning files (the model test checks this file is what training',
      'gives). Each weight row: a feature (a rule that fired, a word as the rules read it, a tag the rules',
      'picked) and its weight toward each label, in `labels` order.',
    ].join(' '),
    sources: [
      { name: 'Ladder product decision', used_for: 'the features, the training method and the thresholds' },
      {
        name: 'Labelled TPM wins written for the project (tests/fixtures/tag-suggestions/)',
        licence: 'Apache-2.0, as the project',
        used_for: 'the weights, fitted on the tuning files named in trained_on',
      },
    ],
    trained_on: LABELLED_FILES.tuning,
    labels: MODEL_LABELS,
    thresholds: {
      axis: t.axis,
      second_axis: t.secondAxis,
      shift: t.shift,
      without_rules: t.withoutRules,
      nothing: t.nothing,
    },
  };
  const headText = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  // One feature per line, so a retraining reads as a diff of the rows that moved.
  const rows = Object.entries(data.weights).map(
    ([name, row]) => `    ${JSON.stringify(name)}: ${JSON.stringify(row)}`,
  );
  return `${headText},\n  "weights": {\n${rows.join(',\n')}\n  }\n}\n`;
}

/**
 * The shipped rules without the model file: what the features are read with. The model file stays
 * out, so a model made stale by a rule change never stops its own retraining.
 */
export function rulesForTraining(): SuggestionRules {
  const dir = mkdtempSync(path.join(tmpdir(), 'ladder-rules-'));
  try {
    for (const file of readdirSync(LADDER_DIR))
      if (file !== path.basename(MODEL_FILE)) copyFileSync(path.join(LADDER_DIR, file), path.join(dir, file));
    return loadLadder(dir).suggestionRules;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What training on the tuning files gives now, as the file's text. */
export function trainedModelText(): string {
  return modelFileText(trainSuggestionModel(loadTuningSet(), rulesForTraining()));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const text = trainedModelText();
  if (process.argv.includes('--check')) {
    const same = readFileSync(MODEL_FILE, 'utf8') === text;
    process.stdout.write(
      same
        ? 'suggestion-model.json is up to date\n'
        : 'suggestion-model.json is stale: run npm run train:suggestions\n',
    );
    process.exitCode = same ? 0 : 1;
  } else {
    writeFileSync(MODEL_FILE, text);
    process.stdout.write(`wrote ${path.relative(process.cwd(), MODEL_FILE)}\n`);
  }
}
