// Named imports: under vitest the default import of this CJS package is the App class itself.
import { App, SocketModeReceiver } from '@slack/bolt';
import { LogLevel, SocketModeClient } from '@slack/socket-mode';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createSocketModeSender } from '../../../src/local/signed-sender.ts';
import type { LocalSlackApi } from '../../../src/local/slack-api.ts';
import { COMMAND } from '../../../src/slack/ids.ts';
import { APP, BOT, client, slackError, startApi } from './helpers.ts';

let api: LocalSlackApi;
const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await api?.close();
});

function socketClient(): SocketModeClient {
  const c = new SocketModeClient({
    appToken: APP,
    logLevel: LogLevel.ERROR,
    // A short ping timeout also shortens the reconnect delay (timeout × failures).
    clientPingTimeout: 600,
    clientOptions: { slackApiUrl: api.url, retryConfig: { retries: 0 } },
  });
  cleanups.push(() => c.disconnect());
  return c;
}

describe('apps.connections.open', () => {
  it('needs the app-level token', async () => {
    api = await startApi();
    expect((await slackError(client(api.url).apiCall('apps.connections.open'))).error).toBe(
      'not_allowed_token_type',
    );
    expect(
      (await slackError(client(api.url, { token: 'xapp-wrong' }).apiCall('apps.connections.open'))).error,
    ).toBe('invalid_auth');
    const r = await client(api.url, { token: APP }).apiCall('apps.connections.open');
    expect((r as { url?: string }).url).toMatch(
      /^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[a-f0-9]+&app_id=A0LOCAL$/,
    );
  });

  it('refuses a WebSocket without a valid ticket', async () => {
    api = await startApi();
    const ws = new WebSocket(`${api.origin.replace('http', 'ws')}/link/?ticket=forged`);
    const outcome = await new Promise<string>((resolve) => {
      ws.on('open', () => resolve('open'));
      ws.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
      ws.on('error', () => resolve('error'));
    });
    expect(outcome).toBe('refused 401');
  });
});

describe('the Socket Mode protocol', () => {
  it('says hello, delivers an envelope and resolves with the ack payload', async () => {
    api = await startApi();
    const c = socketClient();
    c.on('slash_commands', async ({ ack, body }) => {
      await ack({ text: `you said ${body.text}` });
    });
    await c.start();
    expect(api.socket.connectionCount).toBe(1);
    await expect(api.socket.connected).resolves.toBeUndefined();
    const ack = await api.socket.sendEnvelope('slash_commands', { command: '/ladder', text: 'help' });
    expect(ack).toEqual({ text: 'you said help' });
  });

  it('passes retry attempt and reason with events and rejects when no ack comes', async () => {
    api = await startApi();
    const c = socketClient();
    const seen: unknown[] = [];
    c.on('app_home_opened', async ({ ack, retry_num, retry_reason }) => {
      seen.push([retry_num, retry_reason]);
      await ack();
    });
    await c.start();
    const event = { type: 'event_callback', event: { type: 'app_home_opened', user: 'U0ALICE' } };
    await expect(
      api.socket.sendEnvelope('events_api', event, { retryAttempt: 2, retryReason: 'timeout' }),
    ).resolves.toEqual({});
    expect(seen).toEqual([[2, 'timeout']]);
    await expect(
      api.socket.sendEnvelope('interactive', { type: 'block_actions' }, { timeoutMs: 200 }),
    ).rejects.toThrow(/no ack/);
  });

  it('asks clients to reconnect with a disconnect message, and they come back', async () => {
    api = await startApi();
    const c = socketClient();
    c.on('slash_commands', async ({ ack }) => {
      await ack({ text: 'still here' });
    });
    await c.start();
    const opens = () => api.calls.filter((x) => x.method === 'apps.connections.open').length;
    expect(opens()).toBe(1);
    api.socket.disconnect();
    await expect.poll(() => opens(), { timeout: 5_000 }).toBe(2);
    await api.socket.waitForConnection(5_000);
    await expect.poll(() => api.socket.connectionCount, { timeout: 5_000 }).toBe(1);
    expect(await api.socket.sendEnvelope('slash_commands', { text: 'x' })).toEqual({ text: 'still here' });
  });

  it('rejects an envelope when nobody is connected', async () => {
    api = await startApi();
    await expect(api.socket.sendEnvelope('slash_commands', {})).rejects.toThrow(/no Socket Mode client/);
  });
});

describe('a Bolt app in Socket Mode', () => {
  it('answers a slash command envelope with its ack and a response_url reply', async () => {
    api = await startApi();
    const receiver = new SocketModeReceiver({
      appToken: APP,
      logLevel: LogLevel.ERROR,
      installerOptions: { clientOptions: { slackApiUrl: api.url } },
    });
    const app = new App({
      token: BOT,
      receiver,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: api.url, retryConfig: { retries: 0 } },
    });
    app.command('/ladder', async ({ ack, respond, command }) => {
      await ack({ text: `Help for ${command.user_name}` });
      await respond({ text: 'and a follow-up' });
    });
    await app.start();
    cleanups.push(() => app.stop());
    await api.socket.waitForConnection();

    const sender = createSocketModeSender({ api, command: COMMAND });
    const r = await sender.command({ userId: 'U0ALICE', text: 'help' });
    expect(r).toMatchObject({ status: 200, json: { text: 'Help for alice' } });
    const followUp = await sender.waitForResponse(r.responseUrl as string);
    expect(followUp).toMatchObject({ status: 200, body: { text: 'and a follow-up' } });
    expect(api.state.ephemerals.map((e) => e.text)).toEqual(['and a follow-up']);
  });
});
