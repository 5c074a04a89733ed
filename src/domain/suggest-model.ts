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
  /** The best shift: beside a suggested axis, or alone where the rules named it too. */
  shift: number;
  /** When no rule picked an axis, the best axis needs this much (no stray word alone makes a tag). */
  withoutRules: number;
  /** An entry this likely to hold nothing to tag, and likelier than any axis, gets no suggestion. */
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
  words: readonly Spot<{ key: string; number: boolean }>[];
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

/** The words the model reads: the first MODEL_WORDS of the entry, numbers left out. */
function modelWords(input: ModelInput): ModelInput['words'] {
  const words: ModelInput['words'][number][] = [];
  for (const w of input.words) {
    if (words.length === MODEL_WORDS) break;
    if (!w.number) words.push(w);
  }
  return words;
}

/** The feature names present in an entry (each counts once): what training and scoring share. */
export function featureNames(input: ModelInput): Set<string> {
  const names = new Set<string>([FEATURE.bias]);
  for (const m of input.matches) names.add(FEATURE.rule(m.ruleId));
  for (const w of modelWords(input)) names.add(FEATURE.word(w.key));
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
  spot: Spot<unknown>;
  /** The index of the rule's match in the input; null for a word. */
  match: number | null;
  row: readonly number[];
  /** Whether it is a stopword alone, found out only when it would be a reason. */
  stopword?: boolean;
}

/** Each rule that fired and each distinct word once, with its weights (if the model knows it). */
function contributions(model: SuggestionModel, input: ModelInput): Contribution[] {
  const out: Contribution[] = [];
  const rulesSeen = new Set<string>();
  input.matches.forEach((m, match) => {
    const row = model.rules.get(m.ruleId);
    if (!row || rulesSeen.has(m.ruleId)) return;
    rulesSeen.add(m.ruleId);
    out.push({ spot: m, match, row });
  });
  const wordsSeen = new Set<string>();
  for (const w of modelWords(input)) {
    const row = model.words.get(w.key);
    if (!row || wordsSeen.has(w.key)) continue;
    wordsSeen.add(w.key);
    out.push({ spot: w, match: null, row });
  }
  return out;
}

/** Suggested axes and shift from the model's scores, with the words behind each. */
export function suggestWithModel(model: SuggestionModel, input: ModelInput): ModelSuggestion {
  const parts = contributions(model, input);
  const z = [...model.bias];
  const add = (row: readonly number[] | undefined) => {
    if (row) for (let i = 0; i < z.length; i++) z[i] = (z[i] as number) + (row[i] ?? 0);
  };
  for (const part of parts) add(part.row);
  for (const axis of input.picked.axes) add(model.picked.get(axis));
  if (input.picked.shift) add(model.picked.get(input.picked.shift));

  const t = model.thresholds;
  const p = (label: string) => sigmoid(z[LABEL_INDEX.get(label) as number] as number);
  const fair = AXIS_IDS.map((axis) => ({ axis, p: p(axis) })).sort((a, b) => b.p - a.p);
  const chosen: AxisId[] = [];
  const floor = input.picked.axes.length > 0 ? t.axis : Math.max(t.axis, t.withoutRules);
  const best = fair[0]?.p ?? 0;
  // "Nothing to tag" wins only when it is likely and likelier than the best axis.
  const nothing = p(NOTHING);
  if (best >= floor && (nothing < t.nothing || nothing < best)) {
    const first = AXIS_IDS.map((axis) => ({ axis, p: p(firstLabel(axis)) })).sort((a, b) => b.p - a.p)[0] as {
      axis: AxisId;
    };
    chosen.push(first.axis);
    const next = fair.find((f) => f.axis !== first.axis);
    if (next && next.p >= t.secondAxis) chosen.push(next.axis);
  }
  let shift: ShiftId | null = null;
  const top = SHIFT_IDS.map((s) => ({ s, p: p(s) })).sort((a, b) => b.p - a.p)[0];
  // Beside an axis; or alone, when the rules named that shift too and nothing to tag is not likelier.
  const alone = input.picked.shift === top?.s && (nothing < t.nothing || nothing < (top?.p ?? 0));
  if (top && top.p >= t.shift && (chosen.length > 0 || alone)) shift = top.s;
  const axes = AXIS_IDS.filter((a) => chosen.includes(a));
  return { axes, shift, reasons: reasonsFor(parts, shift ? [...axes, shift] : axes, input) };
}

/** For each suggested tag, the words that weighed most toward it (never one that weighed against). */
function reasonsFor(
  parts: readonly Contribution[],
  tags: readonly ModelLabel[],
  input: ModelInput,
): ModelReason[] {
  const byPart = new Map<Contribution, ModelLabel[]>();
  const text = (part: Contribution) => input.source.slice(part.spot.start, part.spot.end);
  // Stopwords never explain a tag on their own; looked up only for a word heavy enough to be a reason.
  const isStopword = (part: Contribution) => {
    if (part.match !== null) return false;
    part.stopword ??= STOPWORDS.has(text(part).toLowerCase());
    return part.stopword;
  };
  for (const tag of tags) {
    // Toward an axis: as a fair tag and as the one picked first.
    const i = LABEL_INDEX.get(tag) as number;
    const j = isAxis(tag) ? (LABEL_INDEX.get(firstLabel(tag)) as number) : -1;
    // The REASONS_PER_TAG heaviest, kept in order by insertion (no sort of every word).
    const top: { part: Contribution; weight: number }[] = [];
    for (const part of parts) {
      const weight = (part.row[i] ?? 0) + (j < 0 ? 0 : (part.row[j] ?? 0));
      if (weight <= 0 || (top.length === REASONS_PER_TAG && weight <= (top.at(-1)?.weight ?? 0))) continue;
      if (isStopword(part)) continue;
      const at = top.findIndex((t) => t.weight < weight);
      top.splice(at < 0 ? top.length : at, 0, { part, weight });
      if (top.length > REASONS_PER_TAG) top.pop();
    }
    for (const { part } of top) byPart.set(part, [...(byPart.get(part) ?? []), tag]);
  }
  // Words inside a longer reason or a rule's phrase say nothing more on their own ("risk" in "risk
  // register", "Mapped" in "Mapped cross-team dependencies"): each reason is shown through the
  // longest chosen reason that holds it, else the longest rule phrase that does, and the tags of
  // one span are merged. A word with the very span of a rule's match is shown as that match.
  type Holder = Pick<Contribution, 'spot' | 'match'>;
  const length = (h: Holder) => h.spot.end - h.spot.start;
  const holds = (outer: Holder, part: Contribution) =>
    outer !== part &&
    outer.spot.start <= part.spot.start &&
    part.spot.end <= outer.spot.end &&
    (length(outer) > length(part) ||
      (outer.match !== null && part.match === null && length(outer) === length(part)));
  const longest = (holders: readonly Holder[]) =>
    holders.reduce<Holder | undefined>(
      (a, b) => (a === undefined || length(b) > length(a) ? b : a),
      undefined,
    );
  const phrases: Holder[] = input.matches.map((spot, match) => ({ spot, match }));
  const chosen = [...byPart.keys()];
  const kept = new Map<string, Holder & { tags: Set<ModelLabel> }>();
  for (const [part, partTags] of byPart) {
    const outer =
      longest(chosen.filter((o) => holds(o, part))) ?? longest(phrases.filter((o) => holds(o, part))) ?? part;
    const key = `${outer.spot.start}:${outer.spot.end}`;
    const entry = kept.get(key) ?? { spot: outer.spot, match: outer.match, tags: new Set<ModelLabel>() };
    for (const tag of partTags) entry.tags.add(tag);
    kept.set(key, entry);
  }
  return [...kept.values()]
    .sort((a, b) => a.spot.start - b.spot.start)
    .map((h) => ({ text: input.source.slice(h.spot.start, h.spot.end), match: h.match, tags: [...h.tags] }));
}
