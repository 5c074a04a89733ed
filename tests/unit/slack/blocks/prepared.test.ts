import { describe, expect, it } from 'vitest';
import { resolveLevel, resolveLevelPair } from '../../../../src/domain/ladder/resolve.ts';
import { buildCompareLevels, buildCompareReply } from '../../../../src/slack/blocks/compare.ts';
import { buildHelp } from '../../../../src/slack/blocks/help.ts';
import { buildLevelCard, buildLevelReply } from '../../../../src/slack/blocks/level-card.ts';
import { buildLevelsOverview } from '../../../../src/slack/blocks/levels.ts';
import { preparedRepliesFor, prepareReplies } from '../../../../src/slack/blocks/prepared.ts';
import { helpEntries } from '../../../../src/slack/help-entries.ts';
import { realLadder } from '../../../helpers/ladder.ts';

const ladder = realLadder();
const prepared = prepareReplies(ladder, helpEntries());

describe('replies prepared at start', () => {
  it('equal freshly built ones for help and the levels overview', () => {
    expect(prepared.help).toEqual(buildHelp(helpEntries()));
    expect(prepared.levels).toEqual(buildLevelsOverview(ladder));
  });

  it('equal a freshly built card for every level, by any of its names', () => {
    expect(ladder.levels.length).toBeGreaterThan(5);
    for (const level of ladder.levels) {
      expect(prepared.levelCard(level), level.id).toEqual(buildLevelCard(ladder, level));
    }
    for (const alias of ladder.aliases) {
      const resolution = resolveLevel(ladder, alias.key);
      expect(prepared.levelReply(resolution), alias.key).toEqual(buildLevelReply(ladder, resolution));
      // What was typed rides in the Share button: the one part built per request.
      for (const typed of [alias.key, alias.key.toUpperCase(), `  ${alias.key} `]) {
        expect(prepared.levelReply(resolution, typed), typed).toEqual(
          buildLevelReply(ladder, resolution, typed),
        );
      }
    }
  });

  it('equal a freshly built comparison for every ordered pair of levels, the same level included', () => {
    let pairs = 0;
    for (const from of ladder.levels) {
      for (const to of ladder.levels) {
        expect(prepared.comparison(from, to), `${from.id} → ${to.id}`).toEqual(
          buildCompareLevels(ladder, from, to),
        );
        pairs += 1;
      }
    }
    expect(pairs).toBe(ladder.levels.length ** 2);
    for (const words of [
      ['senior', 'lead'],
      ['tpm4', 'tpm5'],
      ['staff', 'senior', 'staff'],
    ]) {
      const pair = resolveLevelPair(ladder, words);
      expect(prepared.compareReply(pair), words.join(' ')).toEqual(buildCompareReply(ladder, pair));
    }
  });

  it('build what depends on the words typed: an unknown level, a missing side, no pair at all', () => {
    for (const resolution of [resolveLevel(ladder, 'leed'), resolveLevel(ladder, 'xyzzy')]) {
      expect(prepared.levelReply(resolution)).toEqual(buildLevelReply(ladder, resolution));
    }
    for (const pair of [
      resolveLevelPair(ladder, ['senior', 'leed']),
      resolveLevelPair(ladder, ['tpm4']),
      null,
    ]) {
      expect(prepared.compareReply(pair)).toEqual(buildCompareReply(ladder, pair));
    }
  });

  it('serialise byte for byte as the ack body the normal path would send, for help, levels, every level and pair', () => {
    const ack = (message: object) => JSON.stringify({ response_type: 'ephemeral', ...message });
    expect(prepared.acks.help.json).toBe(ack(buildHelp(helpEntries())));
    expect(prepared.acks.levels.json).toBe(ack(buildLevelsOverview(ladder)));
    const typings = (key: string) => [undefined, key, key.toUpperCase(), `  ${key} `, `${key} "quoted" \\ é`];
    for (const level of ladder.levels) {
      for (const typed of typings(level.id)) {
        const resolution = resolveLevel(ladder, level.id);
        expect(prepared.acks.level(resolution, typed).json, `${level.id} ${typed}`).toBe(
          ack(buildLevelReply(ladder, resolution, typed)),
        );
      }
    }
    for (const alias of ladder.aliases) {
      const resolution = resolveLevel(ladder, alias.key);
      for (const typed of typings(alias.key)) {
        expect(prepared.acks.level(resolution, typed).json, `${alias.key} ${typed}`).toBe(
          ack(buildLevelReply(ladder, resolution, typed)),
        );
      }
    }
    let pairs = 0;
    for (const from of ladder.levels) {
      for (const to of ladder.levels) {
        const words = [from.id, to.id];
        const pair = resolveLevelPair(ladder, words);
        for (const typed of [undefined, words.join(' '), `${from.id} vs ${to.id}`]) {
          expect(prepared.acks.compare(pair, typed).json, `${from.id} → ${to.id} ${typed}`).toBe(
            ack(buildCompareReply(ladder, pair, undefined, typed)),
          );
        }
        pairs += 1;
      }
    }
    expect(pairs).toBe(ladder.levels.length ** 2);
    // What is built per request (an unknown level, a missing side) serialises the same way too.
    for (const words of ['leed', 'xyzzy']) {
      const resolution = resolveLevel(ladder, words);
      expect(prepared.acks.level(resolution, words).json).toBe(
        ack(buildLevelReply(ladder, resolution, words)),
      );
    }
    for (const words of [['senior', 'leed'], ['tpm4']]) {
      const pair = resolveLevelPair(ladder, words);
      expect(prepared.acks.compare(pair, words.join(' ')).json).toBe(
        ack(buildCompareReply(ladder, pair, undefined, words.join(' '))),
      );
    }
    expect(prepared.acks.compare(null).json).toBe(ack(buildCompareReply(ladder, null)));
  });

  it('write the same text through JSON.stringify (Bolt’s own ack) as through the gate, and stand for their body', () => {
    const resolution = resolveLevel(ladder, 'lead');
    for (const reply of [
      prepared.acks.help,
      prepared.acks.level(resolution, 'Lead'),
      prepared.acks.level(resolution),
    ]) {
      expect(JSON.stringify(reply)).toBe(reply.json);
      // What Socket Mode's ack is handed: the body itself, which serialises to the same text.
      expect(JSON.stringify({ ...reply.toJSON() })).toBe(reply.json);
    }
  });

  it('are frozen, so no handler can change everyone’s reply, and prepared once per ladder', () => {
    expect(Object.isFrozen(prepared.help.blocks)).toBe(true);
    expect(() => {
      (prepared.help.blocks as unknown[]).push({ type: 'divider' });
    }).toThrow();
    expect(preparedRepliesFor(ladder, helpEntries())).toBe(preparedRepliesFor(ladder, helpEntries()));
  });
});
