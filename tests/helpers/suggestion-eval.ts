/**
 * The labelled TPM wins of tests/fixtures/tag-suggestions/ and the figures tag suggestions reach on
 * them (issue 16): used by the floor test, by `npm run bench -- suggestions` and by the tuning
 * report (`npx tsx tests/helpers/suggestion-tuning-report.ts`).
 *
 * Which file plays which part is said once, in LABELLED_FILES: the HELD-OUT file the floors are held
 * on (never tuned on), and the TUNING files rule work may read line by line. When a new held-out set
 * lands: name it in `heldOut`, move the old one to `tuning` and run `npm run train:suggestions`.
 * Rule work reads only the tuning files (`loadTunedOnSet`), never a held-out file it was not tuned on.
 *
 * History: wins.yaml (180) was first split at random into a tuning part and a held-out fifth
 * (split.yaml, kept as the record of that split); the fifth was looked at too often to stay held
 * out, and fresh.yaml (172) was written as the next held-out set. fresh.yaml has since been read
 * line by line while tuning (issue 16, helper R): it is tuning material now, and figures on it no
 * longer say how the rules generalise. heldout-3.yaml (170) is its successor: written by someone
 * who saw neither the rules nor the tuning lines, committed (a77210d) before the rules tuned on
 * fresh.yaml were merged; only its totals were looked at until the third round of issue 16 (helper
 * R2), which read it line by line: it is in `tunedOnToo` until heldout-4.yaml lands as `heldOut`.
 * heldout-4, -5 and -6 have since become tuning files too, and the learned model of the fourth round
 * is fitted on every tuning file (`npm run train:suggestions`), with ten training files written for
 * it (train-a … train-j, each in the voice of another kind of TPM). heldout-7.yaml was held out
 * next: committed (dd30cf1) before the model and the training files, only its totals were read,
 * twice (the floor test's header lists every evaluation). At the fifth round heldout-8.yaml was
 * written and committed (70ea641) before any change to the model, its training data or its
 * thresholds, and set 7 became tuning material, with training files k to t (chores beside short
 * plain wins, terse notes, six more voices, short entries). Set 8 was evaluated once (two floors
 * missed) and became tuning material when heldout-9.yaml was committed (e40cad7), before the
 * sixth round refitted the model with it; set 9 is held out (the floor test's header lists every
 * evaluation).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { TagSuggestion } from '../../src/domain/suggest.ts';
import { AXIS_IDS, SHIFT_IDS } from '../../src/domain/types.ts';

const DIR = path.join(import.meta.dirname, '..', 'fixtures', 'tag-suggestions');

/** The one place that names the labelled files and the part each plays. */
export const LABELLED_FILES = {
  /** The floors are held on this file; no rule is written against it. */
  heldOut: 'heldout-9.yaml',
  /** What rule work may read line by line and the learned weights are fitted on (never the held-out file). */
  tuning: [
    'wins.yaml',
    'fresh.yaml',
    'heldout-3.yaml',
    'heldout-4.yaml',
    'heldout-5.yaml',
    'heldout-6.yaml',
    'train-a.yaml',
    'train-b.yaml',
    'train-c.yaml',
    'train-d.yaml',
    'train-e.yaml',
    'train-f.yaml',
    'train-g.yaml',
    'train-h.yaml',
    'train-i.yaml',
    'train-j.yaml',
    'heldout-7.yaml',
    'train-k.yaml',
    'train-l.yaml',
    'train-m.yaml',
    'train-n.yaml',
    'train-o.yaml',
    'train-p.yaml',
    'train-q.yaml',
    'train-r.yaml',
    'train-s.yaml',
    'train-t.yaml',
    'heldout-8.yaml',
  ],
  /** Looked at line by line while tuning, though still `heldOut` until the next set lands. */
  tunedOnToo: [],
} as const;

const WinSchema = z.strictObject({
  id: z.string().regex(/^[a-z]+\d{3}$/),
  text: z.string().min(1),
  first: z.enum(AXIS_IDS).nullable(),
  also: z.array(z.enum(AXIS_IDS)),
  shift: z.enum(SHIFT_IDS).nullable(),
});
export type LabelledWin = z.infer<typeof WinSchema>;

export interface LabelledSet {
  /** The tuning files (LABELLED_FILES.tuning), in order. */
  tuning: LabelledWin[];
  /** The held-out file (LABELLED_FILES.heldOut). */
  heldOut: LabelledWin[];
}

export function readWins(file: string): LabelledWin[] {
  const text = readFileSync(path.join(DIR, file), 'utf8');
  const wins = z.strictObject({ wins: z.array(WinSchema) }).parse(parse(text)).wins;
  const ids = new Set(wins.map((w) => w.id));
  if (ids.size !== wins.length) throw new Error(`${file} names a win twice`);
  return wins;
}

/** The held-out file's name, marked when it has been tuned on since (its figures are tuning figures). */
export function heldOutName(): string {
  const tunedOn = (LABELLED_FILES.tunedOnToo as readonly string[]).includes(LABELLED_FILES.heldOut);
  return tunedOn ? `${LABELLED_FILES.heldOut}, tuned on since` : LABELLED_FILES.heldOut;
}

/** The tuning files together: what rule work may look at, line by line. */
export function loadTuningSet(): LabelledWin[] {
  return LABELLED_FILES.tuning.flatMap((file) => readWins(file));
}

/**
 * Everything rule work has looked at line by line: the tuning files and the files tuned on though
 * still named held-out. Never the held-out file once it is a fresh one.
 */
export function loadTunedOnSet(): LabelledWin[] {
  const files = [...LABELLED_FILES.tuning, ...LABELLED_FILES.tunedOnToo];
  return files.flatMap((file) => readWins(file));
}

export function loadLabelledSet(): LabelledSet {
  if ((LABELLED_FILES.tuning as readonly string[]).includes(LABELLED_FILES.heldOut))
    throw new Error(`${LABELLED_FILES.heldOut} cannot be held out and a tuning file at once`);
  return { tuning: loadTuningSet(), heldOut: readWins(LABELLED_FILES.heldOut) };
}

export interface Miss {
  id: string;
  text: string;
  what: string;
}

export interface Figures {
  lines: number;
  /** Share of lines with a first axis whose first axis is among the suggested axes. */
  firstAxisRecall: number;
  /** Share of suggested axes (on every line, nothing-lines included) that are fair for the line. */
  axisPrecision: number;
  /** Share of lines labelled with a shift that get that shift suggested. */
  shiftRecall: number;
  /** Share of suggested shifts that are the line's shift (reported, no floor). */
  shiftPrecision: number;
  /** Lines labelled as nothing that got any suggestion (axis, shift or scope). */
  nothingSuggested: number;
  nothingLines: number;
  misses: Miss[];
}

const ratio = (hit: number, all: number) => (all === 0 ? 1 : hit / all);

export function measure(wins: readonly LabelledWin[], suggest: (text: string) => TagSuggestion): Figures {
  let firstAll = 0;
  let firstHit = 0;
  let suggestedAxes = 0;
  let fairAxes = 0;
  let shiftAll = 0;
  let shiftHit = 0;
  let shiftsSuggested = 0;
  let nothingLines = 0;
  let nothingSuggested = 0;
  const misses: Miss[] = [];
  for (const win of wins) {
    const s = suggest(win.text);
    const fair = new Set([win.first, ...win.also]);
    suggestedAxes += s.axes.length;
    const unfair = s.axes.filter((a) => !fair.has(a));
    fairAxes += s.axes.length - unfair.length;
    if (unfair.length > 0)
      misses.push({ id: win.id, text: win.text, what: `unfair axes ${unfair.join(', ')}` });
    if (win.first === null) {
      nothingLines += 1;
      if (s.axes.length > 0 || s.shift !== null || s.scope !== null) {
        nothingSuggested += 1;
        misses.push({ id: win.id, text: win.text, what: 'a suggestion on a nothing-line' });
      }
    } else {
      firstAll += 1;
      if (s.axes.includes(win.first)) firstHit += 1;
      else
        misses.push({
          id: win.id,
          text: win.text,
          what: `first axis ${win.first} missing (got ${s.axes.join(', ') || 'none'})`,
        });
    }
    if (s.shift !== null) shiftsSuggested += 1;
    if (s.shift !== null && s.shift === win.shift) shiftHit += 1;
    if (win.shift !== null) {
      shiftAll += 1;
      if (s.shift !== win.shift)
        misses.push({
          id: win.id,
          text: win.text,
          what: `shift ${win.shift} missing (got ${s.shift ?? 'none'})`,
        });
    } else if (s.shift !== null) {
      misses.push({ id: win.id, text: win.text, what: `shift ${s.shift} suggested, none labelled` });
    }
  }
  return {
    lines: wins.length,
    firstAxisRecall: ratio(firstHit, firstAll),
    axisPrecision: ratio(fairAxes, suggestedAxes),
    shiftRecall: ratio(shiftHit, shiftAll),
    shiftPrecision: ratio(shiftHit, shiftsSuggested),
    nothingSuggested,
    nothingLines,
    misses,
  };
}

export interface FiguresColumn {
  /** E.g. "held-out, fresh.yaml". */
  label: string;
  figures: Figures;
}

/** Figures side by side as a Markdown table, the floors (held on the held-out set) first. */
export function figuresTable(columns: readonly FiguresColumn[]): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const row = (name: string, floor: string, f: (x: Figures) => string) =>
    `| ${name} | ${floor} | ${columns.map((c) => f(c.figures)).join(' | ')} |`;
  return [
    `| figure | floor (held-out) | ${columns.map((c) => `${c.label} (${c.figures.lines} lines)`).join(' | ')} |`,
    `| --- | --- | ${columns.map(() => '---').join(' | ')} |`,
    row('first-axis recall', '≥ 85%', (x) => pct(x.firstAxisRecall)),
    row('suggested-axis precision', '≥ 90%', (x) => pct(x.axisPrecision)),
    row('shift recall', '≥ 70%', (x) => pct(x.shiftRecall)),
    row('shift precision', '(none)', (x) => pct(x.shiftPrecision)),
    row('nothing-lines with a suggestion', '0', (x) => `${x.nothingSuggested} of ${x.nothingLines}`),
  ].join('\n');
}

/** The usual columns: the held-out file, the tuning files, and everything tuned on. */
export function standardColumns(suggest: (text: string) => TagSuggestion): FiguresColumn[] {
  const set = loadLabelledSet();
  return [
    { label: `held-out, ${heldOutName()}`, figures: measure(set.heldOut, suggest) },
    { label: `tuning, ${LABELLED_FILES.tuning.length} files`, figures: measure(set.tuning, suggest) },
    // A third column only while a file was tuned on without being in `tuning` yet.
    ...((LABELLED_FILES.tunedOnToo as readonly string[]).length === 0
      ? []
      : [
          {
            label: `all tuned on, ${[...LABELLED_FILES.tuning, ...LABELLED_FILES.tunedOnToo].join(' + ')}`,
            figures: measure(loadTunedOnSet(), suggest),
          },
        ]),
  ];
}
