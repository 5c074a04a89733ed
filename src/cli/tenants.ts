import { parseArgs } from 'node:util';
import { loadBaseConfig, loadEncryptionKeys } from '../config.ts';
import { openDatabaseFor } from '../db/database.ts';
import { createRepositories } from '../db/repositories.ts';
import type { TenantCounts } from '../db/tenant-purge.ts';
import { TokenKeyError } from '../db/token-cipher.ts';

/** Distribution mode's operator commands: `purge --team T [--yes]` and `rotate-key`. */

export interface TenantCliIo {
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  now?: () => Date;
}

export const PURGE_USAGE = 'Usage: ladder purge --team T [--yes]';
const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;

function countLines(counts: TenantCounts): string {
  return Object.entries(counts)
    .map(([table, n]) => `  ${table}: ${n}\n`)
    .join('');
}

/**
 * Every row of one tenant (team id, or enterprise id of an org-wide install) in every table:
 * its people's data, its workspace status, its installation and tokens. Without --yes it only
 * counts. Exit 2 on bad arguments.
 */
export async function purgeCommand(args: string[], io: TenantCliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { team: { type: 'string' }, yes: { type: 'boolean' } },
    allowPositionals: false,
  });
  if (!values.team || !TENANT_ID.test(values.team)) {
    io.stderr(
      `ladder purge: --team must be a Slack team or enterprise id, e.g. T0123ABCD.\n${PURGE_USAGE}\n`,
    );
    return 2;
  }
  const database = await openDatabaseFor(loadBaseConfig(io.env));
  try {
    const { tenants } = createRepositories(database);
    const counts = await tenants.count(values.team);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    if (!values.yes) {
      io.stdout(
        `Tenant ${values.team} has ${total} row(s):\n${countLines(counts)}Nothing deleted; run again with --yes to delete them.\n`,
      );
      return 0;
    }
    const deleted = await tenants.purge(values.team);
    const n = Object.values(deleted).reduce((a, b) => a + b, 0);
    io.stdout(`Deleted ${n} row(s) of tenant ${values.team}:\n${countLines(deleted)}`);
    return 0;
  } finally {
    await database.close();
  }
}

/**
 * Re-encrypts every stored installation under LADDER_ENCRYPTION_KEY; rows still under
 * LADDER_ENCRYPTION_KEY_PREVIOUS are read with it. Safe while instances run (each row is only
 * rewritten if unchanged since read). After it, the previous key can be removed.
 */
export async function rotateKeyCommand(args: string[], io: TenantCliIo): Promise<number> {
  parseArgs({ args, options: {}, allowPositionals: false });
  const keys = loadEncryptionKeys(io.env);
  const database = await openDatabaseFor(loadBaseConfig(io.env));
  try {
    const { installations } = createRepositories(database, { keys });
    const result = await installations.reencryptAll((io.now ?? (() => new Date()))());
    io.stdout(
      `Re-encrypted ${result.rewritten} installation(s) under the current key; ${result.alreadyCurrent} already were.\n` +
        'LADDER_ENCRYPTION_KEY_PREVIOUS can now be removed from every instance.\n',
    );
    return 0;
  } catch (err) {
    if (!(err instanceof TokenKeyError)) throw err;
    io.stderr(
      `ladder rotate-key: ${err.message}. Set the key it was encrypted with as LADDER_ENCRYPTION_KEY_PREVIOUS.\n`,
    );
    return 1;
  } finally {
    await database.close();
  }
}
