/**
 * Tag suggestions for evidence the user did not tag: keyword rules from ladder-data/suggestions.yaml
 * ("mentoring", "coaching" → People; "retro", "cadence" → Process; "org-wide", "exec" → Influence at
 * Company scope). Pure.
 *
 * Words match whole words only, ignoring case, so "process" fires on "Process review" and
 * "process-heavy" but never on "processed", "procession" or "processor". A space or hyphen inside a
 * phrase matches either ("on-call" also finds "on call"). A rule's `except` phrases are removed
 * before its words are looked for ("due process" is not about the Process axis).
 */
import { AXIS_IDS, type AxisId, type ScopeId, type ShiftId } from './types.ts';

export interface SuggestionRule {
  id: string;
  axes: readonly AxisId[];
  scope: ScopeId | null;
  words: readonly string[];
  except: readonly string[];
}

/** Rules ready to match: each with its regular expressions built once, at start-up. */
export interface SuggestionRules {
  rules: readonly SuggestionRule[];
  /** Same order as `rules`. */
  compiled: readonly CompiledRule[];
}

interface CompiledRule {
  rule: SuggestionRule;
  words: RegExp;
  except: RegExp | null;
  /** Normalised matched text → the word as written in the data. */
  byKey: ReadonlyMap<string, string>;
}

export interface SuggestionMatch {
  ruleId: string;
  /** The rule's word as written in the data. */
  word: string;
}

export interface TagSuggestion {
  /** In the framework's order, without duplicates. */
  axes: AxisId[];
  /** Only when every rule that fired and names a scope names the same one; else null. */
  scope: ScopeId | null;
  /** Which words fired, first occurrence of each rule only; for explaining the suggestion. */
  matches: SuggestionMatch[];
}

/** What the summary suggests doing or logging next, per axis and per mindset shift. */
export interface GrowthSuggestions {
  axes: Readonly<Partial<Record<AxisId, string>>>;
  shifts: Readonly<Partial<Record<ShiftId, string>>>;
}

/** Below this many entries in the period, a growth axis is thin (ladder-data can change it). */
export const DEFAULT_THIN_THRESHOLD = 3;

const LETTER_OR_DIGIT = String.raw`[\p{L}\p{N}]`;
/** Longer texts are cut before matching; evidence is at most 3,000 characters anyway. */
const MAX_MATCH_LENGTH = 10_000;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** How matched text and data words compare: lower case, one space between words. */
function wordKey(text: string): string {
  return text.toLowerCase().replace(/[\s-]+/gu, ' ');
}

function phrasePattern(word: string): string {
  return word
    .split(/[ -]/u)
    .map((part) => escapeRegExp(part))
    .join(String.raw`[\s-]+`);
}

/** One expression for a list of phrases, whole words only; longest first so phrases win over their words. */
function wholeWords(list: readonly string[]): RegExp {
  const alternatives = [...new Set(list)].sort((a, b) => b.length - a.length).map(phrasePattern);
  return new RegExp(`(?<!${LETTER_OR_DIGIT})(?:${alternatives.join('|')})(?!${LETTER_OR_DIGIT})`, 'giu');
}

export function compileSuggestionRules(rules: readonly SuggestionRule[]): SuggestionRules {
  return {
    rules,
    compiled: rules.map((rule) => ({
      rule,
      words: wholeWords(rule.words),
      except: rule.except.length > 0 ? wholeWords(rule.except) : null,
      byKey: new Map(rule.words.map((word) => [wordKey(word), word])),
    })),
  };
}

export const NO_SUGGESTION_RULES: SuggestionRules = { rules: [], compiled: [] };

/**
 * Text as the rules read it: Unicode dashes as "-", and links left out (a word in a URL says
 * nothing about the work).
 */
function prepare(text: string): string {
  return text
    .slice(0, MAX_MATCH_LENGTH)
    .normalize('NFKC')
    .replace(/[\u2010-\u2015]/gu, '-')
    .replace(/<(?:https?|mailto):[^|>]*(\|[^>]*)?>/giu, (_whole, label: string | undefined) =>
      label ? ` ${label.slice(1)} ` : ' ',
    )
    .replace(/\bhttps?:\/\/\S+/giu, ' ');
}

/** The axes (and, where clear, the scope) the rules suggest for a text. Never throws. */
export function suggestTags(text: string, rules: SuggestionRules): TagSuggestion {
  const source = typeof text === 'string' ? prepare(text) : '';
  const axes = new Set<AxisId>();
  const scopes = new Set<ScopeId>();
  const matches: SuggestionMatch[] = [];
  if (source.trim() === '') return { axes: [], scope: null, matches };
  for (const { rule, words, except, byKey } of rules.compiled) {
    const subject = except ? source.replace(except, (m) => ' '.repeat(m.length)) : source;
    words.lastIndex = 0;
    const found = words.exec(subject);
    if (!found) continue;
    for (const axis of rule.axes) axes.add(axis);
    if (rule.scope) scopes.add(rule.scope);
    matches.push({ ruleId: rule.id, word: byKey.get(wordKey(found[0])) ?? found[0] });
  }
  const [onlyScope] = scopes;
  return {
    axes: AXIS_IDS.filter((id) => axes.has(id)),
    scope: scopes.size === 1 && onlyScope !== undefined ? onlyScope : null,
    matches,
  };
}

export interface SuggestionRuleProblem {
  /** Segments inside the file, e.g. ['rules', 2, 'words', 4]. */
  segments: (string | number)[];
  message: string;
}

/**
 * Checks the rules need a schema cannot express: a word used by two rules (which one would win is
 * unclear), and `except` phrases that hold none of the rule's words (they would do nothing).
 */
export function checkSuggestionRules(rules: readonly SuggestionRule[]): SuggestionRuleProblem[] {
  const problems: SuggestionRuleProblem[] = [];
  const ruleIds = new Map<string, number>();
  const owners = new Map<string, string>();
  rules.forEach((rule, i) => {
    if (ruleIds.has(rule.id))
      problems.push({ segments: ['rules', i, 'id'], message: `rule "${rule.id}" is defined twice` });
    ruleIds.set(rule.id, i);
    rule.words.forEach((word, j) => {
      const key = wordKey(word);
      const owner = owners.get(key);
      if (owner === rule.id) {
        problems.push({
          segments: ['rules', i, 'words', j],
          message: `"${word}" is listed twice in this rule`,
        });
      } else if (owner !== undefined) {
        problems.push({
          segments: ['rules', i, 'words', j],
          message: `"${word}" is already a word of rule "${owner}" (each word belongs to one rule)`,
        });
      } else {
        owners.set(key, rule.id);
      }
    });
    if (rule.except.length > 0) {
      const own = wholeWords(rule.words);
      rule.except.forEach((phrase, j) => {
        own.lastIndex = 0;
        if (!own.test(phrase)) {
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
