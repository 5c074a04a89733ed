/**
 * The payloads Slack sends to an app (slash commands, interactivity, events), built from the local
 * workspace's state so ids, names, trigger_ids and response_urls are all real and usable.
 */
import { randomBytes } from 'node:crypto';
import type { LocalSlackApi } from './slack-api.ts';
import { APP_ID, type LocalMessage } from './slack-api-state.ts';

/** The deprecated verification token Slack still sends; Bolt ignores it. */
export const VERIFICATION_TOKEN = 'local-verification-token';
export const TEAM_DOMAIN = 'ladder-local';

export interface PayloadContext {
  api: LocalSlackApi;
  teamId: string;
  /** The installed app's slash command, sent when a call names none. */
  command: string;
  enterpriseId?: string;
  /** Send as Grid does for an org-wide install (`is_enterprise_install`, authorizations' team null). */
  orgWide?: boolean;
  now: () => number;
}

export interface ActionInput {
  action_id: string;
  block_id: string;
  /** Default: `button` (or `static_select` when `selected_option` is given). */
  type?: string;
  value?: string;
  text?: { type: 'plain_text'; text: string; emoji?: boolean };
  selected_option?: { text: { type: 'plain_text'; text: string }; value: string };
  [key: string]: unknown;
}

/** A message an interaction refers to: a stored one (`api.postAsUser`, state) or any `{ts, …}`. */
export type MessageRef =
  | LocalMessage
  | {
      ts: string;
      text?: string;
      blocks?: unknown[];
      user?: string;
      [key: string]: unknown;
    };

function nowSec(ctx: PayloadContext): number {
  return Math.floor(ctx.now() / 1000);
}

function actionTs(ctx: PayloadContext): string {
  return (ctx.now() / 1000).toFixed(6);
}

function userName(ctx: PayloadContext, userId: string): string {
  return ctx.api.state.users.get(userId)?.name ?? userId.toLowerCase();
}

function userRef(ctx: PayloadContext, userId: string): Record<string, unknown> {
  const name = userName(ctx, userId);
  return { id: userId, username: name, name, team_id: ctx.teamId };
}

function teamRef(ctx: PayloadContext): Record<string, unknown> {
  return { id: ctx.teamId, domain: TEAM_DOMAIN };
}

function enterpriseRef(ctx: PayloadContext): Record<string, unknown> | null {
  return ctx.enterpriseId ? { id: ctx.enterpriseId, name: 'Ladder Local Grid' } : null;
}

/** Slack's channel_name: the channel's name, `directmessage` for DMs. */
export function channelName(ctx: PayloadContext, channelId: string): string {
  const ch = ctx.api.state.channels.get(channelId);
  if (!ch) return channelId;
  return ch.isIm ? 'directmessage' : ch.name;
}

/** Where a user acts when no channel is named: their DM with the app. */
export function defaultChannel(ctx: PayloadContext, userId: string): string {
  return ctx.api.state.dmChannelId(userId) ?? ctx.api.openDm(userId);
}

export function buildCommandPayload(
  ctx: PayloadContext,
  o: { userId: string; text: string; channelId?: string; command?: string },
): { fields: Record<string, string>; responseUrl: string; triggerId: string } {
  const channelId = o.channelId ?? defaultChannel(ctx, o.userId);
  const responseUrl = ctx.api.createResponseUrl({ channelId, userId: o.userId, kind: 'commands' });
  const triggerId = ctx.api.createTriggerId(o.userId);
  const fields: Record<string, string> = {
    token: VERIFICATION_TOKEN,
    team_id: ctx.teamId,
    team_domain: TEAM_DOMAIN,
    ...(ctx.enterpriseId ? { enterprise_id: ctx.enterpriseId, enterprise_name: 'Ladder Local Grid' } : {}),
    channel_id: channelId,
    channel_name: channelName(ctx, channelId),
    user_id: o.userId,
    user_name: userName(ctx, o.userId),
    command: o.command ?? ctx.command,
    text: o.text,
    api_app_id: APP_ID,
    is_enterprise_install: String(Boolean(ctx.orgWide && ctx.enterpriseId)),
    response_url: responseUrl,
    trigger_id: triggerId,
  };
  return { fields, responseUrl, triggerId };
}

function fillAction(ctx: PayloadContext, a: ActionInput): Record<string, unknown> {
  return {
    type: a.type ?? (a.selected_option ? 'static_select' : 'button'),
    action_ts: actionTs(ctx),
    ...a,
  };
}

export function buildBlockActionsPayload(
  ctx: PayloadContext,
  o: {
    userId: string;
    actions: ActionInput[];
    /** A view the actions came from (modal or Home tab): no response_url, like Slack. */
    view?: Record<string, unknown>;
    /** The message the actions came from (ts at least); an ephemeral one is detected from state. */
    message?: MessageRef;
    channelId?: string;
    responseUrl?: string;
    container?: Record<string, unknown>;
    state?: Record<string, unknown>;
  },
): { payload: Record<string, unknown>; responseUrl?: string; triggerId: string } {
  const triggerId = ctx.api.createTriggerId(o.userId);
  const base: Record<string, unknown> = {
    type: 'block_actions',
    user: userRef(ctx, o.userId),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: triggerId,
    team: teamRef(ctx),
    enterprise: enterpriseRef(ctx),
    is_enterprise_install: Boolean(ctx.orgWide && ctx.enterpriseId),
    actions: o.actions.map((a) => fillAction(ctx, a)),
  };
  if (o.view) {
    const view = o.view;
    return {
      payload: {
        ...base,
        container: o.container ?? { type: 'view', view_id: view.id },
        view,
        state: o.state ?? (view.state as Record<string, unknown> | undefined) ?? { values: {} },
      },
      triggerId,
    };
  }
  const channelId = o.channelId ?? defaultChannel(ctx, o.userId);
  const ts = o.message?.ts;
  const isEphemeral =
    ts !== undefined && ctx.api.state.ephemerals.some((e) => e.ts === ts && e.channel === channelId);
  const responseUrl =
    o.responseUrl ??
    ctx.api.createResponseUrl({
      channelId,
      userId: o.userId,
      kind: 'actions',
      ...(ts ? { messageTs: ts } : {}),
    });
  const stored = ts && !isEphemeral ? ctx.api.state.message(channelId, ts) : undefined;
  const message =
    isEphemeral || !o.message
      ? undefined
      : { ...(stored ? publicMessage(stored) : {}), ...publicMessage(o.message) };
  return {
    payload: {
      ...base,
      container: o.container ?? {
        type: 'message',
        ...(ts ? { message_ts: ts } : {}),
        channel_id: channelId,
        is_ephemeral: isEphemeral,
      },
      channel: { id: channelId, name: channelName(ctx, channelId) },
      ...(message ? { message } : {}),
      state: o.state ?? { values: {} },
      response_url: responseUrl,
    },
    responseUrl,
    triggerId,
  };
}

/** A message as Slack puts it in payloads: without the local bookkeeping fields. */
function publicMessage(m: MessageRef): Record<string, unknown> {
  const { via: _via, channel: _channel, ...rest } = m;
  return rest;
}

export function buildViewSubmissionPayload(
  ctx: PayloadContext,
  o: { userId: string; view: Record<string, unknown>; values?: Record<string, unknown> },
): { payload: Record<string, unknown>; triggerId: string } {
  const triggerId = ctx.api.createTriggerId(o.userId);
  const view = o.values ? { ...o.view, state: { values: o.values } } : o.view;
  return {
    payload: {
      type: 'view_submission',
      team: teamRef(ctx),
      user: userRef(ctx, o.userId),
      api_app_id: APP_ID,
      token: VERIFICATION_TOKEN,
      trigger_id: triggerId,
      view,
      response_urls: [],
      is_enterprise_install: Boolean(ctx.orgWide && ctx.enterpriseId),
      enterprise: enterpriseRef(ctx),
    },
    triggerId,
  };
}

export function buildViewClosedPayload(
  ctx: PayloadContext,
  o: { userId: string; view: Record<string, unknown>; isCleared?: boolean },
): Record<string, unknown> {
  return {
    type: 'view_closed',
    team: teamRef(ctx),
    user: userRef(ctx, o.userId),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    view: o.view,
    is_cleared: o.isCleared ?? false,
    is_enterprise_install: Boolean(ctx.orgWide && ctx.enterpriseId),
    enterprise: enterpriseRef(ctx),
  };
}

export function buildMessageActionPayload(
  ctx: PayloadContext,
  o: { userId: string; callbackId: string; channelId: string; message: MessageRef },
): { payload: Record<string, unknown>; responseUrl: string; triggerId: string } {
  const triggerId = ctx.api.createTriggerId(o.userId);
  const responseUrl = ctx.api.createResponseUrl({
    channelId: o.channelId,
    userId: o.userId,
    kind: 'commands',
  });
  const stored = ctx.api.state.message(o.channelId, o.message.ts);
  const message = { type: 'message', ...(stored ? publicMessage(stored) : {}), ...publicMessage(o.message) };
  return {
    payload: {
      type: 'message_action',
      token: VERIFICATION_TOKEN,
      action_ts: actionTs(ctx),
      team: teamRef(ctx),
      user: userRef(ctx, o.userId),
      channel: { id: o.channelId, name: channelName(ctx, o.channelId) },
      is_enterprise_install: Boolean(ctx.orgWide && ctx.enterpriseId),
      enterprise: enterpriseRef(ctx),
      callback_id: o.callbackId,
      trigger_id: triggerId,
      response_url: responseUrl,
      message_ts: o.message.ts,
      message,
    },
    responseUrl,
    triggerId,
  };
}

export function newEventId(): string {
  return `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
}

export function buildEventCallback(
  ctx: PayloadContext,
  o: { event: Record<string, unknown>; eventId?: string },
): Record<string, unknown> {
  const event = { event_ts: actionTs(ctx), ...o.event };
  return {
    token: VERIFICATION_TOKEN,
    team_id: ctx.teamId,
    ...(ctx.enterpriseId ? { enterprise_id: ctx.enterpriseId } : {}),
    context_team_id: ctx.teamId,
    api_app_id: APP_ID,
    event,
    type: 'event_callback',
    event_id: o.eventId ?? newEventId(),
    event_time: nowSec(ctx),
    authorizations: [
      {
        enterprise_id: ctx.enterpriseId ?? null,
        team_id: ctx.orgWide && ctx.enterpriseId ? null : ctx.teamId,
        user_id: ctx.api.botUserId,
        is_bot: true,
        is_enterprise_install: Boolean(ctx.orgWide && ctx.enterpriseId),
      },
    ],
    is_ext_shared_channel: false,
  };
}

/** The `message` event Slack sends for a message a person posted (see `api.postAsUser`). */
export function messageEvent(api: LocalSlackApi, m: LocalMessage): Record<string, unknown> {
  const ch = api.state.channels.get(m.channel);
  const channelType = ch?.isIm ? 'im' : ch?.isPrivate ? 'group' : 'channel';
  return {
    type: 'message',
    channel: m.channel,
    user: m.user,
    text: m.text,
    ts: m.ts,
    event_ts: m.ts,
    channel_type: channelType,
    team: api.teamId,
    ...(m.client_msg_id ? { client_msg_id: m.client_msg_id } : {}),
    ...(m.thread_ts && m.thread_ts !== m.ts ? { thread_ts: m.thread_ts } : {}),
    ...(m.bot_id ? { bot_id: m.bot_id, app_id: m.app_id } : {}),
    ...(m.blocks ? { blocks: m.blocks } : {}),
  };
}

/** The `app_home_opened` event for a user opening the app's Home (or Messages) tab. */
export function appHomeOpenedEvent(
  api: LocalSlackApi,
  userId: string,
  tab: 'home' | 'messages' = 'home',
): Record<string, unknown> {
  const home = api.state.homeViews.get(userId);
  return {
    type: 'app_home_opened',
    user: userId,
    channel: api.state.dmChannelId(userId) ?? api.openDm(userId),
    tab,
    ...(home && tab === 'home' ? { view: home.view } : {}),
  };
}
