/**
 * `/ladder <level>`: the card of one position (TPM5) or one role (Lead TPM). Pure.
 */
import {
  comparablePosition,
  neighbourLevels,
  rolesComparableTo,
  shiftsOf,
  transitionsOf,
} from '../../domain/ladder/compare.ts';
import type { Ladder, Level, Position, PreparationAction, Role } from '../../domain/ladder/model.ts';
import type { LevelResolution } from '../../domain/ladder/resolve.ts';
import { clashOf } from '../../domain/profile.ts';
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
  levelName,
  levelTitle,
  type SlackMessage,
  section,
} from './format.ts';
import { buildUnknownLevel } from './unknown-level.ts';
import { encodeLevelPair, encodeLevelValue, typedWords } from './values.ts';

export interface LevelCardOptions {
  /** The copy posted in the channel by Share in channel: no buttons. */
  shared?: boolean;
  /** What the person typed to get this card (`lead`), shown by "Shared from". */
  typed?: string | null;
}

/** The buttons under a card: compare with the level below and above, and Share in channel. */
function cardButtons(ladder: Ladder, level: Level, typed: string | null | undefined): Block[] {
  const { down, up } = neighbourLevels(ladder, level);
  const buttons = [];
  if (down) {
    buttons.push(
      button({
        text: `Compare with ${levelName(down)} (below)`,
        actionId: nthActionId(ActionId.compareLevels, buttons.length),
        value: encodeLevelPair(down.id, level.id),
      }),
    );
  }
  if (up) {
    buttons.push(
      button({
        text: `Compare with ${levelName(up)} (above)`,
        actionId: nthActionId(ActionId.compareLevels, buttons.length),
        value: encodeLevelPair(level.id, up.id),
      }),
    );
  }
  buttons.push(
    button({
      text: 'What counts here',
      actionId: ActionId.levelExamples,
      value: encodeLevelValue(level.id),
    }),
    button({
      text: 'Share in channel',
      actionId: ActionId.shareInChannel,
      value: encodeLevelValue(level.id, typed),
    }),
  );
  return actions(buttons);
}

function sharedNote(level: Level, typed: string | null | undefined): Block {
  const words = typedWords(typed) ?? levelName(level).toLowerCase();
  return context(`Shared from \`${COMMAND} ${escapeMrkdwn(words)}\``);
}

function buildPositionCard(ladder: Ladder, position: Position, options: LevelCardOptions): SlackMessage {
  const track = ladder.tracks.find((t) => t.id === position.trackId);
  const roles = rolesComparableTo(ladder, position.id);
  const blocks: Block[] = [header(levelTitle(position))];
  if (track) blocks.push(section(`*${escapeMrkdwn(track.name)}*: ${escapeMrkdwn(track.summary)}`));
  const facts: string[] = [];
  if (position.seniority) facts.push(`Seniority: ${escapeMrkdwn(position.seniority)}.`);
  if (position.upstreamCode && position.upstreamCode !== position.code) {
    facts.push(
      `Called ${escapeMrkdwn(position.upstreamCode)} in the upstream Engineering Ladders numbering.`,
    );
  }
  if (facts.length > 0) blocks.push(context(facts.join(' ')));
  blocks.push(divider());
  const axisLines: string[] = [];
  for (const axis of ladder.axes) {
    const step = position.steps[axis.id];
    const of = `${step.number}/${axis.steps.length}`;
    blocks.push(
      section(
        `*${escapeMrkdwn(axis.name)}*: *${escapeMrkdwn(step.name)}* (step ${of})\n${escapeMrkdwn(step.meaning)}`,
      ),
    );
    axisLines.push(`${axis.name}: ${step.name} (step ${of})`);
  }
  blocks.push(context('Steps are cumulative: each one includes the steps below it on the same axis.'));
  blocks.push(divider());
  const roleText =
    roles.length === 0
      ? 'No role in this ladder is mapped to this position.'
      : roles
          .map((role) => `*${escapeMrkdwn(role.name)}*. ${escapeMrkdwn(role.comparable.reason)}`)
          .join('\n');
  blocks.push(section(`*Comparable role:* ${roleText}`));
  if (options.shared) blocks.push(sharedNote(position, options.typed));
  else blocks.push(...cardButtons(ladder, position, options.typed));

  const roleFallback =
    roles.length === 0 ? 'no comparable role' : `comparable role: ${roles.map((r) => r.name).join(', ')}`;
  const text = fallback(
    `${levelTitle(position)}${track ? ` (${track.name})` : ''}. ${axisLines.join('; ')}. ${roleFallback}.`,
  );
  return { text, blocks: capBlocks(blocks) };
}

function buildRoleCard(ladder: Ladder, role: Role, options: LevelCardOptions): SlackMessage {
  const family = ladder.roleFamilies.find((f) => f.id === role.familyId);
  const { position, reason } = comparablePosition(ladder, role);
  const blocks: Block[] = [
    header(role.name),
    section(`*Core responsibility:* ${escapeMrkdwn(role.core)}`),
    section(`*The question it answers:* _${escapeMrkdwn(role.question)}_`),
  ];
  const framing = [
    role.contribution ? `*In short:* ${escapeMrkdwn(role.contribution)}` : null,
    role.proves ? `*What it proves:* ${escapeMrkdwn(role.proves)}` : null,
  ].filter((line): line is string => line !== null);
  if (framing.length > 0) blocks.push(section(framing.join('\n')));
  blocks.push(divider());
  for (const aspect of family?.aspects ?? []) {
    const text = role.aspects[aspect.id];
    if (text) blocks.push(section(`*${escapeMrkdwn(aspect.name)}*\n${escapeMrkdwn(text)}`));
  }
  blocks.push(divider());

  const { from, to } = transitionsOf(ladder, role);
  const shiftFallback: string[] = [];
  for (const transition of [...from, ...to]) {
    const shifts = shiftsOf(ladder, transition);
    if (shifts.length === 0 && transition.preparation.length === 0) continue;
    const goingUp = transition.fromRoleId === role.id;
    const otherId = goingUp ? transition.toRoleId : transition.fromRoleId;
    const other = ladder.levelsById.get(otherId);
    const otherName = other ? levelName(other) : otherId;
    const title = goingUp
      ? `*Mindset shifts to grow into ${escapeMrkdwn(otherName)}*`
      : `*Mindset shifts that separate this role from ${escapeMrkdwn(otherName)}*`;
    const lines = shifts.map(
      (shift) =>
        `• from *${escapeMrkdwn(shift.from)}* to *${escapeMrkdwn(shift.to)}*: ${escapeMrkdwn(shift.summary)}`,
    );
    if (transition.note) lines.push(`_${escapeMrkdwn(transition.note)}_`);
    if (goingUp && transition.promotion) lines.push(escapeMrkdwn(transition.promotion));
    blocks.push(section([title, ...lines].join('\n')));
    shiftFallback.push(...shifts.map((shift) => `${shift.from} to ${shift.to}`));
    if (goingUp && transition.preparation.length > 0) {
      blocks.push(preparationSection(transition.preparation));
    }
  }

  const others = role.comparable.positionIds
    .filter((id) => id !== position.id)
    .map((id) => ladder.levelsById.get(id))
    .filter((level): level is Level => level !== undefined)
    .map((level) => escapeMrkdwn(levelName(level)));
  const alsoText = others.length > 0 ? ` (the role also spans ${others.join(', ')})` : '';
  blocks.push(
    section(
      `*Comparable position:* ${escapeMrkdwn(levelTitle(position))}${alsoText}. ${escapeMrkdwn(reason)}`,
    ),
  );
  if (options.shared) blocks.push(sharedNote(role, options.typed));
  else blocks.push(...cardButtons(ladder, role, options.typed));

  const shiftsText = shiftFallback.length > 0 ? ` Mindset shifts: ${shiftFallback.join('; ')}.` : '';
  const text = fallback(
    `${role.name}: ${role.core} It answers: ${role.question}${shiftsText} Comparable position: ${levelTitle(position)}.`,
  );
  return { text, blocks: capBlocks(blocks) };
}

/** The card of a position or a role. */
export function buildLevelCard(ladder: Ladder, level: Level, options: LevelCardOptions = {}): SlackMessage {
  return level.kind === 'position'
    ? buildPositionCard(ladder, level, options)
    : buildRoleCard(ladder, level, options);
}

/**
 * The reply to `/ladder <query>`: the card, or the closest matches when the level is unknown. When
 * the words also read as another level (`senior`: TPM3 is titled Senior Engineer), the card says
 * which was meant and offers the other.
 */
export function buildLevelReply(ladder: Ladder, resolution: LevelResolution, typed?: string): SlackMessage {
  if (resolution.kind === 'unknown') return buildUnknownLevel(ladder, resolution);
  return withClashNote(
    ladder,
    buildLevelCard(ladder, resolution, { typed: typed ?? null }),
    resolution,
    typed,
  );
}

/**
 * A card for what was typed: when the words also read as another level, the note that says which
 * was meant and offers the other goes on top; otherwise the card as it is.
 */
export function withClashNote(
  ladder: Ladder,
  card: SlackMessage,
  level: Level,
  typed?: string,
): SlackMessage {
  const clash = typed === undefined ? null : clashOf(ladder, typed, level);
  if (!clash) return card;
  const other = clash.other;
  const command = `\`${COMMAND} ${other.kind === 'position' ? other.id : other.name.toLowerCase()}\``;
  const note =
    `“${escapeMrkdwn(clash.typed)}” is the *${escapeMrkdwn(levelName(clash.meant))}* role. ` +
    `${escapeMrkdwn(clash.note)} For *${escapeMrkdwn(levelTitle(other))}*: ${command}.`;
  return {
    text: fallback(
      `${card.text} (“${clash.typed}” read as ${levelName(clash.meant)}; for ${levelTitle(other)}, ${COMMAND} ${other.id}.)`,
    ),
    blocks: capBlocks([context(note), ...card.blocks]),
  };
}

/** A button's answer when the level its value names is not in the ladder (any more). */
export const LEVEL_GONE_TEXT = `That button refers to a level that no longer exists. Try \`${COMMAND} levels\`.`;

/** A transition's preparation actions, numbered, under their heading. */
export function preparationSection(preparation: readonly PreparationAction[]): Block {
  const steps = preparation.map((action, i) => `${i + 1}. ${escapeMrkdwn(action.text)}`);
  return section(['*How to prepare before the title changes*', ...steps].join('\n'));
}
