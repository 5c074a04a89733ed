import { describe, expect, it } from 'vitest';
import { getLevel, resolveLevel } from '../../../../src/domain/ladder/resolve.ts';
import { buildLevelCard, buildLevelReply } from '../../../../src/slack/blocks/level-card.ts';
import { ActionId } from '../../../../src/slack/ids.ts';
import { realLadder } from '../../../helpers/ladder.ts';
import { blockText, buttonsOf, expectWellFormed } from './helpers.ts';

const ladder = realLadder();
const ids = new Set(ladder.levels.map((l) => l.id));

function card(id: string, shared = false) {
  const level = getLevel(ladder, id);
  if (!level) throw new Error(id);
  return buildLevelCard(ladder, level, { shared });
}

describe('buildLevelCard', () => {
  it.each(ladder.levels.map((l) => l.id))('%s is within Slack limits, private and shared', (id) => {
    expectWellFormed(card(id), ids);
    expectWellFormed(card(id, true), ids);
    expect(buttonsOf(card(id, true))).toEqual([]);
  });

  it('shows a position: title, the role line, every axis with step name, number and meaning, the comparable role', () => {
    const message = card('tpm4');
    const text = blockText(message);
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: 'TPM4 · Staff Engineer' } });
    expect(text).toContain(ladder.tracks[0]?.summary);
    const tpm4 = getLevel(ladder, 'tpm4');
    if (tpm4?.kind !== 'position') throw new Error('position expected');
    for (const axis of ladder.axes) {
      const step = tpm4.steps[axis.id];
      expect(text).toContain(`*${axis.name}*: *${step.name}* (step ${step.number}/5)`);
      expect(text).toContain(step.meaning);
    }
    expect(text).toContain('*Comparable role:* *Senior TPM*');
    expect(text).toContain('TPM5 in the upstream Engineering Ladders numbering');
    // The fallback carries the same facts in words.
    expect(message.text).toContain('TPM4 · Staff Engineer');
    expect(message.text).toContain('Process: Defines (step 5/5)');
    expect(message.text).toContain('Senior TPM');
  });

  it('offers compare with the level below and above, What counts here, and Share in channel', () => {
    expect(buttonsOf(card('tpm4')).map((b) => [b.text.text, b.value])).toEqual([
      ['Compare with TPM3 (below)', 'tpm3:tpm4'],
      ['Compare with TPM5 (above)', 'tpm4:tpm5'],
      ['What counts here', 'tpm4'],
      ['Share in channel', 'tpm4'],
    ]);
    expect(buttonsOf(card('tpm4')).at(-2)?.action_id).toBe(ActionId.levelExamples);
    expect(buttonsOf(card('tpm3')).map((b) => b.value)).toEqual(['tpm3:tpm4', 'tpm3', 'tpm3']);
    expect(buttonsOf(card('tpm6')).map((b) => b.value)).toEqual(['tpm5:tpm6', 'tpm6', 'tpm6']);
    expect(buttonsOf(card('tpm4')).at(-1)?.action_id).toBe(ActionId.shareInChannel);
  });

  it('says when no role maps to a position', () => {
    expect(blockText(card('tpm6'))).toContain('No role in this ladder is mapped to this position.');
  });

  it('shows a role: core, the five aspects, the question, the mindset shifts and the comparable position', () => {
    const message = card('lead-tpm');
    const text = blockText(message);
    const lead = getLevel(ladder, 'lead-tpm');
    if (lead?.kind !== 'role') throw new Error('role expected');
    expect(text).toContain(`*Core responsibility:* ${lead.core}`);
    for (const aspect of ladder.roleFamilies[0]?.aspects ?? []) {
      expect(text).toContain(`*${aspect.name}*`);
      expect(text).toContain(lead.aspects[aspect.id]);
    }
    expect(text).toContain(lead.question);
    expect(text).toContain('from *Doing* to *Enabling*');
    expect(text).toContain('from *Managing tasks* to *Managing systems*');
    expect(text).toContain('from *Solving problems* to *Preventing problems*');
    expect(text).toContain(`*Comparable position:* TPM5 · Senior Staff Engineer. ${lead.comparable.reason}`);
    expect(buttonsOf(message).map((b) => b.value)).toEqual(['senior-tpm:lead-tpm', 'lead-tpm', 'lead-tpm']);
  });

  it('gives the Senior TPM card the way to prepare and the span of positions', () => {
    const text = blockText(card('senior-tpm'));
    expect(text).toContain('*Mindset shifts to grow into Lead TPM*');
    expect(text).toContain('*How to prepare before the title changes*');
    expect(text).toMatch(/\n5\. /);
    expect(text).toContain('TPM4 · Staff Engineer (the role also spans TPM3)');
  });

  it('uses no emoji shortcodes and names steps in words', () => {
    for (const level of ladder.levels) {
      const message = buildLevelCard(ladder, level);
      expect(JSON.stringify(message)).not.toMatch(/:[a-z0-9_+-]+:/);
    }
  });
});

describe('buildLevelReply', () => {
  it('answers a known level with its card and an unknown one with suggestions', () => {
    expect(buildLevelReply(ladder, resolveLevel(ladder, 'TPM-5')).blocks[0]).toMatchObject({
      text: { text: 'TPM5 · Senior Staff Engineer' },
    });
    const unknown = buildLevelReply(ladder, resolveLevel(ladder, 'tmp5'));
    expectWellFormed(unknown, ids);
    expect(unknown.text).toContain('Did you mean TPM5?');
  });
});
