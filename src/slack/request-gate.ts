import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { HTTPModuleFunctions, HTTPResponseAck, isValidSlackRequest, type ReceiverEvent } from '@slack/bolt';
import type { Logger as BoltLogger } from '@slack/logger';
import { z } from 'zod';
import type { Logger } from '../log.ts';
import { SerialisedReply } from './serialised.ts';

/**
 * The fields Bolt and the listeners read without checking, for each kind of request Slack sends.
 * Slack always sends them; a correctly signed request without them is refused with 400 here,
 * because Bolt would otherwise answer 500 (`user`, `view` missing) or never answer at all and
 * reject a promise nobody handles (a `null` body).
 */
const Ref = z.looseObject({ id: z.string() });
/**
 * Team and enterprise ids start with a capital (T…, E…). Bolt keys a plain object by them, so
 * `constructor` or `__proto__` would reach Object.prototype and answer 500.
 */
const TenantId = z.string().regex(/^[A-Z][A-Za-z0-9_-]*$/);
const Tenant = z.looseObject({ id: TenantId });
const Interactive = {
  user: z.looseObject({ id: z.string(), team_id: TenantId.optional() }),
  team: Tenant.nullish(),
  enterprise: Tenant.nullish(),
  channel: Ref.optional(),
  container: z.looseObject({}).optional(),
  message: z.looseObject({ ts: z.string() }).optional(),
  view: z.looseObject({ id: z.string() }).optional(),
  state: z.looseObject({ values: z.record(z.string(), z.unknown()) }).optional(),
};
const View = z.looseObject({
  id: z.string(),
  callback_id: z.string(),
  app_installed_team_id: TenantId.optional(),
  state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), z.looseObject({}))) }).optional(),
});

const INTERACTIVE: Record<string, z.ZodType> = {
  block_actions: z.looseObject({
    ...Interactive,
    trigger_id: z.string(),
    actions: z.array(z.looseObject({ action_id: z.string(), block_id: z.string().optional() })).min(1),
  }),
  view_submission: z.looseObject({
    ...Interactive,
    view: View.extend({ state: View.shape.state.unwrap() }),
  }),
  view_closed: z.looseObject({ ...Interactive, view: View }),
  message_action: z.looseObject({
    ...Interactive,
    callback_id: z.string(),
    trigger_id: z.string(),
    channel: Ref,
    message: z.looseObject({ ts: z.string() }),
  }),
  shortcut: z.looseObject({ ...Interactive, callback_id: z.string(), trigger_id: z.string() }),
};

const Command = z.looseObject({
  command: z.string(),
  team_id: TenantId,
  enterprise_id: TenantId.optional(),
  user_id: z.string(),
  text: z.string().optional(),
  channel_id: z.string().optional(),
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
});

const EventCallback = z.looseObject({
  type: z.literal('event_callback'),
  team_id: TenantId.optional(),
  enterprise_id: TenantId.optional(),
  event_id: z.string().optional(),
  authorizations: z
    .array(z.looseObject({ team_id: TenantId.nullish(), enterprise_id: TenantId.nullish() }))
    .optional(),
  event: z.looseObject({
    type: z.string(),
    user: z.union([z.string(), Ref]).optional(),
    channel: z.union([z.string(), z.looseObject({})]).optional(),
    item: z.looseObject({}).optional(),
    subteam: z.looseObject({}).optional(),
    message: z.looseObject({}).optional(),
    previous_message: z.looseObject({}).optional(),
  }),
});

/** Why a parsed request body is not one Slack would send (field paths only, never values), or null. */
export interface Declared {
  /** Slash commands and shortcut callback ids of the manifest: Slack sends no others. */
  commands: readonly string[];
  shortcuts: readonly string[];
}

export function malformation(body: unknown, declared: Declared): string | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'not an object';
  const b = body as Record<string, unknown>;
  if (b.ssl_check === '1' || b.type === 'url_verification') return null;
  if (b.command !== undefined && !declared.commands.includes(b.command as string)) {
    return 'a slash command the app does not declare';
  }
  if (
    (b.type === 'shortcut' || b.type === 'message_action') &&
    !declared.shortcuts.includes(b.callback_id as string)
  ) {
    return 'a shortcut the app does not declare';
  }
  const schema =
    b.command !== undefined
      ? Command
      : b.type === 'event_callback'
        ? EventCallback
        : typeof b.type === 'string'
          ? INTERACTIVE[b.type]
          : undefined;
  if (!schema) return 'unknown kind of request';
  const result = schema.safeParse(body);
  if (result.success) return null;
  const paths = result.error.issues.map((i) => i.path.join('.') || '(root)');
  return `missing or malformed: ${[...new Set(paths)].slice(0, 5).join(', ')}`;
}

/**
 * How far a request's timestamp may be from now, in either direction. Bolt refuses stale requests
 * but accepts any timestamp in the future, so a captured request signed "a year ahead" could be
 * replayed for a year; Slack's clock and ours agree to well within this.
 */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

/** True when a request's `X-Slack-Request-Timestamp` is within {@link MAX_CLOCK_SKEW_SECONDS} of now. */
export function isFreshTimestamp(header: unknown, nowMs: number): boolean {
  if (typeof header !== 'string' || !/^\d{1,12}$/.test(header)) return false;
  return Math.abs(Number(header) - nowMs / 1000) <= MAX_CLOCK_SKEW_SECONDS;
}

/** Bolt's limit on request bodies. */
const BODY_LIMIT = 4 * 1024 * 1024;

/** Parses the body as Bolt does: a form (interactivity in its `payload` field) or JSON. */
function parseBody(req: IncomingMessage, text: string): { ok: true; body: unknown } | { ok: false } {
  try {
    if (req.headers['content-type'] === 'application/x-www-form-urlencoded') {
      const form = parseQuery(text);
      return { ok: true, body: typeof form.payload === 'string' ? JSON.parse(form.payload) : form };
    }
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) {
        req.removeAllListeners('data');
        req.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function refuse(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status);
  res.end();
}

/** Slack's SSL check (`ssl_check=1`), which Slack does not sign: answered 200, never processed. */
function isSslCheck(req: IncomingMessage, text: string): boolean {
  return (
    req.headers['content-type'] === 'application/x-www-form-urlencoded' && parseQuery(text).ssl_check === '1'
  );
}

export interface SlackEventsOptions {
  signingSecret: string;
  logger: Logger;
  /** Bolt's logger, for Bolt's own acknowledgement and error handling. */
  boltLogger: BoltLogger;
  declared: Declared;
  /** The app once Bolt has initialised the receiver with it. */
  app: () => { processEvent(event: ReceiverEvent): Promise<void> } | undefined;
  /** Slack gives up after 3 s: a request no listener acknowledged is answered a little before. */
  unhandledRequestTimeoutMillis: number;
  path?: string;
}

/**
 * Serves `POST /slack/events` in front of Bolt's HTTP receiver, with Bolt's own parts
 * (`HTTPResponseAck`, `HTTPModuleFunctions`) as a custom receiver does, so that each request is
 * read once, its signature checked once and its body parsed once:
 * - a body over Bolt's 4 MB limit: 413;
 * - a timestamp more than five minutes from now in either direction (Bolt accepts any future
 *   one), or no valid signature: 401;
 * - a signed body that does not parse, or is not shaped like anything Slack sends: 400 with one
 *   log line (Bolt would answer 500, or never answer and reject a promise nobody handles);
 * - otherwise the parsed body goes to the app, acknowledged as Bolt's receiver does.
 * Every other path (health, later the OAuth pages) stays with Bolt's receiver.
 */
export function serveSlackEvents(
  receiver: { requestListener: RequestListener },
  opts: SlackEventsOptions,
): void {
  const inner = receiver.requestListener;
  const path = opts.path ?? '/slack/events';
  receiver.requestListener = (req, res) => {
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://localhost').pathname !== path) {
      inner(req, res);
      return;
    }
    handleSlackEvent(req, res, opts).catch(() => refuse(res, 400));
  };
}

async function handleSlackEvent(
  req: IncomingMessage,
  res: ServerResponse,
  opts: SlackEventsOptions,
): Promise<void> {
  const raw = await readBody(req);
  if (raw === 'too-large') return refuse(res, 413);
  // Too old or from the future: refused as Bolt refuses a stale request, signed or not.
  if (!isFreshTimestamp(req.headers['x-slack-request-timestamp'], Date.now())) return refuse(res, 401);
  const text = raw.toString('utf8');
  const signature = req.headers['x-slack-signature'];
  const signed =
    typeof signature === 'string' &&
    isValidSlackRequest({
      signingSecret: opts.signingSecret,
      body: text,
      headers: {
        'x-slack-signature': signature,
        'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
      },
    });
  if (!signed) {
    if (isSslCheck(req, text)) return HTTPModuleFunctions.buildSSLCheckResponse(res);
    opts.logger.warn('refused a request without a valid Slack signature');
    return refuse(res, 401);
  }
  const parsed = parseBody(req, text);
  const problem = parsed.ok ? malformation(parsed.body, opts.declared) : 'not JSON or a form';
  if (!parsed.ok || problem) {
    opts.logger.warn('refused a signed request Slack would never send', { problem });
    return refuse(res, 400);
  }
  const body = parsed.body as Record<string, unknown>;
  if (body.ssl_check === '1') return HTTPModuleFunctions.buildSSLCheckResponse(res);
  if (body.type === 'url_verification') return HTTPModuleFunctions.buildUrlVerificationResponse(res, body);
  const app = opts.app();
  if (!app) return refuse(res, 503);
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
  const ack = new HTTPResponseAck({
    logger: opts.boltLogger,
    processBeforeResponse: false,
    unhandledRequestHandler: HTTPModuleFunctions.defaultUnhandledRequestHandler,
    unhandledRequestTimeoutMillis: opts.unhandledRequestTimeoutMillis,
    httpRequest: req,
    httpRequestBody: body,
    httpResponse: res,
  });
  try {
    await app.processEvent({
      body,
      ack: writingSerialised(ack.bind(), res),
      retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req),
      retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req),
      customProperties: {},
    });
  } catch (error) {
    const acknowledged = await HTTPModuleFunctions.defaultProcessEventErrorHandler({
      error: error as Error,
      logger: opts.boltLogger,
      request: req,
      response: res,
      storedResponse: ack.storedResponse,
    });
    if (acknowledged) ack.ack();
  }
}

/**
 * Bolt's ack, except that a reply serialised ahead of time (see serialised.ts) is written as the
 * JSON text it already is: Bolt's ack would serialise its body again. Anything else goes to Bolt's
 * ack unchanged, which also refuses a second ack as before.
 */
function writingSerialised(
  ack: (body?: unknown) => Promise<void>,
  res: ServerResponse,
): (body?: unknown) => Promise<void> {
  return (body) => {
    if (!(body instanceof SerialisedReply)) return ack(body);
    if (!res.headersSent) res.setHeader('content-type', 'application/json');
    return ack(body.json);
  };
}

/**
 * Socket Mode's ack copies the body's own fields into the envelope (`{ ...body }`), so a reply
 * serialised ahead of time goes in as the body it stands for.
 */
function unwrappingSerialised(
  ack: (response?: unknown) => Promise<void>,
): (response?: unknown) => Promise<void> {
  return (response) => ack(response instanceof SerialisedReply ? response.toJSON() : response);
}

/** What Socket Mode hands the app for each envelope: its payload and the ack. */
interface SocketEvent {
  body: unknown;
  ack: (response?: unknown) => Promise<void>;
}

/**
 * The same shape checks for Socket Mode envelopes: only Slack can send on that connection, but a
 * payload Bolt cannot handle must be acknowledged and dropped with one log line, never crash a
 * listener or hang the envelope.
 */
export function gateSocketModeEvents<A extends { processEvent(event: SocketEvent): Promise<void> }>(
  app: A,
  opts: { logger: Logger; declared: Declared },
): A {
  const gated = Object.create(app) as A;
  gated.processEvent = async (event: SocketEvent) => {
    const problem = malformation(event.body, opts.declared);
    if (!problem) return app.processEvent({ ...event, ack: unwrappingSerialised(event.ack) });
    opts.logger.warn('refused a Socket Mode envelope Slack would never send', { problem });
    await event.ack();
  };
  return gated;
}
