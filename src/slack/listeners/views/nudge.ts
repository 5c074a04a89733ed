import type { App, ViewSubmitAction } from '@slack/bolt';
import { prepareEvidence } from '../../../app/evidence.ts';
import { promptById } from '../../../app/nudges.ts';
import type { AppContext } from '../../../context.ts';
import { buildEvidenceConfirmation, tagNames } from '../../blocks/evidence.ts';
import { tooLongForField } from '../../blocks/evidence-modal.ts';
import { NudgeNotice } from '../../blocks/nudge.ts';
import { ActionId, BlockId, ViewId } from '../../ids.ts';
import { ownerOfInteraction } from '../../owner.ts';
import { replyToUser } from '../../reply.ts';

/**
 * The Answer modal of a nudge: which nudge it answers is read from the server-side record of the
 * view (never from private_metadata); the entry is tagged with the prompt's shift.
 */
export function registerNudgeViews(app: App, ctx: AppContext): void {
  app.view<ViewSubmitAction>(ViewId.nudgeAnswer, async ({ ack, body, view, client }) => {
    const owner = ownerOfInteraction(body);
    const pending = await ctx.repos.slackState.findView(owner, view.id);
    const nudge =
      pending?.kind === 'nudge-answer' && pending.entryId !== null
        ? await ctx.repos.nudges.messageById(owner, pending.entryId)
        : undefined;
    if (!nudge) {
      await ack({
        response_action: 'errors',
        errors: {
          [BlockId.nudgeAnswer]: NudgeNotice.formExpired,
        },
      });
      return;
    }
    const raw = view.state.values[BlockId.nudgeAnswer]?.[ActionId.formValue]?.value;
    const profile = await ctx.repos.profiles.getOrEmpty(owner);
    const prompt = promptById(ctx, nudge.promptId);
    const prepared = prepareEvidence(ctx, {
      text: typeof raw === 'string' ? raw : '',
      source: 'reflection',
      tz: profile.tz,
      shift: prompt?.shift ?? null,
      promptId: nudge.promptId,
      nudgeWeek: nudge.weekKey,
    });
    if (!prepared.ok) {
      await ack({
        response_action: 'errors',
        errors: {
          [BlockId.nudgeAnswer]:
            prepared.reason === 'empty'
              ? NudgeNotice.answerEmpty
              : tooLongForField(prepared.length, prepared.limit),
        },
      });
      return;
    }
    // A retried submission finds its delivery key and stores nothing twice. The view record is
    // kept (pruned after a day) so that a retry still knows which nudge it answers.
    const { entry, duplicate } = await ctx.repos.evidence.insert(
      owner,
      prepared.entry,
      ctx.now(),
      `view:${view.id}`,
    );
    await ack();
    if (duplicate) return;
    await replyToUser(
      ctx,
      client,
      { owner, responseUrl: pending?.responseUrl ?? null },
      buildEvidenceConfirmation(entry, tagNames(ctx.ladder), { unknownTags: prepared.unknownTags }),
    );
  });
}
