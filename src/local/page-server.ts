/**
 * The local workspace's web page: static files (no build step), a per-person JSON projection of
 * the workspace, Server-Sent Events on every change, uploaded files, and the actions a person
 * takes. Loopback only; requests for another Host (DNS rebinding) or cross-site posts are refused.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { describeError } from '../log.ts';
import { emojiShortcodes } from './emoji-shortcodes.ts';
import { type ActName, act, isActName, type PageSession, type PageTeamRef } from './page-actions.ts';
import {
  type DemoUser,
  isInlineImage,
  mimeOf,
  type PageConversation,
  projectConversation,
  projectView,
} from './page-state.ts';

export interface HintEntry {
  usage: string;
  description: string;
}

/** Several workspaces on one page: a picker, and "Add Ladder to another workspace". */
export interface PageWorkspaces {
  /** The workspaces Ladder is installed in, first the one the page opens on. */
  list(): readonly PageTeamRef[];
  session(teamId: string): PageSession | undefined;
  /** A new workspace in the local Slack; the browser then installs Ladder there at `installUrl`. */
  add(): { teamId: string; installUrl: string };
}

export interface PageServerOptions {
  /** The workspace the page opens on. */
  session: PageSession;
  workspaces?: PageWorkspaces;
  port: number;
  /** The app's health, served at /healthz like the app's own. */
  health(): Promise<{ ok: boolean }>;
  /** Subcommands for the composer's hint. */
  hint: readonly HintEntry[];
  teamName: string;
  /** The folder of the page's files (index.html, app.js, …), handed in by the composition root. */
  pageDir: string;
}

export interface PageServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/render.js': { file: 'render.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
  '/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const MAX_ACTION_BYTES = 256 * 1024;

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, ...extra });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_ACTION_BYTES) throw new Error('request too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** The browser, not another site: the Host is ours, and a post is same-origin JSON. */
function trusted(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host ?? '';
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  if (!hosts.includes(host)) return false;
  if (req.method === 'GET') return true;
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
  const origin = req.headers.origin;
  return type === 'application/json' && (origin === undefined || origin === `http://${host}`);
}

/** Everything the page renders for one person. */
export function pageState(
  opts: PageServerOptions,
  user: DemoUser,
  session: PageSession = opts.session,
): Record<string, unknown> {
  const { api } = session;
  const team = session.team ?? { id: api.teamId, name: opts.teamName, org: null };
  const input = {
    api,
    user,
    notices: session.notices,
    commandOf: (url: string | undefined) => (url ? session.commands.get(url) : undefined),
  };
  const channels: PageConversation[] = [];
  for (const ch of api.state.channels.values()) {
    if (ch.isIm || !ch.members.includes(user.id) || session.ownsChannel?.(ch.id) === false) continue;
    const c = projectConversation(ch.id, input);
    if (c) channels.push(c);
  }
  channels.sort((a, b) => a.name.localeCompare(b.name));
  const dmId = api.state.dmChannelId(user.id);
  const home = api.state.homeViews.get(user.id);
  const { runNudgesAt, nextNudgeAt, wallClock } = session.nudges;
  return {
    team,
    workspaces: opts.workspaces?.list() ?? [team],
    me: user,
    users: [...api.state.users.values()].map((u) => ({
      id: u.id,
      name: u.realName ?? u.name,
      bot: u.isBot === true,
    })),
    demoUsers: session.users,
    botUserId: api.botUserId,
    apiOrigin: api.origin,
    app: {
      command: session.app.command,
      usageHint: session.app.usageHint,
      shortcuts: session.app.shortcuts,
      hint: opts.hint,
    },
    clock: {
      available: runNudgesAt !== undefined,
      canJump: runNudgesAt !== undefined && nextNudgeAt !== undefined,
      at: session.clock.at?.toISOString() ?? null,
      local: session.clock.at && wallClock ? wallClock.format(session.clock.at, user.tz) : null,
      lines: session.clock.lines,
    },
    channels,
    dm: dmId ? projectConversation(dmId, input) : null,
    home: home ? projectView(home) : null,
    modals: api.state.openModals(user.id).map(projectView),
    now: session.now(),
  };
}

/** Serves an uploaded file to a person who can see it (shared in a conversation they are in). */
function serveFile(opts: PageServerOptions, url: URL, res: ServerResponse): void {
  const match = /^\/files\/([A-Z0-9]+)\/[^/]*$/.exec(url.pathname);
  const user = url.searchParams.get('user') ?? '';
  const f = match?.[1] ? opts.session.api.state.files.get(match[1]) : undefined;
  const visible =
    f?.shares.some((s) => opts.session.api.state.channels.get(s.channel)?.members.includes(user)) ?? false;
  if (!f?.bytes || f.deleted || !visible) {
    send(res, 404, 'text/plain; charset=utf-8', 'not found');
    return;
  }
  const type = mimeOf(f.name);
  const inline = url.searchParams.get('inline') === '1' && isInlineImage(type);
  const disposition = `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(f.name)}`;
  send(res, 200, inline ? type : 'application/octet-stream', f.bytes, {
    'content-disposition': disposition,
    'content-length': String(f.bytes.length),
  });
}

/** Server-sent events: the page reloads its state on each `change`. */
function openStream(req: IncomingMessage, res: ServerResponse, streams: Set<ServerResponse>): void {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': 'text/event-stream; charset=utf-8',
    connection: 'keep-alive',
  });
  res.write('retry: 1000\n\n');
  streams.add(res);
  req.on('close', () => streams.delete(res));
}

/** One of the page's actions (`POST /act/<name>`, a JSON body). */
async function postAct(
  session: PageSession,
  name: ActName,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  let body: unknown;
  try {
    body = await readJson(req);
  } catch {
    return sendJson(res, 400, { ok: false, error: 'Invalid request.' });
  }
  const result = await act(session, name, body);
  return sendJson(res, result.ok ? 200 : 422, result);
}

/** One request to the page: its files, state and change stream, the user's files, and its actions. */
async function route(
  opts: PageServerOptions,
  streams: Set<ServerResponse>,
  port: number,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { session } = opts;
  if (!trusted(req, port)) return send(res, 403, 'text/plain; charset=utf-8', 'forbidden');
  const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
  const asset = ASSETS[url.pathname];
  if (req.method === 'GET' && asset) {
    const body = await readFile(path.join(opts.pageDir, asset.file));
    return send(res, 200, asset.type, body);
  }
  if (req.method === 'GET' && url.pathname === '/emoji.json') {
    return sendJson(res, 200, emojiShortcodes());
  }
  if (req.method === 'GET' && url.pathname === '/healthz') {
    const h = await opts.health();
    return sendJson(res, h.ok ? 200 : 503, h);
  }
  const teamId = url.searchParams.get('team');
  const current = (teamId ? opts.workspaces?.session(teamId) : undefined) ?? session;
  if (req.method === 'GET' && url.pathname === '/state') {
    const user = current.users.find((u) => u.id === url.searchParams.get('user')) ?? current.users[0];
    if (!user) return sendJson(res, 404, { error: 'no users' });
    return sendJson(res, 200, pageState(opts, user, current));
  }
  if (req.method === 'POST' && url.pathname === '/workspaces' && opts.workspaces) {
    return sendJson(res, 200, { ok: true, ...opts.workspaces.add() });
  }
  if (req.method === 'GET' && url.pathname === '/events') return openStream(req, res, streams);
  if (req.method === 'GET' && url.pathname.startsWith('/files/')) return serveFile(opts, url, res);
  const actMatch = /^\/act\/([a-zA-Z]+)$/.exec(url.pathname);
  if (req.method === 'POST' && actMatch?.[1] && isActName(actMatch[1])) {
    return postAct(current, actMatch[1], req, res);
  }
  send(res, 404, 'text/plain; charset=utf-8', 'not found');
}

export async function startPageServer(opts: PageServerOptions): Promise<PageServer> {
  const { session } = opts;
  const streams = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  let port = 0;

  const broadcast = () => {
    for (const res of streams) res.write('data: change\n\n');
  };
  session.api.events.on('change', broadcast);
  session.changes.on('change', broadcast);
  const heartbeat = setInterval(() => {
    for (const res of streams) res.write(': ping\n\n');
  }, 15_000);
  heartbeat.unref();

  const server = createServer((req, res) => {
    route(opts, streams, port, req, res).catch((err: unknown) => {
      session.logger.error('local page request failed', { path: req.url, error: describeError(err) });
      sendJson(res, 500, { ok: false, error: 'The local workspace hit an error; see the log.' });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        session.api.events.off('change', broadcast);
        session.changes.off('change', broadcast);
        for (const res of streams) res.end();
        streams.clear();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}
