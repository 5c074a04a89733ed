/**
 * The shapes of tag suggestions (domain/suggest.ts), and which of the user's words explain each
 * suggested tag. Pure.
 */
import type { AxisId, ScopeId, ShiftId } from './types.ts';

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

/**
 * The words of a text as the rules read them, one array per field, each its exact length: an object
 * per word, and arrays grown word by word, were most of what a long entry allocated. Word `i` is
 * `keys[i]`, from `starts[i]` to `ends[i]` in the text read.
 */
export interface Words {
  /** What each word is compared by (word-forms.ts). */
  keys: string[];
  /** 1 where `{n}` matches the word (numbers are left out of the model's features). */
  numbers: Uint8Array;
  starts: Int32Array;
  /** Exclusive. */
  ends: Int32Array;
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
