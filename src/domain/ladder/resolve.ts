/**
 * From what a user typed to a level: `/ladder lead`, `tpm 5`, `TPM-5`, `staff`, `senior staff`.
 * Exact matches ignore case, spaces, hyphens and punctuation; anything else gets suggestions
 * (typos such as `tmp5`, prefixes such as `prin`, upstream codes such as `tpm7`, a bare `5`).
 */
import type { Ladder, Level, Position, Role } from './model.ts';
import { COMPARE_SEPARATORS, editDistance, normaliseLevelQuery, queryWords } from './normalise.ts';

export type SuggestionReason = 'typo' | 'prefix' | 'contains' | 'upstream-code' | 'number';

export interface LevelSuggestion {
  level: Level;
  reason: SuggestionReason;
  /** The alias or code that matched, as written in the data. */
  matched: string;
}

export interface UnknownLevel {
  kind: 'unknown';
  /** What the user typed, trimmed. */
  query: string;
  /** Closest first, at most `MAX_SUGGESTIONS`. */
  suggestions: LevelSuggestion[];
}

export type LevelResolution = Position | Role | UnknownLevel;

export const MAX_SUGGESTIONS = 3;
/** Longer queries are not worth a fuzzy match (and bound the work on hostile input). */
const MAX_FUZZY_LENGTH = 64;
/** No two level names need more words than this together. */
const MAX_PAIR_WORDS = 16;

export function getLevel(ladder: Ladder, id: string): Level | undefined {
  return ladder.levelsById.get(id);
}

/** Exact match only (normalised): the level, or undefined. */
export function findLevel(ladder: Ladder, query: string): Level | undefined {
  const entry = ladder.aliasIndex.get(normaliseLevelQuery(query));
  return entry ? ladder.levelsById.get(entry.levelId) : undefined;
}

/** A level from what the user typed, or the closest matches when nothing matches exactly. */
export function resolveLevel(ladder: Ladder, query: string): LevelResolution {
  const text = typeof query === 'string' ? query.trim() : '';
  const level = findLevel(ladder, text);
  if (level) return level;
  return { kind: 'unknown', query: text, suggestions: suggestLevels(ladder, text) };
}

function trailingNumber(key: string): number | null {
  const match = /(\d+)$/.exec(key);
  return match?.[1] ? Number(match[1]) : null;
}

function typoLimit(length: number): number {
  if (length <= 2) return 0;
  if (length <= 4) return 1;
  if (length <= 8) return 2;
  return 3;
}

/** The closest levels to a query that matched nothing exactly. */
export function suggestLevels(ladder: Ladder, query: string): LevelSuggestion[] {
  const key = normaliseLevelQuery(typeof query === 'string' ? query : '');
  if (key === '' || key.length > MAX_FUZZY_LENGTH) return [];
  const best = new Map<string, { suggestion: LevelSuggestion; score: number; closeness: number }>();
  const queryNumber = trailingNumber(key);
  const offer = (
    level: Level,
    reason: SuggestionReason,
    matched: string,
    score: number,
    matchedKey: string,
  ): void => {
    const number = trailingNumber(matchedKey);
    const closeness = queryNumber !== null && number !== null ? Math.abs(queryNumber - number) : 0;
    const current = best.get(level.id);
    if (!current || score < current.score || (score === current.score && closeness < current.closeness)) {
      best.set(level.id, { suggestion: { level, reason, matched }, score, closeness });
    }
  };

  for (const level of ladder.levels) {
    if (level.kind !== 'position') continue;
    if (level.upstreamCode && normaliseLevelQuery(level.upstreamCode) === key) {
      offer(level, 'upstream-code', level.upstreamCode, 0, key);
    }
    if (/^\d+$/.test(key) && trailingNumber(normaliseLevelQuery(level.code)) === Number(key)) {
      offer(level, 'number', level.code, 0, normaliseLevelQuery(level.code));
    }
  }

  // An alias inside a longer query ("the lead role"): longest alias first.
  const words = queryWords(query)
    .map(normaliseLevelQuery)
    .filter((w) => w !== '');
  if (words.length > 1) {
    for (const entry of ladder.aliases) {
      for (let i = 0; i < words.length; i++) {
        let joined = '';
        for (let j = i; j < words.length && joined.length < entry.key.length; j++) joined += words[j];
        if (joined === entry.key) {
          const level = ladder.levelsById.get(entry.levelId);
          if (level) offer(level, 'contains', entry.alias, 0.5 - entry.key.length / 1000, entry.key);
          break;
        }
      }
    }
  }

  const limit = typoLimit(key.length);
  for (const entry of ladder.aliases) {
    const level = ladder.levelsById.get(entry.levelId);
    if (!level) continue;
    if (key.length >= 3 && entry.key.startsWith(key)) {
      offer(level, 'prefix', entry.alias, 0.75, entry.key);
      continue;
    }
    if (limit === 0) continue;
    const distance = editDistance(key, entry.key, limit);
    if (distance <= limit) offer(level, 'typo', entry.alias, distance, entry.key);
  }

  const order = new Map(ladder.levels.map((level, i) => [level.id, i]));
  return [...best.values()]
    .sort(
      (a, b) =>
        a.score - b.score ||
        a.closeness - b.closeness ||
        (order.get(a.suggestion.level.id) ?? 0) - (order.get(b.suggestion.level.id) ?? 0),
    )
    .slice(0, MAX_SUGGESTIONS)
    .map(({ suggestion }) => suggestion);
}

export interface LevelPairResolution {
  /** The words read as each side, as typed. */
  leftText: string;
  rightText: string;
  a: LevelResolution;
  b: LevelResolution;
}

const SEPARATOR_KEYS = new Set(COMPARE_SEPARATORS.map((s) => s.toLowerCase()));

function isSeparator(word: string): boolean {
  return SEPARATOR_KEYS.has(word.toLowerCase());
}

function stripSeparators(words: readonly string[]): string[] {
  let start = 0;
  let end = words.length;
  while (start < end && isSeparator(words[start] ?? '')) start += 1;
  while (end > start && isSeparator(words[end - 1] ?? '')) end -= 1;
  return words.slice(start, end);
}

/**
 * Splits the words of `compare <a> <b>` into two levels when either side may have several words
 * (`compare senior staff lead`). Every split is tried; the one where both sides are levels wins,
 * the longest first side first (so `senior staff lead` is TPM5 vs Lead TPM, not Senior TPM vs
 * "staff lead"). Separator words between the sides (`vs`, `and`, `to`, `->`) are ignored.
 * Returns null when the words cannot make two sides.
 */
export function resolveLevelPair(ladder: Ladder, words: readonly string[]): LevelPairResolution | null {
  const all = words.flatMap((word) => queryWords(word));
  if (all.length > MAX_PAIR_WORDS) return null;
  let best: { pair: LevelPairResolution; score: number[] } | null = null;
  for (let cut = all.length - 1; cut >= 1; cut--) {
    const left = stripSeparators(all.slice(0, cut));
    const right = stripSeparators(all.slice(cut));
    if (left.length === 0 || right.length === 0) continue;
    const leftText = left.join(' ');
    const rightText = right.join(' ');
    const a = resolveLevel(ladder, leftText);
    const b = resolveLevel(ladder, rightText);
    const known = (a.kind === 'unknown' ? 0 : 1) + (b.kind === 'unknown' ? 0 : 1);
    const hinted =
      (a.kind === 'unknown' && a.suggestions.length === 0 ? 0 : 1) +
      (b.kind === 'unknown' && b.suggestions.length === 0 ? 0 : 1);
    // Higher is better, compared in order; the loop runs longest left side first, so ties keep it.
    const score = [known, hinted];
    if (!best || compareScores(score, best.score) > 0) best = { pair: { leftText, rightText, a, b }, score };
  }
  return best?.pair ?? null;
}

function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
