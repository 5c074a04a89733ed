import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { LocalDate } from './types.ts';

/** The longest entry, in characters (code points), on every path: command, modal, shortcut, reply. */
export const MAX_EVIDENCE_CHARS = 3000;

export type TextCheck =
  | { ok: true; text: string }
  | { ok: false; reason: 'empty' }
  | { ok: false; reason: 'too-long'; length: number; limit: number };

/** Characters as a person counts them: code points, so an emoji is one, not two. */
export function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
}

/**
 * Validates an entry's text. Whitespace around it is trimmed; everything inside (emoji, quotes,
 * newlines, mentions, SQL-looking text) is kept exactly.
 */
export function checkEvidenceText(raw: string): TextCheck {
  const text = raw.trim();
  if (text.length === 0) return { ok: false, reason: 'empty' };
  const length = charCount(text);
  if (length > MAX_EVIDENCE_CHARS)
    return { ok: false, reason: 'too-long', length, limit: MAX_EVIDENCE_CHARS };
  return { ok: true, text };
}

/** Today's date in the user's time zone (UTC when Slack gave none). */
export function localDate(now: Date, tz: string | null): LocalDate {
  return format(new TZDate(now, tz ?? 'UTC'), 'yyyy-MM-dd');
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date in YYYY-MM-DD form. */
export function isLocalDate(s: string): boolean {
  const m = DATE_PATTERN.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** Only http(s) links are kept: a link is shown to the user and in exports, so no javascript: URLs. */
export function normaliseLink(raw: string | null | undefined): string | null | 'invalid' {
  if (raw === null || raw === undefined) return null;
  const s = raw.trim();
  if (s === '') return null;
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : 'invalid';
  } catch {
    return 'invalid';
  }
}
