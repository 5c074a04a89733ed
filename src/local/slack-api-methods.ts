import { extname } from 'node:path';
import { jsonParam, optString, type Params, SlackApiError } from './slack-api-http.ts';
import {
  APP_ID,
  BOT_ID,
  type LocalChannel,
  type LocalFile,
  type LocalMessage,
  type LocalSlackStore,
  type LocalUser,
  type LocalView,
  randomToken,
} from './slack-api-state.ts';
import { assertValidMessage, assertValidView } from './slack-api-validate.ts';

export interface MethodContext {
  store: LocalSlackStore;
  origin: string;
  now(): number;
  requireTextFallback: boolean;
  fileProcessingMs: number;
  /** A fresh Socket Mode URL for apps.connections.open. */
  openSocketUrl(): string;
  /** The team whose bot token made the call, when it is an install's (distribution mode). */
  callerTeamId?: string;
}

export type MethodResult = Record<string, unknown>;

export interface MethodSpec {
  /** The bot scope Slack requires; absent: none. */
  scope?: string;
  /** Which token the method takes: bot (`xoxb-`) or app-level (`xapp-`). */
  token: 'bot' | 'app';
  handle(params: Params, ctx: MethodContext): MethodResult;
}

/** A trigger_id is good for 3 s and one use. */
export const TRIGGER_TTL_MS = 3_000;
/** Slack's cap on stacked modals. */
const MAX_MODAL_STACK = 3;

function required(params: Params, key: string, error = 'invalid_arguments'): string {
  const v = optString(params, key);
  if (v === undefined) {
    throw new SlackApiError(error, {
      response_metadata: { messages: [`[ERROR] missing required field: ${key}`] },
    });
  }
  return v;
}

/** Message fields of a bot post, shaped like Slack's `message` objects. */
function publicMessage(m: LocalMessage): Record<string, unknown> {
  const { via: _via, channel: _channel, ...rest } = m;
  return rest;
}

function isUserId(id: string): boolean {
  return /^[UW][A-Z0-9]+$/.test(id);
}

function findChannel(ctx: MethodContext, ref: string): LocalChannel | undefined {
  const direct = ctx.store.channels.get(ref);
  if (direct) return direct;
  const name = ref.replace(/^#/, '');
  for (const ch of ctx.store.channels.values()) {
    if (!ch.isIm && ch.name === name) return ch;
  }
  return undefined;
}

/**
 * The conversation a bot call targets, with Slack's refusals: a user id opens the DM; private
 * conversations and DMs the bot is not in are invisible (`channel_not_found`); public channels it
 * has not joined refuse posts (`not_in_channel`) but allow reads such as permalinks.
 */
function resolveConversation(
  ctx: MethodContext,
  ref: string | undefined,
  purpose: 'post' | 'read',
): LocalChannel {
  if (!ref) throw new SlackApiError('channel_not_found');
  if (isUserId(ref)) {
    if (!ctx.store.users.has(ref)) throw new SlackApiError('channel_not_found');
    return ctx.store.openDm(ref);
  }
  const ch = findChannel(ctx, ref);
  if (!ch) throw new SlackApiError('channel_not_found');
  if ((ch.isIm || ch.isPrivate) && !ch.botIsMember) throw new SlackApiError('channel_not_found');
  if (purpose === 'post' && !ch.botIsMember) throw new SlackApiError('not_in_channel');
  return ch;
}

function findMessage(ch: LocalChannel, ts: string): LocalMessage | undefined {
  return ch.messages.find((m) => m.ts === ts && m.subtype !== 'tombstone');
}

/** A thread_ts resolves to its top-level parent (a reply's ts joins the reply's thread). */
function resolveThread(ch: LocalChannel, threadTs: string | undefined): string | undefined {
  if (threadTs === undefined) return undefined;
  const target = ch.messages.find((m) => m.ts === threadTs);
  if (!target) throw new SlackApiError('thread_not_found');
  return target.thread_ts ?? target.ts;
}

function blocksParam(params: Params): unknown[] | undefined {
  const blocks = jsonParam(params, 'blocks', 'invalid_blocks_format');
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) throw new SlackApiError('invalid_blocks_format');
  return blocks;
}

export function botMessage(
  ctx: MethodContext,
  ch: LocalChannel,
  fields: { text: string; blocks?: unknown[]; thread_ts?: string; via: LocalMessage['via'] },
): LocalMessage {
  const m: LocalMessage = {
    type: 'message',
    channel: ch.id,
    ts: ctx.store.nextTs(),
    user: ctx.store.botUserId,
    bot_id: BOT_ID,
    app_id: APP_ID,
    text: fields.text,
    via: fields.via,
  };
  if (fields.blocks !== undefined) m.blocks = fields.blocks;
  if (fields.thread_ts !== undefined) m.thread_ts = fields.thread_ts;
  return m;
}

function tzOffsetSeconds(tz: string, at: number): number {
  const part = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(part ?? '');
  if (!m) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 3600 + Number(m[3]) * 60);
}

export function userObject(ctx: MethodContext, u: LocalUser): Record<string, unknown> {
  const realName = u.realName ?? u.name;
  const out: Record<string, unknown> = {
    id: u.id,
    team_id: ctx.store.teamId,
    name: u.name,
    deleted: u.deleted ?? false,
    real_name: realName,
    is_bot: u.isBot ?? false,
    is_app_user: false,
    updated: Math.floor(ctx.now() / 1000),
    profile: {
      real_name: realName,
      real_name_normalized: realName,
      display_name: u.name,
      display_name_normalized: u.name,
      team: ctx.store.teamId,
      ...(u.isBot ? { bot_id: BOT_ID, api_app_id: APP_ID } : {}),
    },
  };
  if (u.tz) {
    out.tz = u.tz;
    out.tz_label = u.tz;
    out.tz_offset = tzOffsetSeconds(u.tz, ctx.now());
  }
  return out;
}

const MIME: Record<string, [string, string]> = {
  '.png': ['image/png', 'png'],
  '.jpg': ['image/jpeg', 'jpg'],
  '.jpeg': ['image/jpeg', 'jpg'],
  '.gif': ['image/gif', 'gif'],
  '.svg': ['image/svg+xml', 'svg'],
  '.csv': ['text/csv', 'csv'],
  '.md': ['text/markdown', 'markdown'],
  '.txt': ['text/plain', 'text'],
  '.json': ['application/json', 'json'],
  '.pdf': ['application/pdf', 'pdf'],
};

export function fileUrlPrivate(ctx: MethodContext, f: LocalFile): string {
  return `${ctx.origin}/files-pri/${ctx.store.teamId}-${f.id}/${encodeURIComponent(f.name)}`;
}

export function fileObject(ctx: MethodContext, f: LocalFile): Record<string, unknown> {
  const [mimetype, filetype] = MIME[extname(f.name).toLowerCase()] ?? ['application/octet-stream', 'binary'];
  const shares: Record<string, Record<string, Array<{ ts: string }>>> = {};
  for (const s of f.shares) {
    const ch = ctx.store.channels.get(s.channel);
    const kind = ch && !ch.isIm && !ch.isPrivate ? 'public' : 'private';
    shares[kind] ??= {};
    const list = shares[kind][s.channel] ?? [];
    list.push({ ts: s.ts });
    shares[kind][s.channel] = list;
  }
  return {
    id: f.id,
    created: f.created,
    timestamp: f.created,
    name: f.name,
    title: f.title,
    mimetype,
    filetype,
    user: f.user,
    user_team: ctx.store.teamId,
    size: f.bytes?.length ?? 0,
    mode: 'hosted',
    is_external: false,
    is_public: f.shares.some((s) => {
      const ch = ctx.store.channels.get(s.channel);
      return ch !== undefined && !ch.isIm && !ch.isPrivate;
    }),
    url_private: fileUrlPrivate(ctx, f),
    url_private_download: `${fileUrlPrivate(ctx, f)}?download=1`,
    permalink: `${ctx.origin}/files/${f.user}/${f.id}/${encodeURIComponent(f.name)}`,
    shares,
    channels: f.shares.filter((s) => s.channel.startsWith('C')).map((s) => s.channel),
    groups: f.shares.filter((s) => s.channel.startsWith('G')).map((s) => s.channel),
    ims: f.shares.filter((s) => s.channel.startsWith('D')).map((s) => s.channel),
    ...(f.altText ? { alt_txt: f.altText } : {}),
  };
}

function viewHash(ctx: MethodContext): string {
  return `${Math.floor(ctx.now() / 1000)}.${randomToken(6)}`;
}

function plain(v: unknown): unknown {
  return v === undefined ? null : v;
}

/** The view object as Slack returns it, from what the app sent. */
function buildView(
  ctx: MethodContext,
  input: Record<string, unknown>,
  ids: { id: string; rootViewId: string; previousViewId: string | null; hash: string },
): Record<string, unknown> {
  return {
    id: ids.id,
    team_id: ctx.store.teamId,
    type: input.type,
    blocks: input.blocks,
    private_metadata: input.private_metadata ?? '',
    callback_id: input.callback_id ?? '',
    state: { values: {} },
    hash: ids.hash,
    title: plain(input.title),
    clear_on_close: input.clear_on_close ?? false,
    notify_on_close: input.notify_on_close ?? false,
    close: plain(input.close),
    submit: plain(input.submit),
    previous_view_id: ids.previousViewId,
    root_view_id: ids.rootViewId,
    app_id: APP_ID,
    external_id: input.external_id ?? '',
    app_installed_team_id: ctx.store.teamId,
    bot_id: BOT_ID,
  };
}

function consumeTrigger(ctx: MethodContext, triggerId: string): string {
  const t = ctx.store.triggers.get(triggerId);
  if (!t) throw new SlackApiError('invalid_trigger_id');
  if (t.used) throw new SlackApiError('exchanged_trigger_id');
  if (ctx.now() - t.createdAt > TRIGGER_TTL_MS) throw new SlackApiError('expired_trigger_id');
  t.used = true;
  return t.userId;
}

function viewParam(params: Params): unknown {
  const view = jsonParam(params, 'view');
  if (view === undefined) {
    throw new SlackApiError('invalid_arguments', {
      response_metadata: { messages: ['[ERROR] missing required field: view'] },
    });
  }
  return view;
}

function assertExternalIdFree(ctx: MethodContext, externalId: unknown, exceptViewId?: string): void {
  if (typeof externalId !== 'string' || externalId === '') return;
  for (const v of ctx.store.views.values()) {
    if (v.externalId === externalId && v.id !== exceptViewId)
      throw new SlackApiError('duplicate_external_id');
  }
}

function storeView(ctx: MethodContext, v: LocalView): LocalView {
  ctx.store.views.set(v.id, v);
  ctx.store.emit({ type: 'view', viewId: v.id, user: v.user });
  return v;
}

function openModal(ctx: MethodContext, params: Params, push: boolean): MethodResult {
  const triggerId = required(params, 'trigger_id');
  const input = viewParam(params);
  assertValidView(ctx.store, input, { expectType: 'modal', now: ctx.now() });
  const user = consumeTrigger(ctx, triggerId);
  assertExternalIdFree(ctx, input.external_id);
  const stack = ctx.store.modalStack(user);
  const open = stack.filter((id) => !ctx.store.views.get(id)?.closed);
  if (push && open.length >= MAX_MODAL_STACK) throw new SlackApiError('push_limit_reached');
  if (!push) {
    for (const id of open) {
      const old = ctx.store.views.get(id);
      if (old) old.closed = true;
    }
    stack.length = 0;
  }
  const id = ctx.store.nextId('V');
  const previous = push ? (open[open.length - 1] ?? null) : null;
  const rootViewId = push && open[0] ? open[0] : id;
  const hash = viewHash(ctx);
  const view = buildView(ctx, input, { id, rootViewId, previousViewId: previous, hash });
  const stored = storeView(ctx, {
    id,
    type: 'modal',
    user,
    hash,
    ...(typeof input.external_id === 'string' && input.external_id ? { externalId: input.external_id } : {}),
    rootViewId,
    previousViewId: previous,
    closed: false,
    view,
  });
  stack.push(id);
  return { view: stored.view };
}

function closeViews(ctx: MethodContext, user: string, ids: readonly string[]): void {
  const stack = ctx.store.modalStack(user);
  for (const id of ids) {
    const v = ctx.store.views.get(id);
    if (v) v.closed = true;
    const i = stack.indexOf(id);
    if (i >= 0) stack.splice(i, 1);
    ctx.store.emit({ type: 'view', viewId: id, user });
  }
}

/**
 * What Slack does with the ack of a view_submission: no body closes the view, `errors` keeps it
 * open with messages, `update` replaces it, `push` stacks a new one, `clear` closes the stack.
 * Returns Slack's refusal for an ack it would reject (the modal then shows an error).
 */
export function applyViewAck(ctx: MethodContext, viewId: string, ack: unknown): string | undefined {
  const v = ctx.store.views.get(viewId);
  if (!v || v.closed || v.type !== 'modal') return 'not_found';
  const action = typeof ack === 'object' && ack !== null ? (ack as Record<string, unknown>) : {};
  switch (action.response_action) {
    case undefined:
      closeViews(ctx, v.user, [viewId]);
      return undefined;
    case 'clear':
      closeViews(ctx, v.user, [...ctx.store.modalStack(v.user)]);
      return undefined;
    case 'errors': {
      const errors = action.errors;
      if (typeof errors !== 'object' || errors === null) return 'invalid_arguments';
      v.errors = errors as Record<string, string>;
      ctx.store.emit({ type: 'view', viewId, user: v.user });
      return undefined;
    }
    case 'update':
    case 'push': {
      try {
        assertValidView(ctx.store, action.view, { expectType: 'modal', viewer: v.user, now: ctx.now() });
      } catch (err) {
        if (err instanceof SlackApiError) return err.error;
        throw err;
      }
      const input = action.view as Record<string, unknown>;
      const hash = viewHash(ctx);
      if (action.response_action === 'update') {
        v.hash = hash;
        delete v.errors;
        v.view = buildView(ctx, input, {
          id: v.id,
          rootViewId: v.rootViewId,
          previousViewId: v.previousViewId,
          hash,
        });
        storeView(ctx, v);
        return undefined;
      }
      const stack = ctx.store.modalStack(v.user);
      if (stack.length >= MAX_MODAL_STACK) return 'push_limit_reached';
      const id = ctx.store.nextId('V');
      const view = buildView(ctx, input, { id, rootViewId: v.rootViewId, previousViewId: v.id, hash });
      storeView(ctx, {
        id,
        type: 'modal',
        user: v.user,
        hash,
        rootViewId: v.rootViewId,
        previousViewId: v.id,
        closed: false,
        view,
      });
      stack.push(id);
      return undefined;
    }
    default:
      return 'invalid_arguments';
  }
}

/** A view_closed (the user pressed Cancel/X): the view, or the whole stack when cleared. */
export function closeView(ctx: MethodContext, viewId: string, opts: { clear?: boolean } = {}): void {
  const v = ctx.store.views.get(viewId);
  if (v?.type !== 'modal') return;
  closeViews(ctx, v.user, opts.clear ? [...ctx.store.modalStack(v.user)] : [viewId]);
}

const chatWrite = 'chat:write';

export const METHODS: Record<string, MethodSpec> = {
  'auth.test': {
    token: 'bot',
    handle: (_p, ctx) => ({
      url: `${ctx.origin}/`,
      team: 'Ladder Local',
      user: ctx.store.users.get(ctx.store.botUserId)?.name ?? 'ladder',
      team_id: ctx.callerTeamId ?? ctx.store.teamId,
      user_id: ctx.store.botUserId,
      bot_id: BOT_ID,
      is_enterprise_install: false,
    }),
  },

  'apps.connections.open': {
    token: 'app',
    handle: (_p, ctx) => ({ url: ctx.openSocketUrl() }),
  },

  'chat.postMessage': {
    token: 'bot',
    scope: chatWrite,
    handle(params, ctx) {
      const ch = resolveConversation(ctx, optString(params, 'channel'), 'post');
      const text = optString(params, 'text');
      const blocks = blocksParam(params);
      assertValidMessage(
        ctx.store,
        { text, blocks },
        { requireTextFallback: ctx.requireTextFallback, now: ctx.now() },
      );
      const threadTs = resolveThread(ch, optString(params, 'thread_ts'));
      const m = botMessage(ctx, ch, {
        text: text ?? '',
        ...(blocks ? { blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        via: 'api',
      });
      ctx.store.addMessage(ch, m);
      return { channel: ch.id, ts: m.ts, message: publicMessage(m) };
    },
  },

  'chat.postEphemeral': {
    token: 'bot',
    scope: chatWrite,
    handle(params, ctx) {
      const ch = resolveConversation(ctx, optString(params, 'channel'), 'post');
      const user = required(params, 'user', 'user_not_found');
      if (!ctx.store.users.has(user)) throw new SlackApiError('user_not_found');
      if (!ch.members.includes(user)) throw new SlackApiError('user_not_in_channel');
      const text = optString(params, 'text');
      const blocks = blocksParam(params);
      assertValidMessage(
        ctx.store,
        { text, blocks },
        { requireTextFallback: ctx.requireTextFallback, now: ctx.now() },
      );
      const threadTs = optString(params, 'thread_ts');
      const ts = ctx.store.nextTs();
      ctx.store.ephemerals.push({
        ts,
        channel: ch.id,
        user,
        text: text ?? '',
        ...(blocks ? { blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        source: 'chat.postEphemeral',
        replaced: 0,
        deleted: false,
      });
      ctx.store.emit({ type: 'ephemeral', channel: ch.id, ts, user });
      return { message_ts: ts };
    },
  },

  'chat.update': {
    token: 'bot',
    scope: chatWrite,
    handle(params, ctx) {
      const ch = resolveConversation(ctx, optString(params, 'channel'), 'read');
      const ts = required(params, 'ts', 'message_not_found');
      // Ephemeral messages live outside the conversation: Slack cannot find them to update.
      const m = findMessage(ch, ts);
      if (!m) throw new SlackApiError('message_not_found');
      if (m.user !== ctx.store.botUserId) throw new SlackApiError('cant_update_message');
      const text = optString(params, 'text');
      const blocks = blocksParam(params);
      if (text === undefined && blocks === undefined) throw new SlackApiError('no_text');
      assertValidMessage(
        ctx.store,
        { text: text ?? m.text, blocks: blocks ?? m.blocks },
        { requireTextFallback: ctx.requireTextFallback, now: ctx.now() },
      );
      if (text !== undefined) m.text = text;
      if (blocks !== undefined) m.blocks = blocks;
      m.edited = { user: ctx.store.botUserId, ts: ctx.store.nextTs() };
      ctx.store.emit({ type: 'message_changed', channel: ch.id, ts: m.ts });
      return { channel: ch.id, ts: m.ts, text: m.text, message: publicMessage(m) };
    },
  },

  'chat.delete': {
    token: 'bot',
    scope: chatWrite,
    handle(params, ctx) {
      const ch = resolveConversation(ctx, optString(params, 'channel'), 'read');
      const ts = required(params, 'ts', 'message_not_found');
      const m = findMessage(ch, ts);
      if (!m) throw new SlackApiError('message_not_found');
      if (m.user !== ctx.store.botUserId) throw new SlackApiError('cant_delete_message');
      ctx.store.removeMessage(ch, m);
      return { channel: ch.id, ts };
    },
  },

  'chat.getPermalink': {
    token: 'bot',
    handle(params, ctx) {
      const ch = resolveConversation(ctx, optString(params, 'channel'), 'read');
      const ts = required(params, 'message_ts', 'message_not_found');
      const m = ch.messages.find((x) => x.ts === ts);
      if (!m) throw new SlackApiError('message_not_found');
      const base = `${ctx.origin}/archives/${ch.id}/p${ts.replace('.', '')}`;
      const permalink =
        m.thread_ts !== undefined && m.thread_ts !== m.ts
          ? `${base}?thread_ts=${m.thread_ts}&cid=${ch.id}`
          : base;
      return { channel: ch.id, permalink };
    },
  },

  'conversations.open': {
    token: 'bot',
    scope: 'im:write',
    handle(params, ctx) {
      const channel = optString(params, 'channel');
      if (channel) {
        const ch = resolveConversation(ctx, channel, 'read');
        return { channel: { id: ch.id }, already_open: true };
      }
      const users = (optString(params, 'users') ?? '').split(',').filter(Boolean);
      if (users.length === 0) throw new SlackApiError('users_list_not_supplied');
      if (users.length > 1) throw new SlackApiError('not_supported_by_local_api');
      const id = users[0] ?? '';
      const user = ctx.store.users.get(id);
      if (!user) throw new SlackApiError('user_not_found');
      if (user.deleted) throw new SlackApiError('user_disabled');
      const already = ctx.store.dmChannelId(id) !== undefined;
      const ch = ctx.store.openDm(id);
      return {
        channel: { id: ch.id },
        ...(already ? { already_open: true, no_op: true } : {}),
      };
    },
  },

  'users.info': {
    token: 'bot',
    scope: 'users:read',
    handle(params, ctx) {
      const user = ctx.store.users.get(required(params, 'user', 'user_not_found'));
      if (!user) throw new SlackApiError('user_not_found');
      return { user: userObject(ctx, user) };
    },
  },

  'reactions.add': {
    token: 'bot',
    scope: 'reactions:write',
    handle(params, ctx) {
      const ch = resolveConversation(ctx, optString(params, 'channel'), 'post');
      const ts = required(params, 'timestamp', 'no_item_specified');
      const name = required(params, 'name', 'invalid_name').replace(/^:|:$/g, '');
      if (!/^[a-z0-9_+'-]+$/.test(name)) throw new SlackApiError('invalid_name');
      const m = findMessage(ch, ts);
      if (!m) throw new SlackApiError('message_not_found');
      const reactions = m.reactions ?? [];
      const existing = reactions.find((r) => r.name === name);
      if (existing?.users.includes(ctx.store.botUserId)) throw new SlackApiError('already_reacted');
      if (existing) {
        existing.users.push(ctx.store.botUserId);
        existing.count = existing.users.length;
      } else {
        reactions.push({ name, users: [ctx.store.botUserId], count: 1 });
      }
      m.reactions = reactions;
      ctx.store.emit({ type: 'reaction', channel: ch.id, ts });
      return {};
    },
  },

  'views.open': {
    token: 'bot',
    handle: (params, ctx) => openModal(ctx, params, false),
  },

  'views.push': {
    token: 'bot',
    handle: (params, ctx) => openModal(ctx, params, true),
  },

  'views.update': {
    token: 'bot',
    handle(params, ctx) {
      const viewId = optString(params, 'view_id');
      const externalId = optString(params, 'external_id');
      if (!viewId && !externalId) {
        throw new SlackApiError('invalid_arguments', {
          response_metadata: { messages: ['[ERROR] view_id or external_id is required'] },
        });
      }
      const existing = viewId
        ? ctx.store.views.get(viewId)
        : [...ctx.store.views.values()].find((v) => v.externalId === externalId);
      if (!existing) throw new SlackApiError('not_found');
      const input = viewParam(params);
      assertValidView(ctx.store, input, { expectType: existing.type, viewer: existing.user, now: ctx.now() });
      const hash = optString(params, 'hash');
      if (hash !== undefined && hash !== existing.hash) throw new SlackApiError('hash_conflict');
      assertExternalIdFree(ctx, input.external_id, existing.id);
      const newHash = viewHash(ctx);
      existing.hash = newHash;
      if (typeof input.external_id === 'string' && input.external_id) existing.externalId = input.external_id;
      existing.view = buildView(ctx, input, {
        id: existing.id,
        rootViewId: existing.rootViewId,
        previousViewId: existing.previousViewId,
        hash: newHash,
      });
      storeView(ctx, existing);
      return { view: existing.view };
    },
  },

  'views.publish': {
    token: 'bot',
    handle(params, ctx) {
      const userId = required(params, 'user_id', 'user_not_found');
      const user = ctx.store.users.get(userId);
      if (!user) throw new SlackApiError('user_not_found');
      const input = viewParam(params);
      assertValidView(ctx.store, input, { expectType: 'home', viewer: userId, now: ctx.now() });
      const existing = ctx.store.homeViews.get(userId);
      const hash = optString(params, 'hash');
      if (existing && hash !== undefined && hash !== existing.hash) throw new SlackApiError('hash_conflict');
      const id = existing?.id ?? ctx.store.nextId('V');
      const newHash = viewHash(ctx);
      const view = buildView(ctx, input, { id, rootViewId: id, previousViewId: null, hash: newHash });
      const stored: LocalView = {
        id,
        type: 'home',
        user: userId,
        hash: newHash,
        rootViewId: id,
        previousViewId: null,
        closed: false,
        view,
      };
      ctx.store.homeViews.set(userId, stored);
      storeView(ctx, stored);
      return { view };
    },
  },

  'files.getUploadURLExternal': {
    token: 'bot',
    scope: 'files:write',
    handle(params, ctx) {
      const filename = required(params, 'filename');
      const lengthRaw = required(params, 'length');
      const length = Number(lengthRaw);
      if (!Number.isInteger(length) || length <= 0) {
        throw new SlackApiError('invalid_arguments', {
          response_metadata: {
            messages: ['[ERROR] length must be a positive integer [json-pointer:/length]'],
          },
        });
      }
      const id = ctx.store.nextId('F');
      const secret = randomToken();
      const altText = optString(params, 'alt_text') ?? optString(params, 'alt_txt');
      const f: LocalFile = {
        id,
        name: filename,
        title: filename,
        declaredLength: length,
        user: ctx.store.botUserId,
        created: Math.floor(ctx.now() / 1000),
        completed: false,
        deleted: false,
        shares: [],
        uploadSecret: secret,
        ...(altText ? { altText } : {}),
      };
      ctx.store.files.set(id, f);
      ctx.store.emit({ type: 'file', fileId: id });
      return { upload_url: `${ctx.origin}/upload/v1/${id}/${secret}`, file_id: id };
    },
  },

  'files.completeUploadExternal': {
    token: 'bot',
    scope: 'files:write',
    handle(params, ctx) {
      const list = jsonParam(params, 'files');
      if (!Array.isArray(list) || list.length === 0) {
        throw new SlackApiError('invalid_arguments', {
          response_metadata: { messages: ['[ERROR] files must be a non-empty array [json-pointer:/files]'] },
        });
      }
      const files = list.map((entry) => {
        const id = (entry as { id?: unknown }).id;
        const f = typeof id === 'string' ? ctx.store.files.get(id) : undefined;
        if (!f || f.deleted || !f.bytes) throw new SlackApiError('file_not_found');
        const title = (entry as { title?: unknown }).title;
        return { f, title: typeof title === 'string' && title ? title : undefined };
      });
      const channelRef = optString(params, 'channel_id') ?? optString(params, 'channels')?.split(',')[0];
      // Unlike chat.postMessage, a user id is refused here: the DM must be opened first. (Slack's
      // pattern also wants 8+ characters after the prefix; short local ids are let through.)
      if (channelRef !== undefined && !/^[CGDZ][A-Z0-9]+$/.test(channelRef)) {
        throw new SlackApiError('invalid_arguments', {
          response_metadata: {
            messages: [
              '[ERROR] input must match regex pattern: ^[CGDZ][A-Z0-9]{8,}$ [json-pointer:/channel_id]',
            ],
          },
        });
      }
      const ch = channelRef ? resolveConversation(ctx, channelRef, 'post') : undefined;
      const initialComment = optString(params, 'initial_comment');
      const blocks = blocksParam(params);
      if (blocks) {
        assertValidMessage(
          ctx.store,
          { text: initialComment ?? ' ', blocks },
          { requireTextFallback: false, now: ctx.now() },
        );
      }
      const threadTs = ch ? resolveThread(ch, optString(params, 'thread_ts')) : undefined;
      for (const { f, title } of files) {
        if (title) f.title = title;
        f.completed = true;
        f.processedAt = ctx.now() + ctx.fileProcessingMs;
      }
      if (ch) {
        const m = botMessage(ctx, ch, {
          text: initialComment ?? '',
          ...(blocks ? { blocks } : {}),
          ...(threadTs ? { thread_ts: threadTs } : {}),
          via: 'api',
        });
        for (const { f } of files) f.shares.push({ channel: ch.id, ts: m.ts });
        m.files = files.map(({ f }) => fileObject(ctx, f));
        ctx.store.addMessage(ch, m);
      }
      for (const { f } of files) ctx.store.emit({ type: 'file', fileId: f.id });
      return { files: files.map(({ f }) => fileObject(ctx, f)) };
    },
  },

  'files.delete': {
    token: 'bot',
    scope: 'files:write',
    handle(params, ctx) {
      const f = ctx.store.files.get(required(params, 'file', 'file_not_found'));
      if (!f) throw new SlackApiError('file_not_found');
      if (f.deleted) throw new SlackApiError('file_deleted');
      if (f.user !== ctx.store.botUserId) throw new SlackApiError('cant_delete_file');
      f.deleted = true;
      delete f.bytes;
      for (const s of f.shares) {
        const m = ctx.store.message(s.channel, s.ts);
        if (m?.files) {
          m.files = m.files.map((x) => (x.id === f.id ? { id: f.id, mode: 'tombstone' as const } : x));
          ctx.store.emit({ type: 'message_changed', channel: s.channel, ts: s.ts });
        }
      }
      ctx.store.emit({ type: 'file', fileId: f.id });
      return {};
    },
  },

  'files.info': {
    token: 'bot',
    scope: 'files:read',
    handle(params, ctx) {
      const f = ctx.store.files.get(required(params, 'file', 'file_not_found'));
      if (!f || f.deleted) throw new SlackApiError(f ? 'file_deleted' : 'file_not_found');
      return { file: fileObject(ctx, f) };
    },
  },
};

/** Thread-aware bot post used by response_url `in_channel` replies. */
export function postAsBot(
  ctx: MethodContext,
  ch: LocalChannel,
  body: { text: string; blocks?: unknown[]; thread_ts?: string },
): LocalMessage {
  const threadTs = body.thread_ts !== undefined ? resolveThread(ch, body.thread_ts) : undefined;
  const m = botMessage(ctx, ch, {
    text: body.text,
    ...(body.blocks ? { blocks: body.blocks } : {}),
    ...(threadTs ? { thread_ts: threadTs } : {}),
    via: 'response_url',
  });
  return ctx.store.addMessage(ch, m);
}
