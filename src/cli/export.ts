import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { CLI_DEFAULT_PERIOD, renderExport } from '../app/export.ts';
import { importAccount } from '../app/import.ts';
import { loadBaseConfig } from '../config.ts';
import { openDatabaseFor } from '../db/database.ts';
import { createRepositories } from '../db/repositories.ts';
import { ImportConflictError } from '../db/user-data.ts';
import { EXPORT_FORMATS, type ExportFormat } from '../domain/command.ts';
import { type ExportData, parseExport } from '../domain/export/json.ts';
import { parsePeriod } from '../domain/period.ts';
import { type Owner, UserFacingError } from '../domain/types.ts';
import { loadLadder } from '../load-ladder.ts';
import { EXPORT_DESCRIPTION } from '../slack/blocks/export.ts';

export interface ExportCliIo {
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  now?: () => Date;
}

export const EXPORT_USAGE =
  'Usage: ladder export --team T --user U --format md|csv|json [--period P] [--out FILE]';
export const IMPORT_USAGE = 'Usage: ladder import FILE --team T --user U';

/** Slack ids as the export format accepts them (local-mode workspaces use `_` and `-`). */
const SLACK_ID = /^[A-Za-z0-9_-]{1,64}$/;

class CliUsage extends Error {}

function ownerFrom(values: { team?: string | undefined; user?: string | undefined }): Owner {
  for (const [flag, value] of [
    ['--team', values.team],
    ['--user', values.user],
  ] as const) {
    if (value === undefined || value === '') throw new CliUsage(`${flag} is required.`);
    if (!SLACK_ID.test(value))
      throw new CliUsage(`${flag} must be a Slack id such as T0123ABCD or U0123ABCD.`);
  }
  return { teamId: values.team as string, userId: values.user as string };
}

/** Writes the file readable by its owner only (it holds private career notes), replacing any. */
function writePrivateFile(file: string, bytes: Buffer): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'w', 0o600);
  } catch (err) {
    throw new UserFacingError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`);
  }
  try {
    // An existing file keeps its mode on open: tighten it before the data goes in.
    fs.fchmodSync(fd, 0o600);
    fs.writeSync(fd, bytes);
  } finally {
    fs.closeSync(fd);
  }
}

async function run(
  name: string,
  usage: string,
  io: ExportCliIo,
  body: () => Promise<number>,
): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof CliUsage || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`ladder ${name}: ${(err as Error).message}\n${usage}\n`);
      return 2;
    }
    if (err instanceof UserFacingError) {
      io.stderr(`ladder ${name}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

/**
 * `ladder export --team T --user U --format md|csv|json [--period P] [--out FILE]`: one user's
 * export to stdout, or to FILE created 0600. No Slack credentials needed. Default period: all.
 */
export function exportCommand(args: string[], io: ExportCliIo): Promise<number> {
  return run('export', EXPORT_USAGE, io, async () => {
    const { values } = parseArgs({
      args,
      options: {
        team: { type: 'string' },
        user: { type: 'string' },
        format: { type: 'string' },
        period: { type: 'string' },
        out: { type: 'string' },
      },
      allowPositionals: false,
    });
    const owner = ownerFrom(values);
    const raw = values.format?.toLowerCase();
    const format = raw === 'markdown' ? 'md' : raw;
    if (format === undefined || !(EXPORT_FORMATS as readonly string[]).includes(format)) {
      throw new CliUsage(`--format must be one of ${EXPORT_FORMATS.join(', ')}.`);
    }
    const period = parsePeriod(values.period, CLI_DEFAULT_PERIOD);
    if (period.kind === 'invalid') throw new CliUsage(`--period: ${period.message.replace(/`/g, '')}`);
    if (values.out === '') throw new CliUsage('--out needs a file name.');

    const config = loadBaseConfig(io.env);
    const ladder = loadLadder(config.ladderDataDir);
    const database = await openDatabaseFor(config);
    try {
      const repos = createRepositories(database);
      const rendered = await renderExport({ repos, ladder, now: io.now ?? (() => new Date()) }, owner, {
        format: format as ExportFormat,
        period,
        profile: await repos.profiles.getOrEmpty(owner),
        userName: owner.userId,
        withChart: false,
      });
      if (rendered.empty) {
        io.stderr(
          `ladder export: note: ${owner.userId} in ${owner.teamId} has ${format === 'json' ? 'no data' : 'no entries in the period'} in this database.\n`,
        );
      }
      if (values.out === undefined) {
        io.stdout(rendered.content.toString('utf8'));
      } else {
        writePrivateFile(values.out, rendered.content);
        io.stdout(
          `Wrote ${values.out}: ${EXPORT_DESCRIPTION[rendered.format]}, ${rendered.entries} entr${rendered.entries === 1 ? 'y' : 'ies'}, ${rendered.range.label}.\n`,
        );
      }
      return 0;
    } finally {
      await database.close();
    }
  });
}

/**
 * `ladder import FILE --team T --user U`: loads a JSON export into this database for that user
 * (new ids, re-keyed to T and U), in one transaction, into an account with no data yet.
 */
export function importCommand(args: string[], io: ExportCliIo): Promise<number> {
  return run('import', IMPORT_USAGE, io, async () => {
    const { values, positionals } = parseArgs({
      args,
      options: { team: { type: 'string' }, user: { type: 'string' } },
      allowPositionals: true,
    });
    if (positionals.length !== 1 || !positionals[0]) throw new CliUsage('name one FILE to import.');
    const owner = ownerFrom(values);
    const file = positionals[0];
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new UserFacingError(
        `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`,
      );
    }
    // The file is checked before the database is touched: a bad file changes nothing.
    const data: ExportData = parseExport(text);

    const config = loadBaseConfig(io.env);
    const database = await openDatabaseFor(config);
    try {
      const repos = createRepositories(database);
      let result: Awaited<ReturnType<typeof importAccount>>;
      try {
        result = await importAccount({ repos, now: io.now ?? (() => new Date()) }, owner, data);
      } catch (err) {
        if (!(err instanceof ImportConflictError)) throw err;
        throw new UserFacingError(
          `${owner.userId} in ${owner.teamId} already has data in this database (${err.rows} row(s)); ` +
            'an import only goes into an account with none. Nothing was imported.',
        );
      }
      io.stdout(
        `Imported for ${owner.userId} in ${owner.teamId}: ${result.entries} entries, ${data.reflections.length} reflections, ` +
          `${result.ledger} nudge weeks, ${result.history} prompts sent, ${result.files} uploaded file ids.\n`,
      );
      for (const note of result.notes) io.stdout(`Note: ${note}\n`);
      return 0;
    } finally {
      await database.close();
    }
  });
}
