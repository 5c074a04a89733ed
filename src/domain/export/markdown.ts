/**
 * The Markdown review packet: what a manager or a promotion committee reads.
 *
 * Organised by what the target level expects: an at-a-glance table, one section per axis,
 * reflections by mindset shift, the entries with no axis or shift, and the target's competencies.
 * Every line is ladder data or the user's own entry. User text is escaped so that nothing typed can
 * become a heading, a quote, a list, a table, a link, HTML or code.
 */
import type { AxisId, EvidenceEntry, ScopeId, ShiftId } from '../types.ts';
import {
  entryHasAxis,
  isSuggestedOnly,
  type PacketInput,
  type PacketLevel,
  type PacketStep,
  packetLevelName,
  sortEntries,
} from './packet.ts';

// Characters escaped wherever they appear. `_` is handled separately (only where it could emphasise).
const INLINE_SPECIALS = /[\\`*[\]<|~$]/g;
// `_` between two letters or digits can neither open nor close emphasis, so `snake_case` stays as is.
const EMPHASIS_UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
// Only an `&` that would start an entity (`&amp;`, `&#38;`) changes the text; `R&D` is left alone.
const ENTITY_AMPERSAND = /&(?=#?[A-Za-z0-9]+;)/g;
// C0 controls other than tab/newlines, DEL, and C1 controls: invisible, and some break renderers.
const CONTROL_CHARS = /[^\P{Cc}\t\n\r]/gu;
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/;

/**
 * Escapes one line of text for use inside a paragraph, list item, table cell or heading.
 * Newlines are turned into spaces; use {@link escapeMarkdownBlock} to keep them.
 */
export function escapeMarkdownInline(text: string, options: { heading?: boolean } = {}): string {
  return text
    .split(LINE_BREAKS)
    .map((line) => escapeLine(line, { heading: options.heading === true, lineStart: false }))
    .filter((line) => line !== '')
    .join(' ');
}

/**
 * Escapes multi-line text into lines that are each safe at the start of a (continuation) line,
 * except the first, which is meant to follow other text on its line (e.g. a list item's date).
 * Runs of blank lines collapse to one empty string; leading and trailing blank lines are dropped.
 */
export function escapeMarkdownBlock(text: string): string[] {
  const lines: string[] = [];
  for (const raw of text.split(LINE_BREAKS)) {
    const line = escapeLine(raw, { heading: false, lineStart: lines.length > 0 });
    if (line === '' && (lines.length === 0 || lines[lines.length - 1] === '')) continue;
    lines.push(line);
  }
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

// A web address in user text becomes an explicit autolink `<…>`, whose content every CommonMark
// renderer shows literally: backslash escapes inside a bare URL would show in GFM renderers that
// autolink the raw text. Trailing punctuation stays outside, as GFM does; `|` (tables), `"` and a
// backtick (never raw in a URL) end it.
const URL_IN_TEXT = /https?:\/\/[^\s<>|"`]*[^\s<>|"`.,:;!?')\]*_~]/gi;

function escapeLine(raw: string, where: { heading: boolean; lineStart: boolean }): string {
  // Leading whitespace would make an indented code block; trailing whitespace a hard break.
  const text = raw.replace(CONTROL_CHARS, '').replace(/\t/g, ' ').trim();
  let line = '';
  let from = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    line += escapeText(text.slice(from, match.index), where.heading);
    line += `<${match[0]}>`;
    from = match.index + match[0].length;
  }
  line += escapeText(text.slice(from), where.heading);
  if (!where.lineStart) return line;
  // Block markers only matter at the start of a line: heading, quote, list, setext underline, a
  // pipe-less table delimiter row (`:-`), and ordered-list markers (`1.` or `1)`).
  if (/^[#>+=:-]/.test(line)) line = `\\${line}`;
  return line.replace(/^(\d{1,9})([.)])/, '$1\\$2');
}

function escapeText(text: string, heading: boolean): string {
  const line = text
    .replace(INLINE_SPECIALS, '\\$&')
    .replace(EMPHASIS_UNDERSCORE, '\\_')
    .replace(ENTITY_AMPERSAND, '\\&')
    // `www.` starts a GFM autolink on the raw text; the escaped dot prevents it.
    .replace(/\b(www)\./gi, '$1\\.');
  // In a heading every `#` is escaped: a trailing run would be taken as the closing sequence.
  return heading ? line.replace(/#/g, '\\#') : line;
}

/** A table cell: inline-escaped (which escapes `|`), one line. */
function cell(text: string): string {
  return escapeMarkdownInline(text);
}

/**
 * An http(s) link as a Markdown link with an angle-bracket destination, or null when the value is
 * not a web address (then it is shown as text instead, so a `javascript:` value never becomes a link).
 */
export function markdownLink(url: string): string | null {
  const trimmed = url.trim();
  if (!/^https?:\/\/[^\s/]/i.test(trimmed)) return null;
  const destination = trimmed.replace(/[<>\\\s\p{Cc}]/gu, (c) =>
    c === '\\' ? '%5C' : encodeURIComponent(c),
  );
  const label = /^https?:\/\/([a-z0-9-]+\.)*slack\.com([/:?#]|$)/i.test(trimmed) ? 'Slack message' : 'link';
  return `[${label}](<${destination}>)`;
}

function stepText(step: PacketStep | null): string {
  return step === null ? '—' : `${step.name} (${step.number})`;
}

function levelText(level: PacketLevel): string {
  return packetLevelName(level);
}

interface Names {
  axis: Map<AxisId, string>;
  /** Position in the ladder's axis order, for listing an entry's axes consistently. */
  axisOrder: (axis: AxisId) => number;
  shift: Map<ShiftId, string>;
  scope: Map<ScopeId, string>;
}

function entryMeta(entry: EvidenceEntry, names: Names): string {
  const parts: string[] = [];
  const axes = [...new Set([...entry.axes, ...entry.suggestedAxes])]
    .sort((a, b) => names.axisOrder(a) - names.axisOrder(b))
    .map((a) => {
      const name = escapeMarkdownInline(names.axis.get(a) ?? a);
      return entry.axes.includes(a) ? name : `${name} (suggested)`;
    });
  if (axes.length > 0) parts.push(`Axes: ${axes.join(', ')}`);
  if (entry.shift !== null) {
    parts.push(`Shift: ${escapeMarkdownInline(names.shift.get(entry.shift) ?? entry.shift)}`);
  }
  if (entry.scope !== null) {
    parts.push(`Scope: ${escapeMarkdownInline(names.scope.get(entry.scope) ?? entry.scope)}`);
  }
  if (entry.link !== null && entry.link.trim() !== '') {
    parts.push(markdownLink(entry.link) ?? `Link: ${escapeMarkdownInline(entry.link)}`);
  }
  return parts.join(' · ');
}

/**
 * One entry as a list item: the date and the first line, the other lines as indented continuation
 * lines (hard breaks, so the user's line breaks survive), then a line with its tags and link.
 */
function renderEntryItem(entry: EvidenceEntry, names: Names): string {
  const lines = escapeMarkdownBlock(entry.text);
  const [first = '_(empty)_', ...rest] = lines;
  const meta = entryMeta(entry, names);
  const out = [`- **${entry.occurredOn}** — ${first}`];
  for (const line of rest) out.push(line === '' ? '' : `  ${line}`);
  if (meta !== '') out.push(`  ${meta}`);
  // Two trailing spaces make a hard line break; a blank line already separates paragraphs.
  return out
    .map((line, i) => (i < out.length - 1 && line !== '' && out[i + 1] !== '' ? `${line}  ` : line))
    .join('\n');
}

/** Renders the review packet. Pure and deterministic: the same input gives the same text. */
export function renderMarkdown(input: PacketInput): string {
  const entries = sortEntries(input.entries);
  const names = namesOf(input);
  const itemCache = new Map<EvidenceEntry, string>();
  const item: RenderItem = (entry) => {
    let text = itemCache.get(entry);
    if (text === undefined) {
      text = renderEntryItem(entry, names);
      itemCache.set(entry, text);
    }
    return text;
  };
  const perAxis = input.axes.map((axis) => {
    const onAxis = entries.filter((e) => entryHasAxis(e, axis.id));
    const suggested = onAxis.filter((e) => isSuggestedOnly(e, axis.id)).length;
    const months = new Set(onAxis.map((e) => e.occurredOn.slice(0, 7))).size;
    return { axis, onAxis, suggested, months };
  });
  const reflections = groupReflections(input, entries);
  return [
    ...titleSection(input, entries.length),
    ...glanceSection(input, perAxis),
    ...gapSection(input, perAxis),
    ...axesSection(input, perAxis, item),
    ...reflectionsSection(reflections, names, item),
    ...untaggedSection(entries, reflections.answered, item),
    ...appendixSection(input),
    '',
  ].join('\n');
}

type RenderItem = (entry: EvidenceEntry) => string;

/** One axis of the packet with its entries in the period, how many only suggested, and in how many months. */
interface AxisEntries {
  axis: PacketInput['axes'][number];
  onAxis: EvidenceEntry[];
  suggested: number;
  months: number;
}

function namesOf(input: PacketInput): Names {
  const axisIndex = new Map(input.axes.map((a, i) => [a.id, i]));
  const names: Names = {
    axis: new Map(input.axes.map((a) => [a.id, a.name])),
    axisOrder: (axis) => axisIndex.get(axis) ?? axisIndex.size,
    shift: new Map(input.shifts.map((s) => [s.id, s.name])),
    scope: new Map((input.scopes ?? []).map((s) => [s.id, s.name])),
  };
  for (const r of input.reflections) if (!names.shift.has(r.shift)) names.shift.set(r.shift, r.shiftName);
  return names;
}

/** Lines joined by hard breaks (two trailing spaces), so they stay one paragraph on separate lines. */
function hardBreaks(lines: readonly string[]): string {
  return lines.map((line, i) => (i < lines.length - 1 ? `${line}  ` : line)).join('\n');
}

/** Title and context: who, the levels, the period and how many entries. */
function titleSection(input: PacketInput, entryCount: number): string[] {
  const current =
    input.level === null ? 'Current level not set' : escapeMarkdownInline(levelText(input.level));
  const target = input.target === null ? 'target not set' : escapeMarkdownInline(levelText(input.target));
  const period = escapeMarkdownInline(input.period.label);
  const range =
    input.period.startDate === null
      ? `up to ${input.period.endDate}`
      : `${input.period.startDate} to ${input.period.endDate}`;
  const count = entryCount === 1 ? '1 entry' : `${entryCount} entries`;
  return [
    `# Review packet: ${escapeMarkdownInline(input.user.name, { heading: true })}`,
    '',
    `**${current} → ${target}**  `,
    `Period: ${period} (${range}) · ${count}  `,
    `Generated ${escapeMarkdownInline(input.generatedAt)} by Ladder.`,
    '',
  ];
}

/** At a glance: per axis, the current and target steps and how much evidence there is. */
function glanceSection(input: PacketInput, perAxis: readonly AxisEntries[]): string[] {
  const currentCode = input.level === null ? '' : ` (${cell(input.level.code)})`;
  const targetCode = input.target === null ? '' : ` (${cell(input.target.code)})`;
  const out = [
    '## At a glance',
    '',
    `| Axis | Current step${currentCode} | Target step${targetCode} | Entries | Months with entries |`,
    '| --- | --- | --- | ---: | ---: |',
  ];
  for (const { axis, onAxis, suggested, months } of perAxis) {
    const n = suggested > 0 ? `${onAxis.length} (${suggested} suggested)` : `${onAxis.length}`;
    out.push(
      `| ${cell(axis.name)} | ${cell(stepText(axis.currentStep))} | ${cell(stepText(axis.targetStep))} | ${n} | ${months} |`,
    );
  }
  out.push('');
  return out;
}

/** The gap: what the target expects beyond the current level, with advice and examples. */
function gapSection(input: PacketInput, perAxis: readonly AxisEntries[]): string[] {
  if (input.gaps === undefined || input.level === null || input.target === null) return [];
  const out = [
    `## Where to grow (${escapeMarkdownInline(input.level.code)} → ${escapeMarkdownInline(input.target.code)})`,
    '',
  ];
  if (input.gaps.length === 0) {
    out.push('_The target expects no higher step than the current level on any axis._', '');
  }
  for (const gap of input.gaps) {
    const entries = perAxis.find((a) => a.axis.id === gap.axis)?.onAxis.length ?? 0;
    const via = gap.via.length > 0 ? ` (via ${gap.via.join(', ')})` : '';
    out.push(
      `### ${escapeMarkdownInline(`${gap.axisName}: ${gap.from.name} → ${gap.to.name}${via}`, { heading: true })}`,
    );
    out.push('');
    const lines = [`${escapeMarkdownInline(gap.to.name)}: ${escapeMarkdownInline(gap.to.meaning)}`];
    lines.push(`Entries on this axis in the period: ${entries}`);
    if (gap.advice !== null) lines.push(`Next: ${escapeMarkdownInline(gap.advice)}`);
    out.push(hardBreaks(lines), '');
    if (gap.examples.length > 0) {
      out.push(`What counts at ${escapeMarkdownInline(gap.to.name)}, for example:`, '');
      for (const example of gap.examples) out.push(`- ${escapeMarkdownInline(example)}`);
      out.push('');
    }
  }
  return out;
}

/** One section per axis: what the levels expect there, then its entries. */
function axesSection(input: PacketInput, perAxis: readonly AxisEntries[], item: RenderItem): string[] {
  const out = ['## Evidence by axis', ''];
  for (const { axis, onAxis } of perAxis) {
    out.push(`### ${escapeMarkdownInline(axis.name, { heading: true })}`, '');
    const expectation: string[] = [];
    if (axis.targetStep !== null && input.target !== null) {
      expectation.push(
        `Target (${cell(input.target.code)}): **${cell(stepText(axis.targetStep))}**: ${escapeMarkdownInline(axis.targetStep.meaning)}`,
      );
    }
    if (axis.currentStep !== null && input.level !== null) {
      expectation.push(`Current (${cell(input.level.code)}): ${cell(stepText(axis.currentStep))}`);
    }
    if (expectation.length > 0) out.push(hardBreaks(expectation), '');
    if (onAxis.length === 0) out.push('_No entries on this axis in this period._');
    else for (const e of onAxis) out.push(item(e));
    out.push('');
  }
  return out;
}

interface ReflectionGroups {
  /** Ids of the entries that answer a reflection question. */
  answered: Set<number>;
  questionsByShift: Map<ShiftId, Map<string, EvidenceEntry[]>>;
  /** Entries tagged with a shift that answer no question. */
  taggedByShift: Map<ShiftId, EvidenceEntry[]>;
  /** The packet's shifts in order, then any other shift an entry or answer names. */
  shiftOrder: ShiftId[];
}

/** Reflections grouped by mindset shift and then by question; other shift-tagged entries by shift. */
function groupReflections(input: PacketInput, entries: readonly EvidenceEntry[]): ReflectionGroups {
  const answered = new Set<number>();
  const questionsByShift = new Map<ShiftId, Map<string, EvidenceEntry[]>>();
  const reflectionByEntry = new Map(input.reflections.map((r) => [r.entryId, r]));
  for (const e of entries) {
    const r = reflectionByEntry.get(e.id);
    if (r === undefined) continue;
    answered.add(e.id);
    let questions = questionsByShift.get(r.shift);
    if (questions === undefined) {
      questions = new Map();
      questionsByShift.set(r.shift, questions);
    }
    const answers = questions.get(r.question);
    if (answers === undefined) questions.set(r.question, [e]);
    else answers.push(e);
  }
  const taggedByShift = new Map<ShiftId, EvidenceEntry[]>();
  for (const e of entries) {
    if (e.shift === null || answered.has(e.id)) continue;
    const list = taggedByShift.get(e.shift);
    if (list === undefined) taggedByShift.set(e.shift, [e]);
    else list.push(e);
  }
  const shiftOrder: ShiftId[] = input.shifts.map((s) => s.id);
  for (const id of [...questionsByShift.keys(), ...taggedByShift.keys()]) {
    if (!shiftOrder.includes(id)) shiftOrder.push(id);
  }
  return { answered, questionsByShift, taggedByShift, shiftOrder };
}

function reflectionsSection(groups: ReflectionGroups, names: Names, item: RenderItem): string[] {
  const out = ['## Reflections by mindset shift', ''];
  for (const shift of groups.shiftOrder) {
    out.push(`### ${escapeMarkdownInline(names.shift.get(shift) ?? shift, { heading: true })}`, '');
    const questions = groups.questionsByShift.get(shift);
    const tagged = groups.taggedByShift.get(shift) ?? [];
    if (questions === undefined && tagged.length === 0) {
      out.push('_No reflections or entries for this shift in this period._', '');
      continue;
    }
    for (const [question, answers] of questions ?? []) {
      out.push(`**Q: ${escapeMarkdownInline(question)}**`, '');
      for (const e of answers) out.push(item(e));
      out.push('');
    }
    if (tagged.length > 0) {
      out.push(`Other entries tagged ${escapeMarkdownInline(names.shift.get(shift) ?? shift)}:`, '');
      for (const e of tagged) out.push(item(e));
      out.push('');
    }
  }
  return out;
}

/** Entries that appear in no section above. */
function untaggedSection(
  entries: readonly EvidenceEntry[],
  answered: ReadonlySet<number>,
  item: RenderItem,
): string[] {
  const untagged = entries.filter(
    (e) => e.axes.length === 0 && e.suggestedAxes.length === 0 && e.shift === null && !answered.has(e.id),
  );
  const out = ['## Untagged entries', ''];
  if (untagged.length === 0) out.push('_None: every entry has an axis or a mindset shift._');
  else {
    out.push('Entries with no axis or mindset-shift tag.', '');
    for (const e of untagged) out.push(item(e));
  }
  out.push('');
  return out;
}

/** The target position's competencies, as a table. */
function appendixSection(input: PacketInput): string[] {
  if (input.target === null) return ['## Appendix: target level competencies', '', '_No target level set._'];
  // The competencies are the position's, also when a role was chosen.
  const position = `${input.target.code} ${input.target.title}`;
  const out = [`## Appendix: ${escapeMarkdownInline(position, { heading: true })} competencies`, ''];
  if (input.competencies.length === 0) out.push('_No competencies listed for this level._');
  else {
    out.push('| Axis | Step | What it means |');
    out.push('| --- | --- | --- |');
    for (const c of input.competencies)
      out.push(`| ${cell(c.axis)} | ${cell(c.step)} | ${cell(c.meaning)} |`);
  }
  return out;
}
