import { pathToFileURL } from 'node:url';
import { type Config, ConfigError, loadConfig } from './config.ts';
import type { AppContext, Health } from './context.ts';
import { type Db, isDatabaseHealthy, openDatabase } from './db/connection.ts';
import { MigrationError, migrate } from './db/migrate.ts';
import { createRepositories } from './db/repositories.ts';
import { LadderDataError, loadLadder } from './ladder/load-ladder.ts';
import { createLogger, describeError, type Logger } from './log.ts';
import { type RunningSlackApp, type SlackConnection, startSlackApp } from './slack/app.ts';

export interface StartOptions {
  env: NodeJS.ProcessEnv;
  forceLocal?: boolean;
  now?: () => Date;
  /** Where log lines go (tests capture them); default stdout. */
  writeLog?: (line: string) => void;
}

export interface RunningLadder {
  config: Config;
  /** Port of the HTTP server: Slack requests (HTTP mode) and /healthz. */
  port: number;
  ctx: AppContext;
  stop(): Promise<void>;
}

/** Errors whose message is the whole story for the operator: printed without a stack trace. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

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
  if (config.slack.mode === 'local') {
    throw new StartupError(
      'No Slack credentials found. Set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP mode), or ' +
        'SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode). See README.md, "Creating the Slack app".',
    );
  }
  const ladder = loadLadder(config.ladderDataDir);
  const db = openAndMigrate(config.databasePath, logger);
  const now = opts.now ?? (() => new Date());
  const ctx: AppContext = {
    config,
    db,
    repos: createRepositories(db),
    ladder,
    logger,
    now,
    health: (): Health => {
      const database = isDatabaseHealthy(db);
      return { ok: database, database, scheduler: 'not-started' };
    },
  };
  const connection: SlackConnection =
    config.slack.mode === 'socket'
      ? { mode: 'socket', botToken: config.slack.botToken, appToken: config.slack.appToken }
      : { mode: 'http', botToken: config.slack.botToken, signingSecret: config.slack.signingSecret };

  let slack: RunningSlackApp;
  try {
    slack = await startSlackApp(ctx, connection, { port: config.port });
  } catch (err) {
    db.close();
    throw err;
  }
  logger.info('ladder started', { mode: config.slack.mode, port: slack.port });

  let stopping: Promise<void> | undefined;
  return {
    config,
    port: slack.port,
    ctx,
    stop() {
      stopping ??= (async () => {
        await slack.stop(3_000);
        if (db.open) db.close();
        logger.info('ladder stopped');
      })();
      return stopping;
    },
  };
}

export function openAndMigrate(file: string, logger: Logger): Db {
  const db = openDatabase(file);
  try {
    const result = migrate(db);
    if (result.applied.length > 0) logger.info('migrations applied', { applied: result.applied });
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

function collectSecrets(config: Config): string[] {
  const s = config.slack;
  if (s.mode === 'http') return [s.botToken, s.signingSecret];
  if (s.mode === 'socket') return [s.botToken, s.appToken, ...(s.signingSecret ? [s.signingSecret] : [])];
  return [];
}

/** Prints a startup failure the operator can act on, and exits 1. */
export function exitWithStartupFailure(err: unknown): never {
  if (err instanceof ConfigError || err instanceof StartupError || err instanceof MigrationError) {
    process.stderr.write(`ladder: ${err.message}\n`);
  } else if (err instanceof LadderDataError) {
    process.stderr.write(`ladder: invalid ladder data in LADDER_DATA_DIR: ${err.message}\n`);
  } else {
    process.stderr.write(`ladder: failed to start: ${JSON.stringify(describeError(err))}\n`);
  }
  process.exit(1);
}

async function runFromCommandLine(): Promise<void> {
  let running: RunningLadder;
  try {
    running = await startLadder({ env: process.env, forceLocal: process.argv.includes('--local') });
  } catch (err) {
    exitWithStartupFailure(err);
  }
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
