/**
 * The labelled TPM wins of tests/fixtures/tag-suggestions/ and the figures tag suggestions reach on
 * them (issue 16): used by the floor test and by `npm run bench -- suggestions`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { TagSuggestion } from '../../src/domain/suggest.ts';
import { AXIS_IDS, SHIFT_IDS } from '../../src/domain/types.ts';

const DIR = path.join(import.meta.dirname, '..', 'fixtures', 'tag-suggestions');

const WinSchema = z.strictObject({
  id: z.string().regex(/^w\d{3}$/),
  text: z.string().min(1),
  first: z.enum(AXIS_IDS).nullable(),
  also: z.array(z.enum(AXIS_IDS)),
  shift: z.enum(SHIFT_IDS).nullable(),
});
export type LabelledWin = z.infer<typeof WinSchema>;

const SplitSchema = z.strictObject({
  seed: z.int(),
  total: z.int(),
  held_out: z.array(z.string()),
  tuning: z.array(z.string()),
});

export interface LabelledSet {
  seed: number;
  tuning: LabelledWin[];
  heldOut: LabelledWin[];
}

export function loadLabelledSet(): LabelledSet {
  const wins = z
    .strictObject({ wins: z.array(WinSchema) })
    .parse(parse(readFileSync(path.join(DIR, 'wins.yaml'), 'utf8'))).wins;
  const split = SplitSchema.parse(parse(readFileSync(path.join(DIR, 'split.yaml'), 'utf8')));
  const byId = new Map(wins.map((w) => [w.id, w]));
  const pick = (ids: string[]) =>
    ids.map((id) => {
      const win = byId.get(id);
      if (!win) throw new Error(`split.yaml names ${id}, which wins.yaml does not hold`);
      return win;
    });
  return { seed: split.seed, tuning: pick(split.tuning), heldOut: pick(split.held_out) };
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

/** The figures of both parts as a Markdown table, held-out beside tuning. */
export function figuresTable(heldOut: Figures, tuning: Figures): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const row = (name: string, floor: string, f: (x: Figures) => string) =>
    `| ${name} | ${floor} | ${f(heldOut)} | ${f(tuning)} |`;
  return [
    `| figure | floor (held-out) | held-out (${heldOut.lines} lines) | tuning (${tuning.lines} lines) |`,
    '| --- | --- | --- | --- |',
    row('first-axis recall', '≥ 85%', (x) => pct(x.firstAxisRecall)),
    row('suggested-axis precision', '≥ 90%', (x) => pct(x.axisPrecision)),
    row('shift recall', '≥ 70%', (x) => pct(x.shiftRecall)),
    row('shift precision', '(none)', (x) => pct(x.shiftPrecision)),
    row('nothing-lines with a suggestion', '0', (x) => `${x.nothingSuggested} of ${x.nothingLines}`),
  ].join('\n');
}
