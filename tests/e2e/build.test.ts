import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedSender } from '../../src/local/signed-sender.ts';
import { startLocalSlackApi } from '../../src/local/slack-api.ts';
import { COMMAND } from '../../src/slack/ids.ts';
import { type ChildApp, spawnBuilt } from '../helpers/child.ts';
import { BOT_TOKEN, manifestScopes, SIGNING_SECRET, TEAM, USERS } from '../helpers/harness.ts';
import { tempDir } from '../helpers/tmp.ts';

/**
 * The compiled start: `npm run build` bundles the app and the CLI into dist/, and plain node runs
 * them exactly as `npm start` does, finding migrations, ladder-data and the local page from there.
 */
const root = path.resolve(import.meta.dirname, '../..');
const dist = (file: string) => path.join(root, 'dist', file);

function runNode(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, args, {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function stop(child: ChildApp): Promise<void> {
  child.proc.kill('SIGTERM');
  const exit = await child.exited;
  expect(exit.code).toBe(0);
}

beforeAll(() => {
  const built = runNode(['scripts/build.mjs']);
  expect(built.stderr).toContain('built dist/');
  expect(built.code).toBe(0);
}, 120_000);

describe('npm run build', () => {
  it('writes ES module bundles with source maps for the app and the CLI, and keeps native packages out', () => {
    for (const file of ['main.js', 'main.js.map', 'cli.js', 'cli.js.map'])
      expect(fs.existsSync(dist(file))).toBe(true);
    const main = fs.readFileSync(dist('main.js'), 'utf8');
    expect(main).toMatch(/from ["']better-sqlite3["']/);
    expect(main).not.toContain('src/db/migrate.ts"'); // bundled, not imported from the sources
    expect(main).toContain('//# sourceMappingURL=main.js.map');
  });

  it('does not rebuild a fresh dist/, and rebuilds once a source is newer', () => {
    const before = fs.statSync(dist('main.js')).mtimeMs;
    const again = runNode(['scripts/build.mjs', '--if-stale']);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
    expect(fs.statSync(dist('main.js')).mtimeMs).toBe(before);

    const source = path.join(root, 'src', 'paths.ts');
    const original = fs.statSync(source);
    try {
      const later = new Date(before + 5_000);
      fs.utimesSync(source, later, later);
      const rebuilt = runNode(['scripts/build.mjs', '--if-stale']);
      expect(rebuilt.code).toBe(0);
      expect(rebuilt.stderr).toContain('built dist/');
    } finally {
      fs.utimesSync(source, original.atime, original.mtime);
    }
  }, 120_000);

  it('the built CLI validates the ladder and prints the manifest', () => {
    const validate = runNode(['bin/ladder.js', 'validate-ladder']);
    expect(validate.code).toBe(0);
    const manifest = runNode(['dist/cli.js', 'manifest']);
    expect(manifest.code).toBe(0);
    expect(manifest.stdout).toContain('/ladder');
    const bad = runNode(['dist/cli.js', 'no-such-command']);
    expect(bad.code).toBe(2);
  });
});

describe('node dist/main.js', () => {
  let api: Awaited<ReturnType<typeof startLocalSlackApi>>;
  afterAll(async () => {
    await api?.close();
  });

  it('in HTTP mode: migrates a new database, answers /healthz and a signed /ladder lead', async () => {
    api = await startLocalSlackApi({ botToken: BOT_TOKEN, scopes: manifestScopes(), users: USERS });
    const child = spawnBuilt({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: api.url,
      PORT: '0',
      DATABASE_PATH: path.join(tempDir(), 'built.db'),
    });
    try {
      const started = await child.waitForLog('ladder started');
      const health = await fetch(`http://127.0.0.1:${started.port}/healthz`);
      expect(health.status).toBe(200);
      const sender = createSignedSender({
        appUrl: `http://127.0.0.1:${started.port}/slack/events`,
        signingSecret: SIGNING_SECRET,
        api,
        command: COMMAND,
        teamId: TEAM,
      });
      const res = await sender.command({ userId: USERS[0]?.id ?? '', text: 'lead' });
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.json)).toContain('Lead TPM');
      await stop(child);
    } finally {
      child.proc.kill('SIGKILL');
    }
  });

  it('in local mode: serves the page and its scripts, and answers /ladder lead on the page', async () => {
    const child = spawnBuilt({ PORT: '0', DATABASE_PATH: path.join(tempDir(), 'local.db') }, 'dist/main.js', [
      '--local',
    ]);
    try {
      const base = await waitForLocalUrl(child);
      const page = await fetch(base);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<script type="module" src="/app.js"></script>');
      for (const [file, type] of [
        ['app.js', 'text/javascript'],
        ['render.js', 'text/javascript'],
        ['style.css', 'text/css'],
      ] as const) {
        const res = await fetch(`${base}${file}`);
        expect(res.status, file).toBe(200);
        expect(res.headers.get('content-type')).toContain(type);
        expect((await res.text()).length).toBeGreaterThan(100);
      }
      expect((await fetch(`${base}healthz`)).status).toBe(200);

      const act = await fetch(`${base}act/command`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'U0DEMO1', channel: 'C0GENERAL', text: '/ladder lead' }),
      });
      expect(await act.json()).toEqual({ ok: true });
      const deadline = Date.now() + 10_000;
      let reply = '';
      while (!reply.includes('Lead TPM') && Date.now() < deadline) {
        reply = JSON.stringify(await (await fetch(`${base}state?user=U0DEMO1`)).json());
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(reply).toContain('Lead TPM');
      await stop(child);
    } finally {
      child.proc.kill('SIGKILL');
    }
  });
});

async function waitForLocalUrl(child: ChildApp): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const match = /Ladder local workspace: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(child.output());
    if (match?.[1]) return match[1];
    if (Date.now() > deadline) throw new Error(`no local workspace URL:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
