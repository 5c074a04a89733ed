import { resolveLevel, resolveLevelPair } from '../../../domain/ladder/resolve.ts';
import { buildCompareReply } from '../../blocks/compare.ts';
import { buildHelp, buildUsageHelp } from '../../blocks/help.ts';
import { buildLevelReply } from '../../blocks/level-card.ts';
import { buildLevelsOverview } from '../../blocks/levels.ts';
import { helpEntries } from '../../help-entries.ts';
import type { CommandHandlers } from './index.ts';

/** help, levels, <level>, compare: pure lookups answered in the ack. */
export const contentCommands = {
  help: async ({ ack }) => {
    await ack({ response_type: 'ephemeral', ...buildHelp(helpEntries()) });
  },
  levels: async ({ ack, ctx }) => {
    await ack({ response_type: 'ephemeral', ...buildLevelsOverview(ctx.ladder) });
  },
  level: async ({ ack, ctx, command }) => {
    await ack({
      response_type: 'ephemeral',
      ...buildLevelReply(ctx.ladder, resolveLevel(ctx.ladder, command.query), command.query),
    });
  },
  compare: async ({ ack, ctx, command }) => {
    await ack({
      response_type: 'ephemeral',
      ...buildCompareReply(
        ctx.ladder,
        resolveLevelPair(ctx.ladder, command.words),
        undefined,
        command.words.join(' '),
      ),
    });
  },
  usage: async ({ ack, command }) => {
    await ack({
      response_type: 'ephemeral',
      ...buildUsageHelp({ problem: command.problem, example: command.example }, helpEntries()),
    });
  },
} satisfies CommandHandlers;
