/**
 * "What counts here": for one level, the step it expects on each axis with examples of evidence at
 * that step, written for a TPM (ladder-data/coaching.yaml). A role shows its comparable position's
 * steps and says so. Pure.
 */
import { examplesForPosition } from '../../domain/coaching.ts';
import { toPosition } from '../../domain/ladder/compare.ts';
import type { Ladder, Level } from '../../domain/ladder/model.ts';
import { COMMAND } from '../ids.ts';
import {
  type Block,
  capBlocks,
  context,
  escapeMrkdwn,
  fallback,
  header,
  levelTitle,
  type SlackMessage,
  section,
} from './format.ts';

export function buildLevelExamples(ladder: Ladder, level: Level): SlackMessage {
  const { position, substitutedFrom } = toPosition(ladder, level);
  const name = substitutedFrom ? substitutedFrom.name : levelTitle(position);
  const blocks: Block[] = [header(`What counts here: ${name}`)];
  if (substitutedFrom) {
    blocks.push(
      context(
        `${escapeMrkdwn(substitutedFrom.name)} has no steps of its own: these are the steps of ` +
          `${escapeMrkdwn(levelTitle(position))}, the position it is compared with.`,
      ),
    );
  }
  const rows = examplesForPosition(ladder, position);
  const plain: string[] = [];
  for (const { axis, step, examples } of rows) {
    const list =
      examples.length > 0
        ? examples.map((e) => `• ${escapeMrkdwn(e)}`).join('\n')
        : '_No examples in the ladder data._';
    blocks.push(section(`*${escapeMrkdwn(axis.name)}: ${escapeMrkdwn(step.name)}*\n${list}`));
    plain.push(`${axis.name}, ${step.name}: ${examples.join(' ')}`);
  }
  blocks.push(
    context(`Examples of evidence, not a checklist. Log yours with \`${COMMAND} log <what you did> #axis\`.`),
  );
  return {
    text: fallback(`What counts here for ${name}. ${plain.join(' ')}`),
    blocks: capBlocks(blocks),
  };
}
