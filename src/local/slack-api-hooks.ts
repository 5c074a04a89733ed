import type { IncomingMessage } from 'node:http';
import { SLACK_LIMITS } from '../slack-limits.ts';
import { parseMultipart, SlackApiError } from './slack-api-http.ts';
import { type MethodContext, postAsBot } from './slack-api-methods.ts';
import {
  type LocalEphemeral,
  type LocalMessage,
  type ResponseUrlPost,
  type ResponseUrlRecord,
  randomToken,
} from './slack-api-state.ts';
import { assertValidMessage } from './slack-api-validate.ts';

export interface HookAnswer {
  status: number;
  json?: unknown;
  text?: string;
  /** For the call log: `ok` or the refusal. */
  outcome: string;
}

export function createResponseUrl(
  ctx: MethodContext,
  opts: { channelId: string; userId: string; messageTs?: string; kind?: 'commands' | 'actions' },
): string {
  const id = randomToken(16);
  const url = `${ctx.origin}/hooks/${opts.kind ?? 'commands'}/${ctx.store.teamId}/${ctx.store.nextId('')}/${id}`;
  ctx.store.responseUrls.set(id, {
    id,
    url,
    channelId: opts.channelId,
    userId: opts.userId,
    ...(opts.messageTs ? { messageTs: opts.messageTs } : {}),
    createdAt: ctx.now(),
    uses: 0,
  });
  return url;
}

function asMessageBody(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SlackApiError('invalid_payload');
  return v as Record<string, unknown>;
}

/** What `replace_original` / `delete_original` act on: the message the action came from, else the last post. */
function findTarget(
  ctx: MethodContext,
  channelId: string,
  ts: string | undefined,
): { ephemeral: LocalEphemeral } | { message: LocalMessage } | undefined {
  if (ts === undefined) return undefined;
  const ephemeral = ctx.store.ephemerals.find((e) => e.ts === ts && e.channel === channelId && !e.deleted);
  if (ephemeral) return { ephemeral };
  const message = ctx.store.message(channelId, ts);
  return message ? { message } : undefined;
}

/** One accepted POST to a response URL, on its way to being applied. */
interface HookPost {
  ctx: MethodContext;
  rec: ResponseUrlRecord;
  msg: Record<string, unknown>;
  /** The message the URL belongs to, else the last one posted through it. */
  targetTs: string | undefined;
  record: (post: Omit<ResponseUrlPost, 'url' | 'at'>) => void;
  refuse: (status: number, error: string, extra?: Record<string, unknown>) => HookAnswer;
}

const ok = (): HookAnswer => ({ status: 200, json: { ok: true }, outcome: 'ok' });

/**
 * A POST to a response_url, applied like Slack: `in_channel` posts a visible message (the bot need
 * not be a member), `ephemeral` (the default) shows only to the user, `replace_original` rewrites
 * the message the URL belongs to, `delete_original` removes it. Refusals are HTTP errors, which
 * Bolt's `respond()` turns into a thrown RespondError.
 */
export function handleResponseUrlPost(ctx: MethodContext, id: string, body: Buffer): HookAnswer {
  const rec = ctx.store.responseUrls.get(id);
  if (!rec) return { status: 404, json: { ok: false, error: 'no_service' }, outcome: 'no_service' };
  const at = ctx.now();
  const record = (post: Omit<ResponseUrlPost, 'url' | 'at'>): void => {
    ctx.store.recordResponsePost({ url: rec.url, at, ...post }, rec);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const refuse = (status: number, error: string, extra: Record<string, unknown> = {}): HookAnswer => {
    record({ body: parsed, status, error });
    return { status, json: { ok: false, error, ...extra }, outcome: error };
  };
  if (at - rec.createdAt > SLACK_LIMITS.responseUrlTtlMs) return refuse(404, 'expired_url');
  if (rec.uses >= SLACK_LIMITS.responseUrlUses) return refuse(404, 'used_url');
  let msg: Record<string, unknown>;
  try {
    msg = asMessageBody(parsed);
  } catch {
    return refuse(400, 'invalid_payload');
  }
  const post: HookPost = { ctx, rec, msg, targetTs: rec.messageTs ?? rec.lastTs, record, refuse };
  if (msg.delete_original === true || msg.delete_original === 'true') return deleteOriginal(post);

  const text = typeof msg.text === 'string' ? msg.text : undefined;
  const blocks = Array.isArray(msg.blocks) ? (msg.blocks as unknown[]) : undefined;
  if (msg.blocks !== undefined && !Array.isArray(msg.blocks)) return refuse(400, 'invalid_blocks_format');
  try {
    assertValidMessage(
      ctx.store,
      { text, blocks },
      { requireTextFallback: ctx.requireTextFallback, now: at },
    );
  } catch (err) {
    if (err instanceof SlackApiError) return refuse(400, err.error, err.extra);
    throw err;
  }

  rec.uses += 1;
  const replace = msg.replace_original === true || msg.replace_original === 'true';
  const target = replace ? findTarget(ctx, rec.channelId, post.targetTs) : undefined;
  if (target) return replaceOriginal(post, target, text, blocks);
  return postNew(post, text, blocks);
}

/** `delete_original`: the ephemeral or message the URL belongs to is removed. */
function deleteOriginal({ ctx, rec, msg, targetTs, record, refuse }: HookPost): HookAnswer {
  const target = findTarget(ctx, rec.channelId, targetTs);
  if (!target) return refuse(404, 'message_not_found');
  rec.uses += 1;
  if ('ephemeral' in target) {
    target.ephemeral.deleted = true;
    ctx.store.emit({
      type: 'ephemeral_changed',
      channel: rec.channelId,
      ts: target.ephemeral.ts,
      user: rec.userId,
    });
  } else {
    const ch = ctx.store.channels.get(rec.channelId);
    if (ch) ctx.store.removeMessage(ch, target.message);
  }
  record({
    body: msg,
    status: 200,
    applied: { kind: 'deleted', channel: rec.channelId, ...(targetTs ? { ts: targetTs } : {}) },
  });
  return ok();
}

/** `replace_original`: the ephemeral is rewritten in place; a message is edited, as the bot. */
function replaceOriginal(
  { ctx, msg, record }: HookPost,
  target: { ephemeral: LocalEphemeral } | { message: LocalMessage },
  text: string | undefined,
  blocks: unknown[] | undefined,
): HookAnswer {
  if ('ephemeral' in target) {
    const e = target.ephemeral;
    e.text = text ?? '';
    if (blocks) e.blocks = blocks;
    else delete e.blocks;
    e.replaced += 1;
    ctx.store.emit({ type: 'ephemeral_changed', channel: e.channel, ts: e.ts, user: e.user });
    record({ body: msg, status: 200, applied: { kind: 'replaced', channel: e.channel, ts: e.ts } });
    return ok();
  }
  const m = target.message;
  m.text = text ?? '';
  if (blocks) m.blocks = blocks;
  else delete m.blocks;
  m.edited = { user: ctx.store.botUserId, ts: ctx.store.nextTs() };
  ctx.store.emit({ type: 'message_changed', channel: m.channel, ts: m.ts });
  record({ body: msg, status: 200, applied: { kind: 'replaced', channel: m.channel, ts: m.ts } });
  return ok();
}

/** A new post: `in_channel` a message from the bot, else an ephemeral only the user sees. */
function postNew(
  { ctx, rec, msg, record, refuse }: HookPost,
  text: string | undefined,
  blocks: unknown[] | undefined,
): HookAnswer {
  const ch = ctx.store.channels.get(rec.channelId);
  if (!ch) return refuse(404, 'channel_not_found');
  const threadTs = typeof msg.thread_ts === 'string' ? msg.thread_ts : undefined;
  if (msg.response_type === 'in_channel') {
    let m: LocalMessage;
    try {
      m = postAsBot(ctx, ch, {
        text: text ?? '',
        ...(blocks ? { blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
    } catch (err) {
      if (err instanceof SlackApiError) return refuse(400, err.error);
      throw err;
    }
    rec.lastTs = m.ts;
    record({ body: msg, status: 200, applied: { kind: 'in_channel', channel: ch.id, ts: m.ts } });
    return ok();
  }
  const ts = ctx.store.nextTs();
  ctx.store.ephemerals.push({
    ts,
    channel: ch.id,
    user: rec.userId,
    text: text ?? '',
    ...(blocks ? { blocks } : {}),
    ...(threadTs ? { thread_ts: threadTs } : {}),
    source: 'response_url',
    responseUrl: rec.url,
    replaced: 0,
    deleted: false,
  });
  rec.lastTs = ts;
  ctx.store.emit({ type: 'ephemeral', channel: ch.id, ts, user: rec.userId });
  record({ body: msg, status: 200, applied: { kind: 'ephemeral', channel: ch.id, ts } });
  return ok();
}

/**
 * The upload_url POST of files.uploadV2: the bytes as multipart field `body` (what
 * @slack/web-api sends) or as the raw request body. Slack answers `OK - <bytes>`.
 */
export async function handleUpload(
  ctx: MethodContext,
  fileId: string,
  secret: string,
  req: IncomingMessage,
  body: Buffer,
): Promise<HookAnswer> {
  const f = ctx.store.files.get(fileId);
  if (!f || f.uploadSecret !== secret || f.deleted)
    return { status: 404, text: 'not found', outcome: 'not_found' };
  if (f.completed) return { status: 400, text: 'upload already completed', outcome: 'already_completed' };
  let bytes = body;
  if ((req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data')) {
    const form = await parseMultipart(req, body);
    const part =
      form.get('body') ?? form.get('file') ?? [...form.values()].find((v) => typeof v !== 'string');
    if (part === null || part === undefined) return { status: 400, text: 'no file part', outcome: 'no_file' };
    bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(await part.arrayBuffer());
  }
  f.bytes = bytes;
  ctx.store.emit({ type: 'file', fileId: f.id });
  return { status: 200, text: `OK - ${bytes.length}`, outcome: 'ok' };
}
