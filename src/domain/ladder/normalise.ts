/**
 * How level names compare: case, spaces, hyphens and punctuation do not matter, so "tpm 5",
 * "TPM-5", "tpm5" and "Tpm5." are one key, and "senior staff" is "seniorstaff".
 */
export function normaliseLevelQuery(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** Words of a query, lowercased, split on whitespace. */
export function queryWords(text: string): string[] {
  return text
    .normalize('NFKC')
    .split(/\s+/u)
    .filter((word) => word.length > 0);
}

/**
 * Edit distance with adjacent transpositions (optimal string alignment), so "tmp5" is one edit
 * from "tpm5". Stops early and returns `limit + 1` once the distance must exceed `limit`.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > limit) return limit + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let value = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        value = Math.min(value, (prevPrev[j - 2] ?? 0) + 1);
      }
      row.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[y.length] ?? 0;
}

/**
 * Words that may sit between the two levels of a comparison (`compare tpm4 vs tpm5`). They can
 * never be aliases.
 */
export const COMPARE_SEPARATORS: readonly string[] = [
  'vs',
  'v',
  'versus',
  'and',
  'to',
  'with',
  '->',
  '→',
  ',',
  '/',
];
