/**
 * The learned weights of the tag suggestions (issue 16): the committed model is what training
 * gives, the shipped suggestions explain themselves with the user's own words, the decision rules
 * on a small hand-made model, and a stale or broken model file stops the ladder with a clear message.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSuggestionRules, suggestionReasons, suggestTags } from '../../../src/domain/suggest.ts';
import {
  compileSuggestionModel,
  MODEL_LABELS,
  type ModelThresholds,
  type SuggestionModelData,
} from '../../../src/domain/suggest-model.ts';
import { LadderDataError, loadLadder } from '../../../src/load-ladder.ts';
import { LADDER_DIR, realLadder } from '../../helpers/ladder.ts';
import { LABELLED_FILES } from '../../helpers/suggestion-eval.ts';
import { MODEL_FILE, trainedModelText } from '../../helpers/suggestion-train.ts';
import { tempDir } from '../../helpers/tmp.ts';

const shipped = realLadder().suggestionRules;
const suggest = (text: string) => suggestTags(text, shipped);

describe('the committed model', () => {
  it('is what training on the tuning files gives (run npm run train:suggestions after changing rules)', () => {
    expect(readFileSync(MODEL_FILE, 'utf8')).toBe(trainedModelText());
  });

  it('was never fitted on the held-out file', () => {
    const model = JSON.parse(readFileSync(MODEL_FILE, 'utf8')) as { trained_on: string[] };
    expect(model.trained_on).toEqual([...LABELLED_FILES.tuning]);
    expect(model.trained_on).not.toContain(LABELLED_FILES.heldOut);
  });

  it('is loaded with the shipped rules', () => {
    expect(shipped.model).not.toBeNull();
  });
});

describe('the shipped suggestions, rules and weights together', () => {
  it.each([
    [
      'Mapped cross-team dependencies for the Q3 roadmap and escalated two risks to the VP',
      ['process', 'influence'],
      'systems-thinking',
    ],
    ['Held weekly 1:1s with the two TPMs on my team', ['people'], null],
    ['Set up a risk register', ['process'], 'preventing'],
    ['MENTORED the new hire', ['people'], null],
    ['Found the root cause of the recurring deploy failures', ['system'], 'preventing'],
    ['Delegated the release notes to Sam', ['people'], 'enabling'],
    // A chore that names work things (the README's example): nothing to tag.
    ["Read the Payments design doc before Wednesday's review", [], null],
    ['Led the incident review', ['system'], null],
  ] as const)('%s → %j, shift %s', (text, axes, shift) => {
    const result = suggest(text);
    expect(result.axes).toEqual(axes);
    expect(result.shift).toBe(shift);
  });

  // "Took Friday off" and "processed the expense reports": the misfire table of suggest.test.ts.
  it.each(['collected everyone’s t-shirt sizes for the hackathon', 'Got the travel approval for the summit'])(
    'suggests nothing for a chore: %s',
    (text) => {
      expect(suggest(text)).toEqual({ axes: [], scope: null, shift: null, matches: [] });
    },
  );

  it('explains every suggested tag with words the user wrote, never a bare stopword', () => {
    const text = 'Set up a Risk Register and escalated it to the VP';
    const result = suggest(text);
    const reasons = suggestionReasons(result);
    expect(result.axes).toEqual(['process', 'influence']);
    expect(reasons.axes.process).toContain('Risk Register');
    expect(reasons.axes.influence).toEqual(expect.arrayContaining(['escalated', 'VP']));
    expect(reasons.shift).toContain('Risk Register');
    expect(reasons.scope).toEqual(['VP']);
    for (const word of [...Object.values(reasons.axes).flat(), ...reasons.shift]) {
      expect(text).toContain(word);
      expect(['a', 'and', 'it', 'to', 'the', 'up']).not.toContain(word.toLowerCase());
    }
  });

  it('a word inside a longer reason is folded into it, with its tags', () => {
    const result = suggest(
      'Mapped cross-team dependencies for the Q3 roadmap and escalated two risks to the VP',
    );
    const texts = result.matches.map((m) => m.text);
    expect(texts).toContain('Mapped cross-team dependencies');
    expect(texts).not.toContain('Mapped');
    expect(texts).not.toContain('dependencies');
  });

  it('stays within the known tags and never throws on odd input', () => {
    for (const text of ['', '   ', '🚀🚀🚀', 'x'.repeat(5_000), 'the the the the', '1:1 1:1 1:1']) {
      const result = suggest(text);
      expect(result.axes.length).toBeLessThanOrEqual(2);
    }
  });
});

/** A model over two rules and two words, with weights written by hand. */
function tinyModel(thresholds: Partial<ModelThresholds> = {}) {
  const rules = [
    { id: 'mentoring', axes: ['people'] as const, scope: null, shift: null, words: ['mentored'], except: [] },
    {
      id: 'prevent',
      axes: [] as const,
      scope: null,
      shift: 'preventing' as const,
      words: ['root cause'],
      except: [],
    },
  ];
  const row = (weights: Partial<Record<(typeof MODEL_LABELS)[number], number>>) =>
    MODEL_LABELS.map((label) => weights[label] ?? 0);
  const data: SuggestionModelData = {
    thresholds: { axis: 0.5, secondAxis: 0.8, shift: 0.5, withoutRules: 0.7, nothing: 0.5, ...thresholds },
    weights: {
      bias: row({
        technology: -4,
        system: -4,
        people: -4,
        process: -4,
        influence: -4,
        enabling: -4,
        'systems-thinking': -4,
        preventing: -4,
        nothing: -4,
        'first-technology': -4,
        'first-system': -4,
        'first-people': -4,
        'first-process': -4,
        'first-influence': -4,
      }),
      'rule:mentoring': row({ people: 6, 'first-people': 6, process: 3.5 }),
      'rule:prevent': row({ preventing: 6 }),
      'word:onboard': row({ people: 4.5, 'first-people': 4 }),
      'word:lunch': row({ nothing: 9 }),
      'word:process': row({ process: 6, 'first-process': 5 }),
    },
  };
  return compileSuggestionRules(rules, undefined, compileSuggestionModel(data));
}

describe('how scores become tags (a hand-made model)', () => {
  it('suggests the axis most likely picked first, with the words that weighed toward it', () => {
    const result = suggestTags('Mentored Sam', tinyModel());
    expect(result.axes).toEqual(['people']);
    expect(suggestionReasons(result).axes.people).toEqual(['Mentored']);
  });

  it('adds a second axis only at the second threshold', () => {
    expect(suggestTags('Mentored Sam', tinyModel()).axes).toEqual(['people']);
    expect(suggestTags('Mentored Sam', tinyModel({ secondAxis: 0.3 })).axes).toEqual(['people', 'process']);
  });

  it('the first axis comes from its own scores, not the likeliest fair one', () => {
    // process is fairer (0.996) than people (0.88) here, but people is likelier to be picked first.
    const result = suggestTags('Mentored the process owner', tinyModel({ secondAxis: 0.3 }));
    expect(result.axes).toEqual(['people', 'process']);
  });

  it('without any rule firing, a word alone needs the higher bar', () => {
    // onboard alone: people at 0.62, over `axis` (0.5) but under `withoutRules` (0.7).
    expect(suggestTags('Onboarding week', tinyModel()).axes).toEqual([]);
    expect(suggestTags('Onboarding week', tinyModel({ withoutRules: 0.6 })).axes).toEqual(['people']);
  });

  it('an entry likely enough to hold nothing to tag gets no suggestion, however likely an axis', () => {
    // lunch: nothing at 0.99; people still at 0.88.
    expect(suggestTags('Mentored Sam over lunch', tinyModel())).toMatchObject({ axes: [], shift: null });
    expect(suggestTags('Mentored Sam over lunch', tinyModel({ nothing: 0.999_9 })).axes).toEqual(['people']);
    // Nor a shift alone the rules named, when nothing to tag is likelier than the shift.
    expect(suggestTags('Found the root cause over lunch', tinyModel())).toMatchObject({
      axes: [],
      shift: null,
    });
  });

  it('a shift the rules named is still offered alone when it is likelier than nothing to tag', () => {
    // nothing at 0.018, over a bar of 0.01: no axis; the shift (0.88) is likelier than nothing.
    expect(suggestTags('Mentored Sam', tinyModel({ nothing: 0.01 })).axes).toEqual([]);
    expect(suggestTags('Found the root cause', tinyModel({ nothing: 0.01 }))).toMatchObject({
      axes: [],
      shift: 'preventing',
    });
  });

  it('a shift alone only where the rules named it too', () => {
    expect(suggestTags('Found the root cause', tinyModel())).toMatchObject({ axes: [], shift: 'preventing' });
    expect(suggestTags('Found the root cause', tinyModel({ shift: 0.999_9 })).shift).toBeNull();
  });
});

describe('a model file that does not fit', () => {
  const copy = (edit: (model: Record<string, unknown>) => void) => {
    const dir = tempDir();
    cpSync(LADDER_DIR, dir, { recursive: true });
    const file = path.join(dir, path.basename(MODEL_FILE));
    const model = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    edit(model);
    writeFileSync(file, JSON.stringify(model));
    return dir;
  };
  const problems = (dir: string) => {
    try {
      loadLadder(dir);
    } catch (error) {
      if (error instanceof LadderDataError)
        return error.problems.map((p) => `${p.file}: ${p.path}: ${p.message}`);
      throw error;
    }
    return [];
  };

  it('names the rules it weighs that the suggestions file no longer has, and how to retrain', () => {
    const dir = copy((model) => {
      (model.weights as Record<string, number[]>)['rule:gone-rule'] = MODEL_LABELS.map(() => 0.5);
    });
    expect(problems(dir)).toEqual([
      'suggestion-model.json: weights: weighs rules the suggestions file no longer has (gone-rule): run "npm run train:suggestions" after changing the rules',
    ]);
  });

  it('names labels in another order and a row of the wrong length', () => {
    const dir = copy((model) => {
      model.labels = [...MODEL_LABELS].reverse();
      (model.weights as Record<string, number[]>).bias = [1, 2];
    });
    expect(problems(dir)).toEqual([
      expect.stringMatching(/^suggestion-model\.json: labels: must be exactly: technology, system, /),
      expect.stringMatching(/^suggestion-model\.json: weights\.bias: .*14/),
    ]);
  });

  it('names a file that is not JSON', () => {
    const dir = copy(() => {});
    writeFileSync(path.join(dir, path.basename(MODEL_FILE)), '{ "kind": ');
    expect(problems(dir)).toEqual([expect.stringMatching(/^suggestion-model\.json: : not valid JSON: /)]);
  });
});
