import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveLevel } from '../../../../src/domain/ladder/resolve.ts';
import { buildUnknownLevel } from '../../../../src/slack/blocks/unknown-level.ts';
import { realLadder } from '../../../helpers/ladder.ts';
import { blockText, buttonsOf, expectWellFormed } from './helpers.ts';

const ladder = realLadder();
const ids = new Set(ladder.levels.map((l) => l.id));

function unknown(query: string) {
  const result = resolveLevel(ladder, query);
  if (result.kind !== 'unknown') throw new Error(`${query} is a level`);
  return buildUnknownLevel(ladder, result);
}

describe('buildUnknownLevel', () => {
  it('suggests the closest level with a button, and lists the valid levels', () => {
    const message = unknown('tmp5');
    expectWellFormed(message, ids);
    expect(blockText(message)).toContain(
      "I don't know a level called “tmp5”. Did you mean *TPM5* (Senior Staff Engineer)?",
    );
    expect(blockText(message)).toContain('TPM3 · Senior Engineer, TPM4 · Staff Engineer');
    expect(buttonsOf(message).map((b) => [b.text.text, b.value])).toEqual([['Show TPM5', 'tpm5']]);
    expect(message.text).toBe(
      'No level called “tmp5”. Did you mean TPM5? Levels: TPM3, TPM4, TPM5, TPM6, Senior TPM, Lead TPM.',
    );
  });

  it('explains the upstream numbering', () => {
    expect(blockText(unknown('tpm7'))).toContain(
      'which the upstream Engineering Ladders numbering calls TPM7',
    );
  });

  it('shows what was typed escaped and shortened, never as markup or a mention', () => {
    const message = unknown('<!channel> *boom* & <https://evil.example|click> '.repeat(10));
    expectWellFormed(message, ids);
    const text = blockText(message);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://');
    expect(text).toContain('&lt;!channel&gt;');
    expect(message.text).not.toContain('<!channel>');
    expect(text.length).toBeLessThan(1500);
  });

  it('is well formed for any query (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 4000 }), (query) => {
        const result = resolveLevel(ladder, query);
        if (result.kind === 'unknown') expectWellFormed(buildUnknownLevel(ladder, result), ids);
      }),
      { numRuns: 300 },
    );
  });
});
