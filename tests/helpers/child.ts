import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface ChildApp {
  proc: ChildProcess;
  output: () => string;
  /** Resolves with the parsed log line whose msg matches. */
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** Runs `src/main.ts` (or the CLI) from the sources in a child process, through tsx as `npm run dev` does. */
export function spawnLadder(env: NodeJS.ProcessEnv, script = 'src/main.ts', args: string[] = []): ChildApp {
  return spawnNode(env, ['--import', 'tsx', script, ...args]);
}

/** Runs a built bundle (`dist/main.js`, `dist/cli.js`) with plain node, as `npm start` does. */
export function spawnBuilt(env: NodeJS.ProcessEnv, script = 'dist/main.js', args: string[] = []): ChildApp {
  return spawnNode(env, [script, ...args]);
}

function spawnNode(env: NodeJS.ProcessEnv, argv: string[]): ChildApp {
  const proc = spawn(process.execPath, argv, {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters: Array<() => void> = [];
  const onData = (d: Buffer) => {
    out += d.toString('utf8');
    for (const w of waiters.splice(0)) w();
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return {
    proc,
    output: () => out,
    exited,
    waitForLog(msg, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no "${msg}" log line within ${timeoutMs} ms:\n${out}`)),
          timeoutMs,
        );
        const check = () => {
          for (const line of out.split('\n')) {
            try {
              const rec = JSON.parse(line) as Record<string, unknown>;
              if (rec.msg === msg) {
                clearTimeout(timer);
                return resolve(rec);
              }
            } catch {
              // not a log line
            }
          }
          waiters.push(check);
        };
        check();
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`process exited before "${msg}":\n${out}`));
        });
      });
    },
  };
}
