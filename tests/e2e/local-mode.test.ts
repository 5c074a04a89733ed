/**
 * Local mode without a browser: the page server's own HTTP interface, driven the way the page's
 * script drives it, against the real app and the local Slack API (runs where Chromium does not).
 */
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningLadder, startLadder } from '../../src/main.ts';
import { ActionId, BlockId, ShortcutId, ViewId } from '../../src/slack/ids.ts';
import { tempDir } from '../helpers/tmp.ts';

const ALEX = 'U0DEMO1';
const SAM = 'U0DEMO2';
const GENERAL = 'C0GENERAL';

// biome-ignore lint/suspicious/noExplicitAny: the page's JSON, read the way the page's script reads it.
type Json = any;

async function until<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  what: string,
  timeoutMs = 8_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

function rawRequest(
  url: string,
  opts: { method: string; headers: Record<string, string>; body?: string },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method, headers: opts.headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('local mode: the page server and the app behind it', () => {
  let running: RunningLadder;
  let base: string;
  const logs: string[] = [];

  const state = async (user: string): Promise<Json> => (await fetch(`${base}state?user=${user}`)).json();
  const act = async (name: string, body: Record<string, unknown>): Promise<Json> =>
    (
      await fetch(`${base}act/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json();
  const general = (s: Json) => s.channels.find((c: Json) => c.id === GENERAL);
  const evidence = async (userId: string) =>
    (await running.ctx.repos.evidence.list({ teamId: 'T0LOCAL', userId }, { limit: 100 })).entries;

  beforeAll(async () => {
    running = await startLadder({
      env: { PORT: '0', DATABASE_PATH: path.join(tempDir(), 'local.db'), LOG_LEVEL: 'warn' },
      forceLocal: true,
      writeLog: (line) => logs.push(line),
    });
    base = running.localUrl as string;
  });
  afterAll(async () => {
    await running?.stop();
  });

  it('serves the page on 127.0.0.1 with a strict CSP, and refuses other hosts and cross-site posts', async () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(base);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('<script type="module" src="/app.js"></script>');
    const renderer = await fetch(`${base}render.js`);
    expect(renderer.headers.get('content-type')).toContain('text/javascript');
    expect(await (await fetch(`${base}healthz`)).json()).toMatchObject({ ok: true, database: true });

    const port = new URL(base).port;
    expect(
      await rawRequest(`${base}state`, { method: 'GET', headers: { host: `evil.example:${port}` } }),
    ).toBe(403);
    const body = JSON.stringify({ user: ALEX, channel: GENERAL, text: '/ladder help' });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect(await rawRequest(`${base}act/command`, { method: 'POST', headers: form, body })).toBe(403);
    const foreign = { 'content-type': 'application/json', origin: 'http://evil.example' };
    expect(await rawRequest(`${base}act/command`, { method: 'POST', headers: foreign, body })).toBe(403);
    expect((await act('command', { user: 'U0NOBODY', channel: GENERAL, text: '/ladder help' })).ok).toBe(
      false,
    );
  });

  it('answers /ladder lead in #general with an ephemeral card only the sender sees', async () => {
    expect(await act('command', { user: ALEX, channel: GENERAL, text: '/ladder lead' })).toEqual({
      ok: true,
    });
    const s = await until(
      () => state(ALEX),
      (v) => general(v).items.some((i: Json) => i.kind === 'ephemeral'),
      'the ephemeral reply',
    );
    const reply = general(s).items.find((i: Json) => i.kind === 'ephemeral');
    expect(reply.command).toBe('/ladder lead');
    expect(JSON.stringify(reply.blocks)).toContain('Lead TPM');
    expect(general(await state(SAM)).items.some((i: Json) => i.kind === 'ephemeral')).toBe(false);

    await act('command', { user: ALEX, channel: GENERAL, text: '/nope' });
    const after = await until(
      () => state(ALEX),
      (v) => general(v).items.some((i: Json) => i.kind === 'notice'),
      "Slackbot's notice",
    );
    expect(general(after).items.find((i: Json) => i.kind === 'notice').text).toContain(
      'is not a valid command',
    );
  });

  it('opens the Home tab, logs a win through its modal with field errors, and keeps it private', async () => {
    await act('homeOpened', { user: ALEX, tab: 'home' });
    const s = await until(
      () => state(ALEX),
      (v) => v.home !== null,
      'the Home tab',
    );
    const found = findButton(s.home.view.blocks, ActionId.logWin);
    expect(found).toBeDefined();
    await act('blockAction', { user: ALEX, surface: 'view', viewId: s.home.id, ...found });
    const withModal = await until(
      () => state(ALEX),
      (v) => v.modals.length === 1,
      'the modal',
    );
    const modal = withModal.modals[0];
    expect(modal.view.callback_id).toBe(ViewId.evidenceModal);

    const values = (date: string) => ({
      [BlockId.evidenceText]: { [ActionId.formValue]: { value: 'Ran the Q3 launch review #process' } },
      [BlockId.evidenceDate]: { [ActionId.formValue]: { value: date } },
      [BlockId.evidenceAxes]: { [ActionId.formValue]: { values: ['people'] } },
    });
    expect(await act('viewSubmit', { user: ALEX, viewId: modal.id, state: values('2099-01-01') })).toEqual({
      ok: true,
    });
    const refused = await until(
      () => state(ALEX),
      (v) => v.modals[0]?.errors !== undefined,
      'field errors',
    );
    expect(refused.modals[0].errors[BlockId.evidenceDate]).toContain('future');

    expect(await act('viewSubmit', { user: ALEX, viewId: modal.id, state: values('2026-01-05') })).toEqual({
      ok: true,
    });
    await until(
      () => state(ALEX),
      (v) => v.modals.length === 0,
      'the modal to close',
    );
    expect(await evidence(ALEX)).toEqual([
      expect.objectContaining({
        text: 'Ran the Q3 launch review',
        axes: ['people', 'process'],
        occurredOn: '2026-01-05',
      }),
    ]);
    await until(
      () => state(ALEX),
      (v) => JSON.stringify(v.home.view).includes('Ran the Q3 launch review'),
      'Home',
    );

    await act('homeOpened', { user: SAM, tab: 'home' });
    const sam = await until(
      () => state(SAM),
      (v) => v.home !== null,
      "Sam's Home",
    );
    expect(JSON.stringify(sam.home.view)).not.toContain('Ran the Q3 launch review');
    expect(await evidence(SAM)).toEqual([]);
  });

  it('saves a channel message as evidence through the message shortcut, with its link', async () => {
    const s = await state(ALEX);
    const thanks = general(s).items.find((i: Json) => i.kind === 'message' && i.user === SAM);
    await act('messageAction', {
      user: ALEX,
      channel: GENERAL,
      ts: thanks.ts,
      callbackId: ShortcutId.saveAsEvidence,
    });
    const withModal = await until(
      () => state(ALEX),
      // Prefilled at once; the permalink follows in a views.update.
      (v) => JSON.stringify(v.modals[0]?.view ?? {}).includes('/archives/C0GENERAL/'),
      'the prefilled modal with its link',
    );
    const modal = withModal.modals[0];
    const text = modal.view.blocks.find((b: Json) => b.block_id === BlockId.evidenceText).element
      .initial_value;
    await act('viewSubmit', {
      user: ALEX,
      viewId: modal.id,
      state: {
        [BlockId.evidenceText]: { [ActionId.formValue]: { value: text } },
        [BlockId.evidenceDate]: { [ActionId.formValue]: { value: '2026-01-06' } },
      },
    });
    await until(
      () => state(ALEX),
      (v) => v.modals.length === 0,
      'the modal to close',
    );
    expect((await evidence(ALEX)).find((e) => e.text.includes('cross-team launch review'))?.link).toMatch(
      /\/archives\/C0GENERAL\/p\d+$/,
    );
  });

  it('jumps the clock to the next nudge, and a thread reply to it becomes evidence', async () => {
    const s = await state(ALEX);
    expect(s.clock).toMatchObject({ available: true, canJump: true });
    const dm = s.dm.id;
    expect((await act('clock', { user: ALEX, mode: 'next' })).ok).toBe(false);
    await act('command', { user: ALEX, channel: dm, text: '/ladder nudge on' });
    await until(
      () => state(ALEX),
      (v) => v.dm.items.some((i: Json) => i.kind === 'ephemeral'),
      'the reply',
    );

    const jumped = await act('clock', { user: ALEX, mode: 'next' });
    expect(jumped.ok).toBe(true);
    const withNudge = await until(
      () => state(ALEX),
      (v) => v.dm.items.some((i: Json) => i.kind === 'message' && i.bot),
      'the nudge in the DM',
    );
    expect(withNudge.clock.local).toMatch(/ 16:00$/);
    expect(withNudge.clock.lines.join('\n')).toContain(`T0LOCAL ${ALEX} sent`);
    const nudge = withNudge.dm.items.find((i: Json) => i.kind === 'message' && i.bot);

    const before = (await evidence(ALEX)).length;
    const reply = await act('post', {
      user: ALEX,
      channel: dm,
      threadTs: nudge.ts,
      text: 'Wrote the R&D escalation guide so the team decides without me',
    });
    expect(reply).toEqual({ ok: true });
    await until(
      async () => (await evidence(ALEX)).length,
      (n) => n > before,
      'the reflection to be saved',
    );
    expect((await evidence(ALEX))[0]).toMatchObject({ source: 'reflection' });
    const threaded = await until(
      () => state(ALEX),
      (v) => (v.dm.threads[nudge.ts] ?? []).some((r: Json) => (r.reactions ?? []).length > 0),
      'the confirmation on the reply',
    );
    expect(threaded.dm.threads[nudge.ts][0].reactions[0].name).toBe('white_check_mark');
    expect((await state(SAM)).dm.items).toEqual([]);
  });
});

function findButton(blocks: Json[], actionId: string): { blockId: string; actionId: string } | undefined {
  for (const [i, b] of blocks.entries()) {
    for (const el of b.elements ?? (b.accessory ? [b.accessory] : [])) {
      if (el.action_id === actionId) return { blockId: b.block_id ?? `auto_${i}`, actionId };
    }
  }
  return undefined;
}
