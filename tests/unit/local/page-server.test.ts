import { EventEmitter } from 'node:events';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageSession } from '../../../src/local/page-actions.ts';
import { type PageServer, startPageServer } from '../../../src/local/page-server.ts';
import { createSignedSender } from '../../../src/local/signed-sender.ts';
import { type LocalSlackApi, startLocalSlackApi } from '../../../src/local/slack-api.ts';
import { DEMO_USERS } from '../../../src/local/workspace.ts';
import { createLogger } from '../../../src/log.ts';
import { LOCAL_PAGE_DIR } from '../../../src/paths.ts';
import { COMMAND } from '../../../src/slack/ids.ts';

const BOT = 'xoxb-page-server-test';
const [alex, sam] = DEMO_USERS.map((u) => u.id) as [string, string];
// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe('the page server: files and live updates', () => {
  let api: LocalSlackApi;
  let page: PageServer;
  let base: string;

  beforeAll(async () => {
    api = await startLocalSlackApi({
      botToken: BOT,
      scopes: ['chat:write', 'files:write', 'im:write'],
      users: DEMO_USERS.map((u) => ({ id: u.id, name: u.name, realName: u.realName, tz: u.tz })),
    });
    for (const u of DEMO_USERS) api.openDm(u.id);
    const session: PageSession = {
      api,
      // Nothing here talks to an app; the sender is never used.
      sender: createSignedSender({
        appUrl: 'http://127.0.0.1:9/slack/events',
        signingSecret: 'unused-secret',
        api,
        command: COMMAND,
      }),
      users: DEMO_USERS,
      app: { command: '/ladder', usageHint: '', shortcuts: [], events: [] },
      nudges: {},
      clock: { at: null, lines: [] },
      notices: [],
      commands: new Map(),
      logger: createLogger({ level: 'error', write: () => {} }),
      changes: new EventEmitter(),
      now: Date.now,
    };
    page = await startPageServer({
      session,
      port: 0,
      health: async () => ({ ok: true }),
      hint: [],
      teamName: 'Test',
      pageDir: LOCAL_PAGE_DIR,
    });
    base = page.url;
    const client = new WebClient(BOT, { slackApiUrl: api.url, retryConfig: { retries: 0 } });
    const dm = api.state.dmChannelId(alex) as string;
    await client.filesUploadV2({ channel_id: dm, filename: 'radar.png', file: PNG, title: 'Your radar' });
    await client.filesUploadV2({ channel_id: dm, filename: 'packet.md', content: '# Review packet\n' });
  });
  // biome-ignore lint/suspicious/noExplicitAny: the page's JSON, read the way the page's script reads it.
  const state = async (user: string): Promise<any> => (await fetch(`${base}state?user=${user}`)).json();

  afterAll(async () => {
    await page?.close();
    await api?.close();
  });

  it('lists uploaded files in the DM, images shown inline', async () => {
    const s = await state(alex);
    const files = s.dm.items.flatMap((i: { files?: unknown[] }) => i.files ?? []);
    expect(files).toEqual([
      expect.objectContaining({ name: 'radar.png', title: 'Your radar', image: true, mimetype: 'image/png' }),
      expect.objectContaining({ name: 'packet.md', image: false, deleted: false }),
    ]);
  });

  it('serves a file to a person who can see it: images inline on request, the rest as downloads', async () => {
    const s = await state(alex);
    const [png, md] = s.dm.items.flatMap((i: { files?: Array<{ url: string }> }) => i.files ?? []);
    const image = await fetch(new URL(`${png.url}&inline=1`, base));
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true);

    const download = await fetch(new URL(`${md.url}&inline=1`, base));
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(download.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''packet.md");
    expect(await download.text()).toBe('# Review packet\n');

    // Someone the file was not shared with gets nothing.
    const other = new URL(png.url, base);
    other.searchParams.set('user', sam);
    expect((await fetch(other)).status).toBe(404);
  });

  it('tells the page about every change as a Server-Sent Event', async () => {
    const controller = new AbortController();
    const res = await fetch(`${base}events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let seen = '';
    const read = (async () => {
      while (!seen.includes('data: change')) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += Buffer.from(value).toString('utf8');
      }
    })();
    api.postAsUser({ channel: 'C0GENERAL', user: sam, text: 'hello' });
    await read;
    controller.abort();
    expect(seen).toContain('data: change');
  });
});
