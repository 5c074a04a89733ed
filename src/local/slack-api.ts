/**
 * A local Slack workspace: a stateful HTTP server that answers the Web API methods Ladder uses,
 * response_url posts, the files.uploadV2 upload step and Socket Mode, as strictly as Slack does.
 * The real Bolt app and WebClient talk to it through `slackApiUrl: api.url`. Loopback only.
 */
import type { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AUTHORIZE_PATH, handleAuthorize } from './slack-api-authorize.ts';
import { type Fault, FaultInjector, type FaultSpec, holdUnanswered } from './slack-api-faults.ts';
import {
  createResponseUrl,
  type HookAnswer,
  handleResponseUrlPost,
  handleUpload,
} from './slack-api-hooks.ts';
import {
  BodyTooLargeError,
  bearerToken,
  type Params,
  parseParams,
  readBody,
  redactParams,
  SlackApiError,
  sendJson,
  sendText,
} from './slack-api-http.ts';
import { applyViewAck, closeView, METHODS, type MethodContext } from './slack-api-methods.ts';
import { createLocalOAuth, type LocalOAuth, type OAuthClient } from './slack-api-oauth.ts';
import {
  type LocalChannel,
  type LocalMessage,
  type LocalSlackState,
  LocalSlackStore,
  type LocalUser,
  postAsUser,
  randomToken,
} from './slack-api-state.ts';
import {
  authorizeTargetOf,
  createWorkspaceRegistry,
  type LocalWorkspaceRegistry,
  recordInstall,
} from './slack-api-workspaces.ts';
import { createSocketModeServer, type LocalSocketMode, type SocketModeServer } from './socket-mode-server.ts';

export type { FaultKind, FaultSpec } from './slack-api-faults.ts';
export { TRIGGER_TTL_MS } from './slack-api-methods.ts';
export type {
  ChangeEvent,
  LocalChannel,
  LocalEphemeral,
  LocalFile,
  LocalMessage,
  LocalSlackState,
  LocalUser,
  LocalView,
  ResponseUrlPost,
} from './slack-api-state.ts';
export { APP_ID, BOT_ID } from './slack-api-state.ts';
export type { LocalOrgInfo, LocalTeamInfo, LocalWorkspaceRegistry } from './slack-api-workspaces.ts';
export type { EnvelopeType, LocalSocketMode, SendEnvelopeOptions } from './socket-mode-server.ts';

export interface LocalSlackApiOptions {
  /** Default 127.0.0.1. Anything but a loopback address is refused. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Default `T0LOCAL`. */
  teamId?: string;
  /** The only bearer accepted for Web API methods (`xoxb-…`). */
  botToken: string;
  /** The only bearer accepted by apps.connections.open (`xapp-…`). */
  appToken?: string;
  /** Bot scopes granted; a method needing another answers `missing_scope`. */
  scopes: readonly string[];
  users?: Array<{ id: string; name: string; realName?: string; tz?: string | null; deleted?: boolean }>;
  /** ms clock for trigger_id and response_url expiry and message timestamps. */
  now?: () => number;
  /** Default `U0LOCALBOT`. */
  botUserId?: string;
  /** Refuse `blocks` without `text` with `no_text` (Slack only warns). Default true. */
  requireTextFallback?: boolean;
  /** How long after upload a file stays "not processed" for image blocks. Default 0. */
  fileProcessingMs?: number;
  /** Add `#general` (all users, bot not a member). Default true. */
  defaultChannel?: boolean;
  /** The app's OAuth client (distribution mode): `oauth.v2.access` answers only to it. */
  oauth?: OAuthClient;
  /** The app's redirect for authorize requests that name none (its manifest's redirect URL). */
  oauthRedirectUri?: string;
}

export type CallOutcome = 'ok' | 'http500' | 'ratelimited' | 'timeout' | (string & {});

export interface CallRecord {
  /** Web API method, or `response_url` / `file_upload`. */
  method: string;
  /** Parameters, secrets and file bytes redacted. */
  params: Params;
  at: number;
  outcome: CallOutcome;
  /** The team whose bot token made the call (none: no valid bot token). */
  team?: string;
}

export interface LocalSlackApi {
  /** Base URL for `slackApiUrl`, ending with `/api/`. */
  readonly url: string;
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly state: LocalSlackState;
  /** Emits `'change'` with a {@link ChangeEvent} after every state change. */
  readonly events: EventEmitter;
  /** Every request to the Web API, response URLs and upload URLs, oldest first. */
  readonly calls: readonly CallRecord[];
  readonly faults: {
    add(spec: FaultSpec): Fault;
    clear(): void;
  };
  readonly socket: LocalSocketMode;
  /** A trigger_id for this user: valid for 3 s of `now()` and one use. */
  createTriggerId(userId: string): string;
  /** An absolute response_url: 5 posts within 30 minutes. `messageTs`: the message a button sat in. */
  createResponseUrl(opts: {
    channelId: string;
    userId: string;
    messageTs?: string;
    kind?: 'commands' | 'actions';
  }): string;
  addUser(user: LocalUser): LocalUser;
  addChannel(c: {
    id: string;
    name: string;
    members: readonly string[];
    botIsMember: boolean;
    isPrivate?: boolean;
    isIm?: boolean;
  }): LocalChannel;
  /** The bot's DM with a user (created if needed); what a person types into. */
  openDm(userId: string): string;
  /**
   * Applies a view_submission ack as Slack would (close, errors, update, push, clear). The signed
   * sender calls it after `viewSubmission`; returns Slack's refusal of a bad ack, if any.
   */
  applyViewAck(viewId: string, ack: unknown): string | undefined;
  /** The user dismissed a modal (view_closed); `clear` closes the whole stack. */
  closeView(viewId: string, opts?: { clear?: boolean }): void;
  /** Distribution mode: Slack's authorize page, its installs and their bot tokens. */
  readonly oauth: Pick<LocalOAuth, 'authorize' | 'tokenFor' | 'revoke' | 'rotation'>;
  /** The workspaces and orgs the authorize page offers, and which have the app installed. */
  readonly workspaces: LocalWorkspaceRegistry;
  /** A person posts (in `channel`, default their DM with the bot); send the matching event yourself. */
  postAsUser(opts: { channel?: string; user: string; text: string; thread_ts?: string }): LocalMessage;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const TIMEOUT_HOLD_MS = 30_000;

/** What a proxy in front of Slack answers when it lost the upstream answer. */
const BAD_GATEWAY = '<html><body><h1>502 Bad Gateway</h1></body></html>';

function answer(res: ServerResponse, a: HookAnswer): void {
  if (a.json !== undefined) sendJson(res, a.status, a.json);
  else sendText(res, a.status, a.text ?? '');
}

/** What the request handlers share: the workspace, its options, the call log and the faults. */
interface ApiServer {
  opts: LocalSlackApiOptions;
  ctx: MethodContext;
  scopes: readonly string[];
  faults: FaultInjector;
  calls: CallRecord[];
  /** Requests left unanswered by a `timeout` fault, cut off on close. */
  held: Set<ServerResponse>;
  oauth: LocalOAuth;
  workspaces: LocalWorkspaceRegistry;
}

export async function startLocalSlackApi(opts: LocalSlackApiOptions): Promise<LocalSlackApi> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`the local Slack API only listens on loopback, not ${host}`);
  const now = opts.now ?? Date.now;
  const teamId = opts.teamId ?? 'T0LOCAL';
  const botUserId = opts.botUserId ?? 'U0LOCALBOT';
  const store = new LocalSlackStore(teamId, botUserId, now);
  const socketMode = createSocketModeServer({ now });
  seedWorkspace(store, opts, botUserId);

  let origin = '';
  const ctx: MethodContext = {
    store,
    get origin() {
      return origin;
    },
    now,
    requireTextFallback: opts.requireTextFallback ?? true,
    fileProcessingMs: opts.fileProcessingMs ?? 0,
    openSocketUrl: () => socketMode.issueUrl(origin),
  };
  const srv: ApiServer = {
    opts,
    ctx,
    scopes: [...opts.scopes],
    faults: new FaultInjector(),
    calls: [],
    held: new Set(),
    oauth: createLocalOAuth(opts.oauth, opts.botToken, opts.scopes, botUserId, now),
    workspaces: createWorkspaceRegistry(),
  };
  const { server, sockets } = createApiServer(srv, socketMode);
  await listen(server, opts.port ?? 0, host);
  const addr = server.address() as AddressInfo;
  origin = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;

  let closed: Promise<void> | undefined;
  return {
    url: `${origin}/api/`,
    origin,
    teamId,
    botUserId,
    state: store,
    events: store.events,
    calls: srv.calls,
    faults: { add: (spec) => srv.faults.add(spec), clear: () => srv.faults.clear() },
    socket: socketMode,
    createTriggerId(userId) {
      const id = `${Math.floor(now() / 1000)}.${store.nextId('')}.${randomToken(16)}`;
      store.triggers.set(id, { id, userId, createdAt: now(), used: false });
      return id;
    },
    createResponseUrl(o) {
      if (!store.channels.has(o.channelId)) throw new Error(`unknown channel ${o.channelId}`);
      return createResponseUrl(ctx, o);
    },
    addUser: (u) => store.addUser(u),
    addChannel: (c) => store.addChannel(c),
    openDm: (userId) => store.openDm(userId).id,
    applyViewAck: (viewId, ack) => applyViewAck(ctx, viewId, ack),
    closeView: (viewId, o) => closeView(ctx, viewId, o),
    postAsUser: (o) => postAsUser(store, o),
    oauth: srv.oauth,
    workspaces: srv.workspaces,
    close() {
      closed ??= closeApi(srv, socketMode, server, sockets);
      return closed;
    },
  };
}

async function closeApi(srv: ApiServer, socketMode: SocketModeServer, server: Server, sockets: Set<Socket>) {
  await socketMode.close();
  for (const res of srv.held) res.socket?.destroy();
  srv.held.clear();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    for (const s of sockets) s.destroy();
  });
}

/** The bot, the given users and (unless turned off) #general, which the bot is not in. */
function seedWorkspace(store: LocalSlackStore, opts: LocalSlackApiOptions, botUserId: string): void {
  store.addUser({ id: botUserId, name: 'ladder', realName: 'Ladder', isBot: true });
  for (const u of opts.users ?? []) store.addUser(u);
  if (opts.defaultChannel ?? true) {
    store.addChannel({
      id: 'C0GENERAL',
      name: 'general',
      members: (opts.users ?? []).map((u) => u.id),
      botIsMember: false,
    });
  }
}

/** The HTTP server (Web API, hooks, files, Socket Mode upgrades) and its open sockets. */
function createApiServer(
  srv: ApiServer,
  socketMode: SocketModeServer,
): { server: Server; sockets: Set<Socket> } {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    route(srv, req, res).catch((err: unknown) => {
      if (err instanceof BodyTooLargeError) return sendText(res, 413, 'payload too large');
      // A bug in the fake must surface in the test that hit it, as Slack's 500 would.
      sendText(res, 500, `local Slack API error: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req, socket, head) => {
    if (!socketMode.handleUpgrade(req, socket, head)) socket.destroy();
  });
  return { server, sockets };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function log(srv: ApiServer, method: string, params: Params, outcome: CallOutcome, team?: string): void {
  srv.calls.push({
    method,
    params: redactParams(params),
    at: srv.ctx.now(),
    outcome,
    ...(team ? { team } : {}),
  });
}

/** The team a bot token belongs to: the workspace's own token, or an install's. */
function teamOfBotToken(srv: ApiServer, token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  if (token === srv.opts.botToken) return srv.ctx.store.teamId;
  return srv.oauth.teamOf(token);
}

/**
 * Answers with the injected fault, if one matches: true when the request is taken care of,
 * 'answer-lost' when the call is to be carried out and its answer replaced by a 502.
 */
function applyFault(
  srv: ApiServer,
  method: string,
  params: Params,
  res: ServerResponse,
): boolean | 'answer-lost' {
  const fault = srv.faults.take(method);
  if (!fault) return false;
  switch (fault.kind) {
    case 'answerLost502':
      return 'answer-lost';
    case 'http500':
      log(srv, method, params, 'http500');
      sendText(res, 500, 'Internal Server Error');
      return true;
    case 'ratelimited429': {
      log(srv, method, params, 'ratelimited');
      const retryAfter = String(fault.retryAfter ?? 1);
      sendJson(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': retryAfter });
      return true;
    }
    case 'timeout': {
      log(srv, method, params, 'timeout');
      holdUnanswered(srv.held, res, fault.holdMs ?? TIMEOUT_HOLD_MS);
      return true;
    }
    case 'error': {
      const error = fault.error ?? 'internal_error';
      log(srv, method, params, error);
      sendJson(res, 200, { ok: false, error });
      return true;
    }
  }
}

async function handleApi(
  srv: ApiServer,
  method: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { opts, scopes } = srv;
  const body = await readBody(req);
  let params: Params;
  try {
    params = await parseParams(req, body);
  } catch (err) {
    const error = err instanceof SlackApiError ? err.error : 'invalid_form_data';
    log(srv, method, {}, error);
    sendJson(res, 200, { ok: false, error });
    return;
  }
  const fault = applyFault(srv, method, params, res);
  if (fault === true) return;
  const lost = fault === 'answer-lost';
  const token = bearerToken(req) ?? (typeof params.token === 'string' ? params.token : undefined);
  const team = teamOfBotToken(srv, token);
  const reply = (outcome: CallOutcome, body: unknown, headers: Record<string, string>) => {
    log(srv, method, params, lost ? `${outcome}, answer lost` : outcome, team);
    if (lost) sendText(res, 502, BAD_GATEWAY);
    else sendJson(res, 200, body, headers);
  };
  const scopeHeaders = { 'x-oauth-scopes': scopes.join(',') };
  const fail = (error: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    reply(error, { ok: false, error, ...extra }, { ...scopeHeaders, ...headers });
  if (method === 'oauth.v2.access') {
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const a = srv.oauth.access(params, basic);
    if (!a.ok) return fail(a.error);
    reply('ok', { ok: true, ...a.body }, {});
    return recordInstall(srv.workspaces, (team) => srv.ctx.store.emit({ type: 'install', team }), a.body);
  }
  const spec = METHODS[method];
  if (!spec) return fail('unknown_method');
  if (!token) return fail('not_authed');
  if (spec.token === 'app' ? token !== opts.appToken : team === undefined) {
    const other = spec.token === 'app' ? team !== undefined : token === opts.appToken;
    return fail(other ? 'not_allowed_token_type' : 'invalid_auth');
  }
  if (spec.scope && !scopes.includes(spec.scope)) {
    return fail(
      'missing_scope',
      { needed: spec.scope, provided: scopes.join(',') },
      { 'x-accepted-oauth-scopes': spec.scope },
    );
  }
  try {
    const result = spec.handle(params, team ? { ...srv.ctx, callerTeamId: team } : srv.ctx);
    reply('ok', { ok: true, ...result }, scopeHeaders);
  } catch (err) {
    if (err instanceof SlackApiError) return fail(err.error, err.extra);
    throw err;
  }
}

async function handleHook(
  srv: ApiServer,
  kind: 'response_url' | 'file_upload',
  req: IncomingMessage,
  res: ServerResponse,
  run: (body: Buffer) => HookAnswer | Promise<HookAnswer>,
): Promise<void> {
  const body = await readBody(req);
  const params: Params = kind === 'response_url' ? { url: req.url } : { url: req.url, bytes: body.length };
  const fault = applyFault(srv, kind, params, res);
  if (fault === true) return;
  const a = await run(body);
  if (fault === 'answer-lost') {
    log(srv, kind, params, `${a.outcome}, answer lost`);
    return sendText(res, 502, BAD_GATEWAY);
  }
  log(srv, kind, params, a.outcome);
  answer(res, a);
}

function serveFile(srv: ApiServer, req: IncomingMessage, res: ServerResponse, fileId: string): void {
  const f = srv.ctx.store.files.get(fileId);
  if (teamOfBotToken(srv, bearerToken(req)) === undefined) {
    sendText(res, 401, 'unauthorized');
  } else if (!f?.bytes || f.deleted) {
    sendText(res, 404, 'not found');
  } else {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': f.bytes.length });
    res.end(f.bytes);
  }
}

async function route(srv: ApiServer, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { ctx } = srv;
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const api = /^\/api\/([A-Za-z0-9._]+)$/.exec(path);
  if (api?.[1]) {
    if (req.method !== 'POST' && req.method !== 'GET') return sendText(res, 405, 'method not allowed');
    return handleApi(srv, api[1], req, res);
  }
  const hook = /^\/hooks\/(?:commands|actions)\/[^/]+\/[^/]*\/([a-f0-9]+)$/.exec(path);
  if (hook?.[1] && req.method === 'POST') {
    const id = hook[1];
    return handleHook(srv, 'response_url', req, res, (body) => handleResponseUrlPost(ctx, id, body));
  }
  const upload = /^\/upload\/v1\/([A-Z0-9]+)\/([a-f0-9]+)$/.exec(path);
  if (upload?.[1] && upload[2] && req.method === 'POST') {
    const [, fileId, secret] = upload;
    return handleHook(srv, 'file_upload', req, res, (body) => handleUpload(ctx, fileId, secret, req, body));
  }
  if (path === AUTHORIZE_PATH && (req.method === 'GET' || req.method === 'POST')) {
    return handleAuthorize(authorizeTarget(srv), req, res);
  }
  const file = /^\/files-pri\/[^/-]+-([A-Z0-9]+)\/[^/]+$/.exec(path);
  if (file?.[1] && req.method === 'GET') return serveFile(srv, req, res, file[1]);
  sendText(res, 404, 'not found');
}

function authorizeTarget(srv: ApiServer) {
  return authorizeTargetOf({
    registry: srv.workspaces,
    oauth: srv.oauth,
    ownTeamId: srv.opts.teamId ?? 'T0LOCAL',
    ownInstaller: srv.opts.users?.[0]?.id ?? 'U0LOCALADMIN',
    clientId: srv.opts.oauth?.clientId,
    redirectUri: srv.opts.oauthRedirectUri,
  });
}
