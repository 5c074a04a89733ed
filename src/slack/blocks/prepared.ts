/**
 * The replies that depend on the ladder alone, built once when the app starts and reused by every
 * request: the help, the levels overview, each level's card and each comparison between two
 * levels. The ladder only changes when the app restarts, so a request costs a lookup, not a
 * rebuild. Answers that depend on what was typed (an unknown level, a missing side) are still built
 * per request. The prepared messages are frozen: a handler that tried to change one would throw
 * instead of changing everyone's reply. Pure.
 */
import type { Ladder, Level } from '../../domain/ladder/model.ts';
import type { LevelPairResolution, LevelResolution } from '../../domain/ladder/resolve.ts';
import { ActionId } from '../ids.ts';
import { buildCompareLevels, buildCompareReply } from './compare.ts';
import type { SlackMessage } from './format.ts';
import { buildHelp, type HelpEntry } from './help.ts';
import { buildLevelCard, buildLevelReply, withClashNote } from './level-card.ts';
import { buildLevelsOverview } from './levels.ts';
import { encodeLevelPair, encodeLevelValue } from './values.ts';

export interface PreparedReplies {
  help: SlackMessage;
  levels: SlackMessage;
  /** The card of a level: prepared for every level of the ladder. */
  levelCard(level: Level): SlackMessage;
  /** The comparison of two levels, in that order: prepared for every ordered pair. */
  comparison(from: Level, to: Level): SlackMessage;
  /**
   * `/ladder <words>`: the prepared card with what was typed in its Share button, or the
   * unknown-level answer built for these words.
   */
  levelReply(resolution: LevelResolution, typed?: string): SlackMessage;
  /**
   * `/ladder compare …`: the prepared comparison with what was typed in its Share button, or the
   * answer built for what was not two different levels.
   */
  compareReply(pair: LevelPairResolution | null, typed?: string): SlackMessage;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const pairKey = (from: Level, to: Level) => `${from.id}\u0000${to.id}`;

/**
 * The per-request part of a prepared card: the Share button carries what the person typed. A copy
 * of the message with that one button's value changed (the blocks around it are shared, frozen).
 */
function withButtonValue(message: SlackMessage, prepared: string, value: string): SlackMessage {
  if (prepared === value) return message;
  return {
    ...message,
    blocks: message.blocks.map((block) =>
      block.type !== 'actions'
        ? block
        : {
            ...block,
            elements: block.elements.map((element) =>
              // Only Share in channel carries the typed words (What counts here keeps the plain id).
              element.type === 'button' &&
              element.action_id === ActionId.shareInChannel &&
              element.value === prepared
                ? { ...element, value }
                : element,
            ),
          },
    ),
  };
}

export function prepareReplies(ladder: Ladder, helpEntries: readonly HelpEntry[]): PreparedReplies {
  const help = deepFreeze(buildHelp(helpEntries));
  const levels = deepFreeze(buildLevelsOverview(ladder));
  const cards = new Map<string, SlackMessage>();
  const comparisons = new Map<string, SlackMessage>();
  for (const from of ladder.levels) {
    cards.set(from.id, deepFreeze(buildLevelCard(ladder, from)));
    for (const to of ladder.levels) {
      comparisons.set(pairKey(from, to), deepFreeze(buildCompareLevels(ladder, from, to)));
    }
  }
  const levelCard = (level: Level) => cards.get(level.id) ?? buildLevelCard(ladder, level);
  const comparison = (from: Level, to: Level) =>
    comparisons.get(pairKey(from, to)) ?? buildCompareLevels(ladder, from, to);
  return {
    help,
    levels,
    levelCard,
    comparison,
    levelReply: (resolution, typed) =>
      resolution.kind === 'unknown'
        ? buildLevelReply(ladder, resolution, typed)
        : withClashNote(
            ladder,
            withButtonValue(
              levelCard(resolution),
              encodeLevelValue(resolution.id),
              encodeLevelValue(resolution.id, typed),
            ),
            resolution,
            typed,
          ),
    compareReply: (pair, typed) =>
      pair && pair.a.kind !== 'unknown' && pair.b.kind !== 'unknown' && pair.a.id !== pair.b.id
        ? withButtonValue(
            comparison(pair.a, pair.b),
            encodeLevelPair(pair.a.id, pair.b.id),
            encodeLevelPair(pair.a.id, pair.b.id, typed),
          )
        : buildCompareReply(ladder, pair, undefined, typed),
  };
}

const preparedByLadder = new WeakMap<Ladder, PreparedReplies>();

/** The replies prepared for this ladder, built on the first call (at start, by the listeners). */
export function preparedRepliesFor(ladder: Ladder, helpEntries: readonly HelpEntry[]): PreparedReplies {
  let replies = preparedByLadder.get(ladder);
  if (!replies) {
    replies = prepareReplies(ladder, helpEntries);
    preparedByLadder.set(ladder, replies);
  }
  return replies;
}
