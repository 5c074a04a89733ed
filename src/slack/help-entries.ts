import { HELP_ENTRIES, type HelpEntry } from './blocks/help.ts';

/**
 * Every subcommand that exists today, in the order help shows them. A feature that adds a
 * subcommand adds its line here (and only here).
 */
const FEATURE_ENTRIES: readonly HelpEntry[] = [
  {
    usage: 'log <what you did>',
    description:
      'Save a win as private evidence; hashtags tag it (`#people #process #enabling #multi-team` …). ' +
      '`log` alone opens a form. Also: the *Save as evidence* shortcut on any message.',
  },
  {
    usage: 'evidence [N | words]',
    description: 'Your entries, newest first, with Edit and Delete; words search them.',
  },
  {
    usage: 'nudge on | off | status | now | skip',
    description:
      'One reflection question a week by DM, in your time zone (default Fridays 16:00); reply in its ' +
      'thread and the answer becomes evidence. `nudge now` sends one at once.',
  },
  {
    usage: 'nudge <day> <time> | pause <date | Nw>',
    description: 'Pick the day and time (`nudge fri 15:30`, `nudge tue 9am`), or pause (`nudge pause 2w`).',
  },
  { usage: 'forget', description: 'Delete everything Ladder holds about you (asks first).' },
];

export function helpEntries(): readonly HelpEntry[] {
  return [...HELP_ENTRIES, ...FEATURE_ENTRIES];
}
