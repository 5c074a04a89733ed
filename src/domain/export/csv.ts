/**
 * CSV export: one row per entry, for spreadsheets.
 *
 * Format decisions (documented in docs/export-format.md):
 * - RFC 4180: CRLF between records (and after the last), fields quoted when they contain a comma,
 *   a double quote, CR or LF, quotes doubled inside quoted fields. A header row names the columns.
 * - UTF-8 with a byte-order mark by default: Excel opens BOM-less UTF-8 as the legacy code page and
 *   garbles emoji and accents; Google Sheets, LibreOffice and most CSV libraries skip the BOM.
 *   Pass `{ bom: false }` for tools that do not.
 * - Formula neutralisation (OWASP "CSV injection"): a cell whose first character is `=`, `+`, `-`,
 *   `@`, tab or CR (or their full-width forms `＝＋－＠`) gets a leading `'`, so a spreadsheet shows
 *   it as text instead of running it. This changes those cells: the JSON export is the lossless one.
 * - Tags are ids (`people`, `multi-team`), several in one cell separated by `;`.
 */
import type { EvidenceEntry } from '../types.ts';
import { type PacketInput, sortEntries } from './packet.ts';

export const CSV_COLUMNS = [
  'date',
  'text',
  'axes',
  'suggested_axes',
  'shift',
  'scope',
  'source',
  'link',
  'created_at',
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number];

export interface CsvOptions {
  /** Start with a UTF-8 byte-order mark (U+FEFF). Default true, for Excel. */
  bom?: boolean;
}

export const UTF8_BOM = '\uFEFF';
const TAG_SEPARATOR = ';';

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Prefixes `'` to a value a spreadsheet would evaluate as a formula. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One RFC 4180 field: neutralised, then quoted (quotes doubled) when needed. */
export function csvField(value: string): string {
  const safe = neutraliseFormula(value);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The cells of one entry's row, in {@link CSV_COLUMNS} order, before escaping. */
export function csvCells(entry: EvidenceEntry): string[] {
  return [
    entry.occurredOn,
    entry.text,
    entry.axes.join(TAG_SEPARATOR),
    entry.suggestedAxes.filter((a) => !entry.axes.includes(a)).join(TAG_SEPARATOR),
    entry.shift ?? '',
    entry.scope ?? '',
    entry.source,
    entry.link ?? '',
    entry.createdAt,
  ];
}

/**
 * Renders entries (or a packet's entries) as CSV, oldest first (date, then creation time, then id).
 * Rows are built into an array and joined once, so 10,000 entries take milliseconds.
 */
export function renderCsv(input: PacketInput | readonly EvidenceEntry[], options: CsvOptions = {}): string {
  const entries = sortEntries(isEntryList(input) ? input : input.entries);
  const rows: string[] = [CSV_COLUMNS.join(',')];
  for (const entry of entries) rows.push(csvCells(entry).map(csvField).join(','));
  return `${options.bom === false ? '' : UTF8_BOM}${rows.join('\r\n')}\r\n`;
}

function isEntryList(input: PacketInput | readonly EvidenceEntry[]): input is readonly EvidenceEntry[] {
  return Array.isArray(input);
}
