import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
// Named imports: under vitest the default import of this CJS package is the App class itself.
import { App, LogLevel, verifySlackRequest } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appHomeOpenedEvent,
  createSignedSender,
  messageEvent,
  type SignedSender,
  signSlackRequest,
} from '../../../src/local/signed-sender.ts';
import type { LocalSlackApi } from '../../../src/local/slack-api.ts';
import { COMMAND } from '../../../src/slack/ids.ts';
import { BOT, section, startApi } from './helpers.ts';

const SECRET = 'unit-signing-secret';

function verify(headers: Record<string, string>, body: string, secret = SECRET, nowMs = Date.now()) {
  verifySlackRequest({
    signingSecret: secret,
    body,
    nowMilliseconds: nowMs,
    headers: {
      'x-slack-signature': headers['X-Slack-Signature'] as string,
      'x-slack-request-timestamp': Number(headers['X-Slack-Request-Timestamp']),
    },
  });
}

describe('signSlackRequest', () => {
  const body = 'token=x&team_id=T0LOCAL&command=%2Fladder&text=help';
  const nowSec = Math.floor(Date.now() / 1000);

  it('produces a signature Bolt’s own verifier accepts', () => {
    const headers = signSlackRequest(SECRET, body, nowSec);
    expect(headers['X-Slack-Signature']).toMatch(/^v0=[a-f0-9]{64}$/);
    expect(() => verify(headers, body)).not.toThrow();
  });

  it('is rejected by Bolt when forged, tampered with or stale', () => {
    expect(() => verify(signSlackRequest('another-secret', body, nowSec), body)).toThrow(
      /signature mismatch/,
    );
    expect(() => verify(signSlackRequest(SECRET, body, nowSec), `${body}&x=1`)).toThrow(/signature mismatch/);
    expect(() => verify(signSlackRequest(SECRET, body, nowSec - 6 * 60), body)).toThrow(/stale/);
  });
});

describe('createSignedSender against a real Bolt HTTP receiver', () => {
  let api: LocalSlackApi;
  let app: App;
  let sender: SignedSender;
  const seen: Record<string, unknown[]> = {};

  beforeEach(async () => {
    for (const k of Object.keys(seen)) delete seen[k];
    api = await startApi();
    app = new App({
      token: BOT,
      signingSecret: SECRET,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: api.url, retryConfig: { retries: 0 } },
    });
    const record = (k: string, v: unknown) => {
      seen[k] = [...(seen[k] ?? []), v];
    };
    app.command('/ladder', async ({ ack, command, respond, client }) => {
      if (command.text === 'modal') {
        await ack();
        await client.views.open({
          trigger_id: command.trigger_id,
          view: {
            type: 'modal',
            callback_id: 'log_win',
            title: { type: 'plain_text', text: 'Log a win' },
            submit: { type: 'plain_text', text: 'Save' },
            blocks: [
              {
                type: 'input',
                block_id: 'note',
                label: { type: 'plain_text', text: 'What happened?' },
                element: { type: 'plain_text_input', action_id: 'v' },
              },
            ],
          },
        });
        return;
      }
      if (command.text === 'later') {
        await ack();
        await respond({
          text: 'Pick one',
          blocks: [
            section('Pick one'),
            {
              type: 'actions',
              block_id: 'pick',
              elements: [
                { type: 'button', action_id: 'done', text: { type: 'plain_text', text: 'Done' }, value: 'd' },
              ],
            },
          ],
        });
        return;
      }
      await ack({ text: `Help for <@${command.user_id}>` });
    });
    app.action('done', async ({ ack, respond, body }) => {
      await ack();
      record('action', body);
      await respond({ replace_original: true, text: 'Done!' });
    });
    app.view('log_win', async ({ ack, view }) => {
      const note = view.state.values.note?.v?.value ?? '';
      if (note.length < 5) await ack({ response_action: 'errors', errors: { note: 'Tell a bit more' } });
      else await ack();
    });
    app.shortcut('save_message', async ({ ack, shortcut, client, respond }) => {
      await ack();
      record('shortcut', shortcut);
      const s = shortcut as { channel: { id: string }; message_ts: string };
      const link = await client.chat
        .getPermalink({ channel: s.channel.id, message_ts: s.message_ts })
        .catch((e: { data?: { error?: string } }) => ({ permalink: e.data?.error }));
      await respond({ text: `saved ${link.permalink}` });
    });
    app.event('app_home_opened', async ({ event, client, context }) => {
      record('retry', [context.retryNum, context.retryReason]);
      await client.views.publish({
        user_id: event.user,
        view: { type: 'home', blocks: [section('Your ladder')] },
      });
    });
    app.message(async ({ message, say }) => {
      await say(`echo: ${(message as { text?: string }).text}`);
    });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    const port = (server.address() as AddressInfo).port;
    sender = createSignedSender({
      appUrl: `http://127.0.0.1:${port}/slack/events`,
      signingSecret: SECRET,
      api,
      command: COMMAND,
    });
  });

  afterEach(async () => {
    await app.stop();
    await api.close();
  });

  it('sends a slash command the app acks, with a usable response_url and trigger_id', async () => {
    const r = await sender.command({ userId: 'U0ALICE', text: 'help' });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ text: 'Help for <@U0ALICE>' });
    expect(r.responseUrl).toMatch(new RegExp(`^${api.origin}/hooks/commands/`));
    expect(r.triggerId).toBeTruthy();
  });

  it('rejects a forged signature and a 6-minute-old timestamp with 401, and no Slack call is made', async () => {
    await sender.command({ userId: 'U0ALICE', text: 'help' });
    const before = api.calls.length;
    const body = new URLSearchParams({ command: '/ladder', text: 'help', user_id: 'U0ALICE' }).toString();
    const forged = await sender.raw({
      body,
      contentType: 'application/x-www-form-urlencoded',
      signature: `v0=${'0'.repeat(64)}`,
    });
    const stale = await sender.raw({
      body,
      contentType: 'application/x-www-form-urlencoded',
      timestampSec: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    const unsigned = await sender.raw({
      body,
      contentType: 'application/x-www-form-urlencoded',
      signature: null,
    });
    expect([forged.status, stale.status, unsigned.status]).toEqual([401, 401, 401]);
    expect(api.calls.length).toBe(before);
  });

  it('hands out replies posted to the response_url, even ones that beat the ack', async () => {
    const r = await sender.command({ userId: 'U0ALICE', text: 'later' });
    const post = await sender.waitForResponse(r.responseUrl as string, { timeoutMs: 2_000 });
    expect(post.body).toMatchObject({ text: 'Pick one' });
    await expect(sender.waitForResponse(r.responseUrl as string, { timeoutMs: 100 })).rejects.toThrow(
      /no post/,
    );
  });

  it('sends block_actions from an ephemeral message; replace_original rewrites it', async () => {
    const r = await sender.command({ userId: 'U0ALICE', text: 'later' });
    await sender.waitForResponse(r.responseUrl as string);
    const eph = api.state.ephemerals[0];
    const a = await sender.blockActions({
      userId: 'U0ALICE',
      channelId: eph?.channel as string,
      message: { ts: eph?.ts as string },
      actions: [{ action_id: 'done', block_id: 'pick', value: 'd' }],
    });
    expect(a.status).toBe(200);
    expect(seen.action?.[0]).toMatchObject({
      type: 'block_actions',
      container: { type: 'message', is_ephemeral: true, message_ts: eph?.ts },
      actions: [{ action_id: 'done', block_id: 'pick', type: 'button', value: 'd' }],
    });
    await sender.waitForResponse(a.responseUrl as string);
    expect(api.state.ephemerals).toEqual([
      expect.objectContaining({ ts: eph?.ts, text: 'Done!', replaced: 1 }),
    ]);
  });

  it('submits a modal: an errors ack keeps it open with messages, a bare ack closes it', async () => {
    await sender.command({ userId: 'U0ALICE', text: 'modal' });
    await expect.poll(() => api.state.openModals('U0ALICE').length).toBe(1);
    const view = api.state.openModals('U0ALICE')[0]?.view as Record<string, unknown>;
    const short = await sender.viewSubmission({
      userId: 'U0ALICE',
      view,
      values: { note: { v: { type: 'plain_text_input', value: 'meh' } } },
    });
    expect(short.json).toEqual({ response_action: 'errors', errors: { note: 'Tell a bit more' } });
    expect(api.state.openModals('U0ALICE')[0]?.errors).toEqual({ note: 'Tell a bit more' });
    const ok = await sender.viewSubmission({
      userId: 'U0ALICE',
      view,
      values: { note: { v: { type: 'plain_text_input', value: 'Shipped the migration' } } },
    });
    expect(ok.status).toBe(200);
    expect(api.state.openModals('U0ALICE')).toEqual([]);
  });

  it('sends a message shortcut like Slack; a permalink fails for a DM between people', async () => {
    api.addChannel({
      id: 'D0PEOPLE',
      name: '',
      members: ['U0ALICE', 'U0BOB'],
      botIsMember: false,
      isIm: true,
    });
    const m = api.postAsUser({ channel: 'D0PEOPLE', user: 'U0BOB', text: 'Great job on the launch' });
    const r = await sender.messageAction({
      userId: 'U0ALICE',
      callbackId: 'save_message',
      channelId: 'D0PEOPLE',
      message: m,
    });
    expect(r.status).toBe(200);
    expect(seen.shortcut?.[0]).toMatchObject({
      type: 'message_action',
      callback_id: 'save_message',
      channel: { id: 'D0PEOPLE' },
      message_ts: m.ts,
      message: { text: 'Great job on the launch', user: 'U0BOB' },
    });
    const reply = await sender.waitForResponse(r.responseUrl as string);
    expect(reply.body).toEqual({ text: 'saved channel_not_found' });
  });

  it('sends events with retry headers Bolt exposes as context.retryNum / retryReason', async () => {
    const r = await sender.event({
      event: appHomeOpenedEvent(api, 'U0ALICE'),
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    expect(r.status).toBe(200);
    await expect.poll(() => api.state.homeViews.has('U0ALICE')).toBe(true);
    expect(seen.retry).toEqual([[1, 'http_timeout']]);
  });

  it('sends a message event for what a person typed in the DM', async () => {
    const m = api.postAsUser({ user: 'U0ALICE', text: 'hello bot' });
    await sender.event({ event: messageEvent(api, m) });
    await expect
      .poll(() => api.state.messages(m.channel).map((x) => x.text))
      .toEqual(['hello bot', 'echo: hello bot']);
  });
});
