import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadBaseConfig } from '../config.ts';
import { openDatabaseFor } from '../db/database.ts';
import { MigrationError } from '../db/migrate.ts';
import { DatabaseConnectError } from '../db/postgres.ts';
import { formatProblem } from '../domain/ladder/model.ts';
import { readLadderDir } from '../load-ladder.ts';
import { describeError } from '../log.ts';
import { manifestYaml } from '../slack/manifest.ts';
import { backupCommand } from './backup.ts';
import { exportCommand, importCommand } from './export.ts';
import { nudgesCommand } from './nudges.ts';
import { purgeCommand, rotateKeyCommand } from './tenants.ts';

/**
 * The operator CLI: `npm run --silent cli -- <command>` or the `ladder` bin.
 * Exit codes: 0 success, 1 something failed, 2 bad arguments. Errors go to stderr.
 */

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  now?: () => Date;
}

export class UsageError extends Error {}

type Command = (args: string[], io: CliIo) => Promise<number> | number;

const USAGE = `Usage: ladder <command> [options]

Commands:
  migrate                         apply pending database migrations
  validate-ladder                 check the ladder files (LADDER_DATA_DIR)
  manifest [--url https://HOST]   print the Slack app manifest (Socket Mode; HTTP mode with --url)
  nudges run [--at ISO] [--dry-run]
                                  one weekly-nudge due-check at that instant (default now)
  backup FILE [--force]           an online, consistent, owner-only copy of the database
                                  (SQLite; on PostgreSQL it prints the pg_dump command to use)
  export --team T --user U --format md|csv|json [--period P] [--out FILE]
                                  one user's export to stdout or FILE (0600); default period all
  import FILE --team T --user U   load a JSON export into an account with no data yet
  purge --team T [--yes]          count (with --yes: delete) every row of a tenant, its tokens too
  rotate-key                      re-encrypt stored Slack tokens under LADDER_ENCRYPTION_KEY
                                  (LADDER_ENCRYPTION_KEY_PREVIOUS still decrypts during it)
  help                            this text

Environment: DATABASE_PATH or DATABASE_URL, LADDER_DATA_DIR, LOG_LEVEL, … (see README.md).`;

const commands: Record<string, Command> = {
  nudges: (args, io) => nudgesCommand(args, io),

  backup: (args, io) => backupCommand(args, io),

  export: (args, io) => exportCommand(args, io),

  import: (args, io) => importCommand(args, io),

  purge: (args, io) => purgeCommand(args, io),

  'rotate-key': (args, io) => rotateKeyCommand(args, io),

  help: (_args, io) => {
    io.stdout(`${USAGE}\n`);
    return 0;
  },

  migrate: async (args, io) => {
    parseArgs({ args, options: {}, allowPositionals: false });
    const config = loadBaseConfig(io.env);
    const database = await openDatabaseFor(config, {
      onMigrated: (result) =>
        io.stdout(
          result.applied.length > 0
            ? `Applied ${result.applied.length} migration(s): ${result.applied.join(', ')}\n`
            : `Database is up to date (${result.alreadyApplied} migration(s) applied).\n`,
        ),
    });
    await database.close();
    return 0;
  },

  'validate-ladder': (args, io) => {
    parseArgs({ args, options: {}, allowPositionals: false });
    const config = loadBaseConfig(io.env);
    const result = readLadderDir(config.ladderDataDir);
    if (!result.ok) {
      io.stderr(
        `Ladder data in ${config.ladderDataDir} is invalid:\n${result.problems.map((p) => `- ${formatProblem(p)}`).join('\n')}\n`,
      );
      return 1;
    }
    const l = result.ladder;
    io.stdout(
      `Ladder data in ${config.ladderDataDir} is valid: ${l.axes.length} axes, ${l.tracks.reduce((n, t) => n + t.positions.length, 0)} positions, ` +
        `${l.roleFamilies.reduce((n, f) => n + f.roles.length, 0)} roles, ${l.aliases.length} aliases, ${l.prompts.length} prompts.\n`,
    );
    return 0;
  },

  manifest: (args, io) => {
    const { values } = parseArgs({ args, options: { url: { type: 'string' } }, allowPositionals: false });
    if (values.url !== undefined && !/^https:\/\/[^\s/]+(\/[^\s]*)?$/.test(values.url)) {
      throw new UsageError(
        '--url must be the public https:// base URL of the app, e.g. https://ladder.example.com',
      );
    }
    io.stdout(manifestYaml(values.url ? { url: values.url } : {}));
    return 0;
  },
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    io.stdout(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`ladder: unknown command "${name}".\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`ladder ${name}: ${(err as Error).message}\n`);
      return 2;
    }
    if (
      err instanceof ConfigError ||
      err instanceof MigrationError ||
      err instanceof DatabaseConnectError ||
      (err as Error).name === 'LadderDataError'
    ) {
      io.stderr(`ladder ${name}: ${(err as Error).message}\n`);
      return 1;
    }
    io.stderr(`ladder ${name}: failed: ${JSON.stringify(describeError(err))}\n`);
    return 1;
  }
}

export async function cliMain(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2), {
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await cliMain();
}
