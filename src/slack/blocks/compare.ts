/**
 * `/ladder compare <a> <b>`: what changes between two levels. Positions axis by axis; two roles
 * with their aspects side by side and the mindset shifts; a role against a position through the
 * role's comparable position, said in the reply. Pure.
 */
import type { types } from '@slack/bolt';
import { COMPARE_USAGE } from '../../domain/command.ts';
import {
  compareLevels,
  type LevelComparison,
  neighbourLevels,
  type PositionComparison,
  type RoleComparison,
} from '../../domain/ladder/compare.ts';
import type { Ladder, Level, Role } from '../../domain/ladder/model.ts';
import type { LevelPairResolution } from '../../domain/ladder/resolve.ts';
import { ActionId, COMMAND, nthActionId } from '../ids.ts';
import {
  actions,
  type Block,
  button,
  capBlocks,
  context,
  divider,
  escapeMrkdwn,
  fallback,
  header,
  LIMITS,
  levelName,
  levelTitle,
  type SlackMessage,
  section,
  truncate,
} from './format.ts';
import { buildUsageHelp, HELP_ENTRIES, type HelpEntry } from './help.ts';
import { preparationSection } from './level-card.ts';
import { buildUnknownLevel } from './unknown-level.ts';
import { encodeLevelPair, encodeLevelValue, typedWords } from './values.ts';

export interface ComparisonOptions {
  /** The copy posted in the channel by Share in channel: no buttons. */
  shared?: boolean;
  /** The words the person typed after `compare`, shown by "Shared from". */
  typed?: string | null;
}

function comparisonButtons(from: Level, to: Level, typed: string | null | undefined): Block[] {
  const buttons: types.Button[] = [];
  const seen = new Set<string>();
  for (const level of [from, to]) {
    if (seen.has(level.id)) continue;
    seen.add(level.id);
    buttons.push(
      button({
        text: `Show ${levelName(level)}`,
        actionId: nthActionId(ActionId.showLevel, buttons.length),
        value: encodeLevelValue(level.id),
      }),
    );
  }
  buttons.push(
    button({
      text: 'Share in channel',
      actionId: ActionId.shareInChannel,
      value: encodeLevelPair(from.id, to.id, typed),
    }),
  );
  return actions(buttons);
}

function sharedNote(from: Level, to: Level, typed: string | null | undefined): Block {
  const words = typedWords(typed) ?? `${levelName(from).toLowerCase()} ${levelName(to).toLowerCase()}`;
  return context(`Shared from \`${COMMAND} compare ${escapeMrkdwn(words)}\``);
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function buildPositionComparison(
  comparison: PositionComparison,
  requested: { from: Level; to: Level },
  options: ComparisonOptions,
): SlackMessage {
  const { from, to, direction } = comparison;
  const changed = comparison.axes.filter((a) => a.change !== 'same');
  const unchanged = comparison.axes.filter((a) => a.change === 'same');
  const blocks: Block[] = [header(`${from.code} → ${to.code}: what changes`)];

  const notes: string[] = [];
  for (const sub of comparison.substitutions) {
    blocks.push(
      section(
        `*${escapeMrkdwn(sub.role.name)}* is a role, not a ladder position, so this comparison uses its comparable ` +
          `position *${escapeMrkdwn(levelTitle(sub.position))}*. ${escapeMrkdwn(sub.reason)}`,
      ),
    );
    notes.push(`${sub.role.name} is shown as its comparable position ${sub.position.code}.`);
  }

  const lead =
    direction === 'same'
      ? `*${escapeMrkdwn(levelTitle(from))}* on both sides: nothing changes.`
      : `${direction === 'up' ? 'Moving up from' : direction === 'down' ? 'Moving down from' : 'From'} ` +
        `*${escapeMrkdwn(levelTitle(from))}* to *${escapeMrkdwn(levelTitle(to))}*: ` +
        `${plural(changed.length, 'axis changes', 'axes change')}, ${plural(unchanged.length, 'stays', 'stay')} the same.`;
  blocks.push(section(lead), divider());

  for (const change of comparison.axes) {
    const total = change.axis.steps.length;
    const name = escapeMrkdwn(change.axis.name);
    if (change.change === 'same') {
      blocks.push(
        section(
          `*${name}*: unchanged at ${escapeMrkdwn(change.from.name)} (step ${change.from.number}/${total})`,
        ),
      );
      continue;
    }
    const distance = Math.abs(change.to.number - change.from.number);
    const how = `${change.change} ${plural(distance, 'step', 'steps')}`;
    blocks.push(
      section(
        `*${name}*: ${escapeMrkdwn(change.from.name)} (${change.from.number}/${total}) → ` +
          `*${escapeMrkdwn(change.to.name)}* (${change.to.number}/${total}), ${how}\n` +
          `_${escapeMrkdwn(change.to.name)}_: ${escapeMrkdwn(change.to.meaning)}`,
      ),
    );
  }

  if (options.shared) blocks.push(sharedNote(requested.from, requested.to, options.typed));
  else blocks.push(...comparisonButtons(requested.from, requested.to, options.typed));

  const changes = changed.map((c) => `${c.axis.name} ${c.from.name} → ${c.to.name}`);
  const same = unchanged.map((c) => `${c.axis.name} (${c.from.name})`);
  const text = fallback(
    [
      ...notes,
      `${from.code} → ${to.code}:`,
      changes.length > 0 ? `${changes.join('; ')}.` : 'no axis changes.',
      same.length > 0 ? `Unchanged: ${same.join(', ')}.` : '',
    ]
      .filter(Boolean)
      .join(' '),
  );
  return { text, blocks: capBlocks(blocks) };
}

function sideBySide(title: string, left: string, right: string, max: number): Block {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(title, LIMITS.sectionText) },
    fields: [
      { type: 'mrkdwn', text: truncate(left, max) },
      { type: 'mrkdwn', text: truncate(right, max) },
    ],
  };
}

/** The mindset shifts between the two roles, and how to prepare (looking up only). */
function shiftBlocks(comparison: RoleComparison): Block[] {
  const { from, to, transition, shifts, reversed } = comparison;
  if (!transition || shifts.length === 0) return [];
  const up = reversed ? to : from;
  const down = reversed ? from : to;
  const lines = [
    `*Mindset shifts from ${escapeMrkdwn(up.name)} to ${escapeMrkdwn(down.name)}*` +
      (reversed ? ' (this comparison looks down; these are the shifts for the move up)' : ''),
    ...shifts.map(
      (shift) =>
        `• from *${escapeMrkdwn(shift.from)}* to *${escapeMrkdwn(shift.to)}*: ${escapeMrkdwn(shift.summary)}`,
    ),
  ];
  if (transition.note) lines.push(`_${escapeMrkdwn(transition.note)}_`);
  if (!reversed && transition.promotion) lines.push(escapeMrkdwn(transition.promotion));
  const blocks = [section(lines.join('\n'))];
  if (!reversed && transition.preparation.length > 0) {
    blocks.push(preparationSection(transition.preparation));
  }
  return blocks;
}

/** The source's framing in our words: delivering vs steadying; executing vs scaling execution. */
function inShort(from: Role, to: Role, fieldMax: number): Block[] {
  if (!from.contribution || !to.contribution || !from.proves || !to.proves) return [];
  return [
    sideBySide(
      '*In short*',
      `*${escapeMrkdwn(from.name)}*\n${escapeMrkdwn(from.contribution)} ${escapeMrkdwn(from.proves)}`,
      `*${escapeMrkdwn(to.name)}*\n${escapeMrkdwn(to.contribution)} ${escapeMrkdwn(to.proves)}`,
      fieldMax,
    ),
  ];
}

function buildRoleComparison(
  ladder: Ladder,
  comparison: RoleComparison,
  options: ComparisonOptions,
): SlackMessage {
  const { from, to } = comparison;
  const a = escapeMrkdwn(from.name);
  const b = escapeMrkdwn(to.name);
  // Keep the whole message well under Slack's total block text limit, whatever the data holds.
  const fieldMax = Math.min(LIMITS.field, Math.floor(9000 / (2 * (comparison.aspects.length + 2))));
  const blocks: Block[] = [
    header(`${from.name} → ${to.name}: what changes`),
    sideBySide(
      '*Core responsibility*',
      `*${a}*\n${escapeMrkdwn(from.core)}`,
      `*${b}*\n${escapeMrkdwn(to.core)}`,
      fieldMax,
    ),
  ];
  for (const aspect of comparison.aspects) {
    blocks.push(
      sideBySide(
        `*${escapeMrkdwn(aspect.aspect.name)}*`,
        `*${a}*\n${escapeMrkdwn(aspect.from)}`,
        `*${b}*\n${escapeMrkdwn(aspect.to)}`,
        fieldMax,
      ),
    );
  }
  blocks.push(
    sideBySide(
      '*The question each answers*',
      `*${a}*\n_${escapeMrkdwn(from.question)}_`,
      `*${b}*\n_${escapeMrkdwn(to.question)}_`,
      fieldMax,
    ),
  );
  blocks.push(...inShort(from, to, fieldMax), divider());

  const { shifts } = comparison;
  blocks.push(...shiftBlocks(comparison));

  const positionOf = (id: string): string => {
    const level = ladder.levelsById.get(id);
    return level ? levelName(level) : id;
  };
  blocks.push(
    context(
      `On the ladder, ${a} is comparable to ${escapeMrkdwn(positionOf(from.comparable.positionId))} and ` +
        `${b} to ${escapeMrkdwn(positionOf(to.comparable.positionId))}.`,
    ),
  );
  if (options.shared) blocks.push(sharedNote(from, to, options.typed));
  else blocks.push(...comparisonButtons(from, to, options.typed));

  const shiftText =
    shifts.length > 0 ? ` Mindset shifts: ${shifts.map((s) => `${s.from} to ${s.to}`).join('; ')}.` : '';
  const text = fallback(
    `${from.name} → ${to.name}. ${from.name}: ${from.core} ${to.name}: ${to.core}${shiftText}`,
  );
  return { text, blocks: capBlocks(blocks) };
}

/**
 * The comparison message. `requested` are the levels the user named (roles included), used for
 * the buttons and the share value; by default the comparison's own sides.
 */
export function buildComparison(
  ladder: Ladder,
  comparison: LevelComparison,
  options: ComparisonOptions & { requested?: { from: Level; to: Level } } = {},
): SlackMessage {
  if (comparison.kind === 'roles') return buildRoleComparison(ladder, comparison, options);
  const requested = options.requested ?? { from: comparison.from, to: comparison.to };
  return buildPositionComparison(comparison, requested, options);
}

/** Compares two levels and builds the message: the usual entry point for `compare` and its buttons. */
export function buildCompareLevels(
  ladder: Ladder,
  from: Level,
  to: Level,
  options: ComparisonOptions = {},
): SlackMessage {
  return buildComparison(ladder, compareLevels(ladder, from, to), { ...options, requested: { from, to } });
}

/**
 * The reply to `/ladder compare …` once its words were resolved: the comparison, or the closest
 * matches for the side that is not a level, or the usage when the words do not make two sides.
 */
export function buildCompareReply(
  ladder: Ladder,
  pair: LevelPairResolution | null,
  helpEntries: readonly HelpEntry[] = HELP_ENTRIES,
  typed?: string,
): SlackMessage {
  if (!pair) {
    return buildUsageHelp(COMPARE_USAGE, helpEntries);
  }
  const { a, b } = pair;
  if (a.kind === 'unknown') {
    return buildUnknownLevel(
      ladder,
      a,
      b.kind === 'unknown' ? { alsoUnknown: b } : { compareWith: { level: b, side: 'b' } },
    );
  }
  if (b.kind === 'unknown') return buildUnknownLevel(ladder, b, { compareWith: { level: a, side: 'a' } });
  if (a.id === b.id) return buildSameLevel(ladder, a, pair);
  return buildCompareLevels(ladder, a, b, { typed: typed ?? null });
}

/** `compare lead lead`: both sides name one level, so there is nothing to compare. */
export function buildSameLevel(
  ladder: Ladder,
  level: Level,
  typed: { leftText: string; rightText: string },
): SlackMessage {
  const { down, up } = neighbourLevels(ladder, level);
  const other = up ?? down;
  const name = levelName(level).toLowerCase();
  const left = escapeMrkdwn(typed.leftText.toLowerCase());
  const right = escapeMrkdwn(typed.rightText.toLowerCase());
  const example = other
    ? `\`${COMMAND} compare ${escapeMrkdwn(name)} ${escapeMrkdwn(levelName(other).toLowerCase())}\``
    : null;
  const text =
    `\`${left}\` and \`${right}\` are the same level (*${escapeMrkdwn(levelTitle(level))}*), so there is nothing to compare. ` +
    (example
      ? `Compare it with another level, e.g. ${example}, or see it alone with `
      : 'See it alone with ') +
    `\`${COMMAND} ${left}\`.`;
  return { text: fallback(text.replace(/[`*]/g, '')), blocks: [section(text)] };
}
