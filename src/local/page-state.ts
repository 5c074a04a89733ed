/**
 * What one person sees of the local workspace, as the page renders it: #general with their
 * ephemeral replies, their DM with the bot (threads included), the Home tab the app published for
 * them and their open modals. A read-only projection of the local Slack API's state.
 */
import type { LocalEphemeral, LocalMessage, LocalSlackApi, LocalView } from './slack-api.ts';

export interface DemoUser {
  id: string;
  name: string;
  realName: string;
  tz: string;
}

export interface PageFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  size: number;
  /** The page server's URL for the bytes (`inline=1` shows images in place). */
  url: string;
  image: boolean;
  deleted: boolean;
}

interface ItemBase {
  ts: string;
  text: string;
  blocks?: unknown[];
  /** Set on replies (not on a thread's parent). */
  threadTs?: string;
}

export interface PageMessage extends ItemBase {
  kind: 'message';
  user: string;
  author: string;
  bot: boolean;
  files?: PageFile[];
  replyCount: number;
  edited: boolean;
  tombstone: boolean;
  reactions?: Array<{ name: string; count: number }>;
}

export interface PageEphemeral extends ItemBase {
  kind: 'ephemeral';
  /** The slash command this answers, when the page knows it (`/ladder lead`). */
  command?: string;
}

/** Slackbot's own notices ("/ladder failed with the error …"): only the page creates them. */
export interface PageNotice extends ItemBase {
  kind: 'notice';
}

export type PageItem = PageMessage | PageEphemeral | PageNotice;

export interface PageConversation {
  id: string;
  name: string;
  im: boolean;
  /** Top-level items, oldest first. */
  items: PageItem[];
  /** Parent ts → replies, oldest first. */
  threads: Record<string, PageItem[]>;
}

export interface PageView {
  id: string;
  hash: string;
  view: Record<string, unknown>;
  errors?: Record<string, string>;
}

export interface Notice {
  user: string;
  channel: string;
  ts: string;
  text: string;
  threadTs?: string;
}

export interface ProjectionInput {
  api: LocalSlackApi;
  user: DemoUser;
  notices: readonly Notice[];
  /** response_url → the command that created it, to label ephemeral replies. */
  commandOf(responseUrl: string | undefined): string | undefined;
}

/** Message timestamps ("1700000000.000123") compared as numbers without float rounding. */
export function compareTs(a: string, b: string): number {
  const [as = '0', am = '0'] = a.split('.');
  const [bs = '0', bm = '0'] = b.split('.');
  return Number(as) - Number(bs) || Number(am.padEnd(6, '0')) - Number(bm.padEnd(6, '0'));
}

const MIME: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  txt: 'text/plain',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
};

export function mimeOf(name: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  return MIME[ext] ?? 'application/octet-stream';
}

/** Images shown in place; SVG is not among them (it can carry script). */
export function isInlineImage(mimetype: string): boolean {
  return mimetype === 'image/png' || mimetype === 'image/jpeg' || mimetype === 'image/gif';
}

export function fileUrl(id: string, name: string, userId: string): string {
  return `/files/${encodeURIComponent(id)}/${encodeURIComponent(name)}?user=${encodeURIComponent(userId)}`;
}

function projectFiles(api: LocalSlackApi, m: LocalMessage, userId: string): PageFile[] | undefined {
  if (!m.files || m.files.length === 0) return undefined;
  return m.files.map((inMessage) => {
    const shared = inMessage as Record<string, unknown>;
    const id = String(shared.id ?? '');
    const live = api.state.files.get(id);
    const name = live?.name ?? (typeof shared.name === 'string' ? shared.name : id);
    const mimetype = typeof shared.mimetype === 'string' ? shared.mimetype : mimeOf(name);
    return {
      id,
      name,
      title: live?.title ?? name,
      mimetype,
      size: live?.bytes?.length ?? 0,
      url: fileUrl(id, name, userId),
      image: isInlineImage(mimetype),
      deleted: !live || live.deleted || shared.mode === 'tombstone',
    };
  });
}

function projectMessage(api: LocalSlackApi, m: LocalMessage, userId: string): PageMessage {
  const author = api.state.users.get(m.user);
  const files = projectFiles(api, m, userId);
  return {
    kind: 'message',
    ts: m.ts,
    user: m.user,
    author: author?.realName ?? author?.name ?? m.user,
    bot: m.bot_id !== undefined || author?.isBot === true,
    text: m.text,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(files ? { files } : {}),
    ...(m.thread_ts !== undefined && m.thread_ts !== m.ts ? { threadTs: m.thread_ts } : {}),
    replyCount: m.reply_count ?? 0,
    edited: m.edited !== undefined,
    tombstone: m.subtype === 'tombstone',
    ...(m.reactions ? { reactions: m.reactions.map((r) => ({ name: r.name, count: r.count })) } : {}),
  };
}

function projectEphemeral(e: LocalEphemeral, input: ProjectionInput): PageEphemeral {
  const command = input.commandOf(e.responseUrl);
  return {
    kind: 'ephemeral',
    ts: e.ts,
    text: e.text,
    ...(e.blocks ? { blocks: e.blocks } : {}),
    ...(e.thread_ts ? { threadTs: e.thread_ts } : {}),
    ...(command ? { command } : {}),
  };
}

/** One conversation as this person sees it: messages, their ephemerals and notices, by thread. */
export function projectConversation(channelId: string, input: ProjectionInput): PageConversation | undefined {
  const { api, user } = input;
  const ch = api.state.channels.get(channelId);
  if (!ch?.members.includes(user.id)) return undefined;
  const all: PageItem[] = [
    ...ch.messages.map((m) => projectMessage(api, m, user.id)),
    ...api.state.ephemerals
      .filter((e) => e.channel === channelId && e.user === user.id && !e.deleted)
      .map((e) => projectEphemeral(e, input)),
    ...input.notices
      .filter((n) => n.channel === channelId && n.user === user.id)
      .map(
        (n): PageNotice => ({
          kind: 'notice',
          ts: n.ts,
          text: n.text,
          ...(n.threadTs ? { threadTs: n.threadTs } : {}),
        }),
      ),
  ].sort((a, b) => compareTs(a.ts, b.ts));
  const items: PageItem[] = [];
  const threads: Record<string, PageItem[]> = {};
  for (const item of all) {
    if (item.threadTs !== undefined && item.threadTs !== item.ts) {
      const list = threads[item.threadTs] ?? [];
      list.push(item);
      threads[item.threadTs] = list;
    } else {
      items.push(item);
    }
  }
  return { id: ch.id, name: ch.isIm ? 'Ladder' : ch.name, im: ch.isIm, items, threads };
}

export function projectView(v: LocalView): PageView {
  return { id: v.id, hash: v.hash, view: v.view, ...(v.errors ? { errors: v.errors } : {}) };
}
