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

describe('ladder purge and rotate-key: arguments and what they need', () => {
  it('purge wants a tenant id (exit 2), and without --yes only counts', async () => {
    expect((await cli(['purge'])).code).toBe(2);
    expect((await cli(['purge', '--team', 'T1; DROP TABLE x'])).stderr).toContain('--team must be');
    expect((await cli(['purge', '--team', 'T1', '--force'])).code).toBe(2);
    const counted = await cli(['purge', '--team', 'T0EMPTY']);
    expect(counted.code).toBe(0);
    expect(counted.stdout).toContain('Tenant T0EMPTY has 0 row(s)');
    expect(counted.stdout).toContain('installations: 0');
    expect(counted.stdout).toContain('Nothing deleted');
  });

  it('rotate-key needs LADDER_ENCRYPTION_KEY and never shows a key', async () => {
    const none = await cli(['rotate-key']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('LADDER_ENCRYPTION_KEY is missing');
    const key = Buffer.alloc(32, 4).toString('base64');
    const done = await cli(['rotate-key'], { LADDER_ENCRYPTION_KEY: key });
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('Re-encrypted 0 installation(s)');
    expect(done.stdout + done.stderr).not.toContain(key);
    expect((await cli(['help'])).stdout).toContain('rotate-key');
  });
});
