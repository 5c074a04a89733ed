import { parseArgs } from 'node:util';
import { WebClient } from '@slack/web-api';
import { ConfigError, type LogLevel, loadBaseConfig, loadEncryptionKeys } from '../config.ts';
import { createAppContext } from '../context.ts';
import { openDatabaseFor } from '../db/database.ts';
import { formatRunLine } from '../domain/nudge-report.ts';
import { loadLadder } from '../load-ladder.ts';
import { createLogger } from '../log.ts';
import type { DeliveryHooks } from '../scheduler/deliver-nudge.ts';
import type { DigestRunOptions } from '../scheduler/digest-run.ts';
import { newLeaseOwner, runNudgesOnce } from '../scheduler/nudge-run.ts';
import { createNudgeSender } from '../scheduler/nudge-sender.ts';
import { bulkClientOptions } from '../scheduler/scheduler.ts';
import { routedDigestDm, routedNudgeDm, sameClient, teamClients } from '../scheduler/team-clients.ts';
import { createDigestDm, createNudgeDm } from '../slack/dm.ts';
import { installationTokens } from '../slack/installation-store.ts';

export interface NudgesCliIo {
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  now?: () => Date;
}

const USAGE = 'Usage: ladder nudges run [--at ISO-8601-instant] [--dry-run]';
/** An instant, with its offset: 2027-01-08T21:00:00Z, 2027-01-08T16:00-05:00. */
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/i;

/** The instant, or null when the text is not one (JavaScript's Date would take Feb 30 as Mar 2). */
function parseInstant(text: string): Date | null {
  const m = INSTANT.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second, offH, offM] = m.slice(1).map((v) => Number(v ?? 0));
  const daysInMonth = new Date(Date.UTC(year ?? 0, month ?? 0, 0)).getUTCDate();
  const fits =
    (month ?? 0) >= 1 &&
    (month ?? 0) <= 12 &&
    (day ?? 0) >= 1 &&
    (day ?? 0) <= daysInMonth &&
    (hour ?? 0) <= 23 &&
    (minute ?? 0) <= 59 &&
    (second ?? 0) <= 59 &&
    (offH ?? 0) <= 14 &&
    (offM ?? 0) <= 59;
  const at = new Date(text);
  return fits && !Number.isNaN(at.getTime()) ? at : null;
}

/**
 * Test-only: `LADDER_TEST_CRASH_AT=after-claim|after-post` kills the process (SIGKILL, no cleanup)
 * right after the claim commits, or after Slack accepted a message and before the ledger says so;
 * `digest-after-claim|digest-after-post` do the same for the monthly digest.
 */
function crashHooks(env: NodeJS.ProcessEnv): {
  afterClaim?: () => void;
  hooks?: DeliveryHooks;
  digest?: Pick<DigestRunOptions, 'afterClaim' | 'afterPost'>;
} {
  const kill = () => process.kill(process.pid, 'SIGKILL');
  switch (env.LADDER_TEST_CRASH_AT) {
    case 'after-claim':
      return { afterClaim: kill };
    case 'after-post':
      return {
        hooks: {
          afterPost: () => {
            kill();
          },
        },
      };
    case 'digest-after-claim':
      return { digest: { afterClaim: kill } };
    case 'digest-after-post':
      return { digest: { afterPost: kill } };
    default:
      return {};
  }
}

/**
 * `ladder nudges run [--at ISO] [--dry-run]`: one due-check at that instant, sending through
 * SLACK_API_URL with SLACK_BOT_TOKEN, one line per person on stdout. Safe next to a running app:
 * claims in the database decide who sends. Exit 0, 1 when a nudge failed (or setup did), 2 on
 * bad arguments.
 */
export async function nudgesCommand(args: string[], io: NudgesCliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'run') {
    io.stderr(`ladder nudges: ${sub ? `unknown subcommand "${sub}"` : 'missing subcommand'}.\n${USAGE}\n`);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: { at: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
    allowPositionals: false,
  });
  let at: Date | undefined;
  if (values.at !== undefined) {
    at = parseInstant(values.at) ?? undefined;
    if (!at) {
      io.stderr(
        `ladder nudges: --at must be an ISO-8601 instant with its offset, e.g. 2027-01-08T21:00:00Z.\n${USAGE}\n`,
      );
      return 2;
    }
  }
  const dryRun = values['dry-run'] ?? false;
  const config = loadBaseConfig(io.env);
  const token = io.env.SLACK_BOT_TOKEN?.trim();
  // Distribution mode: each workspace's own token, from its (encrypted) installation.
  const distribution = !token && Boolean(io.env.SLACK_CLIENT_ID?.trim());
  const keys = distribution ? loadEncryptionKeys(io.env) : undefined;
  if (!dryRun && !token && !distribution) {
    throw new ConfigError(
      'SLACK_BOT_TOKEN is required to send nudges (xoxb-…), or in distribution mode SLACK_CLIENT_ID and LADDER_ENCRYPTION_KEY; --dry-run needs none.',
    );
  }
  // stdout carries the report; stderr only warnings and errors.
  const level: LogLevel = config.logLevel === 'error' ? 'error' : 'warn';
  const logger = createLogger({
    level,
    secrets: token ? [token] : [],
    write: (line) => io.stderr(`${line}\n`),
  });
  const ladder = loadLadder(config.ladderDataDir);
  const database = await openDatabaseFor(config);
  try {
    const fixed = at;
    const now = fixed ? () => fixed : io.now;
    const ctx = createAppContext({ config, db: database, ladder, logger, keys, ...(now ? { now } : {}) });
    const crash = crashHooks(io.env);
    const options = bulkClientOptions(config.slackApiUrl, logger);
    const clients = distribution
      ? teamClients(installationTokens(ctx), options)
      : sameClient(new WebClient(token ?? '', options));
    const leaseOwner = newLeaseOwner('cli');
    const sender = createNudgeSender({
      ctx,
      dm: routedNudgeDm((client) => createNudgeDm(ctx, client), clients),
      ratePerMinute: config.nudgeSendRate,
      // A workspace whose lease another instance holds gets `due … sender-elsewhere` lines.
      leases: { repo: ctx.repos.sendLeases, owner: leaseOwner },
      ...(crash.hooks ? { hooks: crash.hooks } : {}),
    });
    try {
      const result = await runNudgesOnce(ctx, sender, ctx.now(), {
        dryRun,
        leaseOwner,
        ...(crash.afterClaim ? { afterClaim: crash.afterClaim } : {}),
        digests: {
          dm: routedDigestDm((client) => createDigestDm(ctx, client), clients),
          paceMs: 60_000 / config.nudgeSendRate,
          ...crash.digest,
        },
      });
      io.stdout(result.lines.map((line) => `${formatRunLine(line)}\n`).join(''));
      return result.lines.some((line) => line.status === 'failed') ? 1 : 0;
    } finally {
      await sender.stop();
    }
  } finally {
    await database.close();
  }
}
