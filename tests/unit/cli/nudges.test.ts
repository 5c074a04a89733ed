import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/index.ts';
import { tempDir } from '../../helpers/tmp.ts';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    env: { DATABASE_PATH: path.join(tempDir(), 'cli.db'), ...env },
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
  });
  return { code, stdout, stderr };
}

describe('ladder nudges run: arguments and what it needs', () => {
  it('exit 2 on a missing subcommand, an unknown option or an --at without its offset', async () => {
    expect((await cli(['nudges'])).code).toBe(2);
    expect((await cli(['nudges', 'send'])).code).toBe(2);
    expect((await cli(['nudges', 'run', '--when', 'now'])).code).toBe(2);
    const local = await cli(['nudges', 'run', '--at', '2027-01-08T16:00', '--dry-run']);
    expect(local.code).toBe(2);
    expect(local.stderr).toContain('--at must be an ISO-8601 instant with its offset');
    expect((await cli(['nudges', 'run', '--at', '2027-02-30T16:00:00Z', '--dry-run'])).code).toBe(2);
  });

  it('sending needs SLACK_BOT_TOKEN (exit 1, naming it); --dry-run needs no Slack credentials', async () => {
    const send = await cli(['nudges', 'run', '--at', '2027-01-08T21:00:00Z']);
    expect(send.code).toBe(1);
    expect(send.stderr).toContain('SLACK_BOT_TOKEN');
    const dry = await cli(['nudges', 'run', '--at', '2027-01-08T21:00:00Z', '--dry-run']);
    expect(dry).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('an invalid NUDGE_SEND_RATE is named (exit 1)', async () => {
    const bad = await cli(['nudges', 'run', '--dry-run'], { NUDGE_SEND_RATE: 'fast' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('NUDGE_SEND_RATE');
  });
});
