import { createSignedSender, type SignedSender } from '../src/local/signed-sender.ts';
import type { LocalSlackApi } from '../src/local/slack-api.ts';
import { COMMAND } from '../src/slack/ids.ts';
import { type ChildApp, spawnBuilt, spawnLadder } from '../tests/helpers/child.ts';
import { SIGNING_SECRET, TEAM } from '../tests/helpers/harness.ts';

/** An app (or bare Bolt) in a child process, reached over signed HTTP. */
export interface ServedApp {
  pid: number;
  sender: SignedSender;
  /** Its log (JSON lines, no user data) so far. */
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts `script` (the bundle `dist/…` with node, else the sources through the loader) with `env`,
 * waits for its "ladder started" line and returns a signed sender to its port; stopped on a failed start.
 */
export async function startServed(
  script: string,
  env: NodeJS.ProcessEnv,
  api: LocalSlackApi,
): Promise<ServedApp> {
  const child: ChildApp = script.startsWith('dist/') ? spawnBuilt(env, script) : spawnLadder(env, script);
  const stop = async () => {
    child.proc.kill('SIGTERM');
    await child.exited;
  };
  const started = await child.waitForLog('ladder started', 30_000).catch(async (err: Error) => {
    await stop();
    throw err;
  });
  const sender = createSignedSender({
    appUrl: `http://127.0.0.1:${started.port}/slack/events`,
    signingSecret: SIGNING_SECRET,
    api,
    command: COMMAND,
    teamId: TEAM,
  });
  return { pid: child.proc.pid as number, sender, output: child.output, stop };
}
