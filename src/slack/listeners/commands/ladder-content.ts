import { resolveLevel, resolveLevelPair } from '../../../domain/ladder/resolve.ts';
import { buildUsageHelp } from '../../blocks/help.ts';
import { helpEntries } from '../../help-entries.ts';
import type { CommandHandlers } from './index.ts';

/**
 * help, levels, <level>, compare: pure lookups answered in the ack, from the replies prepared when
 * the app started (see blocks/prepared.ts).
 */
export const contentCommands = {
  help: async ({ ack, replies }) => {
    await ack({ response_type: 'ephemeral', ...replies.help });
  },
  levels: async ({ ack, replies }) => {
    await ack({ response_type: 'ephemeral', ...replies.levels });
  },
  level: async ({ ack, ctx, command, replies }) => {
    await ack({
      response_type: 'ephemeral',
      ...replies.levelReply(resolveLevel(ctx.ladder, command.query), command.query),
    });
  },
  compare: async ({ ack, ctx, command, replies }) => {
    await ack({
      response_type: 'ephemeral',
      ...replies.compareReply(resolveLevelPair(ctx.ladder, command.words), command.words.join(' ')),
    });
  },
  usage: async ({ ack, command }) => {
    await ack({
      response_type: 'ephemeral',
      ...buildUsageHelp({ problem: command.problem, example: command.example }, helpEntries()),
    });
  },
} satisfies CommandHandlers;
