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
    usage: 'me [level <X>] [target <Y>]',
    description:
      'Your level and target, e.g. `me level senior target lead` (a role is kept as you chose it and compared with a position).',
  },
  {
    usage: 'next [level]',
    description: 'What changes from your level (or the one named) to the next one up.',
  },
  {
    usage: 'summary [period]',
    description:
      'Where you stand against your target: entries per axis, thin growth axes with the next step for the step you aim at, weeks ' +
      'and months with evidence, mindset shifts (default `90d`; also `12w`, `quarter`, `year`, `all`).',
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
  {
    usage: 'digest on | off | status',
    description:
      'A monthly DM on the first Monday at your weekly nudge time (default 16:00): last month against your ' +
      'target, the thinnest growth axis with its next step, and one question.',
  },
  {
    usage: 'export [md | csv | json] [period]',
    description:
      'A file in our DM: the review packet in Markdown with your radar chart (default), a CSV, or all your ' +
      'data as JSON (default period `1y`; JSON `all`).',
  },
  { usage: 'chart', description: 'Your radar chart: level, target and evidence per axis over 90 days.' },
  { usage: 'forget', description: 'Delete everything Ladder holds about you (asks first).' },
];

export function helpEntries(): readonly HelpEntry[] {
  return [...HELP_ENTRIES, ...FEATURE_ENTRIES];
}
