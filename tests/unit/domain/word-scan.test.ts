/**
 * The word scanner of the tag suggestions finds exactly what its regular expression would, on
 * hand-picked edge cases and on random text built from the characters that matter.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanWords, WORD_PATTERN } from '../../../src/domain/word-scan.ts';

const scanned = (text: string) => {
  const words: string[] = [];
  scanWords(text, (start, end) => words.push(text.slice(start, end)));
  return words;
};
const matched = (text: string) => [...text.matchAll(WORD_PATTERN)].map((m) => m[0]);

describe('scanWords', () => {
  it.each([
    ['Held weekly 1:1s with the TPMs', ['Held', 'weekly', '1:1s', 'with', 'the', 'TPMs']],
    ["the team's on-call rota", ['the', "team's", 'on', 'call', 'rota']],
    ['don’t stop', ['don’t', 'stop']],
    ['24:7 coverage, 1:1st', ['24:7', 'coverage', '1:1s', 't']],
    ["trailing' quote 'lead", ['trailing', 'quote', 'lead']],
    ['1a:2 12: :3', ['1a', '2', '12', '3']],
    ['Café über straße ٣:٤ 🚀 done', ['Café', 'über', 'straße', '٣:٤', 'done']],
    ['', []],
  ])('%s', (text, words) => {
    expect(scanned(text)).toEqual(words);
    expect(matched(text)).toEqual(words);
  });

  it('finds what the regular expression finds, on any mix of the characters that matter', () => {
    const piece = fc.constantFrom(
      'a',
      'Z',
      'é',
      'ß',
      '1',
      '0',
      '٣',
      '²',
      ':',
      "'",
      '\u2019',
      's',
      ' ',
      '-',
      '.',
      '🚀',
      '\ud800',
      '𝒜',
      '\n',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        expect(scanned(text)).toEqual(matched(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it('finds what the regular expression finds on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        expect(scanned(text)).toEqual(matched(text));
      }),
      { numRuns: 2_000 },
    );
  });
});
