/**
 * Button values of the ladder's buttons: a level id (`tpm5`) or an ordered pair (`tpm4:tpm5`),
 * optionally followed by `~` and the words the person typed to get there (`tpm5~lead`), reduced to
 * lowercase letters, digits, hyphens and single spaces, so "Shared from" can show what they typed.
 * Handlers must still look the ids up again (a value can be forged) and use the words only when they
 * resolve to the same levels again.
 */

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const TYPED = /^[a-z0-9-]+(?: [a-z0-9-]+)*$/;
const MAX_TYPED = 60;

export type LevelValue = ({ kind: 'level'; id: string } | { kind: 'pair'; a: string; b: string }) & {
  typed?: string;
};

/** What a person typed, in the only form a value carries it; null when nothing of it is left. */
export function typedWords(text: string | null | undefined): string | null {
  const words = (text ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, ' ')
    .trim()
    .replace(/\s+/g, ' ');
  return words === '' || words.length > MAX_TYPED ? null : words;
}

function withTyped(value: string, typed: string | null | undefined): string {
  const words = typedWords(typed);
  return words ? `${value}~${words}` : value;
}

export function encodeLevelValue(id: string, typed?: string | null): string {
  return withTyped(id, typed);
}

export function encodeLevelPair(a: string, b: string, typed?: string | null): string {
  return withTyped(`${a}:${b}`, typed);
}

/** A button value back to ids; null when it is not a well-formed level value. */
export function decodeLevelValue(value: unknown): LevelValue | null {
  if (typeof value !== 'string' || value.length > 150) return null;
  const [ids = '', typed, ...more] = value.split('~');
  if (more.length > 0 || (typed !== undefined && !TYPED.test(typed))) return null;
  const extra = typed === undefined ? {} : { typed };
  const parts = ids.split(':');
  if (parts.length === 1 && ID.test(ids)) return { kind: 'level', id: ids, ...extra };
  const [a, b] = parts;
  if (parts.length === 2 && a !== undefined && b !== undefined && ID.test(a) && ID.test(b)) {
    return { kind: 'pair', a, b, ...extra };
  }
  return null;
}
