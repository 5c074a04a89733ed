/**
 * The labelled TPM wins of tests/fixtures/tag-suggestions/ and the figures tag suggestions reach on
 * them (issue 16): used by the floor test and by `npm run bench -- suggestions`.
 *
 * Two sets: wins.yaml (180 wins) is the TUNING set, both parts of its old split (split.yaml) now,
 * because its held-out fifth was looked at too often while tuning to stay held out; fresh.yaml
 * (written later, before any further rule change, never tuned on) is the HELD-OUT set the floors
 * are held on.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { TagSuggestion } from '../../src/domain/suggest.ts';
import { AXIS_IDS, SHIFT_IDS } from '../../src/domain/types.ts';

const DIR = path.join(import.meta.dirname, '..', 'fixtures', 'tag-suggestions');

const winSchema = (id: RegExp) =>
  z.strictObject({
    id: z.string().regex(id),
    text: z.string().min(1),
    first: z.enum(AXIS_IDS).nullable(),
    also: z.array(z.enum(AXIS_IDS)),
    shift: z.enum(SHIFT_IDS).nullable(),
  });
const WinSchema = winSchema(/^w\d{3}$/);
const FreshWinSchema = winSchema(/^f\d{3}$/);
export type LabelledWin = z.infer<typeof WinSchema>;

const SplitSchema = z.strictObject({
  seed: z.int(),
  total: z.int(),
  held_out: z.array(z.string()),
  tuning: z.array(z.string()),
});

export interface LabelledSet {
  /** wins.yaml, all 180 (the old split's tuning part and its old held-out fifth). */
  tuning: LabelledWin[];
  /** fresh.yaml: the held-out set, never tuned on. */
  heldOut: LabelledWin[];
}

function readWins(file: string, schema: typeof WinSchema): LabelledWin[] {
  const text = readFileSync(path.join(DIR, file), 'utf8');
  return z.strictObject({ wins: z.array(schema) }).parse(parse(text)).wins;
}

/** The tuning set alone (wins.yaml): what rule work may look at, line by line. */
export function loadTuningSet(): LabelledWin[] {
  const wins = readWins('wins.yaml', WinSchema);
  const split = SplitSchema.parse(parse(readFileSync(path.join(DIR, 'split.yaml'), 'utf8')));
  const named = new Set([...split.tuning, ...split.held_out]);
  const ids = new Set(wins.map((w) => w.id));
  if (named.size !== wins.length || [...named].some((id) => !ids.has(id)))
    throw new Error('split.yaml and wins.yaml no longer name the same wins');
  return wins;
}

export function loadLabelledSet(): LabelledSet {
  return { tuning: loadTuningSet(), heldOut: readWins('fresh.yaml', FreshWinSchema) };
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

/** The figures of both sets as a Markdown table, held-out (fresh) beside tuning. */
export function figuresTable(heldOut: Figures, tuning: Figures): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const row = (name: string, floor: string, f: (x: Figures) => string) =>
    `| ${name} | ${floor} | ${f(heldOut)} | ${f(tuning)} |`;
  return [
    `| figure | floor (held-out) | held-out, fresh.yaml (${heldOut.lines} lines) | tuning, wins.yaml (${tuning.lines} lines) |`,
    '| --- | --- | --- | --- |',
    row('first-axis recall', '≥ 85%', (x) => pct(x.firstAxisRecall)),
    row('suggested-axis precision', '≥ 90%', (x) => pct(x.axisPrecision)),
    row('shift recall', '≥ 70%', (x) => pct(x.shiftRecall)),
    row('shift precision', '(none)', (x) => pct(x.shiftPrecision)),
    row('nothing-lines with a suggestion', '0', (x) => `${x.nothingSuggested} of ${x.nothingLines}`),
  ].join('\n');
}
