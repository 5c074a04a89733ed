/**
 * Tag suggestions from ladder-data/suggestions.yaml: which words fire which axes (whole words
 * only), which must not, and that a bad rules file stops the app with a message naming the file
 * and the path inside it.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildLadder, type LadderFileInput } from '../../../src/domain/ladder/build.ts';
import { formatProblem } from '../../../src/domain/ladder/model.ts';
import { compileSuggestionRules, suggestTags } from '../../../src/domain/suggest.ts';
import { AXIS_IDS, SCOPE_IDS } from '../../../src/domain/types.ts';
import { LadderDataError, loadLadder } from '../../../src/load-ladder.ts';
import { LADDER_DIR, realLadder } from '../../helpers/ladder.ts';
import { tempDir } from '../../helpers/tmp.ts';

const rules = realLadder().suggestionRules;
const suggest = (text: string) => suggestTags(text, rules);

describe('suggestTags with the shipped rules', () => {
  it.each([
    ['Mentoring two new TPMs through their first launch', ['people'], null],
    ['Started coaching the release captains', ['people'], null],
    ['Ran the retro after the launch', ['process'], null],
    ['Moved the team to a two-week cadence', ['process'], null],
    ['Rewrote the intake process', ['process'], null],
    ['A process-heavy quarter, simplified', ['process'], null],
    ['Wrote the architecture review for payments', ['system'], null],
    ['Agreed the SLA with the storage team', ['system'], null],
    ['Led the incident review', ['system'], null],
    ['Fixed the on-call rotation', ['system'], null],
    ['Fixed the on call rotation', ['system'], null],
    ['Capacity planning for Q3', ['system'], null],
    ['Presented the plan to the exec staff', ['influence'], 'company'],
    ['Org-wide rollout of the new intake', ['influence'], 'company'],
    ['Got leadership to agree on the order of the programs', ['influence'], 'company'],
    ['Aligned three cross-team dependencies', ['influence'], 'multi-team'],
    ['Talk at a conference about program health', ['influence'], 'community'],
    // Two rules, two axes; the scope only when the rules that name one agree.
    ['Retro with the execs on the outage', ['system', 'process', 'influence'], 'company'],
    ['Cross-team sync with the execs', ['influence'], null],
    // Case does not matter; Unicode dashes are hyphens.
    ['MENTORED the new hire', ['people'], null],
    ['Cleaned up the on\u2013call handbook', ['system'], null],
  ] as const)('%s → %j %s', (text, axes, scope) => {
    const result = suggest(text);
    expect(result.axes).toEqual(axes);
    expect(result.scope).toBe(scope);
  });

  it.each([
    'Processed the backlog',
    'Watched the procession',
    'Swapped the processor',
    'Followed due process with legal',
    'Retroactive fix for the billing bug',
    'Executed the plan',
    'Read about slack and slam',
    'Incidental work',
    'Coachella tickets for the team',
    'https://example.com/process/retro/incident',
    '<https://wiki.example.com/architecture|the doc>',
    '',
    '   ',
  ])('does not fire on %j', (text) => {
    expect(suggest(text)).toEqual({ axes: [], scope: null, matches: [] });
  });

  it('reads the label of a Slack link but not its address', () => {
    expect(suggest('See <https://wiki.example.com/x|the retro notes>').axes).toEqual(['process']);
  });

  it('says which words fired, as written in the data', () => {
    expect(suggest('Ran the RETRO on the On Call rota').matches).toEqual([
      { ruleId: 'process-change', word: 'retro' },
      { ruleId: 'system-ownership', word: 'on-call' },
    ]);
  });

  it('never throws and returns only known axes and scopes, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        const result = suggest(text);
        for (const axis of result.axes) expect(AXIS_IDS).toContain(axis);
        if (result.scope !== null) expect(SCOPE_IDS).toContain(result.scope);
      }),
    );
  });

  it('suggests nothing without rules', () => {
    expect(suggestTags('Ran the retro', compileSuggestionRules([]))).toEqual({
      axes: [],
      scope: null,
      matches: [],
    });
  });
});

describe('the rules file is validated', () => {
  // biome-ignore lint/suspicious/noExplicitAny: each case breaks one value deep inside the parsed YAML
  type Yaml = any;
  const realInputs = (): Record<string, Yaml> => {
    const out: Record<string, Yaml> = {};
    for (const name of readdirSync(LADDER_DIR).filter((n) => n.endsWith('.yaml') && n !== 'prompts.yaml'))
      out[name] = parse(readFileSync(path.join(LADDER_DIR, name), 'utf8'));
    return out;
  };
  const problemsAfter = (change: (suggestions: Yaml) => void): string[] => {
    const files = realInputs();
    change(files['suggestions.yaml']);
    const inputs: LadderFileInput[] = Object.entries(files).map(([file, data]) => ({ file, data }));
    const result = buildLadder(inputs);
    return result.ok ? [] : result.problems.map(formatProblem);
  };
  const ruleIndex = (id: string): number =>
    (realInputs()['suggestions.yaml'].rules as Array<{ id: string }>).findIndex((r) => r.id === id);

  it('accepts the shipped file and exposes the threshold and the growth suggestions', () => {
    expect(problemsAfter(() => {})).toEqual([]);
    const ladder = realLadder();
    expect(ladder.thinThreshold).toBe(3);
    // Per axis, the advice of the step aimed at (coaching.yaml) stands in: no axis-only advice.
    for (const axis of AXIS_IDS) expect(ladder.growthSuggestions.axes[axis]).toBeUndefined();
    for (const shift of ladder.shifts) expect(ladder.growthSuggestions.shifts[shift.id]).toMatch(/\blog\b/);
  });

  it('names a word that is not whole words', () => {
    const i = ruleIndex('process-change');
    expect(
      problemsAfter((s) => {
        s.rules[i].words[0] = 'process*';
      }),
    ).toEqual([
      `suggestions.yaml: rules[${i}].words[0]: use letters and digits, words joined by one space or hyphen (e.g. "on-call", "due process")`,
    ]);
  });

  it('names an unknown axis, a rule without axes or scope, and a bad threshold', () => {
    expect(
      problemsAfter((s) => {
        s.rules[0].axes = ['peple'];
        s.rules[1].axes = [];
        s.thin_threshold = 0;
      }),
    ).toEqual([
      expect.stringMatching(/^suggestions\.yaml: thin_threshold: /),
      expect.stringMatching(/^suggestions\.yaml: rules\[0\]\.axes\[0\]: /),
      'suggestions.yaml: rules[1].axes: a rule needs "axes", "scope" or both',
    ]);
  });

  it('names a word used by two rules and an except phrase holding none of the words', () => {
    const people = ruleIndex('people-growth');
    const process = ruleIndex('process-change');
    expect(
      problemsAfter((s) => {
        s.rules[people].words.push('retro');
        s.rules[process].except.push('word processing');
      }),
    ).toEqual([
      expect.stringMatching(
        new RegExp(
          `^suggestions\\.yaml: rules\\[${process}\\]\\.words\\[\\d+\\]: "retro" is already a word of rule "people-growth"`,
        ),
      ),
      `suggestions.yaml: rules[${process}].except[2]: "word processing" holds none of this rule's words, so it would change nothing`,
    ]);
  });

  it('needs a growth suggestion for every shift; per-axis ones are optional and checked when given', () => {
    expect(
      problemsAfter((s) => {
        s.growth.axes = { peple: 'Log something.' };
        delete s.growth.shifts.preventing;
      }),
    ).toEqual([
      'suggestions.yaml: growth.axes: Unrecognized key: "peple"',
      expect.stringMatching(/^suggestions\.yaml: growth\.shifts\.preventing: /),
    ]);
  });

  it('stops loading with the file, the path and the line', () => {
    const dir = path.join(tempDir('ladder-data-'), 'data');
    mkdirSync(dir);
    for (const name of readdirSync(LADDER_DIR))
      copyFileSync(path.join(LADDER_DIR, name), path.join(dir, name));
    const text = readFileSync(path.join(LADDER_DIR, 'suggestions.yaml'), 'utf8');
    writeFileSync(
      path.join(dir, 'suggestions.yaml'),
      text.replace('      - mentoring\n', '      - mentoring!\n'),
    );
    let error: unknown;
    try {
      loadLadder(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LadderDataError);
    const message = (error as LadderDataError).message;
    const line = text.split('\n').indexOf('      - mentoring') + 1;
    expect(message).toMatch(/suggestions\.yaml: rules\[0\]\.words\[3\]: use letters and digits/);
    expect(message).toContain(`[line ${line}]`);
  });

  it('is optional: without it nothing is suggested and the threshold is 3', () => {
    const files = realInputs();
    delete files['suggestions.yaml'];
    const result = buildLadder(Object.entries(files).map(([file, data]) => ({ file, data })));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.ladder.thinThreshold).toBe(3);
    expect(suggestTags('Ran the retro', result.ladder.suggestionRules).axes).toEqual([]);
  });
});
