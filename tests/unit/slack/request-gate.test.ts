import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalSlackApi, startLocalSlackApi } from '../../../src/local/slack-api.ts';
import {
  buildBlockActionsPayload,
  buildCommandPayload,
  buildEventCallback,
  buildMessageActionPayload,
  buildViewClosedPayload,
  buildViewSubmissionPayload,
  type PayloadContext,
} from '../../../src/local/slack-api-payloads.ts';
import { COMMAND } from '../../../src/slack/ids.ts';
import { malformation } from '../../../src/slack/request-gate.ts';

const declared = { commands: ['/ladder'], shortcuts: ['save_as_evidence'] };

describe('malformation: what Slack sends passes, what it never sends is named by path', () => {
  let api: LocalSlackApi;
  let ctx: PayloadContext;
  beforeAll(async () => {
    api = await startLocalSlackApi({ botToken: 'xoxb-t', scopes: [], users: [{ id: 'U0A', name: 'a' }] });
    ctx = { api, teamId: 'T0LOCAL', command: COMMAND, now: Date.now };
  });
  afterAll(async () => {
    await api.close();
  });

  it('passes every kind of payload the local workspace builds as Slack does', () => {
    const view = { id: 'V1', type: 'modal', callback_id: 'evidence_modal', state: { values: {} } };
    const message = api.postAsUser({ channel: 'C0GENERAL', user: 'U0A', text: 'hi' });
    const payloads = [
      buildCommandPayload(ctx, { userId: 'U0A', text: 'help' }).fields,
      buildBlockActionsPayload(ctx, {
        userId: 'U0A',
        actions: [{ action_id: 'x', block_id: 'b', value: '1' }],
      }).payload,
      buildBlockActionsPayload(ctx, { userId: 'U0A', actions: [{ action_id: 'x', block_id: 'b' }], view })
        .payload,
      buildViewSubmissionPayload(ctx, { userId: 'U0A', view }).payload,
      buildViewClosedPayload(ctx, { userId: 'U0A', view }),
      buildMessageActionPayload(ctx, {
        userId: 'U0A',
        callbackId: 'save_as_evidence',
        channelId: 'C0GENERAL',
        message,
      }).payload,
      buildEventCallback(ctx, {
        event: { type: 'app_home_opened', user: 'U0A', tab: 'home', channel: 'D1' },
      }),
      buildEventCallback(ctx, { event: { type: 'app_uninstalled' } }),
      { ssl_check: '1', token: 'x' },
      { type: 'url_verification', challenge: 'c' },
    ];
    for (const p of payloads) expect(malformation(p, declared), JSON.stringify(p).slice(0, 80)).toBeNull();
  });

  it('refuses what Bolt would answer with 500 or never answer, naming paths and never values', () => {
    const secret = 'SecretValue123';
    expect(malformation(null, declared)).toBe('not an object');
    expect(malformation([1], declared)).toBe('not an object');
    expect(malformation({ type: 'block_actions', actions: [{ action_id: secret }] }, declared)).toMatch(
      /user/,
    );
    expect(malformation({ type: 'view_submission', user: { id: secret } }, declared)).toMatch(/view/);
    expect(malformation({ type: 'weird', user: { id: 'U' } }, declared)).toBe('unknown kind of request');
    expect(malformation({ command: '/other', team_id: 'T', user_id: 'U' }, declared)).toMatch(
      /slash command/,
    );
    expect(
      malformation({ type: 'shortcut', callback_id: secret, user: { id: 'U' }, trigger_id: 't' }, declared),
    ).toMatch(/shortcut/);
    expect(malformation({ type: 'event_callback', event: 5 }, declared)).toMatch(/event/);
    // Found by the hostile suite: Bolt keys a plain object by the team id.
    for (const team of ['constructor', '__proto__', 'toString', '']) {
      const event = { type: 'event_callback', team_id: team, event: { type: 'message' } };
      expect(malformation(event, declared), team).toMatch(/team_id/);
      expect(malformation({ command: '/ladder', team_id: team, user_id: 'U' }, declared), team).toMatch(
        /team_id/,
      );
    }
    const problem = malformation(
      { type: 'block_actions', user: { id: 5 }, trigger_id: secret, actions: [] },
      declared,
    );
    expect(problem).toMatch(/user\.id/);
    expect(problem).not.toContain(secret);
  });
});
