/**
 * How the tag suggestions (domain/suggest.ts) read a word: lower case; British spellings folded
 * to US ones; a word of a declared family stands for its family; a word listed as unstemmed stays
 * as it is; any other word is reduced to its Porter stem. All of that is data (`normalise:` in the
 * suggestions file) except the stemmer itself. Pure.
 */
import { stemmer } from 'stemmer';

/** How words are normalised before matching (the `normalise:` section of the suggestions file). */
export interface WordForms {
  /** British → US spelling: whole words first, then word endings. */
  spelling: {
    words: Readonly<Record<string, string>>;
    /** Ending → replacement, e.g. `isation: ization`; the longest ending that fits is used. */
    endings: Readonly<Record<string, string>>;
    /**
     * Words whose endings are not folded ("promise", "raise"), with their forms: an ending's first
     * three letters make the word's base form, so "promise" also keeps "promised" and "promising".
     */
    keep: readonly string[];
  };
  /** Family name → its members (US spelling): any member matches any other. */
  families: Readonly<Record<string, readonly string[]>>;
  /** Words never reduced to a stem: they match only themselves ("processed"). */
  unstemmed: readonly string[];
  /** Number words that `{n}` matches besides digits. */
  numbers: readonly string[];
}

export const NO_WORD_FORMS: WordForms = {
  spelling: { words: {}, endings: {}, keep: [] },
  families: {},
  unstemmed: [],
  numbers: [],
};

export interface NormalisedWord {
  /** What the word is compared by. */
  key: string;
  /** Whether `{n}` matches it. */
  number: boolean;
}

export interface WordNormaliser {
  /** The key a word is compared by. */
  key(word: string): string;
  /** The key and whether it is a number, remembered for the words seen most. */
  read(word: string): NormalisedWord;
  /**
   * `read` of the word from `start` to `end` in `text`, without cutting it out of the text when it
   * was seen before: a string per word was a third of what suggesting tags for a long entry allocated.
   */
  readAt(text: string, start: number, end: number): NormalisedWord;
}

/** At most this many words are remembered (the words of the rules and the most common of texts). */
const REMEMBERED = 20_000;

/** A remembered word, found by a hash of its letters; words of one hash are chained. */
interface Remembered {
  word: string;
  result: NormalisedWord;
  next: Remembered | undefined;
}

export function createWordNormaliser(forms: WordForms): WordNormaliser {
  const spellingWords = new Map(Object.entries(forms.spelling.words).map(([k, v]) => [k.toLowerCase(), v]));
  const endings = Object.entries(forms.spelling.endings).sort((a, b) => b[0].length - a[0].length);
  const keep = new Set(forms.spelling.keep.map((w) => w.toLowerCase()));
  const numbers = new Set(forms.numbers.map((w) => w.toLowerCase()));
  const unstemmed = new Set<string>();
  const families = new Map<string, string>();

  const fold = (word: string): string => {
    const whole = spellingWords.get(word);
    if (whole !== undefined) return whole;
    for (const [from, to] of endings) {
      if (word.length < from.length + 3 || !word.endsWith(from)) continue;
      const root = word.slice(0, -from.length);
      return keep.has(word) || keep.has(root + from.slice(0, 3)) ? word : root + to;
    }
    return word;
  };
  const plain = (word: string): string =>
    fold(
      word
        .toLowerCase()
        .replace(/['\u2019]s$/u, '')
        .replace(/['\u2019]/gu, ''),
    );

  for (const word of forms.unstemmed) unstemmed.add(plain(word));
  for (const [name, members] of Object.entries(forms.families)) {
    for (const member of [name, ...members]) families.set(plain(member), `=${name}`);
  }

  const normalise = (word: string): NormalisedWord => {
    const folded = plain(word);
    return {
      key: families.get(folded) ?? (unstemmed.has(folded) ? `!${folded}` : stemmer(folded)),
      number: /^\p{N}+$/u.test(word) || numbers.has(word.toLowerCase()),
    };
  };
  // One memory of words read, for the words of the rules and the most common words of texts; bounded.
  const byHash = new Map<number, Remembered>();
  const readAt = (text: string, start: number, end: number): NormalisedWord => {
    // FNV-1a over the UTF-16 code units, cut to 30 bits so the key stays a small integer.
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    hash >>>= 2;
    const first = byHash.get(hash);
    for (let r = first; r !== undefined; r = r.next) {
      if (r.word.length === end - start && text.startsWith(r.word, start)) return r.result;
    }
    const word = text.slice(start, end);
    const result = normalise(word);
    if (byHash.size < REMEMBERED) byHash.set(hash, { word, result, next: first });
    return result;
  };
  const read = (word: string) => readAt(word, 0, word.length);
  return { key: (word) => read(word).key, read, readAt };
}
