import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadBaseConfig, loadConfig } from '../../../src/config.ts';
import { PROJECT_ROOT } from '../../../src/paths.ts';

const BOT = 'xoxb-1111-2222-abcdef';
const SECRET = 'abcdef0123456789abcdef';
const APP = 'xapp-1-A111-2222-abcdef';

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET });
    expect(c.slack).toEqual({ mode: 'http', botToken: BOT, signingSecret: SECRET });
    expect(c.port).toBe(3000);
    expect(c.databasePath).toBe('./data/ladder.db');
    expect(c.ladderDataDir).toBe(path.join(PROJECT_ROOT, 'ladder-data'));
    expect(c.logLevel).toBe('info');
    expect(c.nudgeLateWindowHours).toBe(24);
    expect(c.nudgeSendRate).toBe(120);
    expect(c.slackApiUrl).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('chooses Socket Mode when an app token is set', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP });
    expect(c.slack.mode).toBe('socket');
  });

  it('chooses the local workspace with no credentials at all, with its own database', () => {
    const c = loadConfig({});
    expect(c.slack.mode).toBe('local');
    expect(c.databasePath).toBe('./data/local.db');
    expect(loadConfig({ DATABASE_PATH: '/tmp/x.db' }).databasePath).toBe('/tmp/x.db');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: ' ', PORT: '' }).slack.mode).toBe('local');
  });

  it('names what is missing when credentials are partial', () => {
    expect(errorOf(() => loadConfig({ SLACK_BOT_TOKEN: BOT }))).toMatch(/SLACK_SIGNING_SECRET is missing/);
    expect(errorOf(() => loadConfig({ SLACK_SIGNING_SECRET: SECRET }))).toMatch(/SLACK_BOT_TOKEN is missing/);
    expect(errorOf(() => loadConfig({ SLACK_APP_TOKEN: APP }))).toMatch(/SLACK_BOT_TOKEN is missing/);
  });

  it('names the variable and the expectation for invalid values, without echoing secrets', () => {
    const msg = errorOf(() =>
      loadConfig({ SLACK_BOT_TOKEN: 'xoxp-user-token-secret', SLACK_SIGNING_SECRET: SECRET, PORT: 'eighty' }),
    );
    expect(msg).toMatch(/SLACK_BOT_TOKEN must be a bot token starting with "xoxb-"/);
    expect(msg).toMatch(/PORT must be a whole number from 0 to 65535/);
    expect(msg).not.toContain('xoxp-user-token-secret');
    expect(errorOf(() => loadBaseConfig({ LOG_LEVEL: 'loud' }))).toMatch(
      /LOG_LEVEL must be one of debug, info, warn, error/,
    );
    expect(errorOf(() => loadBaseConfig({ NUDGE_SEND_RATE: '0' }))).toMatch(
      /NUDGE_SEND_RATE must be a whole number/,
    );
    expect(errorOf(() => loadBaseConfig({ NUDGE_LATE_WINDOW_HOURS: '2.5' }))).toMatch(
      /NUDGE_LATE_WINDOW_HOURS/,
    );
    expect(errorOf(() => loadBaseConfig({ SLACK_API_URL: 'not a url' }))).toMatch(
      /SLACK_API_URL must be an http\(s\) URL/,
    );
    expect(errorOf(() => loadBaseConfig({ SLACK_APP_TOKEN: 'xoxb-wrong' }))).toMatch(
      /SLACK_APP_TOKEN must be an app-level token/,
    );
  });

  it('accepts LOG_LEVEL case-insensitively and SLACK_API_URL for tests and proxies', () => {
    const c = loadBaseConfig({ LOG_LEVEL: 'DEBUG', SLACK_API_URL: 'http://127.0.0.1:4000/api/' });
    expect(c.logLevel).toBe('debug');
    expect(c.slackApiUrl).toBe('http://127.0.0.1:4000/api/');
  });
});

describe('distribution mode (OAuth, many workspaces)', () => {
  const KEY = Buffer.alloc(32, 7).toString('base64');
  const OLD = Buffer.alloc(32, 9).toString('base64');
  const CLIENT_SECRET = 'client-secret-0123456789';
  const STATE_SECRET = 'state-secret-0123456789abcdef';
  const full = {
    SLACK_CLIENT_ID: '1234.5678',
    SLACK_CLIENT_SECRET: CLIENT_SECRET,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_STATE_SECRET: STATE_SECRET,
    LADDER_ENCRYPTION_KEY: KEY,
  };

  it('is chosen by the client id, its secrets and the key, with no bot token', () => {
    const c = loadConfig({ ...full, LADDER_ENCRYPTION_KEY_PREVIOUS: OLD });
    expect(c.slack.mode).toBe('distribution');
    if (c.slack.mode !== 'distribution') return;
    expect(c.slack.clientId).toBe('1234.5678');
    expect(c.slack.keys.current).toEqual(Buffer.alloc(32, 7));
    expect(c.slack.keys.previous).toEqual(Buffer.alloc(32, 9));
    expect(c.slack.redirectUri).toBeUndefined();
    expect(c.databasePath).toBe('./data/ladder.db');
  });

  it('stops when a bot token is set beside the client id, saying which to remove', () => {
    const msg = errorOf(() => loadConfig({ ...full, SLACK_BOT_TOKEN: BOT }));
    expect(msg).toMatch(/remove SLACK_BOT_TOKEN/);
    expect(msg).toMatch(/for a single workspace remove SLACK_CLIENT_ID/);
    expect(msg).not.toContain(BOT);
    expect(errorOf(() => loadConfig({ ...full, SLACK_APP_TOKEN: APP }))).toMatch(/remove SLACK_APP_TOKEN/);
  });

  it('names every missing variable of a partial set', () => {
    const msg = errorOf(() => loadConfig({ SLACK_CLIENT_ID: '1234.5678', SLACK_SIGNING_SECRET: SECRET }));
    expect(msg).toMatch(/SLACK_CLIENT_SECRET, SLACK_STATE_SECRET, LADDER_ENCRYPTION_KEY are missing/);
    const one = errorOf(() => loadConfig({ ...full, LADDER_ENCRYPTION_KEY: '' }));
    expect(one).toMatch(/LADDER_ENCRYPTION_KEY is missing/);
  });

  it('wants the key to be 32 bytes of base64, and never shows it', () => {
    const short = Buffer.alloc(16, 1).toString('base64');
    const msg = errorOf(() => loadConfig({ ...full, LADDER_ENCRYPTION_KEY: short }));
    expect(msg).toMatch(/LADDER_ENCRYPTION_KEY must be 32 bytes in base64/);
    expect(msg).not.toContain(short);
    const bad = errorOf(() => loadConfig({ ...full, LADDER_ENCRYPTION_KEY_PREVIOUS: 'not base64 at all!' }));
    expect(bad).toMatch(/LADDER_ENCRYPTION_KEY_PREVIOUS must be 32 bytes in base64/);
    expect(bad).not.toContain('not base64 at all');
    const all = errorOf(() => loadConfig({ ...full, SLACK_CLIENT_ID: 'x', SLACK_STATE_SECRET: 'short' }));
    expect(all).not.toContain(CLIENT_SECRET);
  });

  it('takes a redirect URI only if it ends in /slack/oauth_redirect', () => {
    const uri = 'https://ladder.example.com/slack/oauth_redirect';
    const c = loadConfig({ ...full, SLACK_REDIRECT_URI: uri });
    expect(c.slack.mode === 'distribution' && c.slack.redirectUri).toBe(uri);
    expect(
      errorOf(() => loadConfig({ ...full, SLACK_REDIRECT_URI: 'https://ladder.example.com/oauth' })),
    ).toMatch(/SLACK_REDIRECT_URI must be the https:\/\/ URL of \/slack\/oauth_redirect/);
  });

  it('leaves the single-workspace modes and local mode as they were', () => {
    expect(
      loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, LADDER_ENCRYPTION_KEY: KEY }).slack
        .mode,
    ).toBe('http');
    expect(loadConfig({ LADDER_ENCRYPTION_KEY: KEY }).slack.mode).toBe('local');
    expect(loadConfig({ ...full }, { forceLocal: true }).slack.mode).toBe('local');
  });
});
