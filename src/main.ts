import { pathToFileURL } from 'node:url';
import { type Config, ConfigError, loadConfig, type SlackCredentials } from './config.ts';
import type { AppContext, Health } from './context.ts';
import { createAppContext } from './context.ts';
import type { Db } from './db/connection.ts';
import { type DatabaseHandle, openDatabaseFor } from './db/database.ts';
import { LocalDatabaseError, prepareLocalDatabase } from './db/local-database.ts';
import { MigrationError } from './db/migrate.ts';
import { DatabaseConnectError, describePostgresUrl } from './db/postgres.ts';
import { formatRunLine } from './domain/nudge-report.ts';
import { nextNudge } from './domain/nudge-settings.ts';
import { formatLocalDateTime, zonedToInstant } from './domain/zoned-time.ts';
import { LadderDataError, loadLadder } from './load-ladder.ts';
import { type LocalModeSettings, loadLocalModeSettings, settingsPathOf } from './local/local-settings.ts';
import { LOCAL_AFTER_INSTALL, LocalWorkspaceError, startLocalWorkspace } from './local/workspace.ts';
import { createLogger, describeError, type Logger } from './log.ts';
import { LOCAL_PAGE_DIR } from './paths.ts';
import { createNudgeScheduler, type NudgeScheduler } from './scheduler/scheduler.ts';
import {
  interactiveClientOptions,
  type RunningSlackApp,
  SlackAuthError,
  type SlackConnection,
  startSlackApp,
} from './slack/app.ts';
import { createDigestDm, createNudgeDm } from './slack/dm.ts';
import { helpEntries } from './slack/help-entries.ts';
import { installationTokens } from './slack/installation-store.ts';
import { buildManifest } from './slack/manifest.ts';
import { slackRotation } from './slack/token-refresher.ts';
import { resolveUserNames } from './slack/user-names.ts';

export interface StartOptions {
  env: NodeJS.ProcessEnv;
  forceLocal?: boolean;
  now?: () => Date;
  /** Where log lines go (tests capture them); default stdout. */
  writeLog?: (line: string) => void;
  /** Interface the HTTP server listens on; default all (local mode: 127.0.0.1). */
  listenHost?: string;
  /** Monotonic milliseconds the nudge scheduler reports its liveness with (tests of /healthz). */
  schedulerClock?: () => number;
  /** Distribution mode: what the install success page says to do next instead of "in Slack, …". */
  afterInstall?: string;
}

/** Distribution mode: each tenant's token from its installation (refreshed when it rotates). */
function schedulerTokens(ctx: AppContext, connection: SlackConnection) {
  return connection.mode === 'distribution'
    ? { tokenFor: installationTokens(ctx, connection.rotation) }
    : { botToken: connection.botToken };
}

export interface RunningLadder {
  config: Config;
  /** Port of the HTTP server: Slack requests (HTTP mode) and /healthz. */
  port: number;
  ctx: AppContext;
  /** The database under the repositories (either engine). */
  database: DatabaseHandle;
  /** SQLite's connection under the repositories, for tests and benchmarks that read the tables. */
  db: Db;
  /** The weekly nudge scheduler (started: it ticks every minute). */
  scheduler: NudgeScheduler;
  /** Local mode: the page of the local workspace. */
  localUrl?: string;
  stop(): Promise<void>;
}

/** Errors whose message is the whole story for the operator: printed without a stack trace. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/** Stored installations sealed under a key this start was not given. */
class InstallationKeysError extends StartupError {}

/**
 * The composition root: config → database (+ migrations) → Slack app → start. Every part is
 * built here once and passed down; nothing else reads the environment.
 */
export async function startLadder(opts: StartOptions): Promise<RunningLadder> {
  const config = loadConfig(opts.env, { forceLocal: opts.forceLocal ?? false });
  const secrets = collectSecrets(config);
  const logger = createLogger({
    level: config.logLevel,
    secrets,
    ...(opts.writeLog ? { write: opts.writeLog } : {}),
  });
  if (config.slack.mode === 'local') return startLocalMode(opts, config, logger);
  const ladder = loadLadder(config.ladderDataDir);
  const database = await openDatabaseFor(config, {
    onMigrated: ({ applied }) => {
      if (applied.length > 0) logger.info('migrations applied', { applied });
    },
    onConnectionError: (err) => logger.warn('database connection lost', { error: describeError(err) }),
  });
  let scheduler: NudgeScheduler | undefined;
  const ctx = createAppContext({
    config,
    db: database,
    ladder,
    logger,
    keys: config.slack.mode === 'distribution' ? config.slack.keys : undefined,
    ...(opts.now ? { now: opts.now } : {}),
    health: async (): Promise<Health> => {
      const answered = await database.isHealthy();
      const nudges = scheduler?.health() ?? 'not-started';
      return { ok: answered && nudges !== 'stalled', database: answered, scheduler: nudges };
    },
  });
  const connection = connectionOf(config.slack, config.slackApiUrl, opts.afterInstall);
  if (connection.mode === 'distribution') await checkInstallationKeys(ctx, database);

  let slack: RunningSlackApp;
  try {
    slack = await startSlackApp(ctx, connection, {
      port: config.port,
      ...(opts.listenHost ? { host: opts.listenHost } : {}),
    });
  } catch (err) {
    await database.close();
    throw err;
  }
  const nudges = createNudgeScheduler({
    ctx,
    // Every workspace is sent to with its own token: distribution mode reads its installation's.
    ...schedulerTokens(ctx, connection),
    nudgeDm: (client) => createNudgeDm(ctx, client),
    digestDm: (client) => createDigestDm(ctx, client),
    nameLookup: (client) => (teamId, text) => resolveUserNames(ctx, client, teamId, text),
    ...(opts.schedulerClock ? { clock: opts.schedulerClock } : {}),
  });
  scheduler = nudges;
  nudges.start();
  logger.info('ladder started', { mode: config.slack.mode, port: slack.port, database: database.engine });

  let stopping: Promise<void> | undefined;
  return {
    config,
    port: slack.port,
    ctx,
    database,
    get db(): Db {
      return sqliteOf(database);
    },
    scheduler: nudges,
    stop() {
      stopping ??= (async () => {
        await nudges.stop();
        await slack.stop(3_000);
        await database.close();
        logger.info('ladder stopped');
      })();
      return stopping;
    },
  };
}

/**
 * Local mode: the app runs unchanged, in HTTP mode on 127.0.0.1, against a local Slack workspace
 * (its Web API, signed requests and a web page on PORT); see src/local/workspace.ts.
 */
async function startLocalMode(opts: StartOptions, config: Config, logger: Logger): Promise<RunningLadder> {
  // Before anything listens or ticks: local mode never runs on a database it did not create.
  const database = prepareLocalDatabase(config.databasePath, (opts.now ?? (() => new Date()))());
  logger.info('local workspace database', { database });
  // The OAuth client, secrets and key local mode runs distribution mode with, kept beside the database.
  const settings = localSettings(config.databasePath);
  let app: RunningLadder | undefined;
  const workspace = await startLocalWorkspace({
    port: config.port,
    logger,
    oauth: settings,
    manifest: buildManifest(),
    hint: helpEntries(),
    pageDir: LOCAL_PAGE_DIR,
    startApp: async (slack) => {
      app = await startLadder({
        ...opts,
        forceLocal: false,
        listenHost: '127.0.0.1',
        env: localAppEnv(opts.env, settings, slack.slackApiUrl, config.databasePath),
        afterInstall: LOCAL_AFTER_INSTALL,
      }).catch((err: unknown) => {
        if (!(err instanceof InstallationKeysError)) throw err;
        const file = settingsPathOf(config.databasePath);
        throw new StartupError(
          `the installs in ${config.databasePath} were sealed with a key ${file} does not hold (was that file ` +
            'replaced or deleted?): restore it, or delete both files to start the local workspace afresh.',
        );
      });
      const running = app;
      const nudges = running.ctx.repos.nudges;
      return {
        port: running.port,
        health: () => running.ctx.health(),
        isInstalled: async (tenantId) => (await running.ctx.repos.installations.find(tenantId)) !== undefined,
        stop: () => running.stop(),
        // The page's clock control: the code path of `nudges run --at`, through this app's sender.
        runNudgesAt: async (at) => (await running.scheduler.runOnce(at)).lines.map(formatRunLine),
        wallClock: {
          toInstant: zonedToInstant,
          format: (at, tz) => formatLocalDateTime(at, tz).replace('T', ' '),
        },
        nextNudgeAt: async (owner, after) => {
          const settings = await nudges.getSettings(owner);
          if (!settings) return null;
          const options = {
            ledger: await nudges.ledgerOf(owner),
            lateWindowHours: config.nudgeLateWindowHours,
          };
          return nextNudge(settings, after, options)?.slotAt ?? null;
        },
      };
    },
  });
  if (!app) throw new StartupError('the local workspace did not start the app');
  const inner = app;
  return {
    config,
    port: workspace.port,
    ctx: inner.ctx,
    database: inner.database,
    get db(): Db {
      return sqliteOf(inner.database);
    },
    scheduler: inner.scheduler,
    localUrl: workspace.url,
    stop: () => workspace.stop(),
  };
}

/** Local mode's generated settings; a damaged file stops the start with what to do. */
function localSettings(databasePath: string): LocalModeSettings {
  try {
    return loadLocalModeSettings(databasePath);
  } catch (err) {
    throw new StartupError(err instanceof Error ? err.message : String(err));
  }
}

/**
 * The app's environment in local mode. It never uses DATABASE_URL: it opens only the SQLite file it
 * created. It runs distribution mode (installs through OAuth) on its own generated settings, never
 * the caller's Slack credentials.
 */
function localAppEnv(
  callerEnv: StartOptions['env'],
  settings: LocalModeSettings,
  slackApiUrl: string,
  databasePath: string,
): StartOptions['env'] {
  const {
    SLACK_APP_TOKEN: _socketMode,
    SLACK_BOT_TOKEN: _botToken,
    DATABASE_URL: _postgres,
    SLACK_REDIRECT_URI: _redirect,
    LADDER_ENCRYPTION_KEY_PREVIOUS: _previousKey,
    ...env
  } = callerEnv;
  return {
    ...env,
    SLACK_CLIENT_ID: settings.clientId,
    SLACK_CLIENT_SECRET: settings.clientSecret,
    SLACK_SIGNING_SECRET: settings.signingSecret,
    SLACK_STATE_SECRET: settings.stateSecret,
    LADDER_ENCRYPTION_KEY: settings.encryptionKey,
    SLACK_API_URL: slackApiUrl,
    PORT: '0',
    DATABASE_PATH: databasePath,
  };
}

/**
 * Distribution mode stops at start when stored installations are sealed under a key it was not
 * given (a rotation without LADDER_ENCRYPTION_KEY_PREVIOUS): otherwise every request would fail.
 */
async function checkInstallationKeys(ctx: AppContext, database: DatabaseHandle): Promise<void> {
  const unknown = await ctx.repos.installations.unknownKeys();
  if (unknown.length === 0) return;
  await database.close();
  const rows = unknown.reduce((n, k) => n + k.rows, 0);
  throw new InstallationKeysError(
    `${rows} stored installation(s) are encrypted under key id(s) ${unknown.map((k) => k.keyId).join(', ')}, ` +
      'which neither LADDER_ENCRYPTION_KEY nor LADDER_ENCRYPTION_KEY_PREVIOUS is: set the key they were encrypted ' +
      'with as LADDER_ENCRYPTION_KEY_PREVIOUS (then run `cli rotate-key`).',
  );
}

function connectionOf(
  slack: Exclude<SlackCredentials, { mode: 'local' }>,
  slackApiUrl: string | undefined,
  afterInstall: string | undefined,
): SlackConnection {
  switch (slack.mode) {
    case 'socket':
      return { mode: 'socket', botToken: slack.botToken, appToken: slack.appToken };
    case 'http':
      return { mode: 'http', botToken: slack.botToken, signingSecret: slack.signingSecret };
    case 'distribution':
      return {
        mode: 'distribution',
        signingSecret: slack.signingSecret,
        clientId: slack.clientId,
        clientSecret: slack.clientSecret,
        stateSecret: slack.stateSecret,
        redirectUri: slack.redirectUri,
        ...(afterInstall ? { afterInstall } : {}),
        rotation: slackRotation(slack, interactiveClientOptions(slackApiUrl)),
      };
  }
}

/** `RunningLadder.db`: only SQLite has a connection to hand out. */
function sqliteOf(database: DatabaseHandle): Db {
  if (!database.sqlite)
    throw new Error('This Ladder runs on PostgreSQL: read its tables through `database.store`.');
  return database.sqlite;
}

function collectSecrets(config: Config): string[] {
  const s = config.slack;
  const password = config.databaseUrl ? describePostgresUrl(config.databaseUrl).password : undefined;
  const database = password
    ? [password, config.databaseUrl as string]
    : config.databaseUrl
      ? [config.databaseUrl]
      : [];
  if (s.mode === 'http') return [s.botToken, s.signingSecret, ...database];
  if (s.mode === 'distribution') {
    const keys = [s.keys.current, ...(s.keys.previous ? [s.keys.previous] : [])].map((k) =>
      k.toString('base64'),
    );
    return [s.clientSecret, s.signingSecret, s.stateSecret, ...keys, ...database];
  }
  if (s.mode === 'socket')
    return [s.botToken, s.appToken, ...(s.signingSecret ? [s.signingSecret] : []), ...database];
  return database;
}

/** Prints a startup failure the operator can act on, and exits 1. */
export function exitWithStartupFailure(err: unknown): never {
  if (
    err instanceof ConfigError ||
    err instanceof StartupError ||
    err instanceof MigrationError ||
    err instanceof DatabaseConnectError ||
    err instanceof LocalDatabaseError ||
    err instanceof SlackAuthError ||
    err instanceof LocalWorkspaceError
  ) {
    process.stderr.write(`ladder: ${err.message}\n`);
  } else if (err instanceof LadderDataError) {
    process.stderr.write(`ladder: invalid ladder data in LADDER_DATA_DIR: ${err.message}\n`);
  } else {
    process.stderr.write(`ladder: failed to start: ${JSON.stringify(describeError(err))}\n`);
  }
  process.exit(1);
}

/** The process entry: `node dist/main.js`, `npm start` (scripts/start.mjs) and `tsx src/main.ts`. */
export async function runFromCommandLine(): Promise<void> {
  process.setSourceMapsEnabled(true);
  let running: RunningLadder;
  try {
    running = await startLadder({ env: process.env, forceLocal: process.argv.includes('--local') });
  } catch (err) {
    exitWithStartupFailure(err);
  }
  if (running.localUrl) process.stdout.write(`\nLadder local workspace: ${running.localUrl}\n\n`);
  let signalled = false;
  const shutdown = (signal: string) => {
    if (signalled) return;
    signalled = true;
    running.ctx.logger.info('shutting down', { signal });
    // Whatever happens, the process is gone within 5 s.
    setTimeout(() => process.exit(0), 4_500).unref();
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        running.ctx.logger.error('shutdown failed', { error: describeError(err) });
        process.exit(0);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => {
    running.ctx.logger.error('unhandled rejection', { error: describeError(reason) });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  void runFromCommandLine();
}
