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
import { SerialisedReply, type SerialisedTemplate, serialisedTemplate } from '../serialised.ts';
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
  /**
   * The same answers as the ephemeral ack body of a command, serialised: the bytes
   * `JSON.stringify({ response_type: 'ephemeral', ...reply })` would write, prepared at start
   * (the typed words joined into the prepared text per request).
   */
  acks: {
    help: SerialisedReply;
    levels: SerialisedReply;
    level(resolution: LevelResolution, typed?: string): SerialisedReply;
    compare(pair: LevelPairResolution | null, typed?: string): SerialisedReply;
  };
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

const ephemeral = (message: SlackMessage) => ({ response_type: 'ephemeral', ...message });

/** The ack of a prepared message whose Share button carries the typed words: serialised once, the value left open. */
function shareTemplate(message: SlackMessage, prepared: string): SerialisedTemplate {
  return serialisedTemplate((value) => ephemeral(withButtonValue(message, prepared, value)));
}

function serialisedAcks(ladder: Ladder, replies: Omit<PreparedReplies, 'acks'>): PreparedReplies['acks'] {
  const cards = new Map<string, SerialisedTemplate>();
  const comparisons = new Map<string, SerialisedTemplate>();
  for (const from of ladder.levels) {
    cards.set(from.id, shareTemplate(replies.levelCard(from), encodeLevelValue(from.id)));
    for (const to of ladder.levels) {
      if (from.id === to.id) continue;
      const pair = encodeLevelPair(from.id, to.id);
      comparisons.set(pairKey(from, to), shareTemplate(replies.comparison(from, to), pair));
    }
  }
  const built = (message: SlackMessage) => new SerialisedReply(ephemeral(message));
  return {
    help: new SerialisedReply(ephemeral(replies.help)),
    levels: new SerialisedReply(ephemeral(replies.levels)),
    level(resolution, typed) {
      if (resolution.kind === 'unknown') return built(replies.levelReply(resolution, typed));
      const card = cards.get(resolution.id);
      if (!card) return built(replies.levelReply(resolution, typed));
      const plain = replies.levelCard(resolution);
      // A clash note (what was typed names another role too) is rare: that answer is built.
      if (withClashNote(ladder, plain, resolution, typed) !== plain) {
        return built(replies.levelReply(resolution, typed));
      }
      return card.fill(encodeLevelValue(resolution.id, typed));
    },
    compare(pair, typed) {
      const a = pair?.a;
      const b = pair?.b;
      const template =
        a && b && a.kind !== 'unknown' && b.kind !== 'unknown' ? comparisons.get(pairKey(a, b)) : undefined;
      if (!template || !a || !b || a.kind === 'unknown' || b.kind === 'unknown') {
        return built(replies.compareReply(pair, typed));
      }
      return template.fill(encodeLevelPair(a.id, b.id, typed));
    },
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
  const replies: Omit<PreparedReplies, 'acks'> = {
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
  return { ...replies, acks: serialisedAcks(ladder, replies) };
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
