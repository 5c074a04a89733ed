import { exportPeriod } from '../../../app/export.ts';
import { periodProblemAt } from '../../../domain/period.ts';
import { buildExportPeriodProblem, buildUnknownExportFormat } from '../../blocks/export.ts';
import { replyWithChart, sendExport, uploadChart } from '../../export-files.ts';
import { replyToUser } from '../../reply.ts';
import { ensureTimeZone } from '../../time-zone.ts';
import { answerWithProfile } from './answer-later.ts';
import type { CommandHandlers } from './index.ts';

/**
 * `/ladder export [md|csv|json] [period]` and `/ladder chart`. Both upload to the user's DM, so
 * they ack at once and answer through the response URL once the file is there.
 */
export const exportCommands = {
  export: async (call) => {
    const { ctx, owner, command, ack, client } = call;
    const format = command.format ?? 'md';
    const period = exportPeriod(format, command.period);
    if (period.kind === 'invalid') {
      // A bare word where the format goes (`export pdf`) is a format Ladder does not make.
      const word = command.format === null ? /^\s*([a-z]+)\b/i.exec(command.period ?? '')?.[1] : undefined;
      const asFormat = word !== undefined && !['since', 'from', 'last'].includes(word.toLowerCase());
      await ack({
        response_type: 'ephemeral',
        ...(asFormat ? buildUnknownExportFormat(word) : buildExportPeriodProblem(period.message)),
      });
      return;
    }
    await answerWithProfile(
      call,
      async (profile) => {
        // "Today" is the person's: a since-date after it is refused with the reason.
        const problem = periodProblemAt(period, ctx.now(), profile.tz);
        if (problem) return buildExportPeriodProblem(problem);
        return (await sendExport(ctx, client, owner, { format, period, profile })).message;
      },
      { slow: true },
    );
  },

  chart: async ({ ctx, owner, body, ack, client }) => {
    await ctx.repos.slackState.noteResponseUrl(owner, body.response_url, ctx.now());
    await ack();
    const profile = await ensureTimeZone(ctx, client, owner);
    const target = { owner, responseUrl: body.response_url };
    const outcome = await uploadChart(ctx, client, owner, { profile });
    if (outcome.kind === 'needs-level') {
      await replyToUser(ctx, client, target, outcome.message);
      return;
    }
    await replyWithChart(ctx, client, target, outcome.shown);
  },
} satisfies CommandHandlers;
