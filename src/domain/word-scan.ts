/**
 * The words of a text as the tag suggestions read them (domain/suggest.ts): "1:1" and "1:1s" are
 * one word, a letter or digit run with inner apostrophes ("team's") is one word, anything else
 * separates words. The same as matching WORD_PATTERN globally, without a match object per word: on
 * an entry of 3,000 characters the match objects were most of what the suggestions allocated.
 * Pure.
 */

/** What scanWords finds, as a regular expression (the test holds the two to the same words). */
export const WORD_PATTERN = /\p{N}+:\p{N}+s?|[\p{L}\p{N}]+(?:['\u2019][\p{L}\p{N}]+)*/gu;

const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;
const NUMBER = /^\p{N}$/u;

/** The length (1 or 2 code units) of the code point at `i` when `test` holds for it, else 0. */
function classLength(text: string, i: number, ascii: (code: number) => boolean, test: RegExp): number {
  if (i >= text.length) return 0;
  const code = text.charCodeAt(i);
  if (code < 128) return ascii(code) ? 1 : 0;
  const point = text.codePointAt(i) as number;
  const length = point > 0xffff ? 2 : 1;
  return test.test(String.fromCodePoint(point)) ? length : 0;
}

const isAsciiDigit = (code: number) => code >= 48 && code <= 57;
const isAsciiWord = (code: number) =>
  isAsciiDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const wordLength = (text: string, i: number) => classLength(text, i, isAsciiWord, LETTER_OR_NUMBER);
const numberLength = (text: string, i: number) => classLength(text, i, isAsciiDigit, NUMBER);

/** The end of the run of code points from `i` that `length` accepts. */
function runEnd(text: string, i: number, length: (text: string, i: number) => number): number {
  let end = i;
  while (end < text.length) {
    const step = length(text, end);
    if (step === 0) break;
    end += step;
  }
  return end;
}

const isApostrophe = (text: string, i: number) => text[i] === "'" || text[i] === '\u2019';

/** Calls `found(start, end)` for each word of `text`, in order. */
export function scanWords(text: string, found: (start: number, end: number) => void): void {
  let i = 0;
  while (i < text.length) {
    if (wordLength(text, i) === 0) {
      i += (text.codePointAt(i) as number) > 0xffff ? 2 : 1;
      continue;
    }
    // "1:1", "24:7", "1:1s".
    const digits = runEnd(text, i, numberLength);
    if (digits > i && text[digits] === ':') {
      const after = runEnd(text, digits + 1, numberLength);
      if (after > digits + 1) {
        const end = text[after] === 's' ? after + 1 : after;
        found(i, end);
        i = end;
        continue;
      }
    }
    // Letters and digits, with apostrophes inside ("team's", "don’t").
    let end = runEnd(text, i, wordLength);
    while (isApostrophe(text, end)) {
      const next = runEnd(text, end + 1, wordLength);
      if (next === end + 1) break;
      end = next;
    }
    found(i, end);
    i = end;
  }
}
