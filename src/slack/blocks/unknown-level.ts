/**
 * The reply when a level name matches nothing: the closest matches (`tmp5` → TPM5) as buttons,
 * and the levels that exist. Pure. What the user typed is shown escaped and shortened.
 */
import type { Ladder, Level } from '../../domain/ladder/model.ts';
import type { LevelSuggestion, UnknownLevel } from '../../domain/ladder/resolve.ts';
import { ActionId, COMMAND, nthActionId } from '../ids.ts';
import {
  actions,
  type Block,
  button,
  escapeMrkdwn,
  fallback,
  levelName,
  levelTitle,
  plainUserText,
  quoteUserText,
  type SlackMessage,
  section,
} from './format.ts';
import { encodeLevelPair, encodeLevelValue } from './values.ts';

export interface UnknownLevelOptions {
  /**
   * Set when the unknown name was one side of `compare`: the suggestions then offer the
   * comparison with the side that was understood.
   */
  compareWith?: { level: Level; side: 'a' | 'b' };
  /** The other side of a comparison, when it is unknown too. */
  alsoUnknown?: UnknownLevel;
}

function describeSuggestion(suggestion: LevelSuggestion): string {
  const { level } = suggestion;
  const name = `*${escapeMrkdwn(levelName(level))}*`;
  const title = level.kind === 'position' ? ` (${escapeMrkdwn(level.title)})` : '';
  if (suggestion.reason === 'upstream-code') {
    return `${name}${title}, which the upstream Engineering Ladders numbering calls ${escapeMrkdwn(suggestion.matched)}`;
  }
  return `${name}${title}`;
}

/** "A, B or C" */
function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

export function buildUnknownLevel(
  ladder: Ladder,
  unknown: UnknownLevel,
  options: UnknownLevelOptions = {},
): SlackMessage {
  const { compareWith } = options;
  const typed = quoteUserText(unknown.query);
  const opening =
    unknown.query.trim() === '' ? 'Which level do you mean?' : `I don't know a level called “${typed}”.`;
  const blocks: Block[] = [];
  const suggestions = unknown.suggestions;
  let didYouMean = '';
  if (suggestions.length > 0) {
    const names = orList(suggestions.map(describeSuggestion));
    didYouMean = compareWith
      ? `Did you mean to compare ${escapeMrkdwn(levelName(compareWith.level))} with ${names}?`
      : `Did you mean ${names}?`;
  }
  const also = options.alsoUnknown;
  const alsoText =
    also && also.query.trim() !== ''
      ? `I don't know “${quoteUserText(also.query)}” either` +
        (also.suggestions.length > 0
          ? ` (closest: ${orList(also.suggestions.map((s) => `*${escapeMrkdwn(levelName(s.level))}*`))}).`
          : '.')
      : '';
  blocks.push(section([opening, didYouMean, alsoText].filter(Boolean).join(' ')));

  const levelsList = ladder.levels.map((level) => escapeMrkdwn(levelTitle(level))).join(', ');
  blocks.push(
    section(
      `*Levels you can ask for:* ${levelsList}.\nCase, spaces and hyphens don't matter, and titles work too. ` +
        `\`${COMMAND} levels\` shows them all.`,
    ),
  );

  const buttons = suggestions.map((suggestion, i) => {
    const level = suggestion.level;
    if (compareWith) {
      const value =
        compareWith.side === 'a'
          ? encodeLevelPair(compareWith.level.id, level.id)
          : encodeLevelPair(level.id, compareWith.level.id);
      const [first, second] =
        compareWith.side === 'a' ? [compareWith.level, level] : [level, compareWith.level];
      return button({
        text: `Compare ${levelName(first)} with ${levelName(second)}`,
        actionId: nthActionId(ActionId.compareLevels, i),
        value,
      });
    }
    return button({
      text: `Show ${levelName(level)}`,
      actionId: nthActionId(ActionId.showLevel, i),
      value: encodeLevelValue(level.id),
    });
  });
  blocks.push(...actions(buttons));

  const plainSuggestions = suggestions.map((s) => levelName(s.level));
  const text = fallback(
    `${unknown.query.trim() === '' ? 'Which level do you mean?' : `No level called “${plainUserText(unknown.query)}”.`}` +
      (plainSuggestions.length > 0 ? ` Did you mean ${orList(plainSuggestions)}?` : '') +
      (also && also.query.trim() !== '' ? ` No level called “${plainUserText(also.query)}” either.` : '') +
      ` Levels: ${ladder.levels.map(levelName).join(', ')}.`,
  );
  return { text, blocks };
}
