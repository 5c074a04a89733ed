import { z } from 'zod';
import { BUNDLED_LADDER_DATA_DIR } from './paths.ts';

/**
 * The environment contract of design.md, validated once at the edge.
 * Every message names the variable and what is expected, and never echoes a secret's value.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type SlackMode = 'http' | 'socket' | 'distribution' | 'local';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const README_HINT = 'See README.md, "Creating the Slack app" and "Configuration".';

/** Empty strings count as unset, as in most .env tooling. */
const optionalString = (schema: z.ZodString) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const intInRange = (name: string, min: number, max: number, fallback: number) =>
  z.preprocess(
    (v) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? fallback : v),
    z.coerce
      .number({ error: `${name} must be a whole number from ${min} to ${max}` })
      .int({ error: `${name} must be a whole number from ${min} to ${max}` })
      .min(min, { error: `${name} must be a whole number from ${min} to ${max}` })
      .max(max, { error: `${name} must be a whole number from ${min} to ${max}` }),
  );

/** 32 bytes in base64 (`openssl rand -base64 32`); the message never shows the value. */
function encryptionKey(name: string) {
  return z
    .string()
    .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v.trim()) && Buffer.from(v.trim(), 'base64').length === 32, {
      error: `${name} must be 32 bytes in base64 (make one with: openssl rand -base64 32)`,
    });
}

const EnvSchema = z.object({
  SLACK_BOT_TOKEN: optionalString(
    z.string().regex(/^xoxb-\S+$/, { error: 'SLACK_BOT_TOKEN must be a bot token starting with "xoxb-"' }),
  ),
  SLACK_SIGNING_SECRET: optionalString(
    z
      .string()
      .regex(/^\S{8,}$/, { error: "SLACK_SIGNING_SECRET must be the app's signing secret (no spaces)" }),
  ),
  SLACK_APP_TOKEN: optionalString(
    z.string().regex(/^xapp-\S+$/, {
      error: 'SLACK_APP_TOKEN must be an app-level token starting with "xapp-"',
    }),
  ),
  SLACK_API_URL: optionalString(
    z.string().regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, {
      error: 'SLACK_API_URL must be an http(s) URL, e.g. https://slack.com/api/',
    }),
  ),
  PORT: intInRange('PORT', 0, 65535, 3000),
  DATABASE_PATH: optionalString(z.string()),
  // Never echoed: the URL may carry a password.
  DATABASE_URL: optionalString(
    z.string().regex(/^postgres(ql)?:\/\/\S+$/, {
      error: 'DATABASE_URL must be a PostgreSQL URL, postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE',
    }),
  ),
  DATABASE_POOL_SIZE: intInRange('DATABASE_POOL_SIZE', 1, 1000, 10),
  LADDER_DATA_DIR: optionalString(z.string()),
  LOG_LEVEL: z.preprocess(
    (v) => (v === undefined || v === '' ? 'info' : typeof v === 'string' ? v.toLowerCase() : v),
    z.enum(['debug', 'info', 'warn', 'error'], {
      error: 'LOG_LEVEL must be one of debug, info, warn, error',
    }),
  ),
  NUDGE_LATE_WINDOW_HOURS: intInRange('NUDGE_LATE_WINDOW_HOURS', 0, 167, 24),
  NUDGE_SEND_RATE: intInRange('NUDGE_SEND_RATE', 1, 100_000, 120),
  LADDER_SOAK: optionalString(z.string()),
  SLACK_CLIENT_ID: optionalString(
    z
      .string()
      .regex(/^[0-9]+\.[0-9]+$/, { error: "SLACK_CLIENT_ID must be the app's client id, e.g. 1234.5678" }),
  ),
  SLACK_CLIENT_SECRET: optionalString(
    z
      .string()
      .regex(/^\S{8,}$/, { error: "SLACK_CLIENT_SECRET must be the app's client secret (no spaces)" }),
  ),
  SLACK_STATE_SECRET: optionalString(
    z.string().regex(/^\S{16,}$/, {
      error: 'SLACK_STATE_SECRET must be a random string of at least 16 characters (no spaces)',
    }),
  ),
  LADDER_ENCRYPTION_KEY: optionalString(encryptionKey('LADDER_ENCRYPTION_KEY')),
  LADDER_ENCRYPTION_KEY_PREVIOUS: optionalString(encryptionKey('LADDER_ENCRYPTION_KEY_PREVIOUS')),
  SLACK_REDIRECT_URI: optionalString(
    // Bolt serves the redirect at /slack/oauth_redirect and refuses a URI ending elsewhere.
    z.string().regex(/^https?:\/\/[^\s/]+(\/\S*)?\/slack\/oauth_redirect$/, {
      error: 'SLACK_REDIRECT_URI must be the https:// URL of /slack/oauth_redirect on this host',
    }),
  ),
});

/** Settings every mode and every CLI command shares; no Slack credentials. */
export interface BaseConfig {
  port: number;
  databasePath: string;
  /** PostgreSQL instead of SQLite at `databasePath`; never set in local mode. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  ladderDataDir: string;
  logLevel: LogLevel;
  nudgeLateWindowHours: number;
  nudgeSendRate: number;
  slackApiUrl: string | undefined;
}

export type SlackCredentials =
  | { mode: 'http'; botToken: string; signingSecret: string }
  | { mode: 'socket'; botToken: string; appToken: string; signingSecret: string | undefined }
  | ({ mode: 'distribution' } & DistributionCredentials)
  | { mode: 'local' };

/** OAuth distribution: one installation per workspace, its tokens encrypted in the database. */
export interface DistributionCredentials {
  clientId: string;
  clientSecret: string;
  signingSecret: string;
  stateSecret: string;
  keys: EncryptionKeys;
  /** Sent with the authorize URL and the code exchange when set (else the app's configured one). */
  redirectUri: string | undefined;
}

/** The key that encrypts stored tokens, and during a rotation the one that still decrypts old rows. */
export interface EncryptionKeys {
  current: Buffer;
  previous: Buffer | undefined;
}

export type Config = Readonly<BaseConfig & { slack: SlackCredentials }>;

function parseEnv(env: NodeJS.ProcessEnv) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `- ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${[...new Set(lines)].join('\n')}\n${README_HINT}`);
  }
  return parsed.data;
}

/** The base settings only: for CLI commands that never talk to Slack (migrate, export, backup…). */
export function loadBaseConfig(env: NodeJS.ProcessEnv, opts: { local?: boolean } = {}): Readonly<BaseConfig> {
  const e = parseEnv(env);
  return Object.freeze({
    port: e.PORT,
    databasePath: e.DATABASE_PATH ?? (opts.local ? './data/local.db' : './data/ladder.db'),
    // Local mode opens only a database it created itself (src/db/local-database.ts), so never this.
    databaseUrl: opts.local ? undefined : e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    ladderDataDir: e.LADDER_DATA_DIR ?? BUNDLED_LADDER_DATA_DIR,
    logLevel: e.LOG_LEVEL,
    nudgeLateWindowHours: e.NUDGE_LATE_WINDOW_HOURS,
    nudgeSendRate: e.NUDGE_SEND_RATE,
    slackApiUrl: e.SLACK_API_URL,
  });
}

/**
 * Decides the mode from which credentials are present (design.md, "Modes"):
 * none → local; an app token → Socket Mode; otherwise HTTP. Partial credentials are an error
 * naming what is missing, so a typo in one variable never silently starts the local workspace.
 */
export function resolveSlackCredentials(
  env: NodeJS.ProcessEnv,
  opts: { forceLocal?: boolean } = {},
): SlackCredentials {
  const e = parseEnv(env);
  if (opts.forceLocal) return { mode: 'local' };
  const { SLACK_BOT_TOKEN: bot, SLACK_SIGNING_SECRET: secret, SLACK_APP_TOKEN: app } = e;
  if (e.SLACK_CLIENT_ID || e.SLACK_CLIENT_SECRET || e.SLACK_STATE_SECRET) return distributionCredentials(e);
  if (!bot && !secret && !app) return { mode: 'local' };
  if (app) {
    if (!bot) {
      throw new ConfigError(
        `SLACK_APP_TOKEN is set (Socket Mode) but SLACK_BOT_TOKEN is missing: set the bot token (xoxb-…) too.\n${README_HINT}`,
      );
    }
    return { mode: 'socket', botToken: bot, appToken: app, signingSecret: secret };
  }
  const missing = [!bot && 'SLACK_BOT_TOKEN', !secret && 'SLACK_SIGNING_SECRET'].filter(Boolean);
  if (missing.length > 0) {
    throw new ConfigError(
      `Incomplete Slack credentials: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing. ` +
        'HTTP mode needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET; Socket Mode needs SLACK_BOT_TOKEN and ' +
        `SLACK_APP_TOKEN. Unset all three to run the local workspace.\n${README_HINT}`,
    );
  }
  return { mode: 'http', botToken: bot as string, signingSecret: secret as string };
}

type Env = ReturnType<typeof parseEnv>;

/**
 * Distribution mode: Bolt refuses a bot token beside an installation store, so a bot token (or an
 * app token: distribution is HTTP only) with the OAuth variables is an error saying what to remove.
 */
function distributionCredentials(e: Env): SlackCredentials {
  const clash = [e.SLACK_BOT_TOKEN && 'SLACK_BOT_TOKEN', e.SLACK_APP_TOKEN && 'SLACK_APP_TOKEN'].filter(
    Boolean,
  );
  if (clash.length > 0) {
    throw new ConfigError(
      `${clash.join(' and ')} cannot be set together with SLACK_CLIENT_ID/SLACK_CLIENT_SECRET/SLACK_STATE_SECRET. ` +
        `For distribution mode (OAuth, one installation per workspace) remove ${clash.join(' and ')}; ` +
        `for a single workspace remove SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET.\n${README_HINT}`,
    );
  }
  const required = [
    'SLACK_CLIENT_ID',
    'SLACK_CLIENT_SECRET',
    'SLACK_SIGNING_SECRET',
    'SLACK_STATE_SECRET',
    'LADDER_ENCRYPTION_KEY',
  ] as const;
  const missing = required.filter((name) => !e[name]);
  if (missing.length > 0) {
    throw new ConfigError(
      `Incomplete distribution-mode settings: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing. ` +
        `Distribution mode needs all of ${required.join(', ')} (and no SLACK_BOT_TOKEN).\n${README_HINT}`,
    );
  }
  return {
    mode: 'distribution',
    clientId: e.SLACK_CLIENT_ID as string,
    clientSecret: e.SLACK_CLIENT_SECRET as string,
    signingSecret: e.SLACK_SIGNING_SECRET as string,
    stateSecret: e.SLACK_STATE_SECRET as string,
    keys: keysOf(e) as EncryptionKeys,
    redirectUri: e.SLACK_REDIRECT_URI,
  };
}

function keysOf(e: Env): EncryptionKeys | undefined {
  if (!e.LADDER_ENCRYPTION_KEY) return undefined;
  const decode = (v: string) => Buffer.from(v.trim(), 'base64');
  return {
    current: decode(e.LADDER_ENCRYPTION_KEY),
    previous: e.LADDER_ENCRYPTION_KEY_PREVIOUS ? decode(e.LADDER_ENCRYPTION_KEY_PREVIOUS) : undefined,
  };
}

/** The token encryption keys, for CLI commands that read or rewrite installations (rotate-key). */
export function loadEncryptionKeys(env: NodeJS.ProcessEnv): EncryptionKeys {
  const keys = keysOf(parseEnv(env));
  if (!keys) {
    throw new ConfigError(
      `LADDER_ENCRYPTION_KEY is missing: the stored Slack tokens are encrypted with it.\n${README_HINT}`,
    );
  }
  return keys;
}

export function loadConfig(env: NodeJS.ProcessEnv, opts: { forceLocal?: boolean } = {}): Config {
  const slack = resolveSlackCredentials(env, opts);
  const base = loadBaseConfig(env, { local: slack.mode === 'local' });
  return Object.freeze({ ...base, slack });
}
