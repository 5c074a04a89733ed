/**
 * `/ladder levels`: the ladder at a glance: every track's positions with their titles and steps,
 * and the roles with the positions they compare to. Pure.
 */
import type { types } from '@slack/bolt';
import type { Ladder, Level } from '../../domain/ladder/model.ts';
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
} from './format.ts';
import { encodeLevelValue } from './values.ts';

/** Sections of whole lines, each under Slack's per-section limit. */
function linesToSections(lines: readonly string[]): Block[] {
  const blocks: Block[] = [];
  let chunk = '';
  for (const line of lines) {
    if (chunk !== '' && chunk.length + line.length + 1 > LIMITS.sectionText - 200) {
      blocks.push(section(chunk));
      chunk = '';
    }
    chunk = chunk === '' ? line : `${chunk}\n${line}`;
  }
  if (chunk !== '') blocks.push(section(chunk));
  return blocks;
}

/** At most 50 "Show" buttons: a larger ladder is still reachable by typing the level. */
const MAX_LEVEL_BUTTONS = 50;

export function buildLevelsOverview(ladder: Ladder): SlackMessage {
  const blocks: Block[] = [header('The ladder at a glance')];
  const axisOrder = ladder.axes.map((axis) => axis.name).join(', ');
  blocks.push(
    context(
      `Each position reaches one step on each axis (${escapeMrkdwn(axisOrder)}); a step includes the ones below it.`,
    ),
  );
  const fallbackParts: string[] = [];

  for (const track of ladder.tracks) {
    blocks.push(divider(), section(`*${escapeMrkdwn(track.name)}*: ${escapeMrkdwn(track.summary)}`));
    const lines = track.positions.map((position) => {
      const steps = ladder.axes
        .map((axis) => {
          const step = position.steps[axis.id];
          return `${escapeMrkdwn(axis.name)} ${escapeMrkdwn(step.name)} ${step.number}/${axis.steps.length}`;
        })
        .join(', ');
      return `*${escapeMrkdwn(levelTitle(position))}*: ${steps}`;
    });
    blocks.push(...linesToSections(lines));
    fallbackParts.push(`${track.name}: ${track.positions.map(levelTitle).join(', ')}.`);
  }

  for (const family of ladder.roleFamilies) {
    blocks.push(divider(), section(`*${escapeMrkdwn(family.name)}*`));
    const lines = family.roles.map((role) => {
      const positions = role.comparable.positionIds
        .map((id) => ladder.levelsById.get(id))
        .filter((level): level is Level => level !== undefined)
        .map(levelName);
      return `*${escapeMrkdwn(role.name)}* (comparable to ${escapeMrkdwn(positions.join(', '))}): ${escapeMrkdwn(role.core)}`;
    });
    blocks.push(...linesToSections(lines));
    fallbackParts.push(`${family.name}: ${family.roles.map((r) => r.name).join(', ')}.`);
  }

  const buttons: types.Button[] = ladder.levels.slice(0, MAX_LEVEL_BUTTONS).map((level, i) =>
    button({
      text: levelName(level),
      actionId: nthActionId(ActionId.showLevel, i % LIMITS.actionsElements),
      value: encodeLevelValue(level.id),
    }),
  );
  blocks.push(
    divider(),
    context(`Open a level below, or type \`${COMMAND} <level>\` (e.g. \`${COMMAND} lead\`).`),
  );
  blocks.push(...actions(buttons));

  const text = fallback(`The ladder at a glance. ${fallbackParts.join(' ')}`);
  return { text, blocks: capBlocks(blocks) };
}
