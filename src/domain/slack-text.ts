/**
 * Slack's message markup turned into text a person reads, for everything Ladder shows back or
 * exports. Pure: the names of people come in as a map (the Slack side looks them up).
 *
 * Slack writes mentions, links and special words as `<…>` tokens inside a message's text
 * (https://api.slack.com/reference/surfaces/formatting#retrieving-messages):
 * - `<@U123>` / `<@U123|label>` a person → `@Display Name` (the label when Slack embedded one,
 *   else the name looked up, else `@someone`)
 * - `<#C123|name>` a channel → `#name` (`#channel` when Slack gave no name)
 * - `<!subteam^S123|@handle>` a user group → `@handle`
 * - `<!here>`, `<!channel>`, `<!everyone>` → `@here`, `@channel`, `@everyone` as plain words (plain
 *   text never notifies anyone; only the token does)
 * - `<!date^1392734382^{date_short}|Feb 18, 2014>` → its fallback text (the date, when none)
 * - `<https://x|label>` → `label (https://x)`; `<https://x>` → `https://x`; `<mailto:a@b|a@b>` → `a@b`
 *
 * Only these exact shapes are read as tokens, so ordinary `<` and `>` a person typed ("latency
 * < 200 ms && p99 > 1 s") stay as they are. The input is Slack text whose `&lt;`, `&gt;` and
 * `&amp;` escapes were already decoded, or, with `decodeEntities`, still encoded.
 */

/** Shown for a person Slack could not name (an account gone, a lookup refused). */
export const UNKNOWN_PERSON = 'someone';

export interface ReadableOptions {
  /** Display names of people by user id, as looked up in Slack. */
  names?: ReadonlyMap<string, string>;
  /** The text still has Slack's `&lt;` `&gt;` `&amp;` escapes (a message event's text). */
  decodeEntities?: boolean;
}

export interface ReadableText {
  text: string;
  /** User ids mentioned without a label whose name was not in `names` (shown as `@someone`). */
  unresolved: string[];
}

const USER = String.raw`@([UW][A-Z0-9]{2,})(?:\|([^<>]*))?`;
const CHANNEL = String.raw`#(C[A-Z0-9]{2,})(?:\|([^<>]*))?`;
const SPECIAL = String.raw`!([a-z]+)(?:\^([^<>|]*))?(?:\|([^<>]*))?`;
const LINK = String.raw`([a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>|]+)(?:\|([^<>]*))?`;
const TOKEN = new RegExp(`<(?:${USER}|${CHANNEL}|${SPECIAL}|${LINK})>`, 'g');
const MENTION_ONLY = new RegExp(`<${USER}>`, 'g');

/** Slack's three escapes; `&amp;` last so `&amp;lt;` stays the `&lt;` a person typed. */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The people mentioned without a label: the ids whose names have to be looked up. */
export function unlabelledUserIds(slackText: string): string[] {
  const ids = new Set<string>();
  for (const m of slackText.matchAll(MENTION_ONLY)) {
    if (!m[2]?.trim()) ids.add(m[1] as string);
  }
  return [...ids];
}

/** True when the text holds any Slack token a person should not see raw. */
export function hasSlackMarkup(text: string): boolean {
  TOKEN.lastIndex = 0;
  return TOKEN.test(text);
}

function withAt(label: string): string {
  const s = label.trim();
  return `@${s.startsWith('@') ? s.slice(1) : s}`;
}

function dateFallback(detail: string | undefined): string {
  const seconds = Number((detail ?? '').split('^')[0]);
  if (!Number.isFinite(seconds) || seconds <= 0) return 'a date';
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

function special(name: string, detail: string | undefined, label: string | undefined): string {
  const l = label?.trim();
  switch (name) {
    case 'here':
    case 'channel':
    case 'everyone':
      return `@${name}`;
    case 'subteam':
      return l ? withAt(l) : '@group';
    case 'date':
      return l || dateFallback(detail);
    default:
      return l ? l : `@${name}`;
  }
}

function link(url: string, label: string | undefined): string {
  const l = label?.trim();
  if (url.startsWith('mailto:')) return l || url.slice('mailto:'.length);
  if (!l || l === url || l === url.replace(/^https?:\/\//, '')) return url;
  return `${l} (${url})`;
}

/**
 * The readable form of a Slack text. Idempotent on its own output: readable text has no tokens
 * left, so converting it again changes nothing (edits of readable text go through it safely).
 */
export function slackTextToReadable(slackText: string, opts: ReadableOptions = {}): ReadableText {
  const unresolved = new Set<string>();
  const decode = opts.decodeEntities ? decodeSlackEntities : (s: string) => s;
  // Tokens are found in the encoded text (where a typed `<` cannot be mistaken for one), then
  // each piece is decoded on its own.
  let out = '';
  let last = 0;
  TOKEN.lastIndex = 0;
  for (const m of slackText.matchAll(TOKEN)) {
    out += decode(slackText.slice(last, m.index));
    last = (m.index ?? 0) + m[0].length;
    const [
      ,
      userId,
      userLabel,
      channelId,
      channelName,
      specialName,
      specialDetail,
      specialLabel,
      url,
      urlLabel,
    ] = m;
    if (userId) {
      const label = userLabel?.trim() ? decode(userLabel) : opts.names?.get(userId);
      if (!label) unresolved.add(userId);
      out += withAt(label ?? UNKNOWN_PERSON);
    } else if (channelId) {
      out += `#${channelName?.trim() ? decode(channelName).replace(/^#/, '') : 'channel'}`;
    } else if (specialName) {
      out += special(
        specialName,
        specialDetail,
        specialLabel === undefined ? undefined : decode(specialLabel),
      );
    } else if (url) {
      out += link(decode(url), urlLabel === undefined ? undefined : decode(urlLabel));
    }
  }
  out += decode(slackText.slice(last));
  return { text: out, unresolved: [...unresolved] };
}
