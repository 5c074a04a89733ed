/**
 * Sends what Slack sends to an app — slash commands, interactivity payloads, events — signed the
 * way Slack signs them, to a Bolt HTTP receiver; or the same payloads as Socket Mode envelopes.
 * Trigger ids and response URLs come from the local Slack API, so the app can really use them.
 */
import { createHmac } from 'node:crypto';
import type { LocalSlackApi } from './slack-api.ts';
import {
  type ActionInput,
  buildBlockActionsPayload,
  buildCommandPayload,
  buildEventCallback,
  buildMessageActionPayload,
  buildViewClosedPayload,
  buildViewSubmissionPayload,
  type MessageRef,
  type PayloadContext,
} from './slack-api-payloads.ts';
import type { ChangeEvent, ResponseUrlPost } from './slack-api-state.ts';

export type { ActionInput, MessageRef } from './slack-api-payloads.ts';
export { appHomeOpenedEvent, messageEvent } from './slack-api-payloads.ts';

export interface SentResponse {
  /** HTTP status of the app's answer (200 for an acked Socket Mode envelope). */
  status: number;
  /** The raw answer (the ack body; JSON of the ack payload in Socket Mode). */
  body: string;
  /** `body` parsed, when it is JSON. */
  json?: unknown;
  responseUrl?: string;
  triggerId?: string;
}

export interface SignedSender {
  command(o: { userId: string; text: string; channelId?: string; command?: string }): Promise<SentResponse>;
  blockActions(o: {
    userId: string;
    actions: ActionInput[];
    container?: Record<string, unknown>;
    view?: Record<string, unknown>;
    message?: MessageRef;
    channelId?: string;
    responseUrl?: string;
    state?: Record<string, unknown>;
  }): Promise<SentResponse>;
  /**
   * Submits a modal. `values` become `view.state.values`. Slack then applies the ack (close,
   * errors, update, push, clear) to the local workspace's view stack, and so does this.
   */
  viewSubmission(o: {
    userId: string;
    view: Record<string, unknown>;
    values?: Record<string, unknown>;
  }): Promise<SentResponse>;
  viewClosed(o: {
    userId: string;
    view: Record<string, unknown>;
    isCleared?: boolean;
  }): Promise<SentResponse>;
  messageAction(o: {
    userId: string;
    callbackId: string;
    channelId: string;
    message: MessageRef;
  }): Promise<SentResponse>;
  event(o: {
    event: Record<string, unknown>;
    eventId?: string;
    retryNum?: number;
    retryReason?: string;
  }): Promise<SentResponse>;
  /** Anything, for forged, stale or hostile requests. `signature: null` omits the header. */
  raw(o: {
    body: string;
    contentType: string;
    headers?: Record<string, string>;
    timestampSec?: number;
    signature?: string | null;
  }): Promise<SentResponse>;
  /**
   * The next post to `responseUrl` this sender has not handed out yet (posts made before the call
   * count, so a reply that beat the ack is not missed). Rejects after `timeoutMs` (default 5 s).
   */
  waitForResponse(responseUrl: string, opts?: { timeoutMs?: number }): Promise<ResponseUrlPost>;
}

/** Slack's request signature headers for `rawBody` sent at `timestampSec`. */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestampSec: number,
): Record<string, string> {
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${rawBody}`).digest('hex');
  return {
    'X-Slack-Request-Timestamp': String(timestampSec),
    'X-Slack-Signature': `v0=${hmac}`,
  };
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function withJson(status: number, body: string, extra: Partial<SentResponse> = {}): SentResponse {
  const json = parseJson(body);
  return { status, body, ...(json !== undefined ? { json } : {}), ...extra };
}

function responseWaiter(api: LocalSlackApi): SignedSender['waitForResponse'] {
  const handedOut = new Map<string, number>();
  return (responseUrl, opts = {}) => {
    const timeoutMs = opts.timeoutMs ?? 5_000;
    const index = handedOut.get(responseUrl) ?? 0;
    const take = (): ResponseUrlPost | undefined => {
      const post = api.state.postsTo(responseUrl)[index];
      if (post) handedOut.set(responseUrl, index + 1);
      return post;
    };
    const ready = take();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const onChange = (c: ChangeEvent) => {
        if (c.type !== 'response_url' || c.url !== responseUrl) return;
        const post = take();
        if (!post) return;
        cleanup();
        resolve(post);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no post to the response_url within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        api.events.off('change', onChange);
      };
      api.events.on('change', onChange);
    });
  };
}

type Delivery =
  | { kind: 'command'; fields: Record<string, string> }
  | { kind: 'interactive'; payload: Record<string, unknown> }
  | { kind: 'event'; body: Record<string, unknown>; retryNum?: number; retryReason?: string };

interface Transport {
  deliver(d: Delivery): Promise<{ status: number; body: string }>;
  raw: SignedSender['raw'];
}

function createSender(api: LocalSlackApi, ctx: PayloadContext, transport: Transport): SignedSender {
  const viewIdOf = (view: Record<string, unknown>): string | undefined =>
    typeof view.id === 'string' ? view.id : undefined;

  return {
    async command(o) {
      const { fields, responseUrl, triggerId } = buildCommandPayload(ctx, o);
      const r = await transport.deliver({ kind: 'command', fields });
      return withJson(r.status, r.body, { responseUrl, triggerId });
    },

    async blockActions(o) {
      const { payload, responseUrl, triggerId } = buildBlockActionsPayload(ctx, o);
      const r = await transport.deliver({ kind: 'interactive', payload });
      return withJson(r.status, r.body, { triggerId, ...(responseUrl ? { responseUrl } : {}) });
    },

    async viewSubmission(o) {
      const { payload, triggerId } = buildViewSubmissionPayload(ctx, o);
      const r = await transport.deliver({ kind: 'interactive', payload });
      const sent = withJson(r.status, r.body, { triggerId });
      const viewId = viewIdOf(o.view);
      if (r.status === 200 && viewId && api.state.views.has(viewId)) api.applyViewAck(viewId, sent.json);
      return sent;
    },

    async viewClosed(o) {
      const payload = buildViewClosedPayload(ctx, o);
      const viewId = viewIdOf(o.view);
      if (viewId) api.closeView(viewId, { clear: o.isCleared ?? false });
      const r = await transport.deliver({ kind: 'interactive', payload });
      return withJson(r.status, r.body);
    },

    async messageAction(o) {
      const { payload, responseUrl, triggerId } = buildMessageActionPayload(ctx, o);
      const r = await transport.deliver({ kind: 'interactive', payload });
      return withJson(r.status, r.body, { responseUrl, triggerId });
    },

    async event(o) {
      const body = buildEventCallback(ctx, o);
      const r = await transport.deliver({
        kind: 'event',
        body,
        ...(o.retryNum !== undefined ? { retryNum: o.retryNum } : {}),
        ...(o.retryReason !== undefined ? { retryReason: o.retryReason } : {}),
      });
      return withJson(r.status, r.body);
    },

    raw: transport.raw,
    waitForResponse: responseWaiter(api),
  };
}

export interface SignedSenderOptions {
  /** The Bolt HTTP receiver, e.g. `http://127.0.0.1:PORT/slack/events`. */
  appUrl: string;
  signingSecret: string;
  api: LocalSlackApi;
  /** The installed app's slash command (from its manifest), sent when a `command()` call names none. */
  command: string;
  teamId?: string;
  enterpriseId?: string;
  orgWide?: boolean;
  /** ms clock for request timestamps. */
  now?: () => number;
  /** Give up on the app after this long (default 10 s; Slack itself gives up at 3 s). */
  timeoutMs?: number;
}

/** Requests to a Bolt HTTP receiver, signed with the app's signing secret like Slack's. */
export function createSignedSender(opts: SignedSenderOptions): SignedSender {
  const now = opts.now ?? Date.now;
  const ctx: PayloadContext = {
    api: opts.api,
    teamId: opts.teamId ?? opts.api.teamId,
    command: opts.command,
    ...(opts.enterpriseId ? { enterpriseId: opts.enterpriseId } : {}),
    ...(opts.orgWide ? { orgWide: true } : {}),
    now,
  };
  const timeoutMs = opts.timeoutMs ?? 10_000;

  async function post(
    body: string,
    contentType: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: string }> {
    const res = await fetch(opts.appUrl, {
      method: 'POST',
      headers: {
        'Content-Type': contentType,
        'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
        ...headers,
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: res.status, body: await res.text() };
  }

  const signed = (body: string) => signSlackRequest(opts.signingSecret, body, Math.floor(now() / 1000));

  return createSender(opts.api, ctx, {
    async deliver(d) {
      if (d.kind === 'command') {
        const body = new URLSearchParams(d.fields).toString();
        return post(body, FORM, signed(body));
      }
      if (d.kind === 'interactive') {
        const body = new URLSearchParams({ payload: JSON.stringify(d.payload) }).toString();
        return post(body, FORM, signed(body));
      }
      const body = JSON.stringify(d.body);
      const retry: Record<string, string> = {};
      if (d.retryNum !== undefined) retry['X-Slack-Retry-Num'] = String(d.retryNum);
      if (d.retryReason !== undefined) retry['X-Slack-Retry-Reason'] = d.retryReason;
      return post(body, JSON_TYPE, { ...signed(body), ...retry });
    },

    async raw(o) {
      const ts = o.timestampSec ?? Math.floor(now() / 1000);
      const sig = signSlackRequest(opts.signingSecret, o.body, ts);
      const headers: Record<string, string> = { 'X-Slack-Request-Timestamp': String(ts) };
      if (o.signature !== null) headers['X-Slack-Signature'] = o.signature ?? sig['X-Slack-Signature'] ?? '';
      const r = await post(o.body, o.contentType, { ...headers, ...o.headers });
      return withJson(r.status, r.body);
    },
  });
}

/**
 * The same payloads as Socket Mode envelopes through `api.socket`: `status` is 200 once acked and
 * `json` is the ack's payload (`{}` for a bare ack). An envelope nobody acks in 3 s rejects.
 */
export function createSocketModeSender(opts: {
  api: LocalSlackApi;
  /** The installed app's slash command, sent when a `command()` call names none. */
  command: string;
  teamId?: string;
  enterpriseId?: string;
  orgWide?: boolean;
  now?: () => number;
  ackTimeoutMs?: number;
}): SignedSender {
  const ctx: PayloadContext = {
    api: opts.api,
    teamId: opts.teamId ?? opts.api.teamId,
    command: opts.command,
    ...(opts.enterpriseId ? { enterpriseId: opts.enterpriseId } : {}),
    ...(opts.orgWide ? { orgWide: true } : {}),
    now: opts.now ?? Date.now,
  };
  const timeout = opts.ackTimeoutMs !== undefined ? { timeoutMs: opts.ackTimeoutMs } : {};
  return createSender(opts.api, ctx, {
    async deliver(d) {
      let ack: unknown;
      if (d.kind === 'command') ack = await opts.api.socket.sendEnvelope('slash_commands', d.fields, timeout);
      else if (d.kind === 'interactive')
        ack = await opts.api.socket.sendEnvelope('interactive', d.payload, timeout);
      else {
        ack = await opts.api.socket.sendEnvelope('events_api', d.body, {
          ...timeout,
          ...(d.retryNum !== undefined ? { retryAttempt: d.retryNum } : {}),
          ...(d.retryReason !== undefined ? { retryReason: d.retryReason } : {}),
        });
      }
      return { status: 200, body: JSON.stringify(ack ?? {}) };
    },
    raw() {
      return Promise.reject(new Error('raw requests need HTTP mode: Socket Mode has no signatures'));
    },
  });
}
