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
import {
  checkSuggestionRules,
  compileSuggestionRules,
  type SuggestionRule,
  suggestionReasons,
  suggestTags,
} from '../../../src/domain/suggest.ts';
import { AXIS_IDS, SCOPE_IDS, SHIFT_IDS } from '../../../src/domain/types.ts';
import { LadderDataError, loadLadder } from '../../../src/load-ladder.ts';
import { LADDER_DIR, realLadder } from '../../helpers/ladder.ts';
import { tempDir } from '../../helpers/tmp.ts';

const rules = realLadder().suggestionRules;
const suggest = (text: string) => suggestTags(text, rules);
// The keyword rules alone, without the learned weights on top (suggest-model.test.ts holds those).
const keywordRules = { ...rules, model: null };
const suggestByRules = (text: string) => suggestTags(text, keywordRules);

describe('suggestTags with the shipped rules', () => {
  it.each([
    ['Mentoring two new TPMs through their first launch', ['people'], null],
    ['Ran the retro after the launch', ['process'], null],
    ['Moved the team to a two-week cadence', ['process'], null],
    ['Rewrote the intake process', ['process'], null],
    ['A process-heavy quarter, simplified', ['process'], null],
    ['Wrote the architecture review for payments', ['system'], null],
    ['Agreed the SLA with the storage team', ['system'], null],
    ['Led the incident review', ['system'], null],
    ['Fixed the on-call rotation', ['system'], null],
    ['Fixed the on call rotation', ['system'], null],
    ['Presented the plan to the exec staff', ['influence'], 'company'],
    ['Got leadership to agree on the order of the programs', ['influence'], 'company'],
    ['Aligned three cross-team dependencies', ['influence'], 'multi-team'],
    ['Talk at a conference about program health', ['influence'], 'community'],
    // The scope only when the rules that name one agree.
    ['Cross-team sync with the execs', ['influence'], null],
    // Case does not matter; Unicode dashes are hyphens.
    ['MENTORED the new hire', ['people'], null],
    ['Cleaned up the on\u2013call runbook', ['system'], null],
  ] as const)('%s → %j %s', (text, axes, scope) => {
    const result = suggest(text);
    expect(result.axes).toEqual(axes);
    expect(result.scope).toBe(scope);
  });

  describe('TPM vocabulary (issue 16), as the keyword rules read it', () => {
    it.each([
      [
        'Mapped cross-team dependencies for the Q3 roadmap and escalated two risks to the VP',
        'process',
        'systems-thinking',
      ],
      ['Held weekly 1:1s with the two TPMs on my team', 'people', null],
      ['Set up a risk register for the vendor switch', 'process', 'preventing'],
      ['Ran the launch readiness review', 'process', 'preventing'],
      ['Negotiated the error budget with SRE', 'system', null],
      ['Led the postmortem for the outage', 'system', null],
      ['Found the root cause of the recurring deploy failures', 'system', 'preventing'],
      ['Interviewed four candidates for the TPM req', 'people', null],
      ['Wrote the promotion case for my senior TPM', 'people', null],
      ['Onboarded the new TPM', 'people', null],
      ['Drafted the OKRs with the EMs', 'process', null],
      ['Presented the QBR to the CTO', 'influence', null],
      ['Ran the vendor evaluation for the new CI', 'technology', null],
      ['Chaired the design review for the search service', 'system', null],
      ['Walked the stakeholders through the trade-off', 'influence', null],
      ['Sequenced the platform programmes for next half', 'process', 'systems-thinking'],
      ['Reviewed the whole portfolio with the directors', 'process', 'systems-thinking'],
      // Handing work to a person is about that person too: delegation counts toward People.
      ['Delegated the release notes to Sam', 'people', 'enabling'],
      ['Delegated it to Sam', 'people', 'enabling'],
      ['Handed off the weekly sync so the team no longer needs me', 'people', 'enabling'],
      ['Let the release captain make the go/no-go call and only advised', 'people', 'enabling'],
      ['Built a self-serve intake form so teams no longer wait for me', 'process', 'enabling'],
      ['Coached two TPMs on exec updates', 'people', 'enabling'],
      // Two hints of preventing make the shift; one alone does not.
      ['Wrote the runbook for failing over the primary database', 'system', 'preventing'],
      ['Wrote the runbook for the billing service', 'system', null],
      ['Ran the incident review and made sure the fixes shipped', 'system', 'preventing'],
      ['Traced repeated deploy failures to a flaky test', 'system', 'preventing'],
      ['Stopped being the single point of contact for the partner team', 'people', 'enabling'],
      ['Grouped our twelve workstreams into three tracks', 'process', 'systems-thinking'],
      ['Resolved a conflict between two leads over code ownership', 'people', null],
    ] as const)('%s → %s, shift %s', (text, axis, shift) => {
      const result = suggestByRules(text);
      if (axis) expect(result.axes).toContain(axis);
      else expect(result.axes).toEqual([]);
      expect(result.shift).toBe(shift);
    });

    it.each([
      ['prioritised the backlog', 'prioritized the backlog'],
      ['Prioritisation of the intake queue', 'prioritising the intake queue'],
      ['Set the team’s priorities', 'reprioritized the roadmap'],
      ['Organised the programme review', 'organized the program review'],
      ['Analysed the slipped milestones', 'analyzing the slipped milestone'],
      ['Started a community of practise', 'started a community of practice'],
      ['Levelled up two engineers', 'leveled up two engineers'],
    ])('British and US spellings and word families match alike: %s / %s', (british, us) => {
      const a = suggest(british);
      const b = suggest(us);
      expect(a.axes).not.toEqual([]);
      expect(a.axes).toEqual(b.axes);
    });

    it('a phrase with a number matches any number, in digits or words', () => {
      for (const text of [
        'Ran planning across 6 teams',
        'Ran planning across three teams',
        'Ran planning across 12 teams',
      ]) {
        expect(suggest(text).scope).toBe('multi-team');
      }
      expect(suggest('Ran planning across the teams').scope).toBe(null);
    });

    it('a longer phrase wins over the words inside it', () => {
      const result = suggestByRules('Ran capacity planning with the team');
      expect(result.matches.map((m) => m.word)).toEqual(['capacity planning']);
    });
  });

  describe('the named misfires are fixed', () => {
    it.each([
      ['capacity planning is not System', 'Capacity planning for Q3', 'system'],
      [
        'capacity planning is not System (with the SRE word elsewhere absent)',
        'Did capacity planning for two sprints',
        'system',
      ],
      ['customer feedback is not People', 'Summarised customer feedback for the roadmap', 'people'],
      ['user feedback is not People', 'Collected user feedback on the beta', 'people'],
      [
        'a decision framework is not Technology',
        'Introduced a decision framework for build-vs-buy calls',
        'technology',
      ],
      ['a RACI framework is not Technology', 'Adopted a RACI framework for the launch', 'technology'],
      ['a prioritisation framework is not Technology', 'Rolled out a prioritisation framework', 'technology'],
      // Words whose stem is a rule word they do not mean.
      ['"internal" is not an intern', 'Wrote an internal blog post on our launch reviews', 'people'],
      ['"international" is not an intern', 'Launched the checkout in two international markets', 'people'],
      ['"engineers" is not an engine', 'Moved two engineers to the platform team for a month', 'technology'],
      ['"secured" is not security', 'Prioritised the backlog and secured two sprints', 'system'],
      ['"executed" is not an executive', 'Executed the migration plan on schedule', 'influence'],
      ['"available" is not availability', 'Made the launch plan available to every team', 'system'],
      ['"observed" is not observability', 'Observed the sprint planning of the mobile team', 'system'],
      ['a "moderate" risk is not moderating', 'Logged a moderate risk on the vendor contract', 'people'],
      ['attending a training is not training others', 'Attended the TPM training on estimation', 'people'],
      ['compliance training is not Process', 'Finished my compliance training', 'process'],
    ])('%s: %s', (_why, text, axis) => {
      expect(suggest(text).axes).not.toContain(axis);
    });

    it('"on" is not "one": agreeing on the roadmap is not one roadmap', () => {
      // How the rules read the words; whether the model then trusts "one roadmap" is its own matter.
      expect(suggestByRules('Agreed on roadmap changes with the EMs').shift).toBe(null);
      expect(suggestByRules('Convinced the two directors to share one roadmap').shift).toBe(
        'systems-thinking',
      );
      expect(suggest('Agreed on roadmap changes with the EMs').shift).toBe(null);
    });

    it.each([
      'Fixed a systemic gap in my calendar',
      'Completed the compliance training',
      'Completed the required training',
      'Resumed work after the break',
      'Met the international visitors at reception',
    ])('suggests nothing for a line only a misread stem would tag: %j', (text) => {
      expect(suggest(text)).toEqual({ axes: [], scope: null, shift: null, matches: [] });
    });

    it('capacity planning is Process', () => {
      expect(suggest('Capacity planning for Q3').axes).toEqual(['process']);
    });

    it('feedback to a person is still People', () => {
      expect(suggest('Gave Ana direct feedback on her design sync').axes).toContain('people');
    });

    it.each([
      'Took Friday off',
      'took friday off',
      'Processed the expense reports',
      'processed the expense reports',
      'Processing the expense reports',
      'Watched the procession',
      'Swapped the processor',
      'Followed due process',
      'Retroactive fix for the billing bug',
      'Read about slack and slam',
      'Incidental work',
      'Coachella tickets for the team',
      'Watched the all-hands recording',
      'Completed the mandatory security awareness training',
      'Picked up the new monitors from facilities',
      'https://example.com/process/retro/incident',
      '<https://wiki.example.com/architecture|the doc>',
      '',
      '   ',
    ])('suggests nothing for %j', (text) => {
      expect(suggest(text)).toEqual({ axes: [], scope: null, shift: null, matches: [] });
    });
  });

  it('reads the label of a Slack link but not its address', () => {
    // What the rules read (the model reads "See the retro notes" as a pointer, with nothing to tag).
    expect(suggestByRules('See <https://wiki.example.com/x|the retro notes>').axes).toEqual(['process']);
    expect(suggestByRules('See <https://wiki.example.com/retro|the notes>').axes).toEqual([]);
  });

  it('says which of the user’s words led to which tag (the keyword rules alone)', () => {
    const result = suggestByRules('Set up a Risk Register and escalated it to the VP');
    expect(result.matches.map((m) => [m.ruleId, m.text])).toEqual([
      ['risk-prevention', 'Risk Register'],
      ['stakeholders', 'escalated'],
      ['company-influence', 'VP'],
    ]);
    expect(suggestionReasons(result)).toEqual({
      axes: { process: ['Risk Register'], influence: ['escalated', 'VP'] },
      shift: ['Risk Register'],
      scope: ['VP'],
    });
  });

  it('never throws and returns only known axes, scopes and shifts, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        const result = suggest(text);
        for (const axis of result.axes) expect(AXIS_IDS).toContain(axis);
        if (result.scope !== null) expect(SCOPE_IDS).toContain(result.scope);
        if (result.shift !== null) expect(SHIFT_IDS).toContain(result.shift);
      }),
    );
  });

  describe('weights and counting', () => {
    const rule = (id: string, fields: Partial<SuggestionRule>): SuggestionRule => ({
      id,
      axes: [],
      scope: null,
      shift: null,
      words: [],
      except: [],
      ...fields,
    });
    const weighted = compileSuggestionRules([
      rule('generic', { axes: ['process'], words: ['ship'], weight: 0.5 }),
      rule('people', { axes: ['people'], words: ['mentor'] }),
      rule('prevent', { shift: 'preventing', words: ['before it hit', 'before * hit'] }),
      rule('enable', { shift: 'enabling', words: ['handed off', 'delegate'] }),
    ]);

    it('a half-weight word alone still suggests its axis', () => {
      expect(suggestTags('Shipped the beta', weighted).axes).toEqual(['process']);
    });

    it('a half-weight word does not add its axis beside a full word that leads', () => {
      expect(suggestTags('Mentored Sam, then shipped the beta', weighted).axes).toEqual(['people']);
    });

    it('a half-weight word that leads adds its axis beside a full word', () => {
      expect(suggestTags('Shipped the beta, then mentored Sam', weighted).axes).toEqual([
        'people',
        'process',
      ]);
    });

    it('overlapping matches of one rule count once: "before it hit" is not two votes', () => {
      const result = suggestTags(
        'Fixed it before it hit prod, then handed off and delegated the rest',
        weighted,
      );
      expect(result.shift).toBe('enabling');
      expect(result.matches.filter((m) => m.ruleId === 'prevent')).toHaveLength(0);
    });

    const hinted = compileSuggestionRules([
      rule('safeguards', {
        axes: ['system'],
        shift: 'preventing',
        words: ['runbook', 'failover'],
        shiftWeight: 0.5,
      }),
      rule('hints', { shift: 'preventing', words: ['fixes'], weight: 0.5 }),
      rule('prevent', { shift: 'preventing', words: ['root cause'] }),
    ]);

    it('a shift hint alone does not suggest the shift, though its axis counts in full', () => {
      expect(suggestTags('Wrote the runbook', hinted)).toMatchObject({ axes: ['system'], shift: null });
    });

    it('two shift hints suggest the shift, and both are named as its reasons', () => {
      const result = suggestTags('Wrote the runbook for the failover, then shipped the fixes', hinted);
      expect(result.shift).toBe('preventing');
      expect(suggestionReasons(result).shift).toEqual(['runbook', 'failover', 'fixes']);
    });

    it('an except phrase of a hint rule is checked by its matches, though alone it suggests nothing', () => {
      const hints = [
        rule('hints', { shift: 'enabling', words: ['without'], weight: 0.5, except: ['without downtime'] }),
      ];
      expect(checkSuggestionRules(hints)).toEqual([]);
      expect(
        checkSuggestionRules([{ ...hints[0], except: ['with downtime'] } as SuggestionRule]),
      ).toHaveLength(1);
    });

    it('one clear word suggests the shift on its own', () => {
      expect(suggestTags('Found the root cause', hinted).shift).toBe('preventing');
    });
  });

  it('suggests nothing without rules', () => {
    expect(suggestTags('Ran the retro', compileSuggestionRules([]))).toEqual({
      axes: [],
      scope: null,
      shift: null,
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
      `suggestions.yaml: rules[${i}].words[0]: use letters and digits, words joined by one space or hyphen (e.g. "on-call", "due process"); inside a phrase {n} stands for a number and * for up to four words`,
    ]);
  });

  it('names an unknown axis, a rule without axes or scope, and a bad threshold', () => {
    expect(
      problemsAfter((s) => {
        s.rules[0].axes = ['peple'];
        s.rules[1].axes = [];
        delete s.rules[1].shift;
        delete s.rules[1].scope;
        s.thin_threshold = 0;
        s.rules[2].weight = 0;
        s.rules[3].shift_weight = 0.5;
        delete s.rules[3].shift;
      }),
    ).toEqual([
      expect.stringMatching(/^suggestions\.yaml: thin_threshold: /),
      expect.stringMatching(/^suggestions\.yaml: rules\[0\]\.axes\[0\]: /),
      'suggestions.yaml: rules[1].axes: a rule needs "axes", "scope", "shift" or several of them',
      'suggestions.yaml: rules[2].weight: must be more than 0',
      'suggestions.yaml: rules[3].shift_weight: "shift_weight" needs a "shift"',
    ]);
  });

  it('names a word used by two rules and an except phrase holding none of the words', () => {
    const people = ruleIndex('people-growth');
    const process = ruleIndex('process-change');
    let added = -1;
    expect(
      problemsAfter((s) => {
        s.rules[people].words.push('retro');
        added = s.rules[process].except.push('word processing') - 1;
      }),
    ).toEqual([
      expect.stringMatching(
        new RegExp(
          `^suggestions\\.yaml: rules\\[${process}\\]\\.words\\[\\d+\\]: "retro" is already a word of rule "people-growth"`,
        ),
      ),
      `suggestions.yaml: rules[${process}].except[${added}]: "word processing" holds none of this rule's words, so it would change nothing`,
    ]);
  });

  it('compares words once normalised: another form of a word is the same word', () => {
    const hiring = ruleIndex('hiring');
    expect(
      problemsAfter((s) => {
        s.rules[hiring].words.push('mentoring', 'prioritisation');
      }),
    ).toEqual([
      expect.stringMatching(
        /"mentoring" is already a word of rule "people-growth" \(the same word as "mentor" once normalised\)/,
      ),
      // Rules are read in order: the later one is named.
      expect.stringMatching(
        /"prioritize" is already a word of rule "hiring" \(the same word as "prioritisation"/,
      ),
    ]);
  });

  it('names a bad entry of the word forms', () => {
    expect(
      problemsAfter((s) => {
        s.normalise.families.prioritize.push('two words');
        s.normalise.spelling.endings.is = 'iz';
      }),
    ).toEqual([
      expect.stringMatching(/^suggestions\.yaml: normalise\.spelling\.endings\.is: /),
      expect.stringMatching(/^suggestions\.yaml: normalise\.families\.prioritize\[\d+\]: use one word/),
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
    writeFileSync(path.join(dir, 'suggestions.yaml'), text.replace('      - mentor\n', '      - mentor!\n'));
    let error: unknown;
    try {
      loadLadder(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LadderDataError);
    const message = (error as LadderDataError).message;
    const line = text.split('\n').indexOf('      - mentor') + 1;
    expect(line).toBeGreaterThan(0);
    expect(message).toMatch(/suggestions\.yaml: rules\[0\]\.words\[0\]: use letters and digits/);
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
