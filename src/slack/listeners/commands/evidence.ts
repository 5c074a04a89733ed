import { saveEvidence } from '../../../app/evidence.ts';
import { countUserData } from '../../../db/user-data.ts';
import { localDate } from '../../../domain/evidence.ts';
import { unlabelledUserIds } from '../../../domain/slack-text.ts';
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
import { resolveUserNames } from '../../user-names.ts';
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
    // Slack calls (users.info: the time zone when unknown or old, the names of people mentioned)
    // come first: ack at once then, and answer through the response URL.
    const stale = timeZoneIsStale(ctx, owner);
    const mentions = unlabelledUserIds(command.text).length > 0;
    if (stale || mentions) await ack();
    const profile = stale ? await ensureTimeZone(ctx, client, owner) : ctx.repos.profiles.getOrEmpty(owner);
    const lookup = mentions ? await resolveUserNames(ctx, client, owner.teamId, command.text) : undefined;
    // Slack never retries a slash command, but a replayed request carries the same trigger id.
    const result = saveEvidence(
      ctx,
      owner,
      {
        text: command.text,
        source: 'command',
        tz: profile.tz,
        ...(lookup ? { names: lookup.names, namesComplete: !lookup.incomplete } : {}),
      },
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
    if (stale || mentions) await replyToUser(ctx, client, { owner, responseUrl: body.response_url }, message);
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
        { entries, total, offset: 0, pageSize, query: command.query, askedFor: command.limit },
        tagNames(ctx.ladder),
      ),
    });
  },

  forget: async ({ ctx, owner, ack, body }) => {
    ctx.repos.slackState.noteResponseUrl(owner, body.response_url, ctx.now());
    await ack({
      response_type: 'ephemeral',
      ...buildForgetConfirm(forgetCounts(countUserData(ctx.db, owner))),
    });
  },
} satisfies CommandHandlers;
