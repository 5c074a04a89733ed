import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { APP_ID, randomToken } from './slack-api-state.ts';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface SendEnvelopeOptions {
  retryAttempt?: number;
  retryReason?: string;
  /** How long to wait for the app's ack (default 3 s, Slack's own limit). */
  timeoutMs?: number;
}

/** The Socket Mode side of the local Slack API, as @slack/socket-mode 2/3 expects it. */
export interface LocalSocketMode {
  /** Open connections that have been sent `hello`. */
  readonly connectionCount: number;
  /** Resolves once at least one client is connected (immediately if one already is). */
  readonly connected: Promise<void>;
  waitForConnection(timeoutMs?: number): Promise<void>;
  /**
   * Sends an envelope to the newest connection and resolves with the ack's `payload` (`{}` when
   * the app acked without a body); rejects when nobody is connected or no ack comes in time.
   */
  sendEnvelope(type: EnvelopeType, payload: unknown, opts?: SendEnvelopeOptions): Promise<unknown>;
  /** Asks every client to reconnect, like Slack recycling its servers. */
  disconnect(reason?: string): void;
}

export interface SocketModeServer extends LocalSocketMode {
  /** A single-use `ws://` URL for apps.connections.open. */
  issueUrl(origin: string): string;
  /** Takes over an HTTP upgrade to the Socket Mode path; false when the request is not ours. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): Promise<void>;
}

export const SOCKET_PATH = '/link/';
/** A ticket from apps.connections.open is good for this long, like Slack's short-lived URLs. */
const TICKET_TTL_MS = 60_000;
/** Slack pings its clients; the client's `serverPingTimeout` (30 s) watches for those pings. */
const PING_INTERVAL_MS = 10_000;
const CLOSE_GRACE_MS = 500;

interface Pending {
  resolve(payload: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export function createSocketModeServer(opts: { now?: () => number } = {}): SocketModeServer {
  const now = opts.now ?? Date.now;
  const wss = new WebSocketServer({ noServer: true });
  const tickets = new Map<string, number>();
  const clients: WebSocket[] = [];
  const pending = new Map<string, Pending>();
  const waiters: Array<() => void> = [];

  const ping = keepPinging(clients);

  function onConnection(ws: WebSocket): void {
    clients.push(ws);
    ws.on('message', (data, isBinary) => {
      if (!isBinary) settleAck(pending, data.toString());
    });
    ws.on('close', () => {
      const i = clients.indexOf(ws);
      if (i >= 0) clients.splice(i, 1);
    });
    ws.on('error', () => {
      ws.terminate();
    });
    ws.send(helloOf(clients.length));
    for (const w of waiters.splice(0)) w();
  }

  function waitForConnection(timeoutMs = 10_000): Promise<void> {
    return clients.length > 0 ? Promise.resolve() : waitAsWaiter(waiters, timeoutMs);
  }

  return {
    get connectionCount() {
      return clients.length;
    },
    get connected() {
      return clients.length > 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve));
    },
    waitForConnection,

    issueUrl(origin: string): string {
      const ticket = randomToken(16);
      tickets.set(ticket, now());
      return `${origin.replace(/^http/, 'ws')}${SOCKET_PATH}?ticket=${ticket}&app_id=${APP_ID}`;
    },

    handleUpgrade(req, socket, head): boolean {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== SOCKET_PATH) return false;
      if (!redeemTicket(tickets, url.searchParams.get('ticket') ?? '', now())) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return true;
      }
      wss.handleUpgrade(req, socket, head, onConnection);
      return true;
    },

    sendEnvelope(type, payload, o = {}): Promise<unknown> {
      const ws = clients[clients.length - 1];
      if (!ws) return Promise.reject(new Error('no Socket Mode client is connected'));
      return sendAndAwaitAck(ws, pending, envelopeOf(type, payload, o), o.timeoutMs ?? 3_000);
    },

    disconnect(reason = 'refresh_requested'): void {
      for (const ws of clients) {
        ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-local' } }));
      }
    },

    async close(): Promise<void> {
      clearInterval(ping);
      rejectPending(pending, new Error('local Slack API closed'));
      await closeClients([...clients]);
      clients.length = 0;
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Slack pings its clients; the client's `serverPingTimeout` watches for those pings. */
function keepPinging(clients: readonly WebSocket[]): NodeJS.Timeout {
  const ping = setInterval(() => {
    for (const ws of clients) ws.ping();
  }, PING_INTERVAL_MS);
  ping.unref();
  return ping;
}

/** A ticket is good once, within its time. */
function redeemTicket(tickets: Map<string, number>, ticket: string, now: number): boolean {
  const issued = tickets.get(ticket);
  tickets.delete(ticket);
  return issued !== undefined && now - issued <= TICKET_TTL_MS;
}

function rejectPending(pending: Map<string, Pending>, err: Error): void {
  for (const p of pending.values()) {
    clearTimeout(p.timer);
    p.reject(err);
  }
  pending.clear();
}

/** The `hello` Slack greets a new connection with. */
function helloOf(connections: number): string {
  return JSON.stringify({
    type: 'hello',
    num_connections: connections,
    debug_info: { host: 'applink-local', build_number: 1, approximate_connection_time: 3600 },
    connection_info: { app_id: APP_ID },
  });
}

/** Waits among `waiters` for the next connection; rejects (and leaves the list) after the timeout. */
function waitAsWaiter(waiters: Array<() => void>, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      const i = waiters.indexOf(done);
      if (i >= 0) waiters.splice(i, 1);
      reject(new Error(`no Socket Mode connection within ${timeoutMs} ms`));
    }, timeoutMs);
    waiters.push(done);
  });
}

/** Sends an envelope; resolves with the ack's payload, rejects when the send fails or no ack comes in time. */
function sendAndAwaitAck(
  ws: WebSocket,
  pending: Map<string, Pending>,
  envelope: { envelope_id: string; type: EnvelopeType } & Record<string, unknown>,
  timeoutMs: number,
): Promise<unknown> {
  const id = envelope.envelope_id;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error(`no ack for ${envelope.type} envelope within ${timeoutMs} ms`));
    }, timeoutMs);
    pending.set(id, { resolve, reject, timer });
    ws.send(JSON.stringify(envelope), (err) => {
      if (!err) return;
      clearTimeout(timer);
      pending.delete(id);
      reject(err);
    });
  });
}

/** An ack from the app (`{ envelope_id, payload? }`) settles the envelope waiting for it. */
function settleAck(pending: Map<string, Pending>, text: string): void {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return;
  }
  const envelopeId = (msg as { envelope_id?: unknown }).envelope_id;
  if (typeof envelopeId !== 'string') return;
  const p = pending.get(envelopeId);
  if (!p) return;
  pending.delete(envelopeId);
  clearTimeout(p.timer);
  p.resolve((msg as { payload?: unknown }).payload ?? {});
}

/** An envelope as Slack sends it; only Events API envelopes carry retries, and take no response payload. */
function envelopeOf(
  type: EnvelopeType,
  payload: unknown,
  o: SendEnvelopeOptions,
): { envelope_id: string; type: EnvelopeType } & Record<string, unknown> {
  const envelope: { envelope_id: string; type: EnvelopeType } & Record<string, unknown> = {
    envelope_id: randomUUID(),
    payload,
    type,
    accepts_response_payload: type !== 'events_api',
  };
  if (type === 'events_api') {
    envelope.retry_attempt = o.retryAttempt ?? 0;
    envelope.retry_reason = o.retryReason ?? '';
  }
  return envelope;
}

/**
 * A close handshake first, so clients that are shutting down see a clean close, not an error;
 * whoever has not closed within the grace period is cut off.
 */
async function closeClients(open: readonly WebSocket[]): Promise<void> {
  await Promise.race([
    Promise.all(
      open.map(
        (ws) =>
          new Promise<void>((resolve) => {
            ws.once('close', () => resolve());
            ws.close(1001, 'server shutting down');
          }),
      ),
    ),
    new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref()),
  ]);
  for (const ws of open) ws.terminate();
}
