import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedSender, createSocketModeSender } from '../../src/local/signed-sender.ts';
import { startLocalSlackApi } from '../../src/local/slack-api.ts';
import { startLadder } from '../../src/main.ts';
import { COMMAND } from '../../src/slack/ids.ts';
import { spawnLadder } from '../helpers/child.ts';
import {
  APP_TOKEN,
  BOT_TOKEN,
  type Harness,
  manifestScopes,
  SIGNING_SECRET,
  startHarness,
  TEAM,
  USERS,
} from '../helpers/harness.ts';
import { tempDir } from '../helpers/tmp.ts';

const alice = USERS[0]?.id ?? '';

function ackText(json: unknown): string {
  const j = json as { text?: string; blocks?: unknown[] };
  return `${j.text ?? ''}\n${JSON.stringify(j.blocks ?? [])}`;
}

describe('HTTP mode, end to end', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers a signed /ladder help with what the bot does', async () => {
    const res = await h.sender.command({ userId: alice, text: 'help' });
    expect(res.status).toBe(200);
    const text = ackText(res.json);
    expect(text).toContain('Ladder');
    expect(text).toContain('/ladder levels');
    expect(text).toContain('/ladder compare');
    expect((res.json as { response_type?: string }).response_type).toBe('ephemeral');
  });

  it('refuses a forged signature with 401 and makes no Slack call', async () => {
    const before = h.api.calls.length;
    const body = new URLSearchParams({
      command: '/ladder',
      text: 'help',
      user_id: alice,
      team_id: TEAM,
    }).toString();
    const res = await h.sender.raw({
      body,
      contentType: 'application/x-www-form-urlencoded',
      signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000',
    });
    expect(res.status).toBe(401);
    const missing = await h.sender.raw({
      body,
      contentType: 'application/x-www-form-urlencoded',
      signature: null,
    });
    expect(missing.status).toBe(401);
    expect(h.api.calls.length).toBe(before);
  });

  it('refuses a correctly signed but 6-minute-old request with 401 and makes no Slack call', async () => {
    const before = h.api.calls.length;
    const body = new URLSearchParams({
      command: '/ladder',
      text: 'help',
      user_id: alice,
      team_id: TEAM,
    }).toString();
    const res = await h.sender.raw({
      body,
      contentType: 'application/x-www-form-urlencoded',
      timestampSec: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(res.status).toBe(401);
    expect(h.api.calls.length).toBe(before);
  });

  it('answers /healthz with 200 while the database is open', async () => {
    const res = await fetch(`http://127.0.0.1:${h.app.port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, database: true });
  });
});

describe('Socket Mode, end to end', () => {
  it('answers /ladder help through a slash_commands envelope, and /healthz', async () => {
    const api = await startLocalSlackApi({
      botToken: BOT_TOKEN,
      appToken: APP_TOKEN,
      scopes: manifestScopes(),
      users: USERS,
    });
    const app = await startLadder({
      env: {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_APP_TOKEN: APP_TOKEN,
        SLACK_API_URL: api.url,
        PORT: '0',
        DATABASE_PATH: path.join(tempDir(), 'socket.db'),
      },
      writeLog: () => {},
    });
    try {
      await api.socket.connected;
      const sender = createSocketModeSender({ api, command: COMMAND });
      const res = await sender.command({ userId: alice, text: 'help' });
      expect(res.status).toBe(200);
      expect(ackText(res.json)).toContain('/ladder levels');
      const health = await fetch(`http://127.0.0.1:${app.port}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      await app.stop();
      await api.close();
    }
  });
});

describe('Socket Mode envelopes Slack would never send', () => {
  it('are acknowledged and dropped with one warning, as the HTTP gate refuses them; the app keeps answering', async () => {
    const api = await startLocalSlackApi({
      botToken: BOT_TOKEN,
      appToken: APP_TOKEN,
      scopes: manifestScopes(),
      users: USERS,
    });
    const logs: string[] = [];
    const app = await startLadder({
      env: {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_APP_TOKEN: APP_TOKEN,
        SLACK_API_URL: api.url,
        PORT: '0',
        DATABASE_PATH: path.join(tempDir(), 'socket-gate.db'),
      },
      writeLog: (line) => logs.push(line),
    });
    try {
      await api.socket.connected;
      const bad: Array<[Parameters<typeof api.socket.sendEnvelope>[0], unknown]> = [
        ['slash_commands', { command: '/ladder', text: 'log x', user_id: alice, team_id: 'constructor' }],
        ['slash_commands', { command: '/not-ours', text: 'help', user_id: alice, team_id: 'T0LOCAL' }],
        ['interactive', { type: 'block_actions', team: { id: 'T0LOCAL' }, actions: [] }],
        ['interactive', null],
        ['events_api', { type: 'event_callback', team_id: '__proto__', event: { type: 'app_home_opened' } }],
      ];
      for (const [type, payload] of bad) {
        await expect(api.socket.sendEnvelope(type, payload)).resolves.toEqual({});
      }
      const warnings = logs.filter((l) => l.includes('refused a Socket Mode envelope'));
      expect(warnings).toHaveLength(bad.length);
      expect(logs.filter((l) => l.includes('"level":"error"'))).toEqual([]);
      const sender = createSocketModeSender({ api, command: COMMAND });
      const res = await sender.command({ userId: alice, text: 'help' });
      expect(ackText(res.json)).toContain('/ladder levels');
    } finally {
      await app.stop();
      await api.close();
    }
  });
});

describe('the process', () => {
  it('exits 0 within 5 s of SIGTERM, with the database closed', async () => {
    const api = await startLocalSlackApi({ botToken: BOT_TOKEN, scopes: manifestScopes(), users: USERS });
    const dbPath = path.join(tempDir(), 'sigterm.db');
    const child = spawnLadder({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: api.url,
      PORT: '0',
      DATABASE_PATH: dbPath,
    });
    try {
      const started = await child.waitForLog('ladder started');
      const health = await fetch(`http://127.0.0.1:${started.port}/healthz`);
      expect(health.status).toBe(200);
      expect(fs.existsSync(`${dbPath}-wal`)).toBe(true);
      const sentAt = Date.now();
      child.proc.kill('SIGTERM');
      const exit = await child.exited;
      expect(exit.code).toBe(0);
      expect(exit.at - sentAt).toBeLessThan(5_000);
      // SQLite removes the WAL file when the last connection closes cleanly.
      expect(fs.existsSync(`${dbPath}-wal`)).toBe(false);
      expect(child.output()).toContain('"msg":"ladder stopped"');
    } finally {
      child.proc.kill('SIGKILL');
      await api.close();
    }
  });

  it('logs no token, secret or user text, even at LOG_LEVEL=debug', async () => {
    const h = await startHarness({ logLevel: 'debug' });
    const secretText = 'Quietly-Private-Win-7f3a';
    try {
      await h.sender.command({ userId: alice, text: `log ${secretText} #people` });
      await h.sender.command({ userId: alice, text: 'lead' });
      await h.sender.command({ userId: alice, text: `no-such-level-${secretText}` });
      await h.sender.raw({
        body: 'text=forged',
        contentType: 'application/x-www-form-urlencoded',
        signature: 'v0=bad',
      });
    } finally {
      await h.close();
    }
    const log = h.logs.join('\n');
    expect(h.logs.length).toBeGreaterThan(2);
    expect(log).toContain('"level":"debug"'.replace('debug', 'info'));
    for (const forbidden of [BOT_TOKEN, SIGNING_SECRET, APP_TOKEN, secretText]) {
      expect(log).not.toContain(forbidden);
    }
  });
});

describe('startup without credentials or with partial ones', () => {
  it('exits 1 naming what is missing for partial credentials, without a stack trace', async () => {
    const child = spawnLadder({ SLACK_BOT_TOKEN: BOT_TOKEN, DATABASE_PATH: path.join(tempDir(), 'x.db') });
    const exit = await child.exited;
    expect(exit.code).toBe(1);
    expect(child.output()).toContain('SLACK_SIGNING_SECRET is missing');
    expect(child.output()).not.toMatch(/\n\s+at /);
  });

  it('refuses to start with a bot token Slack refuses, naming the variable and never the token', async () => {
    const api = await startLocalSlackApi({ botToken: BOT_TOKEN, scopes: manifestScopes(), users: USERS });
    try {
      const child = spawnLadder({
        SLACK_BOT_TOKEN: 'xoxb-not-the-right-token',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: api.url,
        PORT: '0',
        DATABASE_PATH: path.join(tempDir(), 'wrong-token.db'),
      });
      const exit = await child.exited;
      expect(exit.code).toBe(1);
      expect(child.output()).toContain('Slack refused SLACK_BOT_TOKEN (auth.test: invalid_auth)');
      expect(child.output()).not.toContain('xoxb-not-the-right-token');
    } finally {
      await api.close();
    }
  });

  it('starts when auth.test fails twice with a 500 at start (a read is retried)', async () => {
    const api = await startLocalSlackApi({ botToken: BOT_TOKEN, scopes: manifestScopes(), users: USERS });
    const fault = api.faults.add({ method: 'auth.test', kind: 'http500', times: 2 });
    const app = await startLadder({
      env: {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: api.url,
        PORT: '0',
        DATABASE_PATH: path.join(tempDir(), 'auth-retry.db'),
      },
      writeLog: () => {},
    });
    try {
      expect(fault.fired).toBe(2);
      const sender = createSignedSender({
        appUrl: `http://127.0.0.1:${app.port}/slack/events`,
        signingSecret: SIGNING_SECRET,
        api,
        command: COMMAND,
      });
      const res = await sender.command({ userId: alice, text: 'help' });
      expect(ackText(res.json)).toContain('/ladder levels');
    } finally {
      await app.stop();
      await api.close();
    }
  });

  it('exits 1 naming the variable for an invalid value', async () => {
    const child = spawnLadder({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      PORT: 'x',
    });
    const exit = await child.exited;
    expect(exit.code).toBe(1);
    expect(child.output()).toContain('PORT must be a whole number from 0 to 65535');
  });
});
