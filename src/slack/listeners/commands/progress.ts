import type { WebClient } from '@slack/web-api';
import { DEFAULT_SUMMARY_PERIOD, summaryFor } from '../../../app/progress.ts';
import type { AppContext } from '../../../context.ts';
import { resolveLevel } from '../../../domain/ladder/resolve.ts';
import { type Period, parsePeriod, periodProblemAt } from '../../../domain/period.ts';
import { resolveProfileLevels } from '../../../domain/profile.ts';
import type { Owner, Profile } from '../../../domain/types.ts';
import { tagNames } from '../../blocks/evidence.ts';
import {
  buildNext,
  buildNextNeedsLevel,
  buildProfile,
  buildProfileSaved,
  buildProfileUnknown,
} from '../../blocks/profile.ts';
import { buildPeriodProblem, buildSummary } from '../../blocks/summary.ts';
import { buildUnknownLevel } from '../../blocks/unknown-level.ts';
import { ensureHomeChart, replyWithChart, uploadChart } from '../../export-files.ts';
import { answerWithProfile } from './answer-later.ts';
import type { CommandHandlers } from './index.ts';

/** summary, me, next: where the user stands, their profile, and the level above theirs. */
export const progressCommands = {
  summary: async (call) => {
    const { ctx, owner, command, body, ack, client } = call;
    const received = ctx.now();
    const period = parsePeriod(command.period ?? undefined, DEFAULT_SUMMARY_PERIOD);
    if (period.kind === 'invalid') {
      await ack({ response_type: 'ephemeral', ...buildPeriodProblem(period.message) });
      return;
    }
    // Weeks and months are the user's: when their time zone needs a Slack call, ack first.
    let refused = false;
    const profile = await answerWithProfile(call, async (p) => {
      // "Today" is the person's: a since-date after it is refused with the reason, not summed to zero.
      const problem = periodProblemAt(period, ctx.now(), p.tz);
      refused = problem !== null;
      if (problem) return buildPeriodProblem(problem);
      return buildSummary(await summaryFor(ctx, owner, p, period), tagNames(ctx.ladder));
    });
    // The radar chart follows the summary, as a picture uploaded to the user's DM first.
    if (profile.level && !refused) {
      // The summary's period: the Home's chart when it is the default, else one drawn for it.
      const shown =
        command.period === null
          ? await ensureHomeChart(ctx, client, owner, profile)
          : await chartFor(ctx, client, owner, profile, period);
      if (shown) {
        // The response URL's 30 minutes run from the command (noted here: an answer in the ack did not).
        await ctx.repos.slackState.noteResponseUrl(owner, body.response_url, received);
        await replyWithChart(ctx, client, { owner, responseUrl: body.response_url }, shown);
      }
    }
  },

  me: async ({ ctx, owner, command, ack }) => {
    const current = await ctx.repos.profiles.getOrEmpty(owner);
    if (command.level === null && command.target === null) {
      await ack({ response_type: 'ephemeral', ...buildProfile(ctx.ladder, current) });
      return;
    }
    const resolution = resolveProfileLevels(ctx.ladder, command, current);
    if (!resolution.ok) {
      await ack({ response_type: 'ephemeral', ...buildProfileUnknown(resolution) });
      return;
    }
    await ctx.repos.profiles.setLevels(
      owner,
      {
        ...(resolution.level
          ? { level: resolution.level.position.id, levelRole: resolution.level.substitutedFrom?.id ?? null }
          : {}),
        ...(resolution.target
          ? {
              target: resolution.target.position.id,
              targetRole: resolution.target.substitutedFrom?.id ?? null,
            }
          : {}),
      },
      ctx.now(),
    );
    await ack({ response_type: 'ephemeral', ...buildProfileSaved(resolution) });
  },

  next: async ({ ctx, owner, command, ack }) => {
    if (command.from !== null) {
      const level = resolveLevel(ctx.ladder, command.from);
      const message =
        level.kind === 'unknown'
          ? buildUnknownLevel(ctx.ladder, level)
          : buildNext(ctx.ladder, level, 'typed');
      await ack({ response_type: 'ephemeral', ...message });
      return;
    }
    const profile = await ctx.repos.profiles.get(owner);
    // A role the person chose is compared with the role above it (Senior TPM → Lead TPM).
    const stored = profile?.levelRole ?? profile?.level ?? null;
    const level = stored === null ? undefined : ctx.ladder.levelsById.get(stored);
    await ack({
      response_type: 'ephemeral',
      ...(level ? buildNext(ctx.ladder, level, 'profile') : buildNextNeedsLevel()),
    });
  },
} satisfies CommandHandlers;

async function chartFor(ctx: AppContext, client: WebClient, owner: Owner, profile: Profile, period: Period) {
  const outcome = await uploadChart(ctx, client, owner, { profile, period });
  return outcome.kind === 'uploaded' ? outcome.shown : null;
}
