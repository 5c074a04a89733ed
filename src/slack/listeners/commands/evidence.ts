import { saveEvidence } from '../../../app/evidence.ts';
import { localDate } from '../../../domain/evidence.ts';
import { unlabelledUserIds } from '../../../domain/slack-text.ts';
import {
  buildEmptyLogHelp,
  buildEvidenceConfirmation,
  buildEvidenceList,
  buildTooLong,
  MAX_PAGE_SIZE,
  tagNames,
} from '../../blocks/evidence.ts';
import { buildForgetConfirm } from '../../blocks/forget.ts';
import { openEvidenceModal } from '../../evidence-modal.ts';
import { otherTenantOfCommand } from '../../owner.ts';
import { ensureTimeZone } from '../../time-zone.ts';
import { resolveUserNames } from '../../user-names.ts';
import { forgetCounts } from '../forget-counts.ts';
import { answerWithProfile } from './answer-later.ts';
import type { CommandHandlers } from './index.ts';

export const evidenceCommands = {
  log: async (call) => {
    const { ctx, owner, command, body, ack, client } = call;
    if (command.text === null) {
      await ctx.repos.slackState.noteResponseUrl(owner, body.response_url, ctx.now());
      await ack();
      const profile = await ensureTimeZone(ctx, client, owner);
      await openEvidenceModal(ctx, client, owner, {
        triggerId: body.trigger_id,
        origin: 'command',
        responseUrl: body.response_url,
        values: { occurredOn: localDate(ctx.now(), profile.tz) },
      });
      return;
    }
    const text = command.text;
    // People mentioned without a name in the text are named through Slack (users.info): a Slack
    // call, so the answer comes later.
    const mentions = unlabelledUserIds(text).length > 0;
    await answerWithProfile(
      call,
      async (profile) => {
        const lookup = mentions ? await resolveUserNames(ctx, client, owner.teamId, text) : undefined;
        // Slack never retries a slash command, but a replayed request carries the same trigger id.
        const result = await saveEvidence(
          ctx,
          owner,
          {
            text,
            source: 'command',
            tz: profile.tz,
            ...(lookup ? { names: lookup.names, namesComplete: !lookup.incomplete } : {}),
          },
          `cmd:${body.trigger_id}`,
        );
        return result.ok
          ? buildEvidenceConfirmation(result.entry, tagNames(ctx.ladder), {
              unknownTags: result.unknownTags,
              suggested: result.suggested,
            })
          : result.reason === 'empty'
            ? buildEmptyLogHelp()
            : buildTooLong(text, result.length, result.limit);
      },
      { slow: mentions },
    );
  },

  evidence: async ({ ctx, owner, command, ack }) => {
    const pageSize = Math.min(command.limit ?? 5, MAX_PAGE_SIZE);
    const { entries, total } = await ctx.repos.evidence.list(owner, {
      limit: pageSize,
      ...(command.query ? { search: command.query } : {}),
    });
    await ack({
      response_type: 'ephemeral',
      ...buildEvidenceList(
        { entries, total, offset: 0, pageSize, query: command.query, askedFor: command.limit },
        tagNames(ctx.ladder),
      ),
    });
  },

  forget: async ({ ctx, owner, ack, body }) => {
    await ctx.repos.slackState.noteResponseUrl(owner, body.response_url, ctx.now());
    await ack({
      response_type: 'ephemeral',
      ...buildForgetConfirm(
        forgetCounts(await ctx.repos.userData.countAcross([owner, ...otherTenantOfCommand(body)])),
      ),
    });
  },
} satisfies CommandHandlers;
