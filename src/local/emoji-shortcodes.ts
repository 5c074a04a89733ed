import { createRequire } from 'node:module';

/**
 * Slack's emoji shortcodes (`:arrow_up:` → ⬆️), from `emoji-datasource` (iamcal's emoji-data, the
 * set Slack itself uses; MIT), so the local page shows what Slack would instead of `:name:` text.
 * Built once, on first use: short name → the emoji's characters.
 */
let table: Readonly<Record<string, string>> | undefined;

interface EmojiRow {
  unified: string;
  short_names: string[];
}

export function emojiShortcodes(): Readonly<Record<string, string>> {
  if (table) return table;
  const rows = createRequire(import.meta.url)('emoji-datasource/emoji.json') as EmojiRow[];
  const out: Record<string, string> = {};
  for (const row of rows) {
    const chars = String.fromCodePoint(...row.unified.split('-').map((hex) => Number.parseInt(hex, 16)));
    for (const name of row.short_names) out[name] ??= chars;
  }
  table = Object.freeze(out);
  return table;
}
