import { ErrorCode, type WebClient, WebClientEvent } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalSlackApi } from '../../../src/local/slack-api.ts';
import { ALL_SCOPES, APP, BOT, client, manualClock, section, slackError, startApi } from './helpers.ts';

let api: LocalSlackApi;
let web: WebClient;

async function setup(opts: Parameters<typeof startApi>[0] = {}) {
  api = await startApi(opts);
  web = client(api.url);
  return { api, web };
}

afterEach(async () => {
  await api?.close();
});

describe('authentication and scopes', () => {
  it('refuses a wrong token with invalid_auth and a missing one with not_authed', async () => {
    await setup();
    expect((await slackError(client(api.url, { token: 'xoxb-wrong' }).auth.test())).error).toBe(
      'invalid_auth',
    );
    expect((await slackError(client(api.url, { token: '' }).auth.test())).error).toBe('not_authed');
    expect((await slackError(client(api.url, { token: APP }).auth.test())).error).toBe(
      'not_allowed_token_type',
    );
  });

  it('answers auth.test with the bot identity Bolt needs at start', async () => {
    await setup();
    const r = await web.auth.test();
    expect(r).toMatchObject({ ok: true, team_id: 'T0LOCAL', user_id: api.botUserId, bot_id: 'B0LOCAL' });
  });

  it('refuses a method whose scope was not granted with missing_scope, needed and provided', async () => {
    await setup({ scopes: ['commands', 'chat:write'] });
    const err = await slackError(web.users.info({ user: 'U0ALICE' }));
    expect(err).toMatchObject({
      error: 'missing_scope',
      needed: 'users:read',
      provided: 'commands,chat:write',
    });
    const dm = await slackError(web.conversations.open({ users: 'U0ALICE' }));
    expect(dm).toMatchObject({ error: 'missing_scope', needed: 'im:write' });
  });

  it('answers unknown_method for a method it does not implement', async () => {
    await setup();
    expect((await slackError(web.apiCall('chat.meMessage', { channel: 'C1', text: 'x' }))).error).toBe(
      'unknown_method',
    );
  });

  it('accepts JSON bodies as well as form bodies', async () => {
    await setup();
    const res = await fetch(`${api.url}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BOT}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'U0ALICE', text: 'hi', blocks: [section('hi')] }),
    });
    expect(await res.json()).toMatchObject({ ok: true, channel: 'D0ALICE' });
  });
});

describe('chat.postMessage', () => {
  it('opens the DM for a user id, stores the message and answers channel and ts', async () => {
    await setup();
    const r = await web.chat.postMessage({ channel: 'U0ALICE', text: 'hello', blocks: [section('*hello*')] });
    expect(r.channel).toBe('D0ALICE');
    expect(r.ts).toMatch(/^\d+\.\d{6}$/);
    expect(api.state.dmChannelId('U0ALICE')).toBe('D0ALICE');
    expect(api.state.messages('D0ALICE')).toEqual([
      expect.objectContaining({ ts: r.ts, user: api.botUserId, bot_id: 'B0LOCAL', text: 'hello' }),
    ]);
  });

  it('keeps threads: replies carry thread_ts and the parent counts them', async () => {
    await setup();
    const parent = await web.chat.postMessage({ channel: 'U0ALICE', text: 'parent' });
    const reply = await web.chat.postMessage({
      channel: 'D0ALICE',
      text: 'reply',
      thread_ts: parent.ts as string,
    });
    expect(api.state.messages('D0ALICE')).toHaveLength(1);
    expect(api.state.replies('D0ALICE', parent.ts as string)).toEqual([
      expect.objectContaining({ ts: reply.ts, thread_ts: parent.ts }),
    ]);
    expect(api.state.message('D0ALICE', parent.ts as string)).toMatchObject({
      reply_count: 1,
      replies: [{ user: api.botUserId, ts: reply.ts }],
    });
  });

  it('refuses an over-limit block set with invalid_blocks and Slack-style json-pointer messages', async () => {
    await setup();
    const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const err = await slackError(web.chat.postMessage({ channel: 'U0ALICE', text: 'x', blocks: tooMany }));
    expect(err.error).toBe('invalid_blocks');
    expect(err.response_metadata).toMatchObject({
      messages: ['[ERROR] 51 blocks > 50 [json-pointer:/blocks]'],
    });

    const long = await slackError(
      web.chat.postMessage({ channel: 'U0ALICE', text: 'x', blocks: [section('a'.repeat(3001))] }),
    );
    expect(long).toMatchObject({
      error: 'invalid_blocks',
      errors: ['blocks[0].text.text: 3001 chars > 3000'],
    });
    expect(api.state.messages('D0ALICE')).toEqual([]);
  });

  it('refuses too much block text in total with msg_blocks_too_long', async () => {
    await setup();
    const blocks = Array.from({ length: 5 }, () => section('a'.repeat(2900)));
    const err = await slackError(web.chat.postMessage({ channel: 'U0ALICE', text: 'x', blocks }));
    expect(err.error).toBe('msg_blocks_too_long');
  });

  it('refuses a message with neither text nor blocks, and blocks without a text fallback, with no_text', async () => {
    await setup();
    expect((await slackError(web.chat.postMessage({ channel: 'U0ALICE', text: '' }))).error).toBe('no_text');
    const noFallback = await slackError(
      web.chat.postMessage({ channel: 'U0ALICE', blocks: [section('x')] } as never),
    );
    expect(noFallback.error).toBe('no_text');
  });

  it('answers not_in_channel for a public channel the bot has not joined, channel_not_found otherwise', async () => {
    await setup();
    api.addChannel({
      id: 'C0PRIV',
      name: 'secret',
      members: ['U0ALICE'],
      botIsMember: false,
      isPrivate: true,
    });
    expect((await slackError(web.chat.postMessage({ channel: 'C0GENERAL', text: 'x' }))).error).toBe(
      'not_in_channel',
    );
    expect((await slackError(web.chat.postMessage({ channel: 'C0PRIV', text: 'x' }))).error).toBe(
      'channel_not_found',
    );
    expect((await slackError(web.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).error).toBe(
      'channel_not_found',
    );
    api.addChannel({ id: 'C0TEAM', name: 'team', members: ['U0ALICE'], botIsMember: true });
    expect((await web.chat.postMessage({ channel: '#team', text: 'x' })).channel).toBe('C0TEAM');
  });
});

describe('chat.update, chat.delete, chat.postEphemeral', () => {
  it('answers message_not_found for an unknown ts and for an ephemeral message', async () => {
    await setup();
    api.addChannel({ id: 'C0TEAM', name: 'team', members: ['U0ALICE'], botIsMember: true });
    const eph = await web.chat.postEphemeral({ channel: 'C0TEAM', user: 'U0ALICE', text: 'only you' });
    expect(api.state.ephemerals).toEqual([
      expect.objectContaining({
        ts: eph.message_ts,
        user: 'U0ALICE',
        text: 'only you',
        source: 'chat.postEphemeral',
      }),
    ]);
    const updEph = await slackError(
      web.chat.update({ channel: 'C0TEAM', ts: eph.message_ts as string, text: 'y' }),
    );
    expect(updEph.error).toBe('message_not_found');
    const unknown = await slackError(web.chat.update({ channel: 'C0TEAM', ts: '1.000001', text: 'y' }));
    expect(unknown.error).toBe('message_not_found');
  });

  it('updates and deletes its own messages, and refuses to touch a person’s', async () => {
    await setup();
    const r = await web.chat.postMessage({ channel: 'U0ALICE', text: 'v1' });
    await web.chat.update({ channel: 'D0ALICE', ts: r.ts as string, text: 'v2', blocks: [section('v2')] });
    expect(api.state.message('D0ALICE', r.ts as string)).toMatchObject({
      text: 'v2',
      edited: expect.any(Object),
    });

    const person = api.postAsUser({ user: 'U0ALICE', text: 'mine' });
    expect((await slackError(web.chat.update({ channel: 'D0ALICE', ts: person.ts, text: 'x' }))).error).toBe(
      'cant_update_message',
    );
    expect((await slackError(web.chat.delete({ channel: 'D0ALICE', ts: person.ts }))).error).toBe(
      'cant_delete_message',
    );

    await web.chat.delete({ channel: 'D0ALICE', ts: r.ts as string });
    expect(api.state.message('D0ALICE', r.ts as string)).toBeUndefined();
  });

  it('refuses an ephemeral for a user outside the channel', async () => {
    await setup();
    api.addChannel({ id: 'C0TEAM', name: 'team', members: ['U0ALICE'], botIsMember: true });
    const err = await slackError(web.chat.postEphemeral({ channel: 'C0TEAM', user: 'U0BOB', text: 'x' }));
    expect(err.error).toBe('user_not_in_channel');
  });
});

describe('conversations.open and users.info', () => {
  it('gives a stable DM id per user and refuses deactivated or unknown users', async () => {
    await setup();
    const a = await web.conversations.open({ users: 'U0ALICE' });
    const b = await web.conversations.open({ users: 'U0ALICE' });
    expect(a.channel?.id).toBe('D0ALICE');
    expect(b.channel?.id).toBe('D0ALICE');
    expect((await slackError(web.conversations.open({ users: 'U0GONE' }))).error).toBe('user_disabled');
    expect((await slackError(web.conversations.open({ users: 'U0NOBODY' }))).error).toBe('user_not_found');
  });

  it('answers users.info with the IANA zone, and user_not_found', async () => {
    await setup();
    const r = await web.users.info({ user: 'U0BOB' });
    expect(r.user).toMatchObject({
      id: 'U0BOB',
      name: 'bob',
      tz: 'Asia/Tokyo',
      tz_offset: 9 * 3600,
      deleted: false,
    });
    expect((await web.users.info({ user: 'U0GONE' })).user?.deleted).toBe(true);
    expect((await slackError(web.users.info({ user: 'U0NOBODY' }))).error).toBe('user_not_found');
  });
});

describe('views', () => {
  const modal = (title = 'Log a win') => ({
    type: 'modal' as const,
    callback_id: 'log_win',
    title: { type: 'plain_text' as const, text: title },
    submit: { type: 'plain_text' as const, text: 'Save' },
    blocks: [section('hello')],
  });

  it('opens a modal with a fresh trigger_id and refuses its second use with exchanged_trigger_id', async () => {
    await setup();
    const trigger = api.createTriggerId('U0ALICE');
    const r = await web.views.open({ trigger_id: trigger, view: modal() });
    expect(r.view?.id).toMatch(/^V/);
    expect(api.state.openModals('U0ALICE').map((v) => v.id)).toEqual([r.view?.id]);
    expect((await slackError(web.views.open({ trigger_id: trigger, view: modal() }))).error).toBe(
      'exchanged_trigger_id',
    );
  });

  it('refuses a trigger_id older than 3 seconds with expired_trigger_id', async () => {
    const clock = manualClock();
    await setup({ now: clock.now });
    const trigger = api.createTriggerId('U0ALICE');
    clock.advance(3_001);
    expect((await slackError(web.views.open({ trigger_id: trigger, view: modal() }))).error).toBe(
      'expired_trigger_id',
    );
    expect((await slackError(web.views.open({ trigger_id: 'made.up', view: modal() }))).error).toBe(
      'invalid_trigger_id',
    );
  });

  it('refuses an invalid view with invalid_arguments and does not spend the trigger', async () => {
    await setup();
    const trigger = api.createTriggerId('U0ALICE');
    const err = await slackError(
      web.views.open({ trigger_id: trigger, view: modal('A title far longer than 24') }),
    );
    expect(err).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] 26 chars > 24 [json-pointer:/view/title/text]'] },
    });
    await web.views.open({ trigger_id: trigger, view: modal() });
  });

  it('refuses a view over 250 kB with view_too_large', async () => {
    await setup();
    const blocks = Array.from({ length: 90 }, () => section('é'.repeat(2900)));
    const err = await slackError(web.views.publish({ user_id: 'U0ALICE', view: { type: 'home', blocks } }));
    expect(err.error).toBe('view_too_large');
  });

  it('updates by view_id with hash checks (hash_conflict) and pushes onto the stack', async () => {
    await setup();
    const opened = await web.views.open({ trigger_id: api.createTriggerId('U0ALICE'), view: modal() });
    const id = opened.view?.id as string;
    const hash = opened.view?.hash as string;
    const updated = await web.views.update({ view_id: id, hash, view: modal('Saved') });
    expect(updated.view?.id).toBe(id);
    expect((await slackError(web.views.update({ view_id: id, hash, view: modal('Again') }))).error).toBe(
      'hash_conflict',
    );
    expect((await slackError(web.views.update({ view_id: 'V0NOPE', view: modal() }))).error).toBe(
      'not_found',
    );
    const pushed = await web.views.push({
      trigger_id: api.createTriggerId('U0ALICE'),
      view: modal('Details'),
    });
    expect(pushed.view?.previous_view_id).toBe(id);
    expect(api.state.openModals('U0ALICE')).toHaveLength(2);
  });

  it('publishes a Home tab per user and refuses a modal there', async () => {
    await setup();
    await web.views.publish({ user_id: 'U0ALICE', view: { type: 'home', blocks: [section('home')] } });
    expect(api.state.homeViews.get('U0ALICE')?.view.blocks).toEqual([section('home')]);
    const err = await slackError(web.views.publish({ user_id: 'U0ALICE', view: modal() as never }));
    expect(err.error).toBe('invalid_arguments');
  });

  it('applies a view_submission ack: errors keep the modal, a bare ack closes it', async () => {
    await setup();
    const opened = await web.views.open({ trigger_id: api.createTriggerId('U0ALICE'), view: modal() });
    const id = opened.view?.id as string;
    expect(
      api.applyViewAck(id, { response_action: 'errors', errors: { text: 'Too short' } }),
    ).toBeUndefined();
    expect(api.state.views.get(id)?.errors).toEqual({ text: 'Too short' });
    api.applyViewAck(id, undefined);
    expect(api.state.openModals('U0ALICE')).toEqual([]);
  });
});

describe('permalinks and reactions', () => {
  it('gives permalinks, message_not_found for unknown ts and channel_not_found for DMs between people', async () => {
    await setup();
    const r = await web.chat.postMessage({ channel: 'U0ALICE', text: 'x' });
    const link = await web.chat.getPermalink({ channel: 'D0ALICE', message_ts: r.ts as string });
    expect(link.permalink).toBe(`${api.origin}/archives/D0ALICE/p${(r.ts as string).replace('.', '')}`);
    expect(
      (await slackError(web.chat.getPermalink({ channel: 'D0ALICE', message_ts: '1.000002' }))).error,
    ).toBe('message_not_found');
    api.addChannel({
      id: 'D0PEOPLE',
      name: '',
      members: ['U0ALICE', 'U0BOB'],
      botIsMember: false,
      isIm: true,
    });
    const theirs = api.postAsUser({ channel: 'D0PEOPLE', user: 'U0BOB', text: 'between us' });
    expect(
      (await slackError(web.chat.getPermalink({ channel: 'D0PEOPLE', message_ts: theirs.ts }))).error,
    ).toBe('channel_not_found');
    const pub = api.postAsUser({ channel: 'C0GENERAL', user: 'U0BOB', text: 'public' });
    expect((await web.chat.getPermalink({ channel: 'C0GENERAL', message_ts: pub.ts })).ok).toBe(true);
  });

  it('adds a reaction once and answers already_reacted after', async () => {
    await setup();
    const m = api.postAsUser({ user: 'U0ALICE', text: 'a win' });
    await web.reactions.add({ channel: m.channel, timestamp: m.ts, name: 'white_check_mark' });
    expect(api.state.message(m.channel, m.ts)?.reactions).toEqual([
      { name: 'white_check_mark', users: [api.botUserId], count: 1 },
    ]);
    const again = await slackError(
      web.reactions.add({ channel: m.channel, timestamp: m.ts, name: 'white_check_mark' }),
    );
    expect(again.error).toBe('already_reacted');
  });
});

describe('files', () => {
  it('runs the whole filesUploadV2 flow: the file lands in the DM with its bytes', async () => {
    await setup();
    const { channel } = await web.conversations.open({ users: 'U0ALICE' });
    const content = 'level,evidence\nlead,"shipped the migration"\n';
    const result = (await web.filesUploadV2({
      channel_id: channel?.id as string,
      filename: 'evidence.csv',
      content,
      title: 'Your evidence',
      initial_comment: 'Here is your export',
    })) as unknown as { files: Array<{ files: Array<{ id: string; title: string; size: number }> }> };
    const uploaded = result.files[0]?.files[0];
    expect(uploaded).toMatchObject({ title: 'Your evidence', size: Buffer.byteLength(content) });

    const file = api.state.files.get(uploaded?.id as string);
    expect(file?.bytes?.toString('utf8')).toBe(content);
    const [msg] = api.state.messages('D0ALICE');
    expect(msg).toMatchObject({
      text: 'Here is your export',
      files: [expect.objectContaining({ id: uploaded?.id })],
    });
    expect(api.calls.map((c) => c.method)).toEqual([
      'conversations.open',
      'files.getUploadURLExternal',
      'file_upload',
      'files.completeUploadExternal',
    ]);

    const download = await fetch(file ? `${api.origin}/files-pri/T0LOCAL-${file.id}/evidence.csv` : '', {
      headers: { authorization: `Bearer ${BOT}` },
    });
    expect(await download.text()).toBe(content);

    await web.files.delete({ file: uploaded?.id as string });
    expect(api.state.messages('D0ALICE')[0]?.files).toEqual([{ id: uploaded?.id, mode: 'tombstone' }]);
    expect((await slackError(web.files.delete({ file: uploaded?.id as string }))).error).toBe('file_deleted');
  });

  it('refuses a user id as channel_id, as Slack does: the DM must be opened first', async () => {
    await setup();
    const err = await slackError(
      web.filesUploadV2({ channel_id: 'U0ALICE', filename: 'a.txt', content: 'x' }),
    );
    expect(err).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: { messages: [expect.stringContaining('[json-pointer:/channel_id]')] },
    });
  });

  it('refuses completing a file whose bytes never arrived', async () => {
    await setup();
    const { file_id } = await web.files.getUploadURLExternal({ filename: 'a.png', length: 10 });
    const err = await slackError(web.files.completeUploadExternal({ files: [{ id: file_id as string }] }));
    expect(err.error).toBe('file_not_found');
  });

  it('shows an uploaded image by slack_file only once it exists, is processed and visible', async () => {
    const clock = manualClock();
    await setup({ now: clock.now, fileProcessingMs: 2_000 });
    const image = (id: string) => [{ type: 'image', slack_file: { id }, alt_text: 'chart' }];
    const missing = await slackError(
      web.chat.postMessage({ channel: 'U0ALICE', text: 'chart', blocks: image('F0NOPE') }),
    );
    expect(missing.error).toBe('invalid_blocks');

    const dm = await web.conversations.open({ users: 'U0ALICE' });
    const r = (await web.filesUploadV2({
      channel_id: dm.channel?.id as string,
      filename: 'chart.png',
      file: Buffer.from('png'),
    })) as unknown as {
      files: Array<{ files: Array<{ id: string }> }>;
    };
    const id = r.files[0]?.files[0]?.id as string;
    const early = await slackError(
      web.views.publish({ user_id: 'U0ALICE', view: { type: 'home', blocks: image(id) } }),
    );
    expect(early.error).toBe('invalid_blocks');
    clock.advance(2_000);
    await web.views.publish({ user_id: 'U0ALICE', view: { type: 'home', blocks: image(id) } });
    const bob = await slackError(
      web.views.publish({ user_id: 'U0BOB', view: { type: 'home', blocks: image(id) } }),
    );
    expect(bob.error).toBe('invalid_blocks');
  });
});

describe('response_url', () => {
  async function post(url: string, body: unknown) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  it('stores ephemeral replies for the user and posts in_channel replies visibly, even where the bot is absent', async () => {
    await setup();
    const url = api.createResponseUrl({ channelId: 'C0GENERAL', userId: 'U0ALICE' });
    expect(url.startsWith(`${api.origin}/hooks/commands/`)).toBe(true);
    expect(await post(url, { text: 'only you' })).toEqual({ status: 200, json: { ok: true } });
    expect(api.state.ephemerals).toEqual([
      expect.objectContaining({
        channel: 'C0GENERAL',
        user: 'U0ALICE',
        text: 'only you',
        source: 'response_url',
      }),
    ]);
    await post(url, { response_type: 'in_channel', text: 'everyone', blocks: [section('everyone')] });
    expect(api.state.messages('C0GENERAL')).toEqual([
      expect.objectContaining({ text: 'everyone', via: 'response_url' }),
    ]);
    expect(api.state.postsTo(url).map((p) => p.applied?.kind)).toEqual(['ephemeral', 'in_channel']);
  });

  it('replaces the ephemeral a button sat in with replace_original, and deletes it with delete_original', async () => {
    await setup();
    const first = api.createResponseUrl({ channelId: 'C0GENERAL', userId: 'U0ALICE' });
    await post(first, { text: 'pick one', blocks: [section('pick one')] });
    const eph = api.state.ephemerals[0];
    const action = api.createResponseUrl({
      channelId: 'C0GENERAL',
      userId: 'U0ALICE',
      messageTs: eph?.ts as string,
      kind: 'actions',
    });
    await post(action, { replace_original: true, text: 'picked' });
    expect(api.state.ephemerals).toEqual([
      expect.objectContaining({ ts: eph?.ts, text: 'picked', replaced: 1 }),
    ]);
    await post(action, { delete_original: true });
    expect(api.state.ephemerals[0]?.deleted).toBe(true);
  });

  it('takes at most 5 posts, then answers 404', async () => {
    await setup();
    const url = api.createResponseUrl({ channelId: 'C0GENERAL', userId: 'U0ALICE' });
    for (let i = 0; i < 5; i += 1) expect((await post(url, { text: `reply ${i}` })).status).toBe(200);
    expect(await post(url, { text: 'sixth' })).toEqual({
      status: 404,
      json: { ok: false, error: 'used_url' },
    });
    expect(api.state.ephemerals).toHaveLength(5);
  });

  it('expires 30 minutes after it was issued', async () => {
    const clock = manualClock();
    await setup({ now: clock.now });
    const url = api.createResponseUrl({ channelId: 'C0GENERAL', userId: 'U0ALICE' });
    clock.advance(30 * 60_000);
    expect((await post(url, { text: 'just in time' })).status).toBe(200);
    clock.advance(1);
    expect(await post(url, { text: 'late' })).toEqual({
      status: 404,
      json: { ok: false, error: 'expired_url' },
    });
  });

  it('refuses invalid blocks with HTTP 400, which Bolt’s respond() turns into an error', async () => {
    await setup();
    const url = api.createResponseUrl({ channelId: 'C0GENERAL', userId: 'U0ALICE' });
    const r = await post(url, {
      text: 'x',
      blocks: [{ type: 'header', text: { type: 'mrkdwn', text: '*no*' } }],
    });
    expect(r).toMatchObject({ status: 400, json: { ok: false, error: 'invalid_blocks' } });
  });
});

describe('fault injection', () => {
  it('answers HTTP 500', async () => {
    await setup();
    api.faults.add({ method: 'chat.postMessage', kind: 'http500' });
    await expect(web.chat.postMessage({ channel: 'U0ALICE', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.HTTPError,
      statusCode: 500,
    });
    expect(api.calls.at(-1)).toMatchObject({ method: 'chat.postMessage', outcome: 'http500' });
  });

  it('answers 429 with a Retry-After the client observes', async () => {
    await setup();
    api.faults.add({ method: '*', kind: 'ratelimited429', retryAfter: 7, times: 1 });
    const rejecting = client(api.url, { rejectRateLimitedCalls: true });
    const seen: number[] = [];
    rejecting.on(WebClientEvent.RATE_LIMITED, (sec: number) => seen.push(sec));
    await expect(rejecting.chat.postMessage({ channel: 'U0ALICE', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 7,
    });
    expect(seen).toEqual([7]);
    // `times: 1`: the next call goes through.
    expect((await rejecting.chat.postMessage({ channel: 'U0ALICE', text: 'x' })).ok).toBe(true);
  });

  it('holds the request past the client timeout', async () => {
    await setup();
    api.faults.add({ method: 'views.publish', kind: 'timeout', holdMs: 5_000 });
    const impatient = client(api.url, { timeout: 200 });
    const started = Date.now();
    await expect(
      impatient.views.publish({ user_id: 'U0ALICE', view: { type: 'home', blocks: [] } }),
    ).rejects.toMatchObject({ code: ErrorCode.RequestError });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(api.state.homeViews.size).toBe(0);
  });

  it('injects any ok:false error, every Nth call, until cleared', async () => {
    await setup();
    const fault = api.faults.add({
      method: 'chat.postMessage',
      kind: 'error',
      error: 'fatal_error',
      every: 2,
    });
    expect((await web.chat.postMessage({ channel: 'U0ALICE', text: '1' })).ok).toBe(true);
    expect((await slackError(web.chat.postMessage({ channel: 'U0ALICE', text: '2' }))).error).toBe(
      'fatal_error',
    );
    expect((await web.chat.postMessage({ channel: 'U0ALICE', text: '3' })).ok).toBe(true);
    expect(fault.fired).toBe(1);
    api.faults.clear();
    expect((await web.chat.postMessage({ channel: 'U0ALICE', text: '4' })).ok).toBe(true);
    expect(api.state.messages('D0ALICE').map((m) => m.text)).toEqual(['1', '3', '4']);
  });

  it('can fail response_url posts too', async () => {
    await setup();
    api.faults.add({ method: 'response_url', kind: 'http500', times: 1 });
    const url = api.createResponseUrl({ channelId: 'C0GENERAL', userId: 'U0ALICE' });
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text":"x"}',
    });
    expect(res.status).toBe(500);
  });
});

describe('call log and change events', () => {
  it('logs every call with its outcome and never the token', async () => {
    await setup();
    await web.chat.postMessage({ channel: 'U0ALICE', text: 'x', token: BOT } as never);
    await slackError(client(api.url, { token: 'xoxb-bad' }).auth.test());
    expect(api.calls.map((c) => [c.method, c.outcome])).toEqual([
      ['chat.postMessage', 'ok'],
      ['auth.test', 'invalid_auth'],
    ]);
    expect(JSON.stringify(api.calls)).not.toContain(BOT);
  });

  it('emits a change for every state change', async () => {
    await setup();
    const changes: unknown[] = [];
    api.events.on('change', (c) => changes.push(c));
    const r = await web.chat.postMessage({ channel: 'U0ALICE', text: 'x' });
    expect(changes).toContainEqual({ type: 'message', channel: 'D0ALICE', ts: r.ts, user: api.botUserId });
  });

  it('only listens on loopback', async () => {
    await expect(startApi({ host: '0.0.0.0', scopes: ALL_SCOPES }).then((a) => a.close())).rejects.toThrow(
      /loopback/,
    );
    await setup();
    expect(api.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(api.url).toBe(`${api.origin}/api/`);
  });
});
