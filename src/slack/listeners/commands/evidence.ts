import { saveEvidence } from '../../../app/evidence.ts';
import { countUserData } from '../../../db/user-data.ts';
import { localDate } from '../../../domain/evidence.ts';
import {
  buildEmptyLogHelp,
  buildEvidenceConfirmation,
  buildEvidenceList,
  buildForgetConfirm,
  buildTooLong,
  MAX_PAGE_SIZE,
  tagNames,
} from '../../blocks/evidence.ts';
import { openEvidenceModal } from '../../evidence-modal.ts';
import { replyToUser } from '../../reply.ts';
import { ensureTimeZone, timeZoneIsStale } from '../../time-zone.ts';
import { forgetCounts } from '../forget-counts.ts';
import type { CommandHandlers } from './index.ts';

export const evidenceCommands = {
  log: async ({ ctx, owner, command, body, ack, client }) => {
    ctx.repos.slackState.noteResponseUrl(owner, body.response_url, ctx.now());
    if (command.text === null) {
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
    // A Slack call (users.info) comes first when the time zone is unknown or old: ack at once then.
    const stale = timeZoneIsStale(ctx, owner);
    if (stale) await ack();
    const profile = stale ? await ensureTimeZone(ctx, client, owner) : ctx.repos.profiles.getOrEmpty(owner);
    // Slack never retries a slash command, but a replayed request carries the same trigger id.
    const result = saveEvidence(
      ctx,
      owner,
      { text: command.text, source: 'command', tz: profile.tz },
      `cmd:${body.trigger_id}`,
    );
    const message = result.ok
      ? buildEvidenceConfirmation(result.entry, tagNames(ctx.ladder), {
          unknownTags: result.unknownTags,
          suggested: result.suggested,
        })
      : result.reason === 'empty'
        ? buildEmptyLogHelp()
        : buildTooLong(command.text, result.length, result.limit);
    if (stale) await replyToUser(ctx, client, { owner, responseUrl: body.response_url }, message);
    else await ack({ response_type: 'ephemeral', ...message });
  },

  evidence: async ({ ctx, owner, command, ack }) => {
    const pageSize = Math.min(command.limit ?? 5, MAX_PAGE_SIZE);
    const { entries, total } = ctx.repos.evidence.list(owner, {
      limit: pageSize,
      ...(command.query ? { search: command.query } : {}),
    });
    await ack({
      response_type: 'ephemeral',
      ...buildEvidenceList(
        { entries, total, offset: 0, pageSize, query: command.query },
        tagNames(ctx.ladder),
      ),
    });
  },

  forget: async ({ ctx, owner, ack, body }) => {
    ctx.repos.slackState.noteResponseUrl(owner, body.response_url, ctx.now());
    await ack({
      response_type: 'ephemeral',
      ...buildForgetConfirm(forgetCounts(ctx.repos.userData.count(owner))),
    });
  },
} satisfies CommandHandlers;
