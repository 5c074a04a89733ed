/**
 * Tag suggestions measured on labelled TPM wins (issue 16). The floors are held on a FRESH held-out
 * set; the tuning figures are printed beside them (and written to bench/RESULTS.md by
 * `npm run bench -- suggestions`).
 *
 * Tuning set: tests/fixtures/tag-suggestions/wins.yaml, all 180 wins. The rules were first written
 * against a random four fifths of them (split.yaml) and held on the other fifth, but that fifth was
 * looked at many times while tuning (83.3% first-axis recall there, the floor never reached), so it
 * was no longer a clean held-out: both parts are now the tuning set.
 *
 * Held-out set: tests/fixtures/tag-suggestions/fresh.yaml, 172 new wins (17 with nothing to tag),
 * written by hand in one sitting by a helper session on 2026-12-06, who read only the header and
 * the first 42 lines of wins.yaml to learn the format and conventions, did not read the suggestion
 * rules (ladder-data YAML, src/domain/suggest.ts) and ran no evaluation first. Labelled as a coach
 * would, by the topics of the issue (several lines each), British and US spelling, past and present
 * tense. Lines too close to a wins.yaml line (shared-word ratio above 0.4) were rewritten before the
 * commit; none repeats one. Committed alone, before any rule change ("Fresh held-out set, written
 * before any rule change and never tuned on"). Rule work may look at wins.yaml line by line
 * (`loadTuningSet`), never at which fresh lines fail: only the figures below.
 *
 * Evaluations of the fresh set (each one run of this test on a new state of the rules; only the
 * figures were read, never which lines failed):
 *   1. 2026-12-06 04:37 UTC, rules as left by the old tuning (commit eb17166), before any change:
 *      first-axis recall 86.5% (floor 85%, met), suggested-axis precision 88.7% (floor 90%, NOT met),
 *      shift recall 72.3% (floor 70%, met), shift precision 83.9%, nothing-lines with a suggestion
 *      3 of 17 (floor 0, NOT met). Tuning set (180): 96.2%, 99.0%, 91.7%, 96.5%, 0 of 23.
 *   Then the rules were tuned on wins.yaml only, on its residual misses (commits 80535c2, cb945d2):
 *   tuning set 98.1% first-axis recall, 98.3% shift recall. The constants were swept on wins.yaml
 *   and left as they are: AXIS_SHARE 0.6 with LEAD_BONUS 0.25 kept its recall with barely fewer
 *   axes (1.067 a line against 1.083), and a minimum axis score of 1 cost three first axes. The
 *   session that tuned is the one that wrote fresh.yaml, so it knew the wording of the fresh
 *   lines; it changed only words that a wins.yaml miss named.
 *   2. 2026-12-06 04:42 UTC, the last evaluation (commit cb945d2): first-axis recall 86.5% (met),
 *      suggested-axis precision 88.7% (NOT met), shift recall 72.3% (met), shift precision 82.5%,
 *      nothing-lines with a suggestion 3 of 17 (NOT met). Tuning set (180): 98.1%, 99.0%, 98.3%,
 *      98.3%, 0 of 23. Tuning on wins.yaml moved none of the fresh figures but shift precision
 *      (down 1.4 points): the rules fit wins.yaml far better than new wording.
 * Evaluated twice in all as a held-out set: the fresh set met two states of the rules, no more.
 *
 * Then fresh.yaml became TUNING material (issue 16, second round, helper R, 2026-12-06 from 20:05
 * UTC): its lines were read one by one beside wins.yaml, and the rules were widened by word families
 * a coach would name (not patches for one line), chores were given a rule of their own, and at most
 * two axes are suggested. From then on, figures on fresh.yaml are tuning figures and say little about
 * new wording; the floors below still run on it only until the next held-out set lands. To switch:
 * name the new file in LABELLED_FILES.heldOut (tests/helpers/suggestion-eval.ts) and move fresh.yaml
 * from `tunedOnToo` to `tuning`; nothing else here names a file.
 * Last figures (commit of this header), fresh / wins / both: first-axis recall 92.3% / 98.1% / 95.2%,
 * suggested-axis precision 93.0% / 99.0% / 95.9%, shift recall 89.2% / 98.3% / 93.6%, shift
 * precision 89.2% / 96.7% / 92.9%, nothing-lines with a suggestion 0 of 17 / 0 of 23 / 0 of 40.
 *
 * Held-out set 3: tests/fixtures/tag-suggestions/heldout-3.yaml, 170 wins written on 2026-12-06
 * (about 20:00 UTC) by a helper who was not the one changing the rules, while they were being
 * changed elsewhere; it read the header and the first 22 lines of fresh.yaml to learn the format,
 * not the rules, not wins.yaml, and ran no evaluation. Committed (a77210d) before the second
 * round's rules were merged; the rule author never saw it. Four of its nothing-lines proved word
 * for word in the tuning set (this file's freshness test) and were removed: 166 remain (22 nothing).
 * From here the floors are held on it and wins.yaml + fresh.yaml are the tuning set.
 * Evaluations of held-out set 3 (totals only, never which lines fail):
 *   1. the rules before the second round (39b820e): first-axis recall 85.4%, precision 80.8%,
 *      shift recall 54.3%, nothing-lines with a suggestion 10 of 26 (before the four were removed).
 *   2. an interim state of the second round (19b1d03): 86.1%, 84.3%, 55.7%, 4 of 26.
 *   3. the second round as merged (58cfe28): 85.4% (met), 86.1% (NOT met), 54.3% (NOT met), and
 *      1 of 22 (NOT met). Precision and nothing-lines moved the right way; shift recall did not
 *      move at all: the shift rules match the wording of the tuning lines, not new wording.
 * The three unmet floors were expected failures (`it.fails`) until the third round met them there
 * (heldout-3 was tuning material by then).
 *
 * Third round (issue 16, helper R2, 2026-12-06 from 20:39 UTC): heldout-3.yaml became TUNING
 * material (LABELLED_FILES.tunedOnToo) while heldout-4.yaml is written by someone else; it stays
 * `heldOut` only until set 4 lands, so the figures on it below are tuning figures now. Its misses
 * were studied as classes (purposes that rule a recurrence out, gates and criteria, learning from a
 * failure; one way for every team, phases, one cause; "any EM can", "not just me", "now only";
 * reach and artefact words that only hint at Influence), and the rules were widened by word
 * families, checked on 80 probe lines of the rule author's own (scratch, outside the repo).
 * Figures at the commit of this paragraph, heldout-3 / wins / fresh: first-axis recall 88.9% /
 * 98.1% / 91.6%, suggested-axis precision 91.5% / 99.0% / 93.0%, shift recall 84.3% / 98.3% /
 * 89.2%, nothing-lines with a suggestion 0 of 22 / 0 of 23 / 0 of 17 (before the round: 85.4%,
 * 86.1%, 54.3%, 1 of 22 on heldout-3; wins and fresh unchanged but fresh recall, 92.3%).
 *
 * Held-out set 4: tests/fixtures/tag-suggestions/heldout-4.yaml, 170 wins written on 2026-12-06
 * (from about 20:40 UTC) by a helper who saw neither the rules, nor wins.yaml, nor heldout-3, and
 * only the header and first five lines of fresh.yaml; asked for many lines with a shift in varied
 * wording. Committed (864e2f7) before the third round's rules were merged; the rule author never
 * saw it. Three lines word for word in the tuning files were removed before any evaluation: 167
 * remain (23 nothing). The floors are held on it from here; wins.yaml, fresh.yaml and heldout-3.yaml
 * are the tuning set. Evaluations of held-out set 4 (totals only, never which lines fail):
 *   1. the second round's rules (45d8aeb): first-axis recall 81.9%, precision 84.6%, shift recall
 *      68.8%, nothing-lines with a suggestion 2 of 23.
 *   2. the third round as merged: 82.6% (NOT met), 84.4% (NOT met), 71.4% (met), 2 of 23 (NOT met).
 * Each round lifts the tuning figures a lot and an unseen set's barely (shift recall +2.6 points,
 * the rest flat): word rules tuned on a few hundred lines do not reach these floors on new wording.
 * The three unmet floors were expected failures (`it.fails`) until the fourth round below.
 *
 * Fourth round (issue 16, 2026-12-06 from 22:30 UTC): a learned model on top of the rules.
 *   Held-out set 5 (heldout-5.yaml, 175 lines, 66bbf51): its author saw the whole of heldout-4
 *   by a faulty print command (disclosed in its header), so it was made TUNING material at once.
 *   Figures before any change, taken once as a check of the rules: first-axis recall 81.2%,
 *   precision 82.7%, shift recall 56.5%, 2 of 26 nothing-lines.
 *   Held-out set 6 (heldout-6.yaml, 175 lines, 16059a8): written by a helper who read only its
 *   brief (which quoted the conventions and five entries of heldout-4) and axes.yaml. Evaluated
 *   once, by accident of a test run, with a first state of the model (trained on wins, fresh,
 *   heldout-3, -4, -5): first-axis recall 83.2%, precision 82.7%, shift recall 62.3%, 3 of 26
 *   nothing-lines; the rules alone on it, once: 79.9%, 78.8%, 65.6%, 3 of 26. It became TUNING
 *   material at once and was never used to choose anything as a held-out set.
 *   Held-out set 7 (heldout-7.yaml, dd30cf1, written the same way as set 6; one line that repeats
 *   another file's line removed before any evaluation: 174 remain, 26 nothing): the floors are held
 *   on it from here. Ten training files (train-a … train-j, 200 lines each, each in the voice of a
 *   different kind of TPM, written by helpers who read only their brief and axes.yaml) were added
 *   to the tuning set after it was committed (and checked word for word against it, see below); the model's method, features and thresholds were
 *   chosen by cross-validation on the tuning files only (leave one file out; bench/RESULTS.md, "Tag
 *   suggestions: the learned weights"), never on set 7.
 * Evaluations of held-out set 7 (totals only, never which lines fail):
 *   1. the model as committed in 282ecdd (trained on the 16 tuning files): first-axis recall 89.9%
 *      (met), suggested-axis precision 92.9% (met), shift recall 70.0% (met: 42 of 60), shift
 *      precision 65.6%, nothing-lines with a suggestion 1 of 26 (NOT met). Tuning set (3,035
 *      lines): 94.6%, 98.1%, 95.9%, 89.1%, 6 of 420.
 *   Later commits only changed how fast it runs and how reasons are picked; the figures were
 *   checked to be the same to the last line (10d801d).
 *   2. this file's freshness test then found one held-out line (a nothing-line) word for word in
 *      train-i.yaml, written after set 7 by another helper: it was removed from train-i (ti057),
 *      the model refitted without it, and the figures taken again: the same, 89.9%, 92.9%, 70.0%,
 *      65.6%, 1 of 26. Tuning set (3,034 lines): 94.6%, 98.1%, 95.9%, 89.1%, 6 of 419.
 *
 * Fifth round (issue 16, 2026-12-07 from 01:34 UTC). Held-out set 8 (heldout-8.yaml, 70ea641: 180
 * lines written by a helper who read only its brief and axes.yaml; five lines found word for word in
 * other labelled files removed before any evaluation, 175 remain, 20 nothing) was committed before
 * any change, and set 7 became tuning material. Then: training files k to t (chores beside short
 * plain wins, terse notes, six more voices, short entries of two to seven words), chore words for
 * sitting through, listening, waiting, required courses and one's own accounts and travel (each
 * checked against the wins of the tuning files it would silence), "nothing to tag" at 0.3 or more
 * silencing a line however likely an axis, and a second axis at 0.75; all chosen by leaving one
 * tuning file out at a time (tests/helpers/suggestion-crossval.ts), never on set 8.
 * Evaluations of held-out set 8 (totals only, never which lines fail):
 *   1. the model of ce8735a (trained on 27 tuning files, 5,437 lines): first-axis recall 87.7%
 *      (met, 136 of 155), suggested-axis precision 92.6% (met), shift recall 66.1% (NOT met, 39 of
 *      59), shift precision 68.4%, nothing-lines with a suggestion 2 of 20 (NOT met). Tuning set:
 *      90.1%, 96.4%, 87.8%, 80.8%, 15 of 981.
 *   Both unmet floors were expected failures (`it.fails`) while set 8 was the held-out set.
 *
 * Sixth round (2026-12-07 from 02:25 UTC). Held-out set 9 (heldout-9.yaml, e40cad7: 180 lines
 * written the same way by another helper; seven lines found word for word in other labelled files
 * removed before any evaluation, 173 remain, 21 nothing) was committed before any change; set 8
 * became tuning material and the model was refitted on the 28 tuning files (5,612 lines). The
 * thresholds were chosen again by leaving one file out, with criteria set before the run (shift:
 * the best shift F1 over all folds; second axis: the widest margin over both axis floors on folds
 * heldout-4 to -8); both kept their values. Nothing else changed.
 * Evaluations of held-out set 9 (totals only, never which lines fail):
 *   1. the model of 77c9d22: first-axis recall 94.1% (met, 143 of 152), suggested-axis precision
 *      95.2% (met), shift recall 71.7% (met, 43 of 60), shift precision 68.3%, nothing-lines with a
 *      suggestion 0 of 21 (met). Tuning set (5,612 lines): 90.1%, 96.3%, 87.6%, 80.1%, 15 of 1,001.
 * Set 8 and set 9 were written from the same brief and met models that differ only by set 8's 175
 * lines of training: the gap between them (87.7% and 94.1% recall, 66.1% and 71.7% shift recall,
 * 2 and 0 nothing-lines tagged) is how much one set of about 175 lines varies. Shift recall and the
 * nothing-lines sit close to their floors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { suggestTags } from '../../../src/domain/suggest.ts';
import { realLadder } from '../../helpers/ladder.ts';
import {
  type Figures,
  figuresTable,
  LABELLED_FILES,
  loadLabelledSet,
  loadTunedOnSet,
  measure,
  standardColumns,
} from '../../helpers/suggestion-eval.ts';

describe('tag suggestions on the labelled TPM wins', () => {
  let heldOut: Figures;
  let tuning: Figures;

  beforeAll(() => {
    const rules = realLadder().suggestionRules;
    const set = loadLabelledSet();
    const suggest = (text: string) => suggestTags(text, rules);
    heldOut = measure(set.heldOut, suggest);
    tuning = measure(set.tuning, suggest);
    console.log(
      `Tag suggestions, held-out (${LABELLED_FILES.heldOut}) beside tuning:\n${figuresTable(standardColumns(suggest))}`,
    );
  });

  it('the held-out set is fresh: at least 150 wins, about a tenth with nothing to tag, none from the tuning set', () => {
    const set = loadLabelledSet();
    expect(set.tuning.length).toBeGreaterThanOrEqual(180);
    expect(set.heldOut.length).toBeGreaterThanOrEqual(150);
    const nothing = set.heldOut.filter((w) => w.first === null).length;
    expect(nothing / set.heldOut.length).toBeGreaterThan(0.05);
    const norm = (text: string) =>
      text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, ' ')
        .trim();
    const tuningTexts = new Set(set.tuning.map((w) => norm(w.text)));
    expect(set.heldOut.filter((w) => tuningTexts.has(norm(w.text))).map((w) => w.text)).toEqual([]);
    expect(new Set(set.heldOut.map((w) => norm(w.text))).size).toBe(set.heldOut.length);
  });

  it('suggested-axis precision on the held-out set is at least 0.9', () => {
    expect(heldOut.axisPrecision).toBeGreaterThanOrEqual(0.9);
  });

  it('suggests nothing at all on held-out lines labelled as nothing', () => {
    expect(heldOut.nothingLines).toBeGreaterThan(0);
    expect(heldOut.nothingSuggested).toBe(0);
  });

  it('first-axis recall on the held-out set is at least 0.85', () => {
    expect(heldOut.firstAxisRecall).toBeGreaterThanOrEqual(0.85);
  });

  it('shift recall on the held-out set is at least 0.7', () => {
    expect(heldOut.shiftRecall).toBeGreaterThanOrEqual(0.7);
  });

  it('everything tuned on meets the targets of the second round, with headroom over the floors', () => {
    // The tuning figures, unless a file was tuned on without being in `tuning` yet.
    const all =
      LABELLED_FILES.tunedOnToo.length === 0
        ? tuning
        : measure(loadTunedOnSet(), (text) => suggestTags(text, realLadder().suggestionRules));
    expect(all.axisPrecision).toBeGreaterThanOrEqual(0.93);
    expect(all.firstAxisRecall).toBeGreaterThanOrEqual(0.88);
    expect(all.shiftRecall).toBeGreaterThanOrEqual(0.75);
    // The model is fitted, not written, against these lines: a few still get a tag (6 of 419 at
    // the fourth round, 15 of 981 at the fifth); a guard against that growing, not a floor.
    expect(all.nothingSuggested / all.nothingLines).toBeLessThanOrEqual(0.02);
  });

  it('the tuning set meets the floors but the nothing-lines one (the model was fitted on it)', () => {
    expect(tuning.firstAxisRecall).toBeGreaterThanOrEqual(0.85);
    expect(tuning.axisPrecision).toBeGreaterThanOrEqual(0.9);
    expect(tuning.shiftRecall).toBeGreaterThanOrEqual(0.7);
    expect(tuning.nothingSuggested / tuning.nothingLines).toBeLessThanOrEqual(0.02);
  });
});
