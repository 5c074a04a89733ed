import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';

/** Slack's own cap on a Web API request is far above anything this app sends; this only stops abuse. */
export const MAX_BODY_BYTES = 25 * 1024 * 1024;

export type Params = Record<string, unknown>;

/** A Slack-style failure: HTTP 200 with `{ok:false, error, ...extra}`. */
export class SlackApiError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

export class BodyTooLargeError extends Error {}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new BodyTooLargeError(`body over ${limit} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Multipart parsing without a dependency: undici (Node's fetch) already implements it. */
export async function parseMultipart(req: IncomingMessage, body: Buffer): Promise<FormData> {
  return new Response(body, { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
}

/**
 * Web API parameters from a form body (what WebClient sends), a JSON body, or multipart, plus the
 * query string. Form values stay strings; nested values (blocks, view, files) are parsed by
 * {@link jsonParam} where a method reads them.
 */
export async function parseParams(req: IncomingMessage, body: Buffer): Promise<Params> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const params: Params = Object.fromEntries(url.searchParams);
  const type = mediaType(req);
  if (body.length === 0) return params;
  if (type === 'application/x-www-form-urlencoded') {
    for (const [k, v] of Object.entries(parseQuery(body.toString('utf8')))) {
      params[k] = Array.isArray(v) ? v[v.length - 1] : v;
    }
  } else if (type === 'application/json') {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new SlackApiError('invalid_json');
    }
    Object.assign(params, parsed);
  } else if (type === 'multipart/form-data') {
    const form = await parseMultipart(req, body);
    for (const [k, v] of form.entries()) {
      params[k] = typeof v === 'string' ? v : Buffer.from(await v.arrayBuffer());
    }
  } else {
    throw new SlackApiError('invalid_form_data');
  }
  return params;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

export function optString(params: Params, key: string): string | undefined {
  const v = params[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new SlackApiError('invalid_arguments', {
    response_metadata: { messages: [`[ERROR] must be a string [json-pointer:/${key}]`] },
  });
}

/**
 * A nested parameter: a JSON string in form bodies, a value in JSON bodies. `undefined` when absent.
 * Unparseable JSON throws `formatError` (Slack answers `invalid_blocks_format` for blocks).
 */
export function jsonParam(params: Params, key: string, formatError = 'invalid_arguments'): unknown {
  const v = params[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    throw new SlackApiError(formatError, {
      response_metadata: { messages: [`[ERROR] ${key} is not valid JSON [json-pointer:/${key}]`] },
    });
  }
}

/** Copies params for the call log without secrets or file bytes. */
export function redactParams(params: Params): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(params)) {
    if (k === 'token' || k === 'client_secret') out[k] = '[redacted]';
    else if (Buffer.isBuffer(v)) out[k] = `[${v.length} bytes]`;
    else out[k] = v;
  }
  return out;
}
