import { resolveLevel, resolveLevelPair } from '../../../domain/ladder/resolve.ts';
import { buildUsageHelp } from '../../blocks/help.ts';
import { helpEntries } from '../../help-entries.ts';
import { ackSerialised } from '../../serialised.ts';
import type { CommandHandlers } from './index.ts';

/**
 * help, levels, <level>, compare: pure lookups answered in the ack, from the replies prepared and
 * serialised when the app started (see blocks/prepared.ts and serialised.ts).
 */
export const contentCommands = {
  help: async ({ ack, replies }) => {
    await ackSerialised(ack, replies.acks.help);
  },
  levels: async ({ ack, replies }) => {
    await ackSerialised(ack, replies.acks.levels);
  },
  level: async ({ ack, ctx, command, replies }) => {
    await ackSerialised(ack, replies.acks.level(resolveLevel(ctx.ladder, command.query), command.query));
  },
  compare: async ({ ack, ctx, command, replies }) => {
    const pair = resolveLevelPair(ctx.ladder, command.words);
    await ackSerialised(ack, replies.acks.compare(pair, command.words.join(' ')));
  },
  usage: async ({ ack, command }) => {
    await ack({
      response_type: 'ephemeral',
      ...buildUsageHelp({ problem: command.problem, example: command.example }, helpEntries()),
    });
  },
} satisfies CommandHandlers;
