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
import { type ModelInput, type SuggestionModel, suggestWithModel } from './suggest-model.ts';
import { isChore, pickTags } from './suggest-pick.ts';
import type { SuggestionMatch, SuggestionRule, TagSuggestion, Words } from './suggest-types.ts';
import { AXIS_IDS } from './types.ts';
import { createWordNormaliser, NO_WORD_FORMS, type WordForms, type WordNormaliser } from './word-forms.ts';
import { scanWords } from './word-scan.ts';

// Re-exported: the ladder builder and the app read the rules, their shapes and word forms from here.
export {
  DEFAULT_THIN_THRESHOLD,
  type GrowthSuggestions,
  type SuggestionMatch,
  type SuggestionReasons,
  type SuggestionRule,
  suggestionReasons,
  type TagSuggestion,
} from './suggest-types.ts';
export { NO_WORD_FORMS, type WordForms } from './word-forms.ts';

const GAP_MAX = 4;
/** Longer texts are cut before matching; evidence is at most 3,000 characters anyway. */
const MAX_MATCH_LENGTH = 10_000;

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
  /** The learned weights over what the rules see (suggest-model.ts); null: the rules alone decide. */
  model: SuggestionModel | null;
}

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
  model: SuggestionModel | null = null,
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
  return { rules, normaliser, byFirst, byNumber, maxSpan, model };
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

/**
 * Where the words of the text being read start and end, two numbers a word: scratch space kept from
 * one text to the next (grown when a text needs more), read only inside `tokenise`.
 */
let bounds = new Int32Array(2_048);

/** Words of the text as the rules read them (word-scan.ts): "1:1" is one word, "team's" is "team". */
function tokenise(text: string, normaliser: WordNormaliser): Words {
  let count = 0;
  scanWords(text, (start, end) => {
    if (2 * count + 2 > bounds.length) {
      const grown = new Int32Array(bounds.length * 2);
      grown.set(bounds);
      bounds = grown;
    }
    bounds[2 * count] = start;
    bounds[2 * count + 1] = end;
    count += 1;
  });
  // Each array made once, at its length.
  const words: Words = {
    keys: new Array<string>(count),
    numbers: new Uint8Array(count),
    starts: new Int32Array(count),
    ends: new Int32Array(count),
  };
  for (let i = 0; i < count; i++) {
    const start = bounds[2 * i] as number;
    const end = bounds[2 * i + 1] as number;
    const { key, number } = normaliser.readAt(text, start, end);
    words.keys[i] = key;
    words.numbers[i] = number ? 1 : 0;
    words.starts[i] = start;
    words.ends[i] = end;
  }
  return words;
}

/** The index just past the match of `elements[from…]` at word `at`, or -1. */
function matchAt(elements: readonly Element[], from: number, words: Words, at: number): number {
  if (from === elements.length) return at;
  const element = elements[from] as Element;
  if (element.kind === 'gap') {
    for (let skip = 0; skip <= GAP_MAX && at + skip <= words.keys.length; skip++) {
      const end = matchAt(elements, from + 1, words, at + skip);
      if (end >= 0) return end;
    }
    return -1;
  }
  if (at >= words.keys.length) return -1;
  const ok = element.kind === 'number' ? words.numbers[at] === 1 : words.keys[at] === element.key;
  return ok ? matchAt(elements, from + 1, words, at + 1) : -1;
}

interface Hit {
  pattern: Pattern;
  start: number;
  /** Exclusive. */
  end: number;
}

/** A match with where it starts and ends in the text read. */
type PlacedMatch = SuggestionMatch & { start: number; end: number };

/** A match as the suggestion shows it, without where it stands. */
const shown = ({ start: _start, end: _end, ...match }: PlacedMatch): SuggestionMatch => match;

/** What the rules see in a text: its words and every match that counts. */
interface Reading {
  source: string;
  words: Words;
  matches: PlacedMatch[];
}

function read(text: string, rules: SuggestionRules): Reading {
  const source = prepare(text);
  const words = tokenise(source, rules.normaliser);
  const hits = words.keys.length === 0 ? [] : findHits(words, rules);
  const matches =
    hits.length === 0
      ? []
      : firstMatches(winningHits(hits, rules.maxSpan, rules.rules.length), rules, source, words);
  return { source, words, matches };
}

function toModelInput({ source, words, matches }: Reading): ModelInput & {
  picked: ReturnType<typeof pickTags>;
} {
  return { source, words, matches, picked: pickTags(matches) };
}

/** The learned model's input for a text: what training fits the weights on. */
export function modelInputOf(text: string, rules: SuggestionRules): ModelInput {
  return toModelInput(read(text, rules));
}

/** The axes, scope and shift suggested for a text, with the words behind each. Never throws. */
export function suggestTags(text: string, rules: SuggestionRules): TagSuggestion {
  const none: TagSuggestion = { axes: [], scope: null, shift: null, matches: [] };
  if (typeof text !== 'string' || rules.rules.length === 0) return none;
  const reading = read(text, rules);
  const { matches } = reading;
  if (matches.length === 0 && rules.model === null) return none;
  if (isChore(matches)) return none;
  if (rules.model !== null) return withModel(rules.model, reading);
  const { axes, scope, shift } = pickTags(matches);
  return {
    axes,
    scope,
    shift,
    // Only what explains a suggested tag.
    matches: matches
      .filter(
        (m) =>
          m.axes.some((a) => axes.includes(a)) ||
          (m.shift !== null && m.shift === shift) ||
          (m.scope !== null && m.scope === scope),
      )
      .map(shown),
  };
}

/** The rule id of a reason that is a word the model weighed on its own, not a rule's match. */
const LEARNED_RULE_ID = 'learned';

/** The model decides the axes and shift; the rules' scope stands beside a suggested axis. */
function withModel(model: SuggestionModel, reading: Reading): TagSuggestion {
  const input = toModelInput(reading);
  const { axes, shift, reasons } = suggestWithModel(model, input);
  const scope = axes.length > 0 ? input.picked.scope : null;
  const matches: SuggestionMatch[] = reasons.map((reason): SuggestionMatch => {
    const rule = reason.match === null ? undefined : reading.matches[reason.match];
    const reasonAxes = AXIS_IDS.filter((a) => (reason.tags as readonly string[]).includes(a));
    const reasonShift = shift !== null && (reason.tags as readonly string[]).includes(shift) ? shift : null;
    return {
      ruleId: rule?.ruleId ?? LEARNED_RULE_ID,
      word: rule?.word ?? reason.text.toLowerCase(),
      text: reason.text,
      axes: reasonAxes,
      shift: reasonShift,
      scope: null,
      weight: rule?.weight ?? 1,
      shiftWeight: rule?.shiftWeight ?? 1,
      chore: false,
    };
  });
  // A reason that is also a scope word explains the scope too; other scope words are added.
  const scoping = scope === null ? [] : reading.matches.filter((m) => m.scope === scope);
  const scopeText = new Set(scoping.map((m) => m.text.toLowerCase()));
  const said = new Set(matches.map((r) => r.text.toLowerCase()));
  const explained = matches.map((r) => (scopeText.has(r.text.toLowerCase()) ? { ...r, scope } : r));
  const scopeWords = scoping
    .filter((m) => !said.has(m.text.toLowerCase()))
    .map((m) => ({ ...shown(m), axes: [], shift: null }));
  return { axes, scope, shift, matches: [...explained, ...scopeWords] };
}

/** Every pattern matched at every word, in order of their start. */
function findHits(words: Words, rules: SuggestionRules): Hit[] {
  const hits: Hit[] = [];
  const tryAt = (patterns: readonly Pattern[], at: number) => {
    for (const pattern of patterns) {
      const end = matchAt(pattern.elements, 0, words, at);
      if (end > at) hits.push({ pattern, start: at, end });
    }
  };
  for (let at = 0; at < words.keys.length; at++) {
    const candidates = rules.byFirst.get(words.keys[at] as string);
    if (candidates) tryAt(candidates, at);
    if (words.numbers[at] === 1) tryAt(rules.byNumber, at);
  }
  return hits;
}

/**
 * Whether `list[i]` overlaps a hit for which `beats(other, hit)` holds. Hits are in order of their
 * start, and none spans more than maxSpan words: only neighbours overlap.
 */
function overlapsAny(
  list: readonly Hit[],
  i: number,
  maxSpan: number,
  beats: (other: Hit, hit: Hit) => boolean,
): boolean {
  const hit = list[i] as Hit;
  for (let j = i - 1; j >= 0 && (list[j] as Hit).start > hit.start - maxSpan; j--) {
    const other = list[j] as Hit;
    if (other.end > hit.start && beats(other, hit)) return true;
  }
  for (let j = i + 1; j < list.length && (list[j] as Hit).start < hit.end; j++) {
    if (beats(list[j] as Hit, hit)) return true;
  }
  return false;
}

/** An `except` phrase of the hit's own rule covers it ("due process"). */
const excepts = (other: Hit, hit: Hit) => other.pattern.except && other.pattern.rule === hit.pattern.rule;
/**
 * A longer match wins; on equal length, both stay. A phrase with a gap never hides another rule's
 * match: what it skipped may be a phrase of its own.
 */
const outdoes = (other: Hit, hit: Hit) => !other.pattern.gap && other.end - other.start > hit.end - hit.start;

/** The hits that count: none covered by its rule's `except`, and the longer of two overlapping. */
function winningHits(hits: readonly Hit[], maxSpan: number, ruleCount: number): Hit[] {
  const words = hits.filter((h, i) => !h.pattern.except && !overlapsAny(hits, i, maxSpan, excepts));
  const longest = words.filter((_h, i) => !overlapsAny(words, i, maxSpan, outdoes));
  // Overlapping matches of one rule count once ("before it hit" is also "before * hit").
  const lastEnd = new Int32Array(ruleCount).fill(-1);
  return longest.filter((h) => {
    if ((lastEnd[h.pattern.rule] as number) > h.start) return false;
    lastEnd[h.pattern.rule] = h.end;
    return true;
  });
}

/** The first occurrence of each rule word, in text order, with the words as the user wrote them. */
function firstMatches(
  kept: readonly Hit[],
  rules: SuggestionRules,
  source: string,
  words: Words,
): PlacedMatch[] {
  const matches: PlacedMatch[] = [];
  // A pattern is one word of one rule.
  const seen = new Set<Pattern>();
  for (const hit of kept) {
    const rule = rules.rules[hit.pattern.rule] as SuggestionRule;
    if (seen.has(hit.pattern)) continue;
    seen.add(hit.pattern);
    const start = words.starts[hit.start] as number;
    const end = words.ends[hit.end - 1] as number;
    matches.push({
      ruleId: rule.id,
      word: hit.pattern.word,
      text: source.slice(start, end),
      axes: rule.axes,
      shift: rule.shift,
      scope: rule.scope,
      weight: rule.weight ?? 1,
      shiftWeight: rule.shiftWeight ?? rule.weight ?? 1,
      chore: rule.chore === true,
      start,
      end,
    });
  }
  return matches;
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
