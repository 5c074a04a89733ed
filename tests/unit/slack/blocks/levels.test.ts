import { describe, expect, it } from 'vitest';
import { buildLevelsOverview } from '../../../../src/slack/blocks/levels.ts';
import { realLadder } from '../../../helpers/ladder.ts';
import { blockText, buttonsOf, expectWellFormed } from './helpers.ts';

const ladder = realLadder();

describe('buildLevelsOverview', () => {
  it('lists every position with title and steps, and every role with its positions', () => {
    const message = buildLevelsOverview(ladder);
    expectWellFormed(message, new Set(ladder.levels.map((l) => l.id)));
    const text = blockText(message);
    expect(text).toContain(
      '*TPM5 · Senior Staff Engineer*: Technology Specializes 2/5, System Owns 3/5, People Manages 5/5, Process Defines 5/5, Influence Company 4/5',
    );
    expect(text).toContain('*Senior TPM* (comparable to TPM3, TPM4)');
    expect(text).toContain('*Lead TPM* (comparable to TPM5)');
    expect(buttonsOf(message).map((b) => b.value)).toEqual(ladder.levels.map((l) => l.id));
    expect(message.text).toContain('TPM3 · Senior Engineer, TPM4 · Staff Engineer');
    expect(message.text).toContain('Senior TPM, Lead TPM');
  });
});
