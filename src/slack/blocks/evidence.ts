/**
 * Evidence surfaces: the log modal, the confirmation with Edit/Undo, the paginated list, the
 * "too long" reply that gives the text back, and /ladder forget. Pure builders.
 */
import type { types } from '@slack/bolt';
import { MAX_EVIDENCE_LIMIT } from '../../domain/command.ts';
import { MAX_EVIDENCE_CHARS } from '../../domain/evidence.ts';
import type { Ladder } from '../../domain/ladder/model.ts';
import type { SuggestionReasons } from '../../domain/suggest.ts';
import type { AxisId, EvidenceEntry, ScopeId, ShiftId } from '../../domain/types.ts';
import { SLACK_LIMITS } from '../../slack-limits.ts';
import { ActionId, BlockId, COMMAND, nthActionId, ViewId } from '../ids.ts';
import {
  type Block,
  button,
  context,
  escapeMrkdwn,
  fallback,
  header,
  LIMITS,
  plainUserText,
  type SlackMessage,
  section,
  truncate,
} from './format.ts';

export type View = types.ModalView;

export interface TagNames {
  axis(id: AxisId): string;
  shift(id: ShiftId): string;
  scope(id: ScopeId): string;
}

/** Display names of tags from the ladder content (axis names, "Doing → Enabling", scope steps). */
export function tagNames(ladder: Ladder): TagNames {
  return {
    axis: (id) => ladder.axes.find((a) => a.id === id)?.name ?? id,
    shift: (id) => {
      const s = ladder.shifts.find((x) => x.id === id);
      return s ? `${s.from} → ${s.to}` : id;
    },
    scope: (id) => {
      for (const axis of ladder.axes) for (const step of axis.steps) if (step.scope === id) return step.name;
      return id;
    },
  };
}

/** Slack formats the date in each reader's own locale; the fallback is the ISO date. */
export function slackDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const epoch = Math.floor(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12) / 1000);
  return `<!date^${epoch}^{date_short_pretty}|${isoDate}>`;
}

/** Entry text for mrkdwn: escaped, as a quote so it stands apart from the bot's words. */
export function quoteEntry(text: string, max = 2500): string {
  return truncate(escapeMrkdwn(text), max)
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}

export function describeTags(
  entry: Pick<EvidenceEntry, 'axes' | 'suggestedAxes' | 'shift' | 'scope'>,
  names: TagNames,
  opts: { suggestedScope?: ScopeId | null; suggestedShift?: ShiftId | null } = {},
): string {
  const parts: string[] = [];
  if (entry.axes.length > 0) parts.push(`*Axes:* ${entry.axes.map(names.axis).join(', ')}`);
  const suggested = entry.suggestedAxes.filter((a) => !entry.axes.includes(a));
  if (suggested.length > 0) parts.push(`*Suggested:* ${suggested.map(names.axis).join(', ')} (suggested)`);
  if (entry.shift) parts.push(`*Shift:* ${names.shift(entry.shift)}`);
  else if (opts.suggestedShift) parts.push(`*Shift:* ${names.shift(opts.suggestedShift)} (suggested)`);
  if (entry.scope) parts.push(`*Scope:* ${names.scope(entry.scope)}`);
  else if (opts.suggestedScope) parts.push(`*Scope:* ${names.scope(opts.suggestedScope)} (suggested)`);
  return parts.length > 0 ? parts.join('  ·  ') : '_No tags yet: add some with Edit._';
}

/** Axes suggested by keyword rules and not yet accepted (the user's own axes are never repeated). */
export function pendingSuggestions(entry: Pick<EvidenceEntry, 'axes' | 'suggestedAxes'>): AxisId[] {
  return entry.suggestedAxes.filter((a) => !entry.axes.includes(a));
}

function entryMeta(entry: EvidenceEntry): string {
  const link = entry.link ? `  ·  <${entry.link}|link>` : '';
  return `${slackDate(entry.occurredOn)}${link}`;
}

export interface ConfirmationOptions {
  /** Why the entry has no link although the user expected one (e.g. a private conversation). */
  linkNote?: string;
  unknownTags?: readonly string[];
  /** A line under the entry, e.g. after the suggested tags were accepted. */
  note?: string;
  /** Tags keyword rules added (from `prepareEvidence`): marked as suggested, with Accept and Change. */
  suggested?: { scope: ScopeId | null; shift: ShiftId | null; reasons: SuggestionReasons } | null;
}

const MAX_REASON_WORDS = 3;

/** "*Process* ← “risk register”, “roadmap”" per suggested tag: which words led to which tag. */
function explainSuggestions(
  axes: readonly AxisId[],
  shift: ShiftId | null,
  scope: ScopeId | null,
  reasons: SuggestionReasons,
  names: TagNames,
): string {
  const because = (words: readonly string[] | undefined) =>
    (words ?? [])
      .slice(0, MAX_REASON_WORDS)
      .map((w) => `“${escapeMrkdwn(truncate(w, 60))}”`)
      .join(', ');
  const parts: string[] = [];
  for (const axis of axes) {
    const words = because(reasons.axes[axis]);
    if (words) parts.push(`*${names.axis(axis)}* ← ${words}`);
  }
  if (shift && reasons.shift.length > 0) parts.push(`*${names.shift(shift)}* ← ${because(reasons.shift)}`);
  if (scope && reasons.scope.length > 0) parts.push(`*${names.scope(scope)}* ← ${because(reasons.scope)}`);
  return parts.join('  ·  ');
}

export function buildEvidenceConfirmation(
  entry: EvidenceEntry,
  names: TagNames,
  options: ConfirmationOptions = {},
): SlackMessage {
  // A suggested scope is never stored (only Accept makes it the entry's): it is shown from here.
  // A suggested scope or shift is never stored (only Accept makes it the entry's): shown from here.
  const suggestedScope = entry.scope === null ? (options.suggested?.scope ?? null) : null;
  const suggestedShift = entry.shift === null ? (options.suggested?.shift ?? null) : null;
  const pending = pendingSuggestions(entry);
  const hasSuggestions = pending.length > 0 || suggestedScope !== null || suggestedShift !== null;
  const blocks: Block[] = [
    savedSection(entry.text),
    context(entryMeta(entry), describeTags(entry, names, { suggestedScope, suggestedShift })),
  ];
  if (hasSuggestions) {
    const why = options.suggested
      ? explainSuggestions(pending, suggestedShift, suggestedScope, options.suggested.reasons, names)
      : '';
    blocks.push(
      context(
        `:bulb: Tags marked (suggested) were picked from your words${why ? `: ${why}` : ''}. ` +
          '*Accept* keeps them; *Change tags* lets you pick others.',
      ),
    );
  }
  if (options.note) blocks.push(context(options.note));
  if (options.linkNote) blocks.push(context(`:link: ${options.linkNote}`));
  if (options.unknownTags && options.unknownTags.length > 0) {
    blocks.push(
      context(
        `Kept as written (not ladder tags): ${escapeMrkdwn(options.unknownTags.join(' '))}. ` +
          'Known tags: #technology #system #people #process #influence, #enabling #systems-thinking #preventing, ' +
          '#subsystem #team #multi-team #company #community.',
      ),
    );
  }
  const id = String(entry.id);
  blocks.push({
    type: 'actions',
    block_id: BlockId.evidenceActions,
    elements: [
      ...(hasSuggestions
        ? [
            button({ text: 'Accept', actionId: ActionId.evidenceAccept, value: id, style: 'primary' }),
            button({ text: 'Change tags', actionId: ActionId.evidenceEdit, value: id }),
          ]
        : [button({ text: 'Edit', actionId: ActionId.evidenceEdit, value: id })]),
      { ...button({ text: 'Undo', actionId: ActionId.evidenceUndo, value: id }), style: 'danger' },
    ],
  });
  return { text: fallback(`Saved to your evidence: ${plainUserText(entry.text)}`), blocks };
}

export function buildUndone(): SlackMessage {
  return {
    text: 'Removed. That entry is no longer in your evidence.',
    blocks: [section(':wastebasket: Removed. That entry is no longer in your evidence.')],
  };
}

/** Said wherever an entry was asked for that is not there (any more). */
export const ENTRY_GONE_TEXT = 'That entry no longer exists (it may have been deleted already).';

/** What the App Home and an entry's message say after a button on the entry worked. */
export const EntryNotice = {
  tagsAccepted: 'Suggested tags accepted: they are now your own.',
  deleted: 'Entry deleted.',
} as const;

export function buildEntryGone(): SlackMessage {
  return {
    text: ENTRY_GONE_TEXT,
    blocks: [section(`${ENTRY_GONE_TEXT} See \`${COMMAND} evidence\`.`)],
  };
}

/** The Delete button of the n-th entry on a list, behind Slack's confirmation dialog. */
export function deleteEntryButton(n: number, entryId: string): types.Button {
  return {
    ...button({ text: 'Delete', actionId: nthActionId(ActionId.evidenceDelete, n), value: entryId }),
    style: 'danger',
    confirm: {
      title: { type: 'plain_text', text: 'Delete this entry?' },
      text: {
        type: 'plain_text',
        text: 'It is removed from your evidence and exports. This cannot be undone.',
      },
      confirm: { type: 'plain_text', text: 'Delete' },
      deny: { type: 'plain_text', text: 'Keep it' },
      style: 'danger',
    },
  };
}

/** "Saved to your evidence." and the entry, quoted: the top of a confirmation. */
export function savedSection(text: string, max?: number): Block {
  return section(`:white_check_mark: *Saved to your evidence.*\n${quoteEntry(text, max)}`);
}

/** Splits long text into sections Slack accepts, code-formatted so nothing is reinterpreted. */
function giveBack(text: string): Block[] {
  const blocks: Block[] = [];
  const chars = [...text];
  const chunk = LIMITS.sectionChunk;
  const maxChunks = 4;
  for (let i = 0; i < chars.length && blocks.length < maxChunks; i += chunk) {
    blocks.push(
      section(
        `\`\`\`${escapeMrkdwn(
          chars
            .slice(i, i + chunk)
            .join('')
            .replace(/```/g, 'ˋˋˋ'),
        )}\`\`\``,
      ),
    );
  }
  if (chars.length > chunk * maxChunks) {
    blocks.push(context(`(The last ${chars.length - chunk * maxChunks} characters are not shown.)`));
  }
  return blocks;
}

export function buildTooLong(text: string, length: number, limit = MAX_EVIDENCE_CHARS): SlackMessage {
  const intro =
    `:warning: *Not saved:* that entry is ${length.toLocaleString('en-US')} characters; the limit is ` +
    `${limit.toLocaleString('en-US')}. Here is your text so nothing is lost. Shorten it (or split it into two ` +
    'entries) and log it again.';
  return {
    text: fallback(`Not saved: ${length} characters, the limit is ${limit}. Your text is shown below.`),
    blocks: [section(intro), ...giveBack(text)],
  };
}

export function buildEmptyLogHelp(): SlackMessage {
  const t =
    `Tell me what you did, e.g. \`${COMMAND} log Ran the cross-team launch review #process #multi-team\`, ` +
    `or type \`${COMMAND} log\` alone to open the form.`;
  return { text: fallback(t), blocks: [section(t)] };
}

/** Shown with a shortcut's confirmation when Slack gave no permalink for the message. */
export const SHORTCUT_NO_LINK_NOTE =
  'Saved without a link: Slack would not give me one for that message (the bot cannot see private conversations).';

/** The "Already saved" modal once its entry is gone (deleted meanwhile): nothing to open. */
export function buildSavedEntryGoneModal(): View {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Already saved' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: buildEntryGone().blocks,
  };
}

/** What "Save as evidence" shows for a message that is already an entry: where it is, and a way there. */
export function buildAlreadySavedModal(entry: EvidenceEntry): View {
  return {
    type: 'modal',
    callback_id: ViewId.evidenceAlreadySaved,
    title: { type: 'plain_text', text: 'Already saved' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [
      section(
        `:white_check_mark: *This message is already in your evidence*, as the entry of ${slackDate(entry.occurredOn)}:\n${quoteEntry(entry.text, 600)}`,
      ),
      context(
        `Saving it again would make a copy, so I did not. Open the entry to change its text or tags; \`${COMMAND} evidence\` lists it too.`,
      ),
      {
        type: 'actions',
        block_id: BlockId.evidenceActions,
        elements: [
          button({
            text: 'Open the entry',
            actionId: ActionId.evidenceOpenSaved,
            value: String(entry.id),
            style: 'primary',
          }),
        ],
      },
    ],
  };
}

/** The form's error when the same message was saved from another form meanwhile. */
export function alreadySavedError(entry: EvidenceEntry): string {
  return `This message was saved meanwhile (the entry of ${entry.occurredOn}); nothing was copied. Close this form: ${COMMAND} evidence shows it.`;
}

// ---------------------------------------------------------------------------------------------
// The list

export interface EvidencePage {
  entries: readonly EvidenceEntry[];
  total: number;
  offset: number;
  pageSize: number;
  query: string | null;
  /** The count the person asked for, when it was more than one page holds. */
  askedFor?: number | null;
}

export function encodePage(offset: number, pageSize: number, query: string | null): string {
  return JSON.stringify({ o: offset, n: pageSize, q: query ?? '' }).slice(0, SLACK_LIMITS.buttonValue);
}

export function decodePage(
  value: unknown,
): { offset: number; pageSize: number; query: string | null } | null {
  if (typeof value !== 'string') return null;
  try {
    const v = JSON.parse(value) as { o?: unknown; n?: unknown; q?: unknown };
    const offset = typeof v.o === 'number' && Number.isInteger(v.o) && v.o >= 0 ? v.o : null;
    const n = typeof v.n === 'number' && Number.isInteger(v.n) && v.n >= 1 && v.n <= 10 ? v.n : null;
    if (offset === null || n === null) return null;
    return { offset, pageSize: n, query: typeof v.q === 'string' && v.q !== '' ? v.q.slice(0, 200) : null };
  } catch {
    return null;
  }
}

export const MAX_PAGE_SIZE = 10;

/** A bare number bigger than `evidence N` takes is searched for as text: said so under the list. */
function numberSearchHint(query: string | null): string | null {
  if (query === null || !/^\d+$/.test(query.trim())) return null;
  return (
    `A number above ${MAX_EVIDENCE_LIMIT} is searched for as text. To list your newest entries, ` +
    `use \`${COMMAND} evidence ${MAX_PAGE_SIZE}\` (up to ${MAX_EVIDENCE_LIMIT}, ${MAX_PAGE_SIZE} per page).`
  );
}

export function buildEvidenceList(page: EvidencePage, names: TagNames): SlackMessage {
  const { entries, total, offset, pageSize, query } = page;
  const what = query ? ` matching “${escapeMrkdwn(truncate(query, 60))}”` : '';
  const hint = numberSearchHint(query);
  if (total === 0) {
    const t = query
      ? `No evidence${what}. Try other words, or \`${COMMAND} evidence\` for everything.`
      : `No evidence yet. Log your first win with \`${COMMAND} log <what you did>\`, or \`${COMMAND} log\` for the form.`;
    const blocks = [section(t), ...(hint ? [context(hint)] : [])];
    return { text: fallback(t.replace(/[“”]/g, '"')), blocks };
  }
  const from = offset + 1;
  const to = offset + entries.length;
  const blocks: Block[] = [
    header(`Your evidence ${query ? '(search)' : ''}`.trim()),
    context(`Entries ${from}–${to} of ${total}${what}, newest first. Only you can see these.`),
  ];
  if (hint) blocks.push(context(hint));
  if (page.askedFor && page.askedFor > pageSize && to < total) {
    blocks.push(
      context(
        `You asked for ${page.askedFor}: one message holds at most ${pageSize}, so here are the newest ${pageSize}. ` +
          '*Older →* at the bottom shows the next ones.',
      ),
    );
  }
  entries.forEach((entry, i) => {
    blocks.push(...listedEntryBlocks(entry, i, names));
  });
  const nav = pagerButtons(offset, to, total, pageSize, query);
  if (nav.length > 0) blocks.push({ type: 'actions', block_id: BlockId.evidencePager, elements: nav });
  return { text: fallback(`Your evidence: entries ${from} to ${to} of ${total}.`), blocks };
}

/** One entry of the list: its text, its tags, and its Edit and Delete buttons (the i-th of each). */
function listedEntryBlocks(entry: EvidenceEntry, i: number, names: TagNames): Block[] {
  return [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(`${entryMeta(entry)}\n${quoteEntry(entry.text, 600)}`, LIMITS.sectionText),
      },
    },
    context(describeTags(entry, names)),
    {
      type: 'actions',
      elements: [
        button({ text: 'Edit', actionId: nthActionId(ActionId.evidenceEdit, i), value: String(entry.id) }),
        deleteEntryButton(i, String(entry.id)),
      ],
    },
  ];
}

/** "← Newer" and "Older →", where there are newer or older entries. */
function pagerButtons(
  offset: number,
  to: number,
  total: number,
  pageSize: number,
  query: string | null,
): types.Button[] {
  const nav: types.Button[] = [];
  if (offset > 0) {
    nav.push(
      button({
        text: '← Newer',
        actionId: nthActionId(ActionId.evidencePage, 0),
        value: encodePage(Math.max(0, offset - pageSize), pageSize, query),
      }),
    );
  }
  if (to < total) {
    nav.push(
      button({
        text: 'Older →',
        actionId: nthActionId(ActionId.evidencePage, nav.length),
        value: encodePage(offset + pageSize, pageSize, query),
      }),
    );
  }
  return nav;
}
