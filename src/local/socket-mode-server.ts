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
  let waiters: Array<() => void> = [];

  const ping = setInterval(() => {
    for (const ws of clients) ws.ping();
  }, PING_INTERVAL_MS);
  ping.unref();

  function onConnection(ws: WebSocket): void {
    clients.push(ws);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let msg: unknown;
      try {
        msg = JSON.parse(data.toString());
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
    });
    ws.on('close', () => {
      const i = clients.indexOf(ws);
      if (i >= 0) clients.splice(i, 1);
    });
    ws.on('error', () => {
      ws.terminate();
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: clients.length,
        debug_info: { host: 'applink-local', build_number: 1, approximate_connection_time: 3600 },
        connection_info: { app_id: APP_ID },
      }),
    );
    const ready = waiters;
    waiters = [];
    for (const w of ready) w();
  }

  function waitForConnection(timeoutMs = 10_000): Promise<void> {
    if (clients.length > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters = waiters.filter((w) => w !== done);
        reject(new Error(`no Socket Mode connection within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.push(done);
    });
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
      const ticket = url.searchParams.get('ticket') ?? '';
      const issued = tickets.get(ticket);
      tickets.delete(ticket);
      if (issued === undefined || now() - issued > TICKET_TTL_MS) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return true;
      }
      wss.handleUpgrade(req, socket, head, onConnection);
      return true;
    },

    sendEnvelope(type, payload, o = {}): Promise<unknown> {
      const ws = clients[clients.length - 1];
      if (!ws) return Promise.reject(new Error('no Socket Mode client is connected'));
      const envelopeId = randomUUID();
      const envelope: Record<string, unknown> = {
        envelope_id: envelopeId,
        payload,
        type,
        accepts_response_payload: type !== 'events_api',
      };
      if (type === 'events_api') {
        envelope.retry_attempt = o.retryAttempt ?? 0;
        envelope.retry_reason = o.retryReason ?? '';
      }
      const timeoutMs = o.timeoutMs ?? 3_000;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(envelopeId);
          reject(new Error(`no ack for ${type} envelope within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(envelopeId, { resolve, reject, timer });
        ws.send(JSON.stringify(envelope), (err) => {
          if (!err) return;
          clearTimeout(timer);
          pending.delete(envelopeId);
          reject(err);
        });
      });
    },

    disconnect(reason = 'refresh_requested'): void {
      for (const ws of clients) {
        ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-local' } }));
      }
    },

    async close(): Promise<void> {
      clearInterval(ping);
      for (const p of pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error('local Slack API closed'));
      }
      pending.clear();
      // A close handshake first, so clients that are shutting down see a clean close, not an error.
      const open = [...clients];
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
      clients.length = 0;
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
