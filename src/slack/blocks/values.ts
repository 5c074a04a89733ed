/**
 * Button values of the ladder's buttons: a level id (`tpm5`) or an ordered pair (`tpm4:tpm5`).
 * Only level ids from the data ever go into a value, never anything a user typed; handlers must
 * still look the ids up again (a value can be forged).
 */

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export type LevelValue = { kind: 'level'; id: string } | { kind: 'pair'; a: string; b: string };

export function encodeLevelValue(id: string): string {
  return id;
}

export function encodeLevelPair(a: string, b: string): string {
  return `${a}:${b}`;
}

/** A button value back to ids; null when it is not a well-formed level value. */
export function decodeLevelValue(value: unknown): LevelValue | null {
  if (typeof value !== 'string' || value.length > 100) return null;
  const parts = value.split(':');
  if (parts.length === 1 && ID.test(value)) return { kind: 'level', id: value };
  const [a, b] = parts;
  if (parts.length === 2 && a !== undefined && b !== undefined && ID.test(a) && ID.test(b)) {
    return { kind: 'pair', a, b };
  }
  return null;
}
