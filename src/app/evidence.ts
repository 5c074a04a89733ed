import type { AppContext } from '../context.ts';
import type { NewEvidence } from '../db/evidence-repository.ts';
import { checkEvidenceText, isLocalDate, localDate, normaliseLink } from '../domain/evidence.ts';
import { slackTextToReadable } from '../domain/slack-text.ts';
import { type SuggestionReasons, suggestionReasons, suggestTags } from '../domain/suggest.ts';
import { parseEvidenceText } from '../domain/tags.ts';
import {
  AXIS_IDS,
  type AxisId,
  type EvidenceEntry,
  type EvidenceSource,
  type Owner,
  SCOPE_IDS,
  type ScopeId,
  SHIFT_IDS,
  type ShiftId,
} from '../domain/types.ts';

/**
 * After a commit that deleted or replaced a person's words: waits until they are gone from the
 * database file and its write-ahead log too (see db/erasure.ts) before the person is told.
 */
export async function eraseLeftovers(ctx: AppContext): Promise<void> {
  if (!(await ctx.repos.erasure.scrub())) {
    ctx.logger.warn('deleted data is still in the write-ahead log: a reader blocks its truncation; retrying');
  }
}

export type SaveResult =
  | {
      ok: true;
      entry: EvidenceEntry;
      duplicate: boolean;
      unknownTags: string[];
      suggested: SuggestedTags | null;
    }
  | { ok: false; reason: 'empty' }
  | { ok: false; reason: 'too-long'; length: number; limit: number };

/** What keyword rules added to an entry the user did not tag, for the confirmation to show. */
export interface SuggestedTags {
  axes: AxisId[];
  /**
   * A scope that came from a rule, not from the user. It is never stored as the entry's scope: the
   * confirmation offers it, and Accept applies it (recomputed from the text, see
   * `acceptedSuggestions`), so everything stored, listed or exported is the user's own.
   */
  scope: ScopeId | null;
  /**
   * A mindset shift the rules suggest when the entry has none. Like the scope it is never stored:
   * the confirmation offers it, and Accept applies it (recomputed from the text).
   */
  shift: ShiftId | null;
  /** Which of the user's words led to which suggested tag. */
  reasons: SuggestionReasons;
}

export interface EvidenceInput {
  /**
   * As typed or as Slack sent it (mentions, links and channels as `<…>` tokens): hashtags are read
   * from it (explicit selects are merged in), then it is made readable (domain/slack-text.ts).
   */
  text: string;
  /** The Slack text to keep as the entry's original when it is not `text` (a saved message). */
  originalText?: string;
  /** People's names looked up in Slack, for mentions without a label. */
  names?: ReadonlyMap<string, string>;
  /** False when a lookup failed for a passing reason: the conversion job names them later. */
  namesComplete?: boolean;
  /** The text still has Slack's `&lt;` escapes (a message event's text). */
  decodeEntities?: boolean;
  source: EvidenceSource;
  tz: string | null;
  occurredOn?: string;
  axes?: readonly AxisId[];
  shift?: ShiftId | null;
  scope?: ScopeId | null;
  link?: string | null;
  promptId?: string | null;
  nudgeWeek?: string | null;
  channelId?: string | null;
  messageTs?: string | null;
  /**
   * Suggest axes (and a scope) from ladder-data's keyword rules when the user gave none. Default
   * true; false when the user has just reviewed the tags (an edit), so a cleared field stays clear.
   */
  suggest?: boolean;
}

/** Keeps only known ids, in the framework's order, without duplicates (values from Slack are untrusted). */
export function cleanAxes(values: readonly unknown[]): AxisId[] {
  return AXIS_IDS.filter((id) => values.includes(id));
}
export function cleanShift(v: unknown): ShiftId | null {
  return (SHIFT_IDS as readonly unknown[]).includes(v) ? (v as ShiftId) : null;
}
export function cleanScope(v: unknown): ScopeId | null {
  return (SCOPE_IDS as readonly unknown[]).includes(v) ? (v as ScopeId) : null;
}

/**
 * Tags the text (hashtags and explicit selects first, keyword suggestions for what is left empty)
 * and validates it, ready for one INSERT.
 */
export function prepareEvidence(
  ctx: AppContext,
  input: EvidenceInput,
):
  | {
      ok: true;
      entry: NewEvidence;
      unknownTags: string[];
      suggested: SuggestedTags | null;
    }
  | Extract<SaveResult, { ok: false }> {
  const parsed = parseEvidenceText(input.text, ctx.ladder.tags);
  const readable = slackTextToReadable(parsed.text, {
    ...(input.names ? { names: input.names } : {}),
    decodeEntities: input.decodeEntities ?? false,
  });
  const checked = checkEvidenceText(readable.text);
  if (!checked.ok) return checked;
  const axes = cleanAxes([...(input.axes ?? []), ...parsed.axes]);
  const scope = input.scope ?? parsed.scope;
  const shift = input.shift ?? parsed.shift;
  // Explicit tags win: keyword rules speak only when the user gave no axis at all.
  const suggestion =
    input.suggest === false || axes.length > 0 ? null : suggestTags(checked.text, ctx.ladder.suggestionRules);
  const suggestedScope = scope === null ? (suggestion?.scope ?? null) : null;
  const suggestedShift = shift === null ? (suggestion?.shift ?? null) : null;
  return {
    ok: true,
    unknownTags: parsed.unknownTags,
    suggested:
      suggestion && (suggestion.axes.length > 0 || suggestedScope !== null || suggestedShift !== null)
        ? {
            axes: suggestion.axes,
            scope: suggestedScope,
            shift: suggestedShift,
            reasons: suggestionReasons(suggestion),
          }
        : null,
    entry: {
      text: checked.text,
      // Tags that became tags leave the original too, so the readable text is always made from it.
      originalText:
        input.originalText === undefined
          ? parsed.text.trim()
          : parseEvidenceText(input.originalText, ctx.ladder.tags).text.trim(),
      readable: input.namesComplete !== false || readable.unresolved.length === 0,
      occurredOn: input.occurredOn ?? localDate(ctx.now(), input.tz),
      axes,
      suggestedAxes: suggestion?.axes ?? [],
      shift,
      scope: scope ?? null,
      link: input.link ?? null,
      source: input.source,
      promptId: input.promptId ?? null,
      nudgeWeek: input.nudgeWeek ?? null,
      channelId: input.channelId ?? null,
      messageTs: input.messageTs ?? null,
    },
  };
}

/**
 * Prepares and stores an entry in one transaction with its delivery key. Returns after the commit:
 * what it returns may be confirmed.
 */
export async function saveEvidence(
  ctx: AppContext,
  owner: Owner,
  input: EvidenceInput,
  deliveryKey?: string,
): Promise<SaveResult> {
  const prepared = prepareEvidence(ctx, input);
  if (!prepared.ok) return prepared;
  const { entry, duplicate } = await ctx.repos.evidence.insert(owner, prepared.entry, ctx.now(), deliveryKey);
  return {
    ok: true,
    entry,
    duplicate,
    unknownTags: prepared.unknownTags,
    suggested: prepared.suggested,
  };
}

/**
 * What Accept turns into the user's own tags: the stored suggested axes, and the scope and the
 * shift the rules suggest for the entry's text where the entry has none (the same pure function as
 * at logging). The shift only where it was shown (`withShift`): the Home lists suggested axes only.
 */
export function acceptedSuggestions(
  ctx: AppContext,
  entry: Pick<EvidenceEntry, 'text' | 'axes' | 'suggestedAxes' | 'scope' | 'shift'>,
  options: { withShift: boolean } = { withShift: true },
): { axes: AxisId[]; suggestedAxes: AxisId[]; scope?: ScopeId; shift?: ShiftId } {
  const suggestion = suggestTags(entry.text, ctx.ladder.suggestionRules);
  const scope = entry.scope === null ? suggestion.scope : null;
  const shift = entry.shift === null && options.withShift ? suggestion.shift : null;
  return {
    axes: cleanAxes([...entry.axes, ...entry.suggestedAxes]),
    suggestedAxes: [],
    ...(scope ? { scope } : {}),
    ...(shift ? { shift } : {}),
  };
}

/** The shift the rules suggest for an entry that has none (shown preselected by Change tags). */
export function suggestedShiftFor(
  ctx: AppContext,
  entry: Pick<EvidenceEntry, 'text' | 'shift'>,
): ShiftId | null {
  return entry.shift === null ? suggestTags(entry.text, ctx.ladder.suggestionRules).shift : null;
}

/** What the evidence modal submitted, read defensively (every value is untrusted). */
export interface EvidenceForm {
  text: string;
  date: string | null;
  axes: AxisId[];
  shift: ShiftId | null;
  scope: ScopeId | null;
  link: string | null;
}

/** What is wrong with a submitted form, per field; the builder words it. */
export interface EvidenceFormProblems {
  link?: 'invalid';
  date?: 'missing' | 'future';
  text?: Extract<SaveResult, { ok: false }>;
}

export type PreparedEvidence = Extract<ReturnType<typeof prepareEvidence>, { ok: true }>;

/**
 * Checks a submitted evidence form against the person's today and prepares the entry. An edit is
 * the user reviewing the tags: what they leave empty stays empty (no suggestions).
 */
export function checkEvidenceForm(
  ctx: AppContext,
  form: EvidenceForm,
  opts: {
    tz: string | null;
    editing: boolean;
    source: EvidenceSource;
    /** Save as evidence: the message, whose Slack text is kept as the original, and where it was. */
    fromMessage?: { text: string; channelId: string; ts: string } | null;
  },
): { ok: true; prepared: PreparedEvidence } | { ok: false; problems: EvidenceFormProblems } {
  const today = localDate(ctx.now(), opts.tz);
  const problems: EvidenceFormProblems = {};
  const link = normaliseLink(form.link);
  if (link === 'invalid') problems.link = 'invalid';
  if (!form.date || !isLocalDate(form.date)) problems.date = 'missing';
  else if (form.date > today) problems.date = 'future';
  const prepared = prepareEvidence(ctx, {
    suggest: !opts.editing,
    text: form.text,
    source: opts.source,
    tz: opts.tz,
    occurredOn: form.date ?? today,
    axes: form.axes,
    shift: form.shift,
    scope: form.scope,
    link: link === 'invalid' ? null : link,
    ...(opts.fromMessage
      ? {
          originalText: opts.fromMessage.text,
          channelId: opts.fromMessage.channelId,
          messageTs: opts.fromMessage.ts,
        }
      : {}),
  });
  if (!prepared.ok) problems.text = prepared;
  if (Object.keys(problems).length > 0 || !prepared.ok) return { ok: false, problems };
  return { ok: true, prepared };
}

/**
 * Stores a checked form: a new entry (a retried submission finds its delivery key and stores
 * nothing twice), or the edit of `editId`. Returns after the commit; undefined when the entry to
 * edit is gone.
 */
export async function saveEvidenceForm(
  ctx: AppContext,
  owner: Owner,
  prepared: PreparedEvidence,
  opts: { editId: number | null; deliveryKey: string },
): Promise<EvidenceEntry | undefined> {
  const e = prepared.entry;
  if (opts.editId === null)
    return (await ctx.repos.evidence.insert(owner, e, ctx.now(), opts.deliveryKey)).entry;
  // The original Slack text is kept while the words stay; new words are their own original.
  const textChanged = (await ctx.repos.evidence.get(owner, opts.editId))?.text !== e.text;
  return await ctx.repos.evidence.update(
    owner,
    opts.editId,
    // The modal showed the suggestions preselected: what was saved is the user's choice.
    {
      text: e.text,
      ...(textChanged ? { originalText: e.originalText ?? e.text } : {}),
      occurredOn: e.occurredOn,
      axes: e.axes,
      suggestedAxes: [],
      shift: e.shift,
      scope: e.scope,
      link: e.link,
    },
    ctx.now(),
  );
}
