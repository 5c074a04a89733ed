/**
 * Tag suggestions for evidence the user did not tag: keyword rules from ladder-data/suggestions.yaml
 * ("mentored", "1:1s" → People; "risk register" → Process and the preventing shift; "exec" →
 * Influence at Company scope). Pure.
 *
 * Text and rule words go through the same normalisation before they are compared, word by word:
 * lower case; British spellings folded to US ones ("prioritised" → "prioritized"); a word of a
 * declared family stands for its family ("priorities", "prioritisation" → prioritize); a word
 * listed as unstemmed stays as it is ("processed" never becomes "process"); any other word is
 * reduced to its Porter stem ("mentoring" → "mentor"). All of that is data (`normalise:` in the
 * suggestions file) except the stemmer itself.
 *
 * A rule word may be a phrase: its words must follow each other in the text, a space or a hyphen
 * between them ("on-call" also finds "on call"); `{n}` stands for any number ("across {n} teams"
 * finds "across 6 teams" and "across three teams"), `*` for up to four words of any kind
 * ("escalated * to"). A rule's `except` phrases cover its words where they say nothing about the
 * axis ("due process"). Where two matches overlap, the longer one wins ("capacity planning" over
 * "planning").
 */
import { AXIS_IDS, type AxisId, type ScopeId, type ShiftId } from './types.ts';
import { createWordNormaliser, NO_WORD_FORMS, type WordForms, type WordNormaliser } from './word-forms.ts';

// Re-exported: the ladder builder reads the rules and their word forms from this module.
export { NO_WORD_FORMS, type WordForms } from './word-forms.ts';

export interface SuggestionRule {
  id: string;
  axes: readonly AxisId[];
  scope: ScopeId | null;
  /** The mindset shift the words point to, if any. */
  shift: ShiftId | null;
  words: readonly string[];
  except: readonly string[];
  /** How much one match counts toward the rule's axes and shift; 1 when absent. */
  weight?: number;
  /** How much one match counts toward the rule's shift, when not `weight`. */
  shiftWeight?: number;
  /** Its words mark a chore: no suggestion unless other rules' words outweigh it (CHORE_OUTWEIGH). */
  chore?: boolean;
}

const GAP_MAX = 4;
/** Longer texts are cut before matching; evidence is at most 3,000 characters anyway. */
const MAX_MATCH_LENGTH = 10_000;
/** Words of the text as the rules read them: "1:1" is one word, "team's" is "team". */
const WORD = /\p{N}+:\p{N}+s?|[\p{L}\p{N}]+(?:['\u2019][\p{L}\p{N}]+)*/gu;

type Element = { kind: 'word'; key: string } | { kind: 'number' } | { kind: 'gap' };

interface Pattern {
  elements: Element[];
  rule: number;
  except: boolean;
  /** Holds a `*`. */
  gap: boolean;
  /** As written in the data. */
  word: string;
}

/** Rules ready to match: built once, at start-up. */
export interface SuggestionRules {
  rules: readonly SuggestionRule[];
  normaliser: WordNormaliser;
  /** First word's key → the patterns that start with it. */
  byFirst: ReadonlyMap<string, readonly Pattern[]>;
  /** Patterns that start with `{n}`. */
  byNumber: readonly Pattern[];
  /** The most words a pattern can match. */
  maxSpan: number;
}

export interface SuggestionMatch {
  ruleId: string;
  /** The rule's word as written in the data. */
  word: string;
  /** The words of the entry that matched, as the user wrote them. */
  text: string;
  axes: readonly AxisId[];
  shift: ShiftId | null;
  scope: ScopeId | null;
  /** The rule's weight. */
  weight: number;
  /** How much it counts toward the shift. */
  shiftWeight: number;
  /** A chore's word: it suggests nothing and silences weak evidence. */
  chore: boolean;
}

export interface TagSuggestion {
  /** In the framework's order, without duplicates. */
  axes: AxisId[];
  /** Only when every rule that fired and names a scope names the same one; else null. */
  scope: ScopeId | null;
  /** The shift most matches point to (a tie goes to the one named first); null when none does. */
  shift: ShiftId | null;
  /** What fired, first occurrence of each rule word, in text order: which words led to which tag. */
  matches: SuggestionMatch[];
}

/** What the summary suggests doing or logging next, per axis and per mindset shift. */
export interface GrowthSuggestions {
  axes: Readonly<Partial<Record<AxisId, string>>>;
  shifts: Readonly<Partial<Record<ShiftId, string>>>;
}

/** Below this many entries in the period, a growth axis is thin (ladder-data can change it). */
export const DEFAULT_THIN_THRESHOLD = 3;

/**
 * An axis is suggested when its score is at least this share of the best axis' score: one stray
 * word beside two strong ones does not add an axis. Each match scores its rule's weight (1 unless
 * the data says otherwise) for each of its axes.
 * (Chosen on the tuning part of the labelled wins, with LEAD_BONUS.)
 */
const AXIS_SHARE = 0.5;
/**
 * The first match that names an axis scores this share more: a win usually opens with what it was
 * about ("Coached the Payments TPM through her first exec review" is about People first).
 */
const LEAD_BONUS = 0.5;
/**
 * At most this many axes are suggested: a win with three or more is rare, and the third strongest
 * was mostly a stray word (chosen on the labelled wins: it removed more unfair axes than first axes).
 */
const MAX_AXES = 2;
/**
 * A shift is suggested when the matches pointing to it count at least this much: one word that
 * says it ("delegated", "root cause"), or two that hint at it ("runbook" and "failover").
 */
const SHIFT_MIN = 1;
/**
 * A line holding a chore's words ("took Friday off", "my expense claims", "timesheet") gets no
 * suggestion unless the other words weigh at least this much (one more when the line opens with
 * the chore): one stray word ("conference", "newsletter") does not make a chore a win; "automated
 * the expense approvals across 6 teams" does.
 */
const CHORE_OUTWEIGH = 2;

function parsePattern(word: string, normaliser: WordNormaliser): Element[] {
  return word
    .split(/[ -]+/u)
    .filter((part) => part !== '')
    .map((part): Element => {
      if (part === '{n}') return { kind: 'number' };
      if (part === '*') return { kind: 'gap' };
      return { kind: 'word', key: normaliser.key(part) };
    });
}

export function compileSuggestionRules(
  rules: readonly SuggestionRule[],
  forms: WordForms = NO_WORD_FORMS,
): SuggestionRules {
  const normaliser = createWordNormaliser(forms);
  const byFirst = new Map<string, Pattern[]>();
  const byNumber: Pattern[] = [];
  let maxSpan = 1;
  rules.forEach((rule, index) => {
    const add = (word: string, except: boolean) => {
      const elements = parsePattern(word, normaliser);
      const first = elements[0];
      if (!first || first.kind === 'gap') return;
      maxSpan = Math.max(
        maxSpan,
        elements.reduce((n, e) => n + (e.kind === 'gap' ? GAP_MAX : 1), 0),
      );
      const pattern: Pattern = {
        elements,
        rule: index,
        except,
        gap: elements.some((e) => e.kind === 'gap'),
        word,
      };
      if (first.kind === 'number') byNumber.push(pattern);
      else byFirst.set(first.key, [...(byFirst.get(first.key) ?? []), pattern]);
    };
    for (const word of rule.words) add(word, false);
    for (const word of rule.except) add(word, true);
  });
  return { rules, normaliser, byFirst, byNumber, maxSpan };
}

export const NO_SUGGESTION_RULES: SuggestionRules = compileSuggestionRules([]);

/**
 * Text as the rules read it: Unicode dashes as "-", and links left out (a word in a URL says
 * nothing about the work).
 */
function prepare(text: string): string {
  const plain = text
    .slice(0, MAX_MATCH_LENGTH)
    .normalize('NFKC')
    .replace(/[\u2010-\u2015]/gu, '-');
  // Links are rare: their scans (a tenth of the time on 3,000 characters) run only when one may be there.
  if (!/https?:|mailto:/iu.test(plain)) return plain;
  return plain
    .replace(/<(?:https?|mailto):[^|>]*(\|[^>]*)?>/giu, (_whole, label: string | undefined) =>
      label ? ` ${label.slice(1)} ` : ' ',
    )
    .replace(/\bhttps?:\/\/\S+/giu, ' ');
}

interface Token {
  key: string;
  number: boolean;
  start: number;
  end: number;
}

function tokenise(text: string, normaliser: WordNormaliser): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const { key, number } = normaliser.read(m[0]);
    tokens.push({
      key,
      number,
      start: m.index,
      end: m.index + m[0].length,
    });
  }
  return tokens;
}

/** The index just past the match of `elements[from…]` at token `at`, or -1. */
function matchAt(elements: readonly Element[], from: number, tokens: readonly Token[], at: number): number {
  if (from === elements.length) return at;
  const element = elements[from] as Element;
  if (element.kind === 'gap') {
    for (let skip = 0; skip <= GAP_MAX && at + skip <= tokens.length; skip++) {
      const end = matchAt(elements, from + 1, tokens, at + skip);
      if (end >= 0) return end;
    }
    return -1;
  }
  const token = tokens[at];
  if (!token) return -1;
  const ok = element.kind === 'number' ? token.number : token.key === element.key;
  return ok ? matchAt(elements, from + 1, tokens, at + 1) : -1;
}

interface Hit {
  pattern: Pattern;
  start: number;
  /** Exclusive. */
  end: number;
}

/** The axes, scope and shift the rules suggest for a text, with the words behind each. Never throws. */
export function suggestTags(text: string, rules: SuggestionRules): TagSuggestion {
  const none: TagSuggestion = { axes: [], scope: null, shift: null, matches: [] };
  if (typeof text !== 'string' || rules.rules.length === 0) return none;
  const source = prepare(text);
  const tokens = tokenise(source, rules.normaliser);
  if (tokens.length === 0) return none;
  const hits = findHits(tokens, rules);
  if (hits.length === 0) return none;
  const matches = firstMatches(winningHits(hits, rules.maxSpan), rules, source, tokens);
  if (isChore(matches)) return none;
  const { axes, scope, shift } = pickTags(matches);
  return {
    axes,
    scope,
    shift,
    // Only what explains a suggested tag.
    matches: matches.filter(
      (m) =>
        m.axes.some((a) => axes.includes(a)) ||
        (m.shift !== null && m.shift === shift) ||
        (m.scope !== null && m.scope === scope),
    ),
  };
}

/** Every pattern matched at every token, in order of their start. */
function findHits(tokens: readonly Token[], rules: SuggestionRules): Hit[] {
  const hits: Hit[] = [];
  const tryAt = (patterns: readonly Pattern[], at: number) => {
    for (const pattern of patterns) {
      const end = matchAt(pattern.elements, 0, tokens, at);
      if (end > at) hits.push({ pattern, start: at, end });
    }
  };
  tokens.forEach((token, at) => {
    const candidates = rules.byFirst.get(token.key);
    if (candidates) tryAt(candidates, at);
    if (token.number) tryAt(rules.byNumber, at);
  });
  return hits;
}

/** Whether `list[i]` overlaps a hit for which `test` holds. */
function overlapsAny(
  list: readonly Hit[],
  i: number,
  maxSpan: number,
  test: (other: Hit, hit: Hit) => boolean,
): boolean {
  // Hits are in order of their start, and none spans more than maxSpan words: only neighbours overlap.
  const hit = list[i] as Hit;
  for (let j = i - 1; j >= 0 && (list[j] as Hit).start > hit.start - maxSpan; j--) {
    const other = list[j] as Hit;
    if (other.end > hit.start && test(other, hit)) return true;
  }
  for (let j = i + 1; j < list.length && (list[j] as Hit).start < hit.end; j++) {
    if (test(list[j] as Hit, hit)) return true;
  }
  return false;
}

/** The hits that count: none covered by its rule's `except`, and the longer of two overlapping. */
function winningHits(hits: readonly Hit[], maxSpan: number): Hit[] {
  const words = hits.filter(
    (h, i) =>
      !h.pattern.except &&
      !overlapsAny(hits, i, maxSpan, (o) => o.pattern.except && o.pattern.rule === h.pattern.rule),
  );
  // The longer of two overlapping matches wins; on equal length, both stay. A phrase with a gap
  // never hides another rule's match: what it skipped may be a phrase of its own.
  const longest = words.filter(
    (_h, i) => !overlapsAny(words, i, maxSpan, (o, h) => !o.pattern.gap && o.end - o.start > h.end - h.start),
  );
  // Overlapping matches of one rule count once ("before it hit" is also "before * hit").
  const lastEnd = new Map<number, number>();
  return longest.filter((h) => {
    if ((lastEnd.get(h.pattern.rule) ?? -1) > h.start) return false;
    lastEnd.set(h.pattern.rule, h.end);
    return true;
  });
}

/** The first occurrence of each rule word, in text order, with the words as the user wrote them. */
function firstMatches(
  kept: readonly Hit[],
  rules: SuggestionRules,
  source: string,
  tokens: readonly Token[],
): SuggestionMatch[] {
  const matches: SuggestionMatch[] = [];
  const seen = new Set<string>();
  for (const hit of kept) {
    const rule = rules.rules[hit.pattern.rule] as SuggestionRule;
    const id = `${hit.pattern.rule}\u0000${hit.pattern.word}`;
    if (seen.has(id)) continue;
    seen.add(id);
    matches.push({
      ruleId: rule.id,
      word: hit.pattern.word,
      text: source.slice((tokens[hit.start] as Token).start, (tokens[hit.end - 1] as Token).end),
      axes: rule.axes,
      shift: rule.shift,
      scope: rule.scope,
      weight: rule.weight ?? 1,
      shiftWeight: rule.shiftWeight ?? rule.weight ?? 1,
      chore: rule.chore === true,
    });
  }
  return matches;
}

/** Whether a chore's words are in the line and the other words weigh too little to outweigh them. */
function isChore(matches: readonly SuggestionMatch[]): boolean {
  if (!matches.some((m) => m.chore)) return false;
  const other = matches.reduce((sum, m) => sum + (m.chore ? 0 : Math.max(m.weight, m.shiftWeight)), 0);
  // A line that opens with the chore is about it ("Joined a webinar on roadmaps"): one word more.
  return other < CHORE_OUTWEIGH + (matches[0]?.chore ? 1 : 0);
}

/** The tags the matches point to: axes by score (the lead match weighs more), one shift, one scope. */
function pickTags(matches: readonly SuggestionMatch[]): Omit<TagSuggestion, 'matches'> {
  const lead = matches.find((x) => x.axes.length > 0);
  const axisScore = new Map<AxisId, number>();
  const shiftScore = new Map<ShiftId, number>();
  const scopes = new Set<ScopeId>();
  for (const m of matches) {
    const weight = m === lead ? m.weight * (1 + LEAD_BONUS) : m.weight;
    for (const axis of m.axes) axisScore.set(axis, (axisScore.get(axis) ?? 0) + weight);
    if (m.shift) shiftScore.set(m.shift, (shiftScore.get(m.shift) ?? 0) + m.shiftWeight);
    if (m.scope) scopes.add(m.scope);
  }
  const best = Math.max(0, ...axisScore.values());
  // The strongest MAX_AXES of those within AXIS_SHARE of the best; a tie goes to the one named first.
  const strongest = [...axisScore]
    .filter(([, score]) => best > 0 && score >= best * AXIS_SHARE)
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_AXES)
    .map(([id]) => id);
  const axes = AXIS_IDS.filter((id) => strongest.includes(id));
  const bestShift = Math.max(0, ...shiftScore.values());
  // A tie goes to the shift named first in the text; hints alone must add up to one clear word.
  const topShift =
    bestShift >= SHIFT_MIN
      ? matches.find((m) => m.shift !== null && shiftScore.get(m.shift) === bestShift)?.shift
      : undefined;
  const [onlyScope] = scopes;
  return {
    axes,
    shift: topShift ?? null,
    scope: scopes.size === 1 && onlyScope !== undefined ? onlyScope : null,
  };
}

export interface SuggestionRuleProblem {
  /** Segments inside the file, e.g. ['rules', 2, 'words', 4]. */
  segments: (string | number)[];
  message: string;
}

function patternKey(word: string, normaliser: WordNormaliser): string {
  return parsePattern(word, normaliser)
    .map((e) => (e.kind === 'word' ? e.key : e.kind === 'number' ? '{n}' : '*'))
    .join(' ');
}

/**
 * Checks the rules need a schema cannot express: a word used by two rules once normalised (which
 * one would win is unclear), a phrase made of a gap alone, and `except` phrases that hold none of
 * the rule's words (they would do nothing).
 */
export function checkSuggestionRules(
  rules: readonly SuggestionRule[],
  forms: WordForms = NO_WORD_FORMS,
): SuggestionRuleProblem[] {
  const normaliser = createWordNormaliser(forms);
  const problems: SuggestionRuleProblem[] = [];
  const ruleIds = new Map<string, number>();
  const owners = new Map<string, { rule: string; word: string }>();
  rules.forEach((rule, i) => {
    if (ruleIds.has(rule.id))
      problems.push({ segments: ['rules', i, 'id'], message: `rule "${rule.id}" is defined twice` });
    ruleIds.set(rule.id, i);
    rule.words.forEach((word, j) => {
      const elements = parsePattern(word, normaliser);
      if (elements[0]?.kind === 'gap' || elements.at(-1)?.kind === 'gap') {
        problems.push({
          segments: ['rules', i, 'words', j],
          message: `"${word}" starts or ends with "*"; a gap belongs between words`,
        });
        return;
      }
      const key = patternKey(word, normaliser);
      const owner = owners.get(key);
      const same = owner && owner.word !== word ? ` (the same word as "${owner.word}" once normalised)` : '';
      if (owner?.rule === rule.id) {
        problems.push({
          segments: ['rules', i, 'words', j],
          message: `"${word}" is listed twice in this rule${same}`,
        });
      } else if (owner !== undefined) {
        problems.push({
          segments: ['rules', i, 'words', j],
          message: `"${word}" is already a word of rule "${owner.rule}"${same} (each word belongs to one rule)`,
        });
      } else {
        owners.set(key, { rule: rule.id, word });
      }
    });
    if (rule.except.length > 0) {
      const own = compileSuggestionRules([{ ...rule, except: [] }], forms);
      rule.except.forEach((phrase, j) => {
        // Raw hits, not suggestTags: a hint rule's match alone suggests nothing, yet it is a match.
        if (findHits(tokenise(prepare(phrase), own.normaliser), own).length === 0) {
          problems.push({
            segments: ['rules', i, 'except', j],
            message: `"${phrase}" holds none of this rule's words, so it would change nothing`,
          });
        }
      });
    }
  });
  return problems;
}

/** Which of the user's words led to each suggested tag, as they wrote them, without repeats. */
export interface SuggestionReasons {
  axes: Partial<Record<AxisId, string[]>>;
  shift: string[];
  scope: string[];
}

export function suggestionReasons(suggestion: TagSuggestion): SuggestionReasons {
  const words = (matches: readonly SuggestionMatch[]) => {
    const seen = new Set<string>();
    return matches
      .map((m) => m.text)
      .filter((t) => {
        const key = t.toLowerCase();
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
  };
  const axes: Partial<Record<AxisId, string[]>> = {};
  for (const axis of suggestion.axes)
    axes[axis] = words(suggestion.matches.filter((m) => m.axes.includes(axis)));
  return {
    axes,
    shift: suggestion.shift ? words(suggestion.matches.filter((m) => m.shift === suggestion.shift)) : [],
    scope: suggestion.scope ? words(suggestion.matches.filter((m) => m.scope === suggestion.scope)) : [],
  };
}
