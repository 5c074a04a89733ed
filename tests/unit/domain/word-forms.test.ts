/**
 * Reading a word where it stands in a text (`readAt`, which remembers words by a hash of their
 * letters so a long entry is not cut into a string per word) gives exactly what reading the word
 * cut out of the text gives, on the shipped word forms, for words seen before and not, and when
 * two words share a hash.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWordNormaliser, NO_WORD_FORMS, type WordNormaliser } from '../../../src/domain/word-forms.ts';
import { scanWords } from '../../../src/domain/word-scan.ts';
import { realLadder } from '../../helpers/ladder.ts';

// The shipped word forms (spelling fold, families, words never stemmed), and none at all.
const normalisers: [string, () => WordNormaliser][] = [
  ['the shipped word forms', () => realLadder().suggestionRules.normaliser],
  ['no word forms', () => createWordNormaliser(NO_WORD_FORMS)],
];

describe.each(normalisers)('readAt, with %s', (_name, make) => {
  it('reads each word of a text as read() reads the word alone', () => {
    const normaliser = make();
    const text =
      'Prioritised the backlog, prioritizing QBRs; 1:1s with the TPM’s team, twelve teams, Café 🚀 prioritised';
    scanWords(text, (start, end) => {
      expect(normaliser.readAt(text, start, end)).toEqual(normaliser.read(text.slice(start, end)));
    });
  });

  it('agrees with read() on random words, seen once or many times', () => {
    const normaliser = make();
    const letters = fc.constantFrom(..."aeioustrnlpzAEIS’'é1:".split(''));
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: letters, minLength: 1, maxLength: 9 }), { minLength: 1, maxLength: 30 }),
        (words) => {
          const text = words.join(' ');
          let at = 0;
          for (const word of words) {
            expect(normaliser.readAt(text, at, at + word.length)).toEqual(normaliser.read(word));
            at += word.length + 1;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('tells apart words whose letters hash alike', () => {
    // Two strings with one FNV-1a hash (cut to 30 bits), found by search: they must not share a reading.
    const normaliser = make();
    const seen = new Map<number, string>();
    const hash = (word: string) => {
      let h = 0x811c9dc5;
      for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
      return h >>> 2;
    };
    let pair: [string, string] | undefined;
    for (let n = 0; pair === undefined; n++) {
      const word = `w${n.toString(36)}`;
      const other = seen.get(hash(word));
      if (other !== undefined) pair = [other, word];
      else seen.set(hash(word), word);
    }
    const [a, b] = pair;
    const text = `${a} ${b} ${a}`;
    expect(normaliser.readAt(text, 0, a.length).key).toBe(normaliser.read(a).key);
    expect(normaliser.readAt(text, a.length + 1, a.length + 1 + b.length).key).toBe(normaliser.read(b).key);
    expect(normaliser.readAt(text, a.length + 1, a.length + 1 + b.length).key).not.toBe(
      normaliser.read(a).key,
    );
    expect(normaliser.readAt(text, text.length - a.length, text.length).key).toBe(normaliser.read(a).key);
  });
});
