import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  askedIn,
  choosePrompt,
  PREPARATION_ACTION_IDS,
  type Prompt,
  type PromptHistoryItem,
  type PromptsFile,
  parsePromptsFile,
  REPEAT_WINDOW,
  validatePrompts,
  variantFor,
} from '../../../src/domain/prompts.ts';
import { SHIFT_IDS, type ShiftId } from '../../../src/domain/types.ts';

const text = readFileSync(new URL('../../../ladder-data/prompts.yaml', import.meta.url), 'utf8');

function loadShipped(): PromptsFile {
  const result = parsePromptsFile(text);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.file;
}

describe('ladder-data/prompts.yaml', () => {
  it('is valid: 13 or more active prompts per shift in each variant, each action used twice or more, unique ids', () => {
    const file = loadShipped();
    expect(file.variants.map((v) => [v.id, v.levels])).toEqual([
      ['program', ['tpm3', 'tpm4']],
      ['portfolio', ['tpm5', 'tpm6']],
    ]);
    const active = file.prompts.filter((p) => !p.retired);
    for (const variant of ['program', 'portfolio']) {
      for (const shift of SHIFT_IDS) {
        const n = active.filter((p) => p.shift === shift && askedIn(p, variant)).length;
        expect(n, `${variant} ${shift}`).toBeGreaterThanOrEqual(13);
      }
    }
    for (const p of active) expect(p.action, p.id).toBeDefined();
    for (const action of PREPARATION_ACTION_IDS) {
      expect(active.filter((p) => p.action === action).length).toBeGreaterThanOrEqual(2);
    }
    expect(new Set(file.prompts.map((p) => p.id)).size).toBe(file.prompts.length);
    expect(file.sources[0]?.url).toMatch(/^https:\/\/www\.tpmnexus\.pro\//);
  });

  it('retires the weakest old prompts instead of deleting them', () => {
    const retired = loadShipped()
      .prompts.filter((p) => p.retired)
      .map((p) => p.id);
    expect(retired).toEqual(
      expect.arrayContaining([
        'enabling-reusable-practice',
        'systems-stop-or-escalate',
        'preventing-teach-risk-spotting',
      ]),
    );
  });

  it('opens no active question with a yes/no word, and never asks what you made this week', () => {
    for (const p of loadShipped().prompts.filter((q) => !q.retired)) {
      expect(p.question, p.id).not.toMatch(/^(Is|Are|Did|Do|Does|Have|Has|Can|Could|Would|Will|Should)\b/);
      expect(p.question, p.id).not.toMatch(/\. (Is|Are|Did|Do|Does|Have|Has)\b[^?]*\?/);
      expect(p.question, p.id).not.toMatch(/what did you make this week/i);
    }
  });

  it('asks questions and gives one-line reasons', () => {
    for (const p of loadShipped().prompts) {
      expect(p.question.trim().endsWith('?') || p.question.includes('?')).toBe(true);
      expect(p.why).not.toContain('\n');
      expect(p.id.startsWith(p.shift === 'systems-thinking' ? 'systems-' : `${p.shift}-`)).toBe(true);
    }
  });
});

describe('validation', () => {
  const file = loadShipped();

  it('names the shift and the action that fall short', () => {
    const fewer: PromptsFile = {
      ...file,
      prompts: file.prompts.filter((p) => p.shift !== 'preventing' || p.id === 'preventing-early-signal'),
    };
    expect(validatePrompts(fewer)).toEqual(
      expect.arrayContaining([
        {
          path: 'prompts',
          message: "shift 'preventing' has 1 active prompt(s) in variant 'program'; at least 13 are needed",
        },
        {
          path: 'prompts',
          message: "shift 'preventing' has 0 active prompt(s) in variant 'portfolio'; at least 13 are needed",
        },
      ]),
    );
    let kept = 0;
    const oneAction: PromptsFile = {
      ...file,
      prompts: file.prompts.map((p) =>
        p.action === 'surface-dependencies' && kept++ > 0 ? { ...p, action: 'mentor-tpms' } : p,
      ),
    };
    expect(validatePrompts(oneAction)).toEqual([
      {
        path: 'prompts',
        message: "action 'surface-dependencies' is used by 1 prompt(s); at least 2 are needed",
      },
    ]);
    const noAction = structuredClone(file);
    const first = noAction.prompts.findIndex((p) => !p.retired);
    delete (noAction.prompts[first] as Prompt).action;
    expect(validatePrompts(noAction)).toContainEqual({
      path: `prompts[${first}].action`,
      message: 'an active prompt needs one preparation action',
    });
  });

  it('names the path of a duplicate id', () => {
    const dup = { ...file, prompts: [...file.prompts, file.prompts[2] as Prompt] };
    expect(validatePrompts(dup)).toEqual([
      {
        path: `prompts[${file.prompts.length}].id`,
        message: `duplicate id '${file.prompts[2]?.id}' (also prompts[2])`,
      },
    ]);
  });

  it('reports schema problems with their path', () => {
    const broken = structuredClone(file) as unknown as { prompts: Array<Record<string, unknown>> };
    const [first, second, third, fourth] = broken.prompts;
    if (!first || !second || !third || !fourth) throw new Error('fixture');
    first.shift = 'doing';
    second.shifts = ['enabling'];
    delete third.why;
    fourth.action = 'work-harder';
    const result = parsePromptsFile(stringify(broken));
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(['prompts[0].shift', 'prompts[1]', 'prompts[2].why', 'prompts[3].action']),
    );
  });

  it('reports YAML syntax errors and never throws', () => {
    const result = parsePromptsFile('prompts: [unclosed');
    expect(result).toMatchObject({
      ok: false,
      problems: [{ path: '', message: expect.stringMatching(/not valid YAML/) }],
    });
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(typeof parsePromptsFile(s).ok).toBe('boolean');
      }),
    );
  });

  it('refuses a why that spans lines', () => {
    const broken = structuredClone(file);
    (broken.prompts[0] as Prompt).why = 'First line of it.\nSecond line of it.';
    const result = parsePromptsFile(stringify(broken));
    expect(result.ok ? [] : result.problems).toEqual([
      { path: 'prompts[0].why', message: 'must be one line' },
    ]);
  });
});

const p = (id: string, shift: ShiftId): Prompt => ({
  id,
  shift,
  question: `Question ${id}?`,
  why: `Why ${id} matters.`,
});
const week = (n: number): Date => new Date(Date.UTC(2026, 0, 2) + n * 7 * 86_400_000);

describe('choosePrompt', () => {
  const small = [
    p('e1', 'enabling'),
    p('e2', 'enabling'),
    p('s1', 'systems-thinking'),
    p('p1', 'preventing'),
  ];

  it('returns null without prompts, and the only prompt when there is one', () => {
    expect(choosePrompt({ prompts: [], history: [], evidenceByShift: {} })).toBeNull();
    const only = [p('e1', 'enabling')];
    expect(
      choosePrompt({ prompts: only, history: [{ promptId: 'e1', sentAt: week(0) }], evidenceByShift: {} })
        ?.id,
    ).toBe('e1');
  });

  it('prefers the shift with the least evidence in the last four weeks', () => {
    const evidenceByShift = { enabling: 3, 'systems-thinking': 5, preventing: 1 };
    expect(choosePrompt({ prompts: small, history: [], evidenceByShift })?.id).toBe('p1');
    expect(
      choosePrompt({ prompts: small, history: [], evidenceByShift: { preventing: 2, enabling: 2 } })?.id,
    ).toBe('s1');
  });

  it('on ties, rotates to the shift asked least recently (then the order of the shifts)', () => {
    expect(choosePrompt({ prompts: small, history: [], evidenceByShift: {} })?.id).toBe('e1');
    const history = [{ promptId: 'e1', sentAt: week(0) }];
    expect(choosePrompt({ prompts: small, history, evidenceByShift: {} })?.id).toBe('s1');
    history.push({ promptId: 's1', sentAt: week(1) });
    expect(choosePrompt({ prompts: small, history, evidenceByShift: {} })?.id).toBe('p1');
    history.push({ promptId: 'p1', sentAt: week(2) });
    expect(choosePrompt({ prompts: small, history, evidenceByShift: {} })?.id).toBe('e2');
  });

  it('never repeats the previous prompt, even when its shift has the least evidence', () => {
    const two = [p('e1', 'enabling'), p('s1', 'systems-thinking')];
    const history = [
      { promptId: 's1', sentAt: week(0) },
      { promptId: 'e1', sentAt: week(1) },
    ];
    expect(choosePrompt({ prompts: two, history, evidenceByShift: { 'systems-thinking': 9 } })?.id).toBe(
      's1',
    );
  });

  it('goes through every prompt before repeating one, whatever the evidence', () => {
    const history = [
      { promptId: 'p1', sentAt: week(0) },
      { promptId: 'e1', sentAt: week(1) },
      { promptId: 'e2', sentAt: week(2) },
    ];
    // Preventing has no evidence, but p1 was used this round: s1 comes first.
    expect(
      choosePrompt({ prompts: small, history, evidenceByShift: { enabling: 9, 'systems-thinking': 9 } })?.id,
    ).toBe('s1');
  });

  it('orders history by time, accepts ISO strings, and ignores retired prompts', () => {
    const history: PromptHistoryItem[] = [
      { promptId: 'e1', sentAt: '2026-02-06T16:00:00Z' },
      { promptId: 'gone', sentAt: '2026-02-13T16:00:00Z' },
      { promptId: 's1', sentAt: '2026-01-30T16:00:00Z' },
    ];
    // Previous (still existing) is e1; s1 and e1 used once; e2 and p1 not yet.
    expect(choosePrompt({ prompts: small, history, evidenceByShift: {} })?.id).toBe('p1');
  });

  it('over 40 consecutive weeks with the shipped prompts: no immediate repeat, all before any repeats', () => {
    const { prompts: all } = loadShipped();
    const prompts = all.filter((q) => !q.retired && askedIn(q, 'program'));
    fc.assert(
      fc.property(
        fc.array(fc.record({ enabling: fc.nat(5), 'systems-thinking': fc.nat(5), preventing: fc.nat(5) }), {
          minLength: 40,
          maxLength: 40,
        }),
        (evidence) => {
          const history: PromptHistoryItem[] = [];
          for (let w = 0; w < 40; w++) {
            const chosen = choosePrompt({
              prompts: all,
              variant: 'program',
              history,
              evidenceByShift: evidence[w] ?? {},
            });
            expect(chosen).not.toBeNull();
            history.push({ promptId: chosen?.id ?? '', sentAt: week(w) });
          }
          const ids = history.map((h) => h.promptId);
          for (let i = 1; i < ids.length; i++) expect(ids[i]).not.toBe(ids[i - 1]);
          // Each round of prompts.length weeks uses every prompt exactly once.
          for (let start = 0; start + prompts.length <= ids.length; start += prompts.length) {
            expect(new Set(ids.slice(start, start + prompts.length)).size).toBe(prompts.length);
          }
          // And at any point, no prompt is ahead of another by more than one use.
          for (let i = 1; i <= ids.length; i++) {
            const counts = prompts.map((q) => ids.slice(0, i).filter((id) => id === q.id).length);
            expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('with no evidence at all, the shifts take turns', () => {
    const { prompts } = loadShipped();
    const history: PromptHistoryItem[] = [];
    const shifts: ShiftId[] = [];
    for (let w = 0; w < 9; w++) {
      const chosen = choosePrompt({ prompts, variant: 'portfolio', history, evidenceByShift: {} }) as Prompt;
      history.push({ promptId: chosen.id, sentAt: week(w) });
      shifts.push(chosen.shift);
    }
    expect(shifts).toEqual([...SHIFT_IDS, ...SHIFT_IDS, ...SHIFT_IDS]);
  });

  it('never picks a retired prompt or one of another variant, and the level picks the variant', () => {
    const { prompts, variants } = loadShipped();
    expect(variantFor(variants, 'tpm4')?.id).toBe('program');
    expect(variantFor(variants, 'tpm5')?.id).toBe('portfolio');
    expect(variantFor(variants, null)?.id).toBe('program');
    for (const variant of ['program', 'portfolio']) {
      const history: PromptHistoryItem[] = [];
      for (let w = 0; w < 60; w++) {
        const chosen = choosePrompt({ prompts, variant, history, evidenceByShift: {} }) as Prompt;
        expect(chosen.retired).toBeUndefined();
        expect(askedIn(chosen, variant)).toBe(true);
        history.push({ promptId: chosen.id, sentAt: week(w) });
      }
    }
  });

  it('none of the last 26 sent comes back, whatever the evidence and however many were on demand', () => {
    const { prompts } = loadShipped();
    fc.assert(
      fc.property(
        fc.constantFrom('program', 'portfolio'),
        fc.array(fc.record({ enabling: fc.nat(9), 'systems-thinking': fc.nat(9), preventing: fc.nat(9) }), {
          minLength: 30,
          maxLength: 30,
        }),
        (variant, evidence) => {
          const history: PromptHistoryItem[] = [];
          for (let w = 0; w < 30; w++) {
            const chosen = choosePrompt({ prompts, variant, history, evidenceByShift: evidence[w] ?? {} });
            const recent = history.slice(-REPEAT_WINDOW).map((h) => h.promptId);
            expect(recent).not.toContain(chosen?.id);
            history.push({ promptId: chosen?.id ?? '', sentAt: week(w) });
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('the shift with the least evidence comes first until its questions run out', () => {
    const { prompts } = loadShipped();
    const history: PromptHistoryItem[] = [];
    const evidenceByShift = { enabling: 8, 'systems-thinking': 6, preventing: 0 };
    const shifts: ShiftId[] = [];
    for (let w = 0; w < 26; w++) {
      const chosen = choosePrompt({ prompts, variant: 'program', history, evidenceByShift }) as Prompt;
      history.push({ promptId: chosen.id, sentAt: week(w) });
      shifts.push(chosen.shift);
    }
    const preventing = prompts.filter((q) => !q.retired && q.shift === 'preventing' && askedIn(q, 'program'));
    expect(shifts.slice(0, preventing.length).every((s) => s === 'preventing')).toBe(true);
    expect(shifts[preventing.length]).toBe('systems-thinking');
    expect(new Set(history.map((h) => h.promptId)).size).toBe(26);
  });
});
