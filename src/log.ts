import { type Logger as SlackLogger, LogLevel as SlackLogLevel } from '@slack/logger';
import type { LogLevel } from './config.ts';

/**
 * One JSON line per event: time, level, message and fields.
 *
 * Privacy is enforced here as a last line of defence: field names that usually carry user text or
 * credentials are replaced, and any token-shaped string or registered secret is masked wherever it
 * appears. Callers still never pass user text.
 */
export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(fields: Fields): Logger;
  readonly level: LogLevel;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const TOKEN_PATTERN = /\bx(?:ox[abposre]|app)-[A-Za-z0-9-]+/g;
const REDACTED_FIELDS = new Set([
  'text',
  'body',
  'blocks',
  'token',
  'secret',
  'signingSecret',
  'authorization',
  'payload',
  'message',
  'view',
  'value',
]);

export interface LoggerOptions {
  level: LogLevel;
  secrets?: readonly string[];
  write?: (line: string) => void;
  base?: Fields;
}

export function createLogger(opts: LoggerOptions): Logger {
  const secrets = (opts.secrets ?? []).filter((s) => s.length >= 6);
  const write = opts.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const scrub = (s: string): string => {
    let out = s.replace(TOKEN_PATTERN, '[token]');
    for (const secret of secrets) out = out.split(secret).join('[secret]');
    return out;
  };
  const make = (base: Fields): Logger => {
    const emit = (level: LogLevel, msg: string, fields?: Fields) => {
      if (ORDER[level] < ORDER[opts.level]) return;
      const record: Fields = { t: new Date().toISOString(), level, msg, ...base };
      for (const [k, v] of Object.entries(fields ?? {})) {
        record[k] = REDACTED_FIELDS.has(k) ? '[redacted]' : v instanceof Error ? describeError(v) : v;
      }
      let line: string;
      try {
        line = JSON.stringify(record);
      } catch {
        line = JSON.stringify({ t: record.t, level, msg, note: 'fields not serialisable' });
      }
      write(scrub(line));
    };
    return {
      level: opts.level,
      debug: (m, f) => emit('debug', m, f),
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return make(opts.base ?? {});
}

/** An error's name, code and message, never its request body or the data it carried. */
export function describeError(err: unknown): Fields {
  if (!(err instanceof Error)) return { error: String(err).slice(0, 200) };
  const e = err as Error & { code?: unknown; data?: { error?: unknown }; statusCode?: unknown };
  const out: Fields = { name: e.name, message: e.message.slice(0, 300) };
  if (e.code !== undefined) out.code = e.code;
  if (e.data?.error !== undefined) out.slackError = e.data.error;
  if (e.statusCode !== undefined) out.status = e.statusCode;
  return out;
}

/**
 * The Slack libraries log request bodies (and so user text) at debug: they get this adapter, which
 * never goes below info whatever LOG_LEVEL says.
 */
export function toSlackLogger(logger: Logger, name = 'slack'): SlackLogger {
  const min: LogLevel = ORDER[logger.level] < ORDER.info ? 'info' : logger.level;
  const child = logger.child({ component: name });
  const join = (msgs: unknown[]) =>
    msgs
      .map((m) => (m instanceof Error ? `${m.name}: ${m.message}` : typeof m === 'string' ? m : safeJson(m)))
      .join(' ')
      .slice(0, 500);
  let level = min;
  return {
    debug: () => {},
    info: (...msgs) => {
      if (ORDER[level] <= ORDER.info) child.info(join(msgs));
    },
    warn: (...msgs) => {
      if (ORDER[level] <= ORDER.warn) child.warn(join(msgs));
    },
    error: (...msgs) => child.error(join(msgs)),
    setLevel: (l) => {
      const asOurs = String(l) as LogLevel;
      level = ORDER[asOurs] !== undefined && ORDER[asOurs] > ORDER[min] ? asOurs : min;
    },
    getLevel: () => level as unknown as SlackLogLevel,
    setName: () => {},
  };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

export { SlackLogLevel };
