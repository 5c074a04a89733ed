import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { eraseLeftovers, prepareEvidence, type SaveResult, saveEvidence } from '../../../app/evidence.ts';
import { promptById } from '../../../app/nudges.ts';
import type { AppContext } from '../../../context.ts';
import { isUniqueViolation } from '../../../db/store.ts';
import type { Owner } from '../../../domain/types.ts';
import { describeError } from '../../../log.ts';
import { buildNothingHeld, buildReplyTooLong } from '../../blocks/nudge.ts';
import { ownerOfEvent } from '../../owner.ts';
import { unescapeSlackText } from '../../text.ts';
import { resolveUserNames } from '../../user-names.ts';

/** What the app reads of a message event (Slack's message events are a wide union). */
interface MessageFields {
  subtype?: string;
  channel?: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  deleted_ts?: string;
  message?: MessageFields;
  previous_message?: MessageFields;
}

/** A person's own message: new replies may be plain, a file share or a thread reply also sent to the channel. */
const REPLY_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);
const CONFIRM_REACTION = 'white_check_mark';

type Envelope = Parameters<typeof ownerOfEvent>[0] & { event_id?: string };

/**
 * Thread replies to a nudge in the DM become evidence tagged with the prompt's shift; edits and
 * deletions follow them. Bot messages, other subtypes and messages outside a nudge's thread are
 * ignored. A retried delivery (same event_id) stores nothing twice.
 */
export function registerNudgeReplies(app: App, ctx: AppContext): void {
  app.message(async ({ message, body, client }) => {
    const m = message as unknown as MessageFields;
    if (m.channel_type !== 'im' || !m.channel) return;
    const envelope = body as unknown as Envelope;
    if (REPLY_SUBTYPES.has(m.subtype)) {
      await onReply(ctx, client, envelope, m.channel, m);
    } else if (m.subtype === 'message_changed' && m.message) {
      await onEdit(ctx, client, envelope, m.channel, m.message, m.previous_message);
    } else if (m.subtype === 'message_deleted') {
      await onDelete(ctx, envelope, m.channel, m);
    }
  });
}

async function onReply(
  ctx: AppContext,
  client: WebClient,
  envelope: Envelope,
  channel: string,
  m: MessageFields,
): Promise<void> {
  if (m.bot_id || !m.user || !m.ts || !m.thread_ts || m.thread_ts === m.ts) return;
  const owner = ownerOfEvent(envelope, m.user);
  const nudge = await ctx.repos.nudges.findMessage(owner, channel, m.thread_ts);
  if (!nudge) {
    // A thread in the DM with the bot, from someone Ladder holds nothing about: a nudge from before
    // `/ladder forget`. Say so in the thread rather than leave the reply without a word.
    if (Object.values(await ctx.repos.userData.count(owner)).every((n) => n === 0)) {
      await client.chat.postMessage({ channel, thread_ts: m.thread_ts, ...buildNothingHeld('reply') });
    }
    return;
  }
  // The same message delivered again under another event id (Socket Mode, a reconnect) is found by its ts.
  if (!(await ctx.repos.evidence.findByMessage(owner, channel, m.ts))) {
    const prompt = promptById(ctx, nudge.promptId);
    const text = unescapeSlackText(m.text ?? '');
    const lookup = await resolveUserNames(ctx, client, owner.teamId, text);
    const result = await saveOnce(
      async () =>
        await saveEvidence(
          ctx,
          owner,
          {
            text,
            names: lookup.names,
            namesComplete: !lookup.incomplete,
            source: 'reflection',
            tz: (await ctx.repos.profiles.getOrEmpty(owner)).tz,
            shift: prompt?.shift ?? null,
            promptId: nudge.promptId,
            nudgeWeek: nudge.weekKey,
            channelId: channel,
            messageTs: m.ts,
          },
          envelope.event_id ? `event:${envelope.event_id}` : undefined,
        ),
    );
    if (!result.ok) {
      // A file shared without words has nothing to keep; a too-long reply is explained in the thread.
      if (result.reason === 'too-long') {
        await client.chat.postMessage({
          channel,
          thread_ts: m.thread_ts,
          ...buildReplyTooLong(result.length, result.limit),
        });
      }
      return;
    }
  }
  await confirm(ctx, client, owner, channel, m.ts);
}

async function onEdit(
  ctx: AppContext,
  client: WebClient,
  envelope: Envelope,
  channel: string,
  edited: MessageFields,
  previous: MessageFields | undefined,
): Promise<void> {
  if (edited.bot_id || !edited.user || !edited.ts) return;
  const owner = ownerOfEvent(envelope, edited.user);
  const entry = await ctx.repos.evidence.findByMessage(owner, channel, edited.ts);
  if (!entry) {
    // A reply that was not kept (too long, or empty) is kept once edited into shape.
    await onReply(ctx, client, envelope, channel, { ...edited, subtype: undefined });
    return;
  }
  // Unfurls and other changes that leave the text alone must not undo tags edited in Ladder.
  if (previous?.text !== undefined && previous.text === edited.text) return;
  const text = unescapeSlackText(edited.text ?? '');
  const lookup = await resolveUserNames(ctx, client, owner.teamId, text);
  const prepared = prepareEvidence(ctx, {
    text,
    names: lookup.names,
    namesComplete: !lookup.incomplete,
    source: 'reflection',
    tz: (await ctx.repos.profiles.getOrEmpty(owner)).tz,
    occurredOn: entry.occurredOn,
    shift: entry.shift,
    scope: entry.scope,
    axes: entry.axes,
  });
  if (!prepared.ok) return;
  await ctx.repos.evidence.update(
    owner,
    entry.id,
    {
      text: prepared.entry.text,
      originalText: prepared.entry.originalText ?? prepared.entry.text,
      axes: prepared.entry.axes,
      scope: prepared.entry.scope,
    },
    ctx.now(),
  );
  void eraseLeftovers(ctx);
}

async function onDelete(
  ctx: AppContext,
  envelope: Envelope,
  channel: string,
  m: MessageFields,
): Promise<void> {
  const previous = m.previous_message;
  const ts = m.deleted_ts ?? previous?.ts;
  if (!previous?.user || previous.bot_id || !ts) return;
  const owner = ownerOfEvent(envelope, previous.user);
  const entry = await ctx.repos.evidence.findByMessage(owner, channel, ts);
  if (entry && (await ctx.repos.evidence.delete(owner, entry.id))) void eraseLeftovers(ctx);
}

/**
 * Two deliveries of one message racing each other: the unique index on the message lets exactly
 * one insert through; the other is the same entry, already saved.
 */
async function saveOnce(
  save: () => Promise<SaveResult>,
): Promise<SaveResult | { ok: true; duplicate: true }> {
  try {
    return await save();
  } catch (err) {
    if (isUniqueViolation(err)) return { ok: true, duplicate: true };
    throw err;
  }
}

/** A reaction on the reply says "saved"; a second delivery finds it already there. */
async function confirm(
  ctx: AppContext,
  client: WebClient,
  owner: Owner,
  channel: string,
  ts: string,
): Promise<void> {
  try {
    await client.reactions.add({ channel, timestamp: ts, name: CONFIRM_REACTION });
  } catch (err) {
    if ((err as { data?: { error?: string } }).data?.error === 'already_reacted') return;
    ctx.logger.warn('could not confirm a saved reply with a reaction', {
      team: owner.teamId,
      user: owner.userId,
      error: describeError(err),
    });
  }
}
