/**
 * The learned part of the tag suggestions (issue 16): a linear model per label (each axis as a fair
 * tag and as the one picked first, each mindset shift, and "nothing to tag") over what the keyword
 * rules saw in an entry — which rules fired, which tags they picked — and over the entry's own
 * words, normalised as the rules read them. Its weights are data
 * (ladder-data/suggestion-model.json), fitted by `npm run train:suggestions` on the labelled wins
 * the suggestions are tuned on; the thresholds that turn its scores into tags travel with them.
 *
 * Why both: the rules know TPM phrases a few hundred examples cannot teach ("error budget",
 * "across 6 teams"); the weights learn how far to trust each rule and pick up everyday words no rule
 * lists. Every suggested tag is explained by the words of the entry that weighed most toward it.
 * Pure.
 */
import { eng as ENGLISH_STOPWORDS } from 'stopword';
import type { Words } from './suggest-types.ts';
import { AXIS_IDS, type AxisId, SHIFT_IDS, type ShiftId } from './types.ts';

/** The label of an entry with nothing to tag (a chore, an errand, time off). */
export const NOTHING = 'nothing';

/** The axis a coach would pick first, as a label of its own: `first-people`. */
export const firstLabel = (axis: AxisId) => `first-${axis}` as const;
type FirstLabel = ReturnType<typeof firstLabel>;

/**
 * What the model scores, in the order of each weight row: each axis as a fair tag for the entry,
 * each shift, and each axis as the one a coach would pick first (which picks the lead axis).
 */
export const MODEL_LABELS: readonly (AxisId | ShiftId | FirstLabel | typeof NOTHING)[] = [
  ...AXIS_IDS,
  ...SHIFT_IDS,
  ...AXIS_IDS.map(firstLabel),
  NOTHING,
];
/** What a reason can point to: a suggested axis or shift. */
export type ModelLabel = AxisId | ShiftId;

/** Feature names as they appear in the model file: `kind:key`, or `bias`. */
export const FEATURE = {
  bias: 'bias',
  rule: (id: string) => `rule:${id}`,
  word: (key: string) => `word:${key}`,
  picked: (tag: AxisId | ShiftId) => `picked:${tag}`,
} as const;

/** When a score becomes a suggestion; chosen on labelled wins the weights were not fitted on. */
export interface ModelThresholds {
  /**
   * An axis is suggested when one is fair at this probability or more: the one most likely to be
   * picked first.
   */
  axis: number;
  /** A second axis, the likeliest fair one after it, needs this much. */
  secondAxis: number;
  /**
   * The best shift: beside a suggested axis, or alone where the rules named it too and it is likelier
   * than nothing to tag.
   */
  shift: number;
  /** When no rule picked an axis, the best axis needs this much (no stray word alone makes a tag). */
  withoutRules: number;
  /**
   * An entry at least this likely to hold nothing to tag gets no suggestion, however likely an axis:
   * a chore that names work things ("Read the Payments design doc before Wednesday's review") scores
   * a fair axis too.
   */
  nothing: number;
}

/** The model as the ladder file holds it: feature name → one weight per label (MODEL_LABELS order). */
export interface SuggestionModelData {
  thresholds: ModelThresholds;
  weights: Readonly<Record<string, readonly number[]>>;
}

/** Ready to score: rule and word weights in their own maps, so scoring builds no strings per word. */
export interface SuggestionModel {
  thresholds: ModelThresholds;
  bias: readonly number[];
  rules: ReadonlyMap<string, readonly number[]>;
  words: ReadonlyMap<string, readonly number[]>;
  picked: ReadonlyMap<string, readonly number[]>;
}

export function compileSuggestionModel(data: SuggestionModelData): SuggestionModel {
  const rules = new Map<string, readonly number[]>();
  const words = new Map<string, readonly number[]>();
  const picked = new Map<string, readonly number[]>();
  let bias: readonly number[] = MODEL_LABELS.map(() => 0);
  const byKind = { rule: rules, word: words, picked };
  for (const [name, row] of Object.entries(data.weights)) {
    if (name === FEATURE.bias) bias = row;
    // The kind is before the first colon; a word's key may hold one of its own ("1:1").
    const colon = name.indexOf(':');
    byKind[name.slice(0, colon) as keyof typeof byKind]?.set(name.slice(colon + 1), row);
  }
  return { thresholds: data.thresholds, bias, rules, words, picked };
}

/** Something seen in the entry: where it starts and ends in `ModelInput.source`. */
export type Spot<T> = T & { start: number; end: number };

/** What the rules saw in one entry: the model's input. */
export interface ModelInput {
  /** The entry as the rules read it: what the spots below point into. */
  source: string;
  /** The entry's words as the rules read them (numbers are left out of the features). */
  words: Words;
  /** Rules that fired, with the words that matched and the rule word behind them. */
  matches: readonly Spot<{ ruleId: string; word: string; text: string }>[];
  /** The tags the rules alone would pick. */
  picked: { axes: readonly AxisId[]; shift: ShiftId | null };
}

/**
 * The model reads the words of an entry's opening: the labelled wins it learnt from are at most a
 * few dozen words, a win says what it was about first, and a long entry summed over every word
 * would score far outside anything it learnt (the rules still read the whole entry).
 */
export const MODEL_WORDS = 100;

/**
 * Where the words the model reads end: it reads the first MODEL_WORDS of the entry, numbers left
 * out (the words before this index that are not numbers).
 */
function modelWordsEnd(words: Words): number {
  let count = 0;
  for (let i = 0; i < words.keys.length; i++) {
    if (words.numbers[i] === 1) continue;
    if (count === MODEL_WORDS) return i;
    count += 1;
  }
  return words.keys.length;
}

/** The feature names present in an entry (each counts once): what training and scoring share. */
export function featureNames(input: ModelInput): Set<string> {
  const names = new Set<string>([FEATURE.bias]);
  for (const m of input.matches) names.add(FEATURE.rule(m.ruleId));
  const { words } = input;
  const end = modelWordsEnd(words);
  for (let i = 0; i < end; i++) if (words.numbers[i] === 0) names.add(FEATURE.word(words.keys[i] as string));
  for (const axis of input.picked.axes) names.add(FEATURE.picked(axis));
  if (input.picked.shift) names.add(FEATURE.picked(input.picked.shift));
  return names;
}

/** Words of the entry that weighed most toward suggested tags: a rule's words, or one word. */
export interface ModelReason {
  text: string;
  /** The index of the rule's match in `ModelInput.matches`; null for a word weighed on its own. */
  match: number | null;
  /** The suggested tags it weighed toward most. */
  tags: ModelLabel[];
}

export interface ModelSuggestion {
  axes: AxisId[];
  shift: ShiftId | null;
  reasons: ModelReason[];
}

/** At most this many words explain one tag. */
const REASONS_PER_TAG = 3;
/**
 * Words that never explain a tag on their own, however the model weighs them: English stopwords
 * ("the", "of") and everyday verbs and fillers that say nothing about the work by themselves.
 */
const STOPWORDS: ReadonlySet<string> = new Set([
  ...ENGLISH_STOPWORDS,
  ...['so', 'set', 'up', 'got', 'get', 'did', 'do', 'done', 'made', 'make', 'put', 'took', 'take'],
  ...['went', 'go', 'just', 'now', 'new', 'also', 'still', 'really', 'lot', 'lots', 'way', 'thing'],
  ...['things', 'stuff', 'wrote', 'ran', 'run', 'had', 'have', 'week', 'today'],
]);
const LABEL_INDEX = new Map<string, number>(MODEL_LABELS.map((label, i) => [label, i]));

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const isAxis = (label: ModelLabel): label is AxisId => (AXIS_IDS as readonly string[]).includes(label);

interface Contribution {
  /** Where it stands in `ModelInput.source`. */
  start: number;
  end: number;
  /** The index of the rule's match in the input; null for a word. */
  match: number | null;
  row: readonly number[];
  /** Whether it is a stopword alone, found out only when it would be a reason. */
  stopword?: boolean;
}

/**
 * Each rule that fired and each distinct word once, with its weights (if the model knows it). A row
 * already counted is found by a scan of the few so far: a Set per entry cost more than it saved.
 */
function contributions(model: SuggestionModel, input: ModelInput): Contribution[] {
  const out: Contribution[] = [];
  const counted = (row: readonly number[]) => {
    for (const part of out) if (part.row === row) return true;
    return false;
  };
  for (let match = 0; match < input.matches.length; match++) {
    const m = input.matches[match] as ModelInput['matches'][number];
    const row = model.rules.get(m.ruleId);
    if (row && !counted(row)) out.push({ start: m.start, end: m.end, match, row });
  }
  const { words } = input;
  const end = modelWordsEnd(words);
  for (let i = 0; i < end; i++) {
    if (words.numbers[i] === 1) continue;
    const row = model.words.get(words.keys[i] as string);
    if (row && !counted(row))
      out.push({ start: words.starts[i] as number, end: words.ends[i] as number, match: null, row });
  }
  return out;
}

const indexOf = (label: string) => LABEL_INDEX.get(label) as number;
const AXIS_AT = AXIS_IDS.map(indexOf);
const FIRST_AT = AXIS_IDS.map((axis) => indexOf(firstLabel(axis)));
const SHIFT_AT = SHIFT_IDS.map(indexOf);
const NOTHING_AT = indexOf(NOTHING);

/** Which of the labels at `at` (indices into the scores) is likeliest, the first of equals, skipping `skip`. */
function likeliest(p: Float64Array, at: readonly number[], skip = -1): number {
  let best = -1;
  for (let k = 0; k < at.length; k++) {
    if (k !== skip && (best < 0 || (p[at[k] as number] as number) > (p[at[best] as number] as number)))
      best = k;
  }
  return best;
}

/** Suggested axes and shift from the model's scores, with the words behind each. */
export function suggestWithModel(model: SuggestionModel, input: ModelInput): ModelSuggestion {
  const parts = contributions(model, input);
  // One score per label, then its probability; typed arrays, so scoring boxes no number.
  const p = Float64Array.from(model.bias);
  const add = (row: readonly number[] | undefined) => {
    if (row) for (let i = 0; i < p.length; i++) p[i] = (p[i] as number) + (row[i] ?? 0);
  };
  for (const part of parts) add(part.row);
  for (const axis of input.picked.axes) add(model.picked.get(axis));
  if (input.picked.shift) add(model.picked.get(input.picked.shift));
  for (let i = 0; i < p.length; i++) p[i] = sigmoid(p[i] as number);

  const t = model.thresholds;
  const chosen: AxisId[] = [];
  const floor = input.picked.axes.length > 0 ? t.axis : Math.max(t.axis, t.withoutRules);
  const bestFair = likeliest(p, AXIS_AT);
  const best = p[AXIS_AT[bestFair] as number] as number;
  const nothing = p[NOTHING_AT] as number;
  // An entry likely to hold nothing to tag gets no suggestion at all, however likely an axis.
  const something = nothing < t.nothing;
  if (something && best >= floor) {
    // The lead axis is the one likeliest to be picked first; a second, the likeliest fair one after it.
    const first = likeliest(p, FIRST_AT);
    chosen.push(AXIS_IDS[first] as AxisId);
    const next = likeliest(p, AXIS_AT, first);
    if ((p[AXIS_AT[next] as number] as number) >= t.secondAxis) chosen.push(AXIS_IDS[next] as AxisId);
  }
  let shift: ShiftId | null = null;
  const topIndex = likeliest(p, SHIFT_AT);
  const top = SHIFT_IDS[topIndex] as ShiftId;
  const topP = p[SHIFT_AT[topIndex] as number] as number;
  // Beside an axis; or alone, when the rules named that shift too and it is likelier than nothing to tag.
  const alone = input.picked.shift === top && (something || topP > nothing);
  if (topP >= t.shift && (chosen.length > 0 || alone)) shift = top;
  const axes = AXIS_IDS.filter((a) => chosen.includes(a));
  const reasons = shownBySpan(heaviestParts(parts, shift ? [...axes, shift] : axes, input), input);
  return { axes, shift, reasons };
}

/**
 * For each tag, the REASONS_PER_TAG parts that weighed most toward it (never one that weighed
 * against): part → its tags.
 */
function heaviestParts(
  parts: readonly Contribution[],
  tags: readonly ModelLabel[],
  input: ModelInput,
): Map<Contribution, ModelLabel[]> {
  const byPart = new Map<Contribution, ModelLabel[]>();
  // Stopwords never explain a tag on their own; looked up only for a word heavy enough to be a reason.
  const isStopword = (part: Contribution) => {
    if (part.match !== null) return false;
    part.stopword ??= STOPWORDS.has(input.source.slice(part.start, part.end).toLowerCase());
    return part.stopword;
  };
  for (const tag of tags) {
    // Toward an axis: as a fair tag and as the one picked first.
    const i = LABEL_INDEX.get(tag) as number;
    const j = isAxis(tag) ? (LABEL_INDEX.get(firstLabel(tag)) as number) : -1;
    // The heaviest, kept in order by insertion (no sort of every word); of equal weights, the one
    // found first stays first.
    const top: { part: Contribution; weight: number }[] = [];
    for (const part of parts) {
      const weight = (part.row[i] ?? 0) + (j < 0 ? 0 : (part.row[j] ?? 0));
      if (weight <= 0 || (top.length === REASONS_PER_TAG && weight <= (top.at(-1)?.weight ?? 0))) continue;
      if (isStopword(part)) continue;
      const entry = { part, weight };
      let at = top.length;
      for (; at > 0 && (top[at - 1] as typeof entry).weight < weight; at--)
        top[at] = top[at - 1] as typeof entry;
      top[at] = entry;
      if (top.length > REASONS_PER_TAG) top.pop();
    }
    for (const { part } of top) byPart.set(part, [...(byPart.get(part) ?? []), tag]);
  }
  return byPart;
}

type Holder = Pick<Contribution, 'start' | 'end' | 'match'>;
type Span = { start: number; end: number };
const spanLength = (h: Span) => h.end - h.start;

/**
 * Words inside a longer reason or a rule's phrase say nothing more on their own ("risk" in "risk
 * register", "Mapped" in "Mapped cross-team dependencies"): each reason is shown through the longest
 * chosen reason that holds it, else the longest rule phrase that does (the first of equals), and the
 * tags of one span are merged. A word with the very span of a rule's match is shown as that match.
 */
function shownBySpan(
  byPart: ReadonlyMap<Contribution, readonly ModelLabel[]>,
  input: ModelInput,
): ModelReason[] {
  // Whether the span (a rule's match or not) holds the part.
  const holds = (outer: Span, rule: boolean, part: Contribution) =>
    outer.start <= part.start &&
    part.end <= outer.end &&
    (spanLength(outer) > spanLength(part) ||
      (rule && part.match === null && spanLength(outer) === spanLength(part)));
  const longer = (candidate: Span, best: Span | undefined) =>
    best === undefined || spanLength(candidate) > spanLength(best);
  const kept = new Map<string, Holder & { tags: Set<ModelLabel> }>();
  for (const [part, partTags] of byPart) {
    let outer: Holder | undefined;
    for (const o of byPart.keys())
      if (o !== part && longer(o, outer) && holds(o, o.match !== null, part)) outer = o;
    if (outer === undefined) {
      let phrase = -1;
      for (let k = 0; k < input.matches.length; k++) {
        const m = input.matches[k] as Span;
        if (longer(m, input.matches[phrase]) && holds(m, true, part)) phrase = k;
      }
      const m = input.matches[phrase];
      if (m) outer = { start: m.start, end: m.end, match: phrase };
    }
    const { start, end, match } = outer ?? part;
    const key = `${start}:${end}`;
    const entry = kept.get(key) ?? { start, end, match, tags: new Set<ModelLabel>() };
    for (const tag of partTags) entry.tags.add(tag);
    kept.set(key, entry);
  }
  return [...kept.values()]
    .sort((a, b) => a.start - b.start)
    .map((h) => ({ text: input.source.slice(h.start, h.end), match: h.match, tags: [...h.tags] }));
}
