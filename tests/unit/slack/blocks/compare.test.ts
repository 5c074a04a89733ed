import { describe, expect, it } from 'vitest';
import { getLevel, resolveLevelPair } from '../../../../src/domain/ladder/resolve.ts';
import { buildCompareLevels, buildCompareReply } from '../../../../src/slack/blocks/compare.ts';
import { ActionId } from '../../../../src/slack/ids.ts';
import { realLadder } from '../../../helpers/ladder.ts';
import { blockText, buttonsOf, expectWellFormed } from './helpers.ts';

const ladder = realLadder();
const ids = new Set(ladder.levels.map((l) => l.id));

function compare(a: string, b: string, shared = false) {
  const from = getLevel(ladder, a);
  const to = getLevel(ladder, b);
  if (!from || !to) throw new Error(`${a} ${b}`);
  return buildCompareLevels(ladder, from, to, { shared });
}

describe('buildCompareLevels', () => {
  const pairs = ladder.levels.flatMap((a) => ladder.levels.map((b) => [a.id, b.id] as const));

  it.each(pairs)('%s vs %s is within Slack limits, private and shared', (a, b) => {
    expectWellFormed(compare(a, b), ids);
    const shared = compare(a, b, true);
    expectWellFormed(shared, ids);
    expect(buttonsOf(shared)).toEqual([]);
  });

  it('TPM4 → TPM5: changed axes step by step, unchanged axes as unchanged', () => {
    const message = compare('tpm4', 'tpm5');
    const text = blockText(message);
    expect(text).toContain('*System*: Designs (2/5) → *Owns* (3/5), up 1 step');
    expect(text).toContain('*People*: Coordinates (4/5) → *Manages* (5/5), up 1 step');
    expect(text).toContain('*Influence*: Multiple Teams (3/5) → *Company* (4/5), up 1 step');
    expect(text).toContain('*Technology*: unchanged at Specializes (step 2/5)');
    expect(text).toContain('*Process*: unchanged at Defines (step 5/5)');
    expect(message.text).toBe(
      'TPM4 → TPM5: System Designs → Owns; People Coordinates → Manages; Influence Multiple Teams → Company. ' +
        'Unchanged: Technology (Specializes), Process (Defines).',
    );
    expect(buttonsOf(message).map((b) => [b.action_id, b.value])).toEqual([
      [ActionId.showLevel, 'tpm4'],
      [`${ActionId.showLevel}.1`, 'tpm5'],
      [ActionId.shareInChannel, 'tpm4:tpm5'],
    ]);
  });

  it('says when a comparison looks down', () => {
    expect(blockText(compare('tpm6', 'tpm3'))).toContain('Moving down from *TPM6 · Principal Engineer*');
    expect(blockText(compare('tpm6', 'tpm3'))).toContain('down 2 steps');
  });

  it('puts two roles side by side with the mindset shifts', () => {
    const message = compare('senior-tpm', 'lead-tpm');
    const text = blockText(message);
    const sideBySide = message.blocks.filter(
      (b) => b.type === 'section' && 'fields' in b && b.fields?.length === 2,
    );
    expect(sideBySide).toHaveLength(8); // core, five aspects, the question, in short
    // The source's framing, in our words.
    expect(text).toContain('Delivers programs.');
    expect(text).toContain('Keeps the organisation steady.');
    expect(text).toContain('(executing)');
    expect(text).toContain('(scaling execution)');
    expect(text).toMatch(/promoted once they have worked at the next level for months/);
    expect(text).toContain('*Mindset shifts from Senior TPM to Lead TPM*');
    expect(text).toContain('from *Doing* to *Enabling*');
    expect(text).toContain('*How to prepare before the title changes*');
    expect(message.text).toContain('Mindset shifts: Doing to Enabling; Managing tasks to Managing systems');
    const down = blockText(compare('lead-tpm', 'senior-tpm'));
    expect(down).toContain('this comparison looks down');
    expect(down).not.toContain('How to prepare');
  });

  it('says when a role is replaced by its comparable position', () => {
    const message = compare('tpm4', 'lead-tpm');
    const text = blockText(message);
    expect(text).toContain(
      '*Lead TPM* is a role, not a ladder position, so this comparison uses its comparable position *TPM5 · Senior Staff Engineer*.',
    );
    expect(message.text).toMatch(/^Lead TPM is shown as its comparable position TPM5\. TPM4 → TPM5:/);
    // The buttons and the share value keep what the user asked for.
    expect(buttonsOf(message).map((b) => b.value)).toEqual(['tpm4', 'lead-tpm', 'tpm4:lead-tpm']);
  });
});

describe('buildCompareReply', () => {
  const reply = (text: string) => buildCompareReply(ladder, resolveLevelPair(ladder, text.split(' ')));

  it.each([
    'senior lead',
    'tpm4 tpm5',
    'tpm4 lead',
    'senior staff lead',
    'tpm4 tmp5',
    'tmp4 lead',
    'foo bar',
    'x',
  ])('%s is well formed', (text) => {
    expectWellFormed(reply(text), ids);
  });

  it('offers the comparison with the suggestion when one side is misspelled', () => {
    const message = reply('tpm4 tmp5');
    expect(message.text).toContain('No level called “tmp5”. Did you mean TPM5?');
    expect(buttonsOf(message).map((b) => [b.text.text, b.value])).toEqual([
      ['Compare TPM4 with TPM5', 'tpm4:tpm5'],
    ]);
    expect(buttonsOf(reply('tmp4 lead')).map((b) => b.value)).toEqual(['tpm4:lead-tpm']);
  });

  it('names both sides when neither is a level, and shows usage without two sides', () => {
    expect(reply('foo bar').text).toContain('No level called “foo”. No level called “bar” either.');
    expect(buildCompareReply(ladder, null).text).toMatch(/^Compare needs two levels\./);
  });
});
