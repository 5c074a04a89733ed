/**
 * Hashtags in evidence text: `/ladder log Ran the cross-team launch review #process #multi-team`.
 *
 * Rules (issue 4):
 * - a trailing run of hashtags that holds at least one known tag is the tag list: its known tags
 *   are removed from the stored text (unknown ones in it stay, as written);
 * - a known tag inside the sentence keeps its word and loses only the `#` ("helped the #team" →
 *   "helped the team");
 * - unknown hashtags stay exactly as written and are reported in `unknownTags`.
 * Matching ignores case, `-` and `_`; the canonical tag of an id is the id itself.
 *
 * `renderEvidenceText` puts the tags back as a trailing run, so that
 * `parseEvidenceText(renderEvidenceText(p), table)` gives `p` again.
 */
import { AXIS_IDS, type AxisId, type ScopeId, type ShiftId } from './types.ts';

export type TagTarget =
  | { kind: 'axis'; id: AxisId }
  | { kind: 'shift'; id: ShiftId }
  | { kind: 'scope'; id: ScopeId };

export interface TagDefinition {
  /** Canonical spelling without `#`: the id. */
  tag: string;
  target: TagTarget;
  /** Extra spellings, without `#`. */
  aliases: readonly string[];
}

export interface TagTable {
  definitions: readonly TagDefinition[];
  /** Normalised spelling → definition. */
  lookup: ReadonlyMap<string, TagDefinition>;
}

export interface ParsedEvidence {
  /** The text to store. */
  text: string;
  /** In the framework's order, without duplicates. */
  axes: AxisId[];
  /** The first shift tag, if any (an entry has at most one). */
  shift: ShiftId | null;
  /** The first scope tag, if any (an entry has at most one). */
  scope: ScopeId | null;
  /** Hashtags not in the table, as written, first occurrence only. */
  unknownTags: string[];
}

/** How tags compare: case-insensitive, ignoring `-` and `_` (#multi-team = #MultiTeam). */
export function normaliseTag(tag: string): string {
  return tag.normalize('NFKC').toLowerCase().replace(/[-_]/g, '');
}

/** Builds the lookup; a spelling used twice keeps its first definition (validation reports it). */
export function createTagTable(definitions: readonly TagDefinition[]): TagTable {
  const lookup = new Map<string, TagDefinition>();
  for (const definition of definitions) {
    for (const spelling of [definition.tag, ...definition.aliases]) {
      const key = normaliseTag(spelling);
      if (!lookup.has(key)) lookup.set(key, definition);
    }
  }
  return { definitions, lookup };
}

export function lookupTag(table: TagTable, tag: string): TagDefinition | undefined {
  return table.lookup.get(normaliseTag(tag.startsWith('#') ? tag.slice(1) : tag));
}

const TAG_BODY = String.raw`\p{L}[\p{L}\p{M}\p{N}_]*(?:-[\p{L}\p{M}\p{N}_]+)*`;
/**
 * A hashtag starts the text or follows whitespace or an opening bracket or quote, so URL fragments
 * (`page#people`), HTML entities (`&#39;`) and Slack channel links (`<#C123|x>`) are not tags.
 */
const TAG_IN_TEXT = new RegExp(String.raw`(?<![^\s(\[{"'\u201c\u2018])#(${TAG_BODY})`, 'gu');
const WHOLE_TAG = new RegExp(`^#(${TAG_BODY})$`, 'u');

interface Token {
  value: string;
  start: number;
  end: number;
}

function tokens(text: string): Token[] {
  const out: Token[] = [];
  for (const match of text.matchAll(/\S+/gu)) {
    out.push({ value: match[0], start: match.index, end: match.index + match[0].length });
  }
  return out;
}

export function parseEvidenceText(text: string, table: TagTable): ParsedEvidence {
  const source = typeof text === 'string' ? text : '';
  const found: TagDefinition[] = [];
  const unknown: string[] = [];

  // The trailing run: the longest suffix of whitespace-separated tokens that are whole hashtags.
  const all = tokens(source);
  let runStart = all.length;
  while (runStart > 0 && WHOLE_TAG.test(all[runStart - 1]?.value ?? '')) runStart -= 1;
  const run = all.slice(runStart);
  const runHasKnown = run.some((token) => lookupTag(table, token.value) !== undefined);

  // The text before the run, without the whitespace that separates it from the run.
  const prefixEnd = runHasKnown ? (all[runStart - 1]?.end ?? 0) : source.length;
  let result = source.slice(0, prefixEnd).replace(TAG_IN_TEXT, (whole: string, name: string) => {
    const definition = lookupTag(table, name);
    if (definition) {
      found.push(definition);
      return name;
    }
    unknown.push(whole);
    return whole;
  });

  if (runHasKnown) {
    // Unknown tags of the run stay, each with the whitespace written before it; the first one kept
    // takes the whitespace that stood before the run, so removing tags leaves no double gaps.
    let previousEnd = prefixEnd;
    let keptAny = false;
    for (const token of run) {
      const definition = lookupTag(table, token.value);
      if (definition) {
        found.push(definition);
      } else {
        unknown.push(token.value);
        const gap = keptAny ? source.slice(previousEnd, token.start) : source.slice(prefixEnd, run[0]?.start);
        result += gap + token.value;
        keptAny = true;
      }
      previousEnd = token.end;
    }
  }

  const axes = new Set<AxisId>();
  let shift: ShiftId | null = null;
  let scope: ScopeId | null = null;
  for (const { target } of found) {
    if (target.kind === 'axis') axes.add(target.id);
    else if (target.kind === 'shift') shift ??= target.id;
    else scope ??= target.id;
  }
  return {
    text: result.trim(),
    axes: AXIS_IDS.filter((id) => axes.has(id)),
    shift,
    scope,
    unknownTags: [...new Set(unknown)],
  };
}

/** The canonical tags of a parsed entry, with `#`, in the order the renderer writes them. */
export function evidenceTags(parsed: Pick<ParsedEvidence, 'axes' | 'shift' | 'scope'>): string[] {
  const tags: string[] = parsed.axes.map((axis) => `#${axis}`);
  if (parsed.shift) tags.push(`#${parsed.shift}`);
  if (parsed.scope) tags.push(`#${parsed.scope}`);
  return tags;
}

/** The text with its tags as a trailing run, e.g. for editing an entry as one line of text. */
export function renderEvidenceText(
  parsed: Pick<ParsedEvidence, 'text' | 'axes' | 'shift' | 'scope'>,
): string {
  const tags = evidenceTags(parsed).join(' ');
  if (tags === '') return parsed.text;
  return parsed.text === '' ? tags : `${parsed.text} ${tags}`;
}
