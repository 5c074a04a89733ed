import { HELP_ENTRIES, type HelpEntry } from './blocks/help.ts';

/**
 * Every subcommand that exists today, in the order help shows them. A feature that adds a
 * subcommand adds its line here (and only here).
 */
const FEATURE_ENTRIES: readonly HelpEntry[] = [];

export function helpEntries(): readonly HelpEntry[] {
  return [...HELP_ENTRIES, ...FEATURE_ENTRIES];
}
