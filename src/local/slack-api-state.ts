import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';

/** A person (or the bot) in the local workspace. */
export interface LocalUser {
  id: string;
  name: string;
  realName?: string;
  /** IANA zone; `null` or absent: Slack gives no zone for this user. */
  tz?: string | null;
  deleted?: boolean;
  isBot?: boolean;
}

export interface LocalReaction {
  name: string;
  users: string[];
  count: number;
}

/** A file as it appears inside a message (`files` of a message, or a tombstone once deleted). */
export type LocalFileInMessage = { id: string; mode: 'tombstone' } | Record<string, unknown>;

/** A conversation message, shaped like Slack's message objects. */
export interface LocalMessage {
  type: 'message';
  channel: string;
  ts: string;
  user: string;
  bot_id?: string;
  app_id?: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  reply_count?: number;
  replies?: Array<{ user: string; ts: string }>;
  files?: LocalFileInMessage[];
  reactions?: LocalReaction[];
  edited?: { user: string; ts: string };
  subtype?: string;
  client_msg_id?: string;
  /** How the message got here: a Web API call, a response_url post, or a person (postAsUser). */
  via: 'api' | 'response_url' | 'person';
}

export interface LocalChannel {
  id: string;
  name: string;
  isIm: boolean;
  isPrivate: boolean;
  members: string[];
  botIsMember: boolean;
  /** For a DM with the bot: the person. */
  imUser?: string;
  /** Every message, replies included, oldest first. */
  messages: LocalMessage[];
}

/** A message only one user sees (chat.postEphemeral or an ephemeral response_url post). */
export interface LocalEphemeral {
  ts: string;
  channel: string;
  user: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  source: 'chat.postEphemeral' | 'response_url';
  responseUrl?: string;
  /** How many times a `replace_original` rewrote it. */
  replaced: number;
  deleted: boolean;
}

export interface LocalView {
  id: string;
  type: 'modal' | 'home';
  /** Who sees it: the user who triggered a modal, or the Home tab's owner. */
  user: string;
  hash: string;
  externalId?: string;
  rootViewId: string;
  previousViewId: string | null;
  closed: boolean;
  /** Errors from the last `response_action: 'errors'` ack, shown under the inputs. */
  errors?: Record<string, string>;
  /** The view object as Slack returns it (id, hash, state, blocks, …). */
  view: Record<string, unknown>;
}

export interface LocalFile {
  id: string;
  name: string;
  title: string;
  /** What files.getUploadURLExternal was told. */
  declaredLength: number;
  bytes?: Buffer;
  user: string;
  created: number;
  completed: boolean;
  deleted: boolean;
  /** Where the file was shared: one message per conversation. */
  shares: Array<{ channel: string; ts: string }>;
  /** ms clock time from which Slack has processed the file (image blocks may show it). */
  processedAt?: number;
  uploadSecret: string;
  altText?: string;
}

export interface ResponseUrlPost {
  url: string;
  at: number;
  body: unknown;
  status: number;
  /** What the post did; absent when it was refused. */
  applied?: { kind: 'ephemeral' | 'in_channel' | 'replaced' | 'deleted'; channel: string; ts?: string };
  error?: string;
}

export interface ResponseUrlRecord {
  id: string;
  url: string;
  channelId: string;
  userId: string;
  /** The message a block action came from: `replace_original` / `delete_original` act on it. */
  messageTs?: string;
  createdAt: number;
  uses: number;
  /** The last message posted through this URL (what a command's `replace_original` replaces). */
  lastTs?: string;
}

export interface TriggerRecord {
  id: string;
  userId: string;
  createdAt: number;
  used: boolean;
}

/** What changed, for listeners that re-render (the local web page) or wait (tests). */
export interface ChangeEvent {
  type:
    | 'message'
    | 'message_changed'
    | 'message_deleted'
    | 'ephemeral'
    | 'ephemeral_changed'
    | 'view'
    | 'file'
    | 'reaction'
    | 'response_url'
    | 'install'
    | 'user'
    | 'channel';
  channel?: string;
  ts?: string;
  user?: string;
  viewId?: string;
  fileId?: string;
  url?: string;
  /** An install: the team, or the org of an org-wide install. */
  team?: string;
}

/** Read access to everything the local workspace holds. Treat the returned objects as read-only. */
export interface LocalSlackState {
  readonly teamId: string;
  readonly botUserId: string;
  readonly users: ReadonlyMap<string, LocalUser>;
  readonly channels: ReadonlyMap<string, LocalChannel>;
  readonly ephemerals: readonly LocalEphemeral[];
  readonly views: ReadonlyMap<string, LocalView>;
  /** userId → that user's published Home tab. */
  readonly homeViews: ReadonlyMap<string, LocalView>;
  readonly files: ReadonlyMap<string, LocalFile>;
  readonly responseUrlPosts: readonly ResponseUrlPost[];
  /** Top-level messages of a conversation (thread replies excluded), oldest first. */
  messages(channelId: string): readonly LocalMessage[];
  /** Replies in a thread, oldest first, the parent excluded. */
  replies(channelId: string, threadTs: string): readonly LocalMessage[];
  message(channelId: string, ts: string): LocalMessage | undefined;
  /** Posts to one response_url, oldest first. */
  postsTo(url: string): readonly ResponseUrlPost[];
  /** The DM between the bot and this user, once opened. */
  dmChannelId(userId: string): string | undefined;
  /** The user's open modal stack, bottom first. */
  openModals(userId: string): readonly LocalView[];
}

export const BOT_ID = 'B0LOCAL';
export const APP_ID = 'A0LOCAL';

export function randomToken(bytes = 12): string {
  return randomBytes(bytes).toString('hex');
}

/** Mutable store behind {@link LocalSlackState}; only the local API writes to it. */
export class LocalSlackStore implements LocalSlackState {
  readonly users = new Map<string, LocalUser>();
  readonly channels = new Map<string, LocalChannel>();
  readonly ephemerals: LocalEphemeral[] = [];
  readonly views = new Map<string, LocalView>();
  readonly homeViews = new Map<string, LocalView>();
  readonly files = new Map<string, LocalFile>();
  readonly responseUrlPosts: ResponseUrlPost[] = [];
  readonly responseUrls = new Map<string, ResponseUrlRecord>();
  readonly triggers = new Map<string, TriggerRecord>();
  readonly events = new EventEmitter();
  private readonly dms = new Map<string, string>();
  private readonly postsByUrl = new Map<string, ResponseUrlPost[]>();
  private readonly modalStacks = new Map<string, string[]>();
  private lastTsMicros = 0;
  private counter = 0;

  constructor(
    readonly teamId: string,
    readonly botUserId: string,
    readonly now: () => number,
  ) {
    // A page and several tests may listen at once; the default cap of 10 only produces noise.
    this.events.setMaxListeners(0);
  }

  emit(change: ChangeEvent): void {
    this.events.emit('change', change);
  }

  /** A unique id with Slack's prefix, e.g. `V0000000007`. */
  nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}${String(this.counter).padStart(10, '0')}`;
  }

  /** Message timestamps: seconds.micros from the clock, strictly increasing like Slack's. */
  nextTs(): string {
    const micros = Math.max(Math.floor(this.now()) * 1000, this.lastTsMicros + 1);
    this.lastTsMicros = micros;
    const sec = Math.floor(micros / 1_000_000);
    return `${sec}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  messages(channelId: string): readonly LocalMessage[] {
    const ch = this.channels.get(channelId);
    return ch ? ch.messages.filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts) : [];
  }

  replies(channelId: string, threadTs: string): readonly LocalMessage[] {
    const ch = this.channels.get(channelId);
    return ch ? ch.messages.filter((m) => m.thread_ts === threadTs && m.ts !== threadTs) : [];
  }

  message(channelId: string, ts: string): LocalMessage | undefined {
    return this.channels.get(channelId)?.messages.find((m) => m.ts === ts);
  }

  postsTo(url: string): readonly ResponseUrlPost[] {
    return this.postsByUrl.get(url) ?? [];
  }

  recordResponsePost(post: ResponseUrlPost, rec: ResponseUrlRecord): void {
    this.responseUrlPosts.push(post);
    const list = this.postsByUrl.get(post.url) ?? [];
    list.push(post);
    this.postsByUrl.set(post.url, list);
    this.emit({ type: 'response_url', url: post.url, channel: rec.channelId, user: rec.userId });
  }

  dmChannelId(userId: string): string | undefined {
    return this.dms.get(userId);
  }

  openModals(userId: string): readonly LocalView[] {
    return (this.modalStacks.get(userId) ?? []).flatMap((id) => {
      const v = this.views.get(id);
      return v && !v.closed ? [v] : [];
    });
  }

  modalStack(userId: string): string[] {
    let stack = this.modalStacks.get(userId);
    if (!stack) {
      stack = [];
      this.modalStacks.set(userId, stack);
    }
    return stack;
  }

  addUser(user: LocalUser): LocalUser {
    const u = { ...user };
    this.users.set(u.id, u);
    this.emit({ type: 'user', user: u.id });
    return u;
  }

  addChannel(c: {
    id: string;
    name: string;
    members?: readonly string[];
    botIsMember?: boolean;
    isPrivate?: boolean;
    isIm?: boolean;
  }): LocalChannel {
    const existing = this.channels.get(c.id);
    const ch: LocalChannel = {
      id: c.id,
      name: c.name,
      isIm: c.isIm ?? c.id.startsWith('D'),
      isPrivate: c.isPrivate ?? false,
      members: [...(c.members ?? [])],
      botIsMember: c.botIsMember ?? false,
      messages: existing?.messages ?? [],
    };
    if (ch.botIsMember && !ch.members.includes(this.botUserId)) ch.members.push(this.botUserId);
    this.channels.set(ch.id, ch);
    this.emit({ type: 'channel', channel: ch.id });
    return ch;
  }

  /** The bot's DM with a person, created on first use with a stable id (U0ALICE → D0ALICE). */
  openDm(userId: string): LocalChannel {
    const known = this.dms.get(userId);
    if (known) {
      const ch = this.channels.get(known);
      if (ch) return ch;
    }
    let id = `D${userId.slice(1)}`;
    if (this.channels.has(id)) id = this.nextId('D');
    const ch: LocalChannel = {
      id,
      name: userId,
      isIm: true,
      isPrivate: true,
      members: [userId, this.botUserId],
      botIsMember: true,
      imUser: userId,
      messages: [],
    };
    this.channels.set(id, ch);
    this.dms.set(userId, id);
    this.emit({ type: 'channel', channel: id });
    return ch;
  }

  /** Adds a message (a reply when thread_ts is set) and keeps the parent's reply summary. */
  addMessage(ch: LocalChannel, msg: LocalMessage): LocalMessage {
    ch.messages.push(msg);
    if (msg.thread_ts !== undefined && msg.thread_ts !== msg.ts) {
      const parent = ch.messages.find((m) => m.ts === msg.thread_ts);
      if (parent) {
        parent.thread_ts = parent.ts;
        parent.replies = [...(parent.replies ?? []), { user: msg.user, ts: msg.ts }];
        parent.reply_count = parent.replies.length;
      }
    }
    this.emit({ type: 'message', channel: ch.id, ts: msg.ts, user: msg.user });
    return msg;
  }

  removeMessage(ch: LocalChannel, msg: LocalMessage): void {
    const hasReplies = (msg.reply_count ?? 0) > 0;
    if (hasReplies) {
      // Slack keeps a deleted thread parent as a tombstone so the replies stay reachable.
      msg.subtype = 'tombstone';
      msg.text = 'This message was deleted.';
      delete msg.blocks;
      delete msg.files;
    } else {
      ch.messages.splice(ch.messages.indexOf(msg), 1);
      if (msg.thread_ts !== undefined && msg.thread_ts !== msg.ts) {
        const parent = ch.messages.find((m) => m.ts === msg.thread_ts);
        if (parent?.replies) {
          parent.replies = parent.replies.filter((r) => r.ts !== msg.ts);
          parent.reply_count = parent.replies.length;
        }
      }
    }
    this.emit({ type: 'message_deleted', channel: ch.id, ts: msg.ts });
  }
}

/** A person's post, checked as Slack would (a member of the channel; a reply to a message there). */
export function postAsUser(
  store: LocalSlackStore,
  o: { channel?: string; user: string; text: string; thread_ts?: string },
): LocalMessage {
  if (!store.users.has(o.user)) throw new Error(`unknown user ${o.user}`);
  const ch = o.channel ? store.channels.get(o.channel) : store.openDm(o.user);
  if (!ch) throw new Error(`unknown channel ${o.channel}`);
  if (!ch.members.includes(o.user)) throw new Error(`${o.user} is not a member of ${ch.id}`);
  let threadTs: string | undefined;
  if (o.thread_ts !== undefined) {
    const parent = ch.messages.find((m) => m.ts === o.thread_ts);
    if (!parent) throw new Error(`no message ${o.thread_ts} in ${ch.id}`);
    threadTs = parent.thread_ts ?? parent.ts;
  }
  const m: LocalMessage = {
    type: 'message',
    channel: ch.id,
    ts: store.nextTs(),
    user: o.user,
    text: o.text,
    client_msg_id: crypto.randomUUID(),
    via: 'person',
    ...(threadTs ? { thread_ts: threadTs } : {}),
  };
  return store.addMessage(ch, m);
}
