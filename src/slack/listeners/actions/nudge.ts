import type { App, BlockButtonAction } from '@slack/bolt';
import { applyNudgeCommand, promptById, promptPractice, shiftOf, skipThisWeek } from '../../../app/nudges.ts';
import type { AppContext } from '../../../context.ts';
import type { NudgeMessage } from '../../../db/nudge-model.ts';
import type { Owner } from '../../../domain/types.ts';
import {
  buildNothingHeld,
  buildNudgeAnswerModal,
  buildNudgeMessage,
  buildNudgeReply,
  NudgeNotice,
  nudgeCommandText,
  skipThisWeekText,
} from '../../blocks/nudge.ts';
import { ActionId } from '../../ids.ts';
import { otherTenantOfInteraction, ownerOfInteraction } from '../../owner.ts';
import { ensureTimeZone } from '../../time-zone.ts';

/**
 * The nudge a button sat in: the message is identified by the payload's container, and must be
 * one of this person's nudges (the owner comes from the signed payload, never from the value).
 */
async function nudgeOf(
  ctx: AppContext,
  owner: Owner,
  body: BlockButtonAction,
): Promise<NudgeMessage | undefined> {
  const container = body.container as { channel_id?: unknown; message_ts?: unknown };
  const channelId = typeof container.channel_id === 'string' ? container.channel_id : body.channel?.id;
  const ts = typeof container.message_ts === 'string' ? container.message_ts : body.message?.ts;
  if (!channelId || !ts) return undefined;
  return await ctx.repos.nudges.findMessage(owner, channelId, ts);
}

type Control = 'skip' | 'pause' | 'stop';

/** What Skip this week, Pause 2 weeks or Stop on a DM did, in words. */
async function controlNote(
  ctx: AppContext,
  owner: Owner,
  kind: Control,
  tz: string | null,
  others: readonly Owner[],
): Promise<string> {
  if (kind === 'skip') return skipThisWeekText(await skipThisWeek(ctx, owner, tz, others));
  return nudgeCommandText(
    await applyNudgeCommand(
      ctx,
      owner,
      kind === 'pause' ? { kind: 'pause-weeks', weeks: 2 } : { kind: 'off' },
      tz,
      others,
    ),
  );
}

/** True when Ladder holds no row at all about the person (after `/ladder forget`), under any of `owners`. */
async function holdsNothing(ctx: AppContext, ...owners: Owner[]): Promise<boolean> {
  for (const owner of owners) if (await ctx.repos.userData.holdsAny(owner)) return false;
  return true;
}

export function registerNudgeActions(app: App, ctx: AppContext): void {
  app.action<BlockButtonAction>(ActionId.nudgeAnswer, async ({ ack, body, client, respond }) => {
    await ack();
    const owner = ownerOfInteraction(body);
    const nudge = await nudgeOf(ctx, owner, body);
    const prompt = nudge ? promptById(ctx, nudge.promptId) : undefined;
    if (!nudge || !prompt) {
      const message = (await holdsNothing(ctx, owner))
        ? buildNothingHeld('answer')
        : buildNudgeReply(NudgeNotice.questionGone);
      await respond({ response_type: 'ephemeral', replace_original: false, ...message });
      return;
    }
    const res = await client.views.open({
      trigger_id: body.trigger_id,
      view: buildNudgeAnswerModal(prompt, shiftOf(ctx, prompt)),
    });
    if (body.response_url) await ctx.repos.slackState.noteResponseUrl(owner, body.response_url, ctx.now());
    const viewId = res.view?.id;
    // Which nudge the modal answers is kept here, by view id: the nudge's history row id.
    if (viewId) {
      await ctx.repos.slackState.rememberView(
        owner,
        { viewId, kind: 'nudge-answer', responseUrl: body.response_url ?? null, entryId: nudge.id },
        ctx.now(),
      );
    }
  });

  const control = (kind: Control) =>
    (async ({ ack, body, client, respond }) => {
      await ack();
      const owner = ownerOfInteraction(body);
      const others = otherTenantOfInteraction(body);
      const nudge = await nudgeOf(ctx, owner, body);
      if (!nudge) {
        // Stop always stops: the person's own nudges, whatever the old message was.
        if (kind === 'stop') {
          const nothing = await holdsNothing(ctx, owner, ...others);
          const text = nothing
            ? ''
            : nudgeCommandText(await applyNudgeCommand(ctx, owner, { kind: 'off' }, null, others));
          const message = nothing ? buildNothingHeld('stopped') : buildNudgeReply(text);
          await respond({ response_type: 'ephemeral', replace_original: false, ...message });
          return;
        }
        const message = (await holdsNothing(ctx, owner))
          ? buildNothingHeld(kind)
          : buildNudgeReply(NudgeNotice.questionGone);
        await respond({ response_type: 'ephemeral', replace_original: false, ...message });
        return;
      }
      const { tz } = await ensureTimeZone(ctx, client, owner);
      const note = await controlNote(ctx, owner, kind, tz, others);
      const prompt = promptById(ctx, nudge.promptId);
      if (!prompt) {
        await respond({ response_type: 'ephemeral', replace_original: false, ...buildNudgeReply(note) });
        return;
      }
      // The question stays (it can still be answered); the controls give way to what was done.
      await client.chat.update({
        channel: nudge.channelId,
        ts: nudge.messageTs,
        ...buildNudgeMessage(prompt, shiftOf(ctx, prompt), {
          controls: false,
          note: note.replace(/`/g, ''),
          practice: promptPractice(ctx, prompt),
        }),
      });
    }) satisfies Parameters<typeof app.action<BlockButtonAction>>[1];

  app.action<BlockButtonAction>(ActionId.nudgeSkipWeek, control('skip'));
  app.action<BlockButtonAction>(ActionId.nudgePause, control('pause'));
  app.action<BlockButtonAction>(ActionId.nudgeStop, control('stop'));
}
