/**
 * `/ladder` and `/ladder help`: what the bot does and every subcommand that exists. The list is
 * data (`HELP_ENTRIES`): a feature that adds a subcommand adds its line here. Pure.
 */
import { COMMAND } from '../ids.ts';
import {
  type Block,
  context,
  escapeMrkdwn,
  fallback,
  header,
  LIMITS,
  type SlackMessage,
  section,
} from './format.ts';

/** A button no listener declares (from an older version of the app) answers this. */
export const STALE_TEXT =
  'That button belongs to an older version of Ladder and does nothing now. Run the command again for a fresh one.';

export interface HelpEntry {
  /** The subcommand after `/ladder`, with placeholders: `compare <a> <b>`; '' for `/ladder` alone. */
  usage: string;
  /** What it does, one line. */
  description: string;
}

export const HELP_ENTRIES: readonly HelpEntry[] = [
  { usage: 'help', description: 'This message: what Ladder does and the commands it knows.' },
  { usage: 'levels', description: 'The whole ladder at a glance: positions, titles and roles.' },
  {
    usage: '<level>',
    description:
      'What a level expects, axis by axis, e.g. `tpm5`, `lead`, `senior`, `staff` or `principal`. ' +
      'Case, spaces and hyphens do not matter.',
  },
  {
    usage: 'compare <a> <b>',
    description: 'What changes between two levels, e.g. `compare tpm4 tpm5` or `compare senior lead`.',
  },
];

export const HELP_INTRO =
  'Ladder coaches Technical Program Managers up their career ladder, inside Slack. Ask what a ' +
  'level expects and what changes at the next one. Replies are visible only to you unless you ' +
  'press *Share in channel*.';

function usageLine(entry: HelpEntry): string {
  const command = entry.usage === '' ? COMMAND : `${COMMAND} ${entry.usage}`;
  // Descriptions are trusted text with mrkdwn; usages have placeholders like <a> that need escaping.
  return `\`${escapeMrkdwn(command)}\`: ${entry.description}`;
}

export interface HelpOptions {
  /** A line shown first, e.g. why the command typed was not understood. */
  note?: string;
}

export function buildHelp(
  entries: readonly HelpEntry[] = HELP_ENTRIES,
  options: HelpOptions = {},
): SlackMessage {
  const blocks: Block[] = [];
  if (options.note) blocks.push(section(options.note));
  blocks.push(header('Ladder: your TPM career coach'), section(HELP_INTRO));
  // One section holds many lines; split before Slack's 3,000 characters per section.
  let chunk: string[] = [];
  let length = 0;
  for (const line of entries.map(usageLine)) {
    if (length + line.length + 1 > LIMITS.sectionChunk && chunk.length > 0) {
      blocks.push(section(chunk.join('\n')));
      chunk = [];
      length = 0;
    }
    chunk.push(line);
    length += line.length + 1;
  }
  if (chunk.length > 0) blocks.push(section(chunk.join('\n')));
  blocks.push(context(`Type \`${COMMAND} help\` any time to see this again.`));
  const commands = entries.map((entry) => (entry.usage === '' ? COMMAND : `${COMMAND} ${entry.usage}`));
  const text = fallback(`${options.note ? `${options.note} ` : ''}Ladder commands: ${commands.join(', ')}.`);
  return { text, blocks };
}

/** The reply to a subcommand used the wrong way: what was wrong, an example, then the help. */
export function buildUsageHelp(
  usage: { problem: string; example: string },
  entries: readonly HelpEntry[] = HELP_ENTRIES,
): SlackMessage {
  const note = `${usage.problem} For example: \`${escapeMrkdwn(`${COMMAND} ${usage.example}`)}\``;
  return buildHelp(entries, { note });
}
