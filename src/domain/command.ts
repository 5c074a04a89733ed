/**
 * `/ladder …` text → a command. Pure and total: whatever the text, it returns one of the kinds
 * below and never throws. The first word picks the subcommand (case-insensitive); anything that is
 * not a subcommand is a level query (`/ladder lead`, `/ladder senior staff`), so a typo gets level
 * suggestions rather than an error.
 *
 * Level names are not resolved here: the parser knows the grammar, the ladder data knows the
 * names. `compare` returns its words and `resolveLevelPair` splits them against the aliases, so a
 * company ladder with new multi-word titles needs no parser change.
 */

export const COMMAND_KEYWORDS = [
  'help',
  'levels',
  'compare',
  'next',
  'me',
  'log',
  'evidence',
  'summary',
  'chart',
  'export',
  'nudge',
  'digest',
  'forget',
] as const;
export type CommandKeyword = (typeof COMMAND_KEYWORDS)[number];

export const EXPORT_FORMATS = ['md', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `evidence N` lists the N newest entries; larger numbers are read as search words. */
export const MAX_EVIDENCE_LIMIT = 100;

export type LadderCommand =
  | { kind: 'help' }
  | { kind: 'levels' }
  /** Anything that is not a subcommand: a level name, resolved against the ladder later. */
  | { kind: 'level'; query: string }
  /** At least two words; `resolveLevelPair` decides where the first level ends. */
  | { kind: 'compare'; words: string[] }
  /** `next` (from the user's level) or `next <level>`. */
  | { kind: 'next'; from: string | null }
  /** `me`, `me level X`, `me target Y`, `me level X target Y` (either order). */
  | { kind: 'me'; level: string | null; target: string | null }
  /** `log` alone (null: open the modal) or `log <text>`, the text as typed, trimmed at both ends. */
  | { kind: 'log'; text: string | null }
  | { kind: 'evidence'; limit: number | null; query: string | null }
  | { kind: 'summary'; period: string | null }
  | { kind: 'chart' }
  | { kind: 'export'; format: ExportFormat | null; period: string | null }
  /** The arguments as typed; the nudge settings parser reads them. */
  | { kind: 'nudge'; args: string }
  /** The monthly digest: switch it on or off, or say how it stands. */
  | { kind: 'digest'; action: 'on' | 'off' | 'status' }
  | { kind: 'forget' }
  /** A subcommand with arguments it cannot take; reply with its usage. */
  | { kind: 'usage'; command: CommandKeyword; problem: string; example: string };

export type LadderCommandKind = LadderCommand['kind'];

const KEYWORDS: ReadonlySet<string> = new Set(COMMAND_KEYWORDS);

function isKeyword(word: string): word is CommandKeyword {
  return KEYWORDS.has(word);
}

function words(text: string): string[] {
  return text.split(/\s+/u).filter((word) => word.length > 0);
}

function orNull(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
}

export function parseLadderCommand(text: string): LadderCommand {
  if (typeof text !== 'string') return { kind: 'help' };
  const match = /^\s*(\S+)([\s\S]*)$/u.exec(text);
  if (!match) return { kind: 'help' };
  const first = (match[1] ?? '').normalize('NFKC').toLowerCase();
  const rest = match[2] ?? '';
  if (!isKeyword(first)) return { kind: 'level', query: text.trim() };
  switch (first) {
    case 'help':
      return { kind: 'help' };
    case 'levels':
      return { kind: 'levels' };
    case 'compare':
      return parseCompare(rest);
    case 'next':
      return { kind: 'next', from: orNull(rest) };
    case 'me':
      return parseMe(rest);
    case 'log':
      return { kind: 'log', text: orNull(rest) };
    case 'evidence':
      return parseEvidence(rest);
    case 'summary':
      return { kind: 'summary', period: orNull(rest) };
    case 'chart':
      return { kind: 'chart' };
    case 'export':
      return parseExport(rest);
    case 'nudge':
      return { kind: 'nudge', args: rest.trim() };
    case 'digest':
      return parseDigest(rest);
    case 'forget':
      return { kind: 'forget' };
  }
}

/** What `/ladder compare` needs, said when the words do not make two levels. */
export const COMPARE_USAGE = { problem: 'Compare needs two levels.', example: 'compare tpm4 tpm5' } as const;

function parseCompare(rest: string): LadderCommand {
  // "tpm4,tpm5" and "tpm4->tpm5" are two levels too.
  const list = words(rest.replace(/(->|→|,)/gu, ' $1 '));
  const levels = list.filter((word) => !/^(->|→|,)$/u.test(word));
  if (levels.length < 2) {
    return { kind: 'usage', command: 'compare', ...COMPARE_USAGE };
  }
  return { kind: 'compare', words: list };
}

function parseDigest(rest: string): LadderCommand {
  const list = words(rest).map((w) => w.toLowerCase());
  const action = list[0] ?? 'status';
  if (list.length <= 1 && (action === 'on' || action === 'off' || action === 'status')) {
    return { kind: 'digest', action };
  }
  return {
    kind: 'usage',
    command: 'digest',
    problem: 'The monthly digest is switched with `on` or `off`; `status` says how it stands.',
    example: 'digest on',
  };
}

function parseMe(rest: string): LadderCommand {
  const usage: LadderCommand = {
    kind: 'usage',
    command: 'me',
    problem: 'Set your level and target with `level` and `target`.',
    example: 'me level tpm4 target lead',
  };
  const slots: { level: string[] | null; target: string[] | null } = { level: null, target: null };
  let current: 'level' | 'target' | null = null;
  for (const word of words(rest)) {
    const lower = word.toLowerCase();
    if (lower === 'level' || lower === 'target') {
      if (slots[lower] !== null) return usage;
      slots[lower] = [];
      current = lower;
      continue;
    }
    if (current === null) return usage;
    slots[current]?.push(word);
  }
  if (slots.level?.length === 0 || slots.target?.length === 0) return usage;
  return { kind: 'me', level: slots.level?.join(' ') ?? null, target: slots.target?.join(' ') ?? null };
}

function parseEvidence(rest: string): LadderCommand {
  const query = orNull(rest);
  if (query === null) return { kind: 'evidence', limit: null, query: null };
  if (/^\d{1,3}$/u.test(query)) {
    const limit = Number(query);
    if (limit >= 1 && limit <= MAX_EVIDENCE_LIMIT) return { kind: 'evidence', limit, query: null };
  }
  return { kind: 'evidence', limit: null, query };
}

function parseExport(rest: string): LadderCommand {
  const list = words(rest);
  const first = list[0]?.toLowerCase();
  const format =
    first === 'markdown' ? 'md' : (EXPORT_FORMATS as readonly string[]).includes(first ?? '') ? first : null;
  if (format === null) return { kind: 'export', format: null, period: orNull(rest) };
  return { kind: 'export', format: format as ExportFormat, period: orNull(list.slice(1).join(' ')) };
}
