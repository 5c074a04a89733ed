/**
 * Slack text in, readable text out (issue 15, items 1 and 2), end to end: signed requests against
 * the local Slack API. Mentions, channels, links and `<!here>` saved through "Save as evidence"
 * and `/ladder log` read as @Name, #channel, "label (url)" and @here in the list, the Home, the
 * summary, the CSV and the Markdown packet; the Slack text is kept; a message saved twice is one
 * entry; older entries are converted by a resumable job that never rewrites the original.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.ts';
import { EXPORT_FORMAT_VERSION, parseExport } from '../../src/domain/export/json.ts';
import { appHomeOpenedEvent, messageEvent, type SentResponse } from '../../src/local/signed-sender.ts';
import type { LocalFile } from '../../src/local/slack-api-state.ts';
import { ActionId, BlockId, ShortcutId, ViewId } from '../../src/slack/ids.ts';
import { describeOnEngine } from '../helpers/engine.ts';
import { evidenceFormValues, type Harness, startHarness, TEAM, USERS } from '../helpers/harness.ts';
import { rows, sql } from '../helpers/tables.ts';
import { tempDir } from '../helpers/tmp.ts';

const alice = USERS[0]?.id as string;
const bob = USERS[1]?.id as string;
const carol = USERS[2]?.id as string;
const owner = (userId: string) => ({ teamId: TEAM, userId });
const NOW = new Date('2026-11-20T15:00:00Z');
const CHANNEL = 'C0LAUNCH';

/** A message as Slack sends it: an unlabelled mention (users.info), a channel, a labelled link, @here. */
const SLACK_TEXT = `Thanks <@${bob}> for the launch in <#${CHANNEL}|launches>: <https://docs.example.com/launch|the launch doc> <!here>`;
const READABLE =
  'Thanks @bob for the launch in #launches: the launch doc (https://docs.example.com/launch) @here';
/** What must never reach a person: raw tokens, Slack's escapes, Markdown-escaped tokens. */
const RAW = ['<@', '<#', '<!here', '<!channel', '<!subteam', '&lt;', '\\<'];

function shown(json: unknown): string {
  const j = (json ?? {}) as { text?: string; blocks?: unknown[] };
  return `${j.text ?? ''}\n${JSON.stringify(j.blocks ?? [])}`;
}

async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 5_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function expectReadable(surface: string, where: string): void {
  for (const raw of RAW) expect(surface, `${where} shows ${raw}`).not.toContain(raw);
}

describeOnEngine('Slack text in, readable text out, end to end', () => {
  let h: Harness;
  const entries = async (userId: string) =>
    (await h.app.ctx.repos.evidence.list(owner(userId), { limit: 1000 })).entries;
  const openModal = (userId: string) => h.api.state.openModals(userId).at(-1);
  const modalText = (userId: string) => {
    const blocks = (openModal(userId)?.view.blocks ?? []) as Array<Record<string, unknown>>;
    const el = blocks.find((b) => b.block_id === BlockId.evidenceText)?.element as
      | { initial_value?: string }
      | undefined;
    return el?.initial_value ?? '';
  };
  async function slash(userId: string, text: string): Promise<string> {
    const res: SentResponse = await h.sender.command({ userId, text });
    expect(res.status).toBe(200);
    if (res.json !== undefined) return shown(res.json);
    return shown((await h.sender.waitForResponse(res.responseUrl as string, { timeoutMs: 15_000 })).body);
  }
  async function exported(userId: string, format: string): Promise<string> {
    const before = h.api.state.files.size;
    await slash(userId, `export ${format}`);
    const file = await waitFor(() =>
      [...h.api.state.files.values()].slice(before).find((f: LocalFile) => !f.name.endsWith('.png')),
    );
    return file.bytes?.toString('utf8') ?? '';
  }
  async function saveMessage(userId: string, channel: string, message: { ts: string; text?: string }) {
    const opened = () => h.api.calls.filter((c) => c.method === 'views.open' && c.outcome === 'ok').length;
    const before = opened();
    const res = await h.sender.messageAction({
      userId,
      callbackId: ShortcutId.saveAsEvidence,
      channelId: channel,
      message: message as never,
    });
    expect(res.status).toBe(200);
    await waitFor(() => opened() > before);
    return res;
  }

  beforeAll(async () => {
    h = await startHarness({ now: () => NOW });
    h.api.addChannel({ id: CHANNEL, name: 'launches', members: [alice, bob, carol], botIsMember: true });
  });
  afterAll(async () => {
    await h.close();
  });

  it('Save as evidence: the form shows the readable text; the entry keeps the Slack text and the message', async () => {
    const message = h.api.postAsUser({ channel: CHANNEL, user: bob, text: SLACK_TEXT });
    const res = await saveMessage(alice, CHANNEL, message);
    // The permalink arrives with an update of the same form.
    await waitFor(() => JSON.stringify(openModal(alice)?.view).includes('/archives/'));
    expect(modalText(alice)).toBe(READABLE);
    await h.sender.viewSubmission({
      userId: alice,
      view: openModal(alice)?.view as Record<string, unknown>,
      values: evidenceFormValues(modalText(alice), '2026-11-20'),
    });
    const reply = shown((await h.sender.waitForResponse(res.responseUrl as string)).body);
    expect(reply).toContain('Saved to your evidence');
    expect(reply).toContain('@bob');
    expectReadable(reply, 'the confirmation');
    const [entry] = await entries(alice);
    expect(entry).toMatchObject({
      text: READABLE,
      originalText: SLACK_TEXT,
      source: 'shortcut',
      channelId: CHANNEL,
      messageTs: message.ts,
    });
  });

  it('/ladder log with the same markup reads the same, and keeps what Slack sent', async () => {
    const reply = await slash(alice, `log ${SLACK_TEXT} #people`);
    expect(reply).toContain('Saved to your evidence');
    expectReadable(reply, 'the confirmation');
    const [entry] = await entries(alice);
    expect(entry).toMatchObject({ text: READABLE, originalText: SLACK_TEXT, axes: ['people'] });
  });

  it('the list, the Home, the summary, the CSV and the Markdown packet read @Name, #channel, label (url), @here', async () => {
    const list = await slash(alice, 'evidence');
    expect(list).toContain('Thanks @bob for the launch in #launches');
    expect(list).toContain('the launch doc (https://docs.example.com/launch) @here');
    expectReadable(list, 'the list');

    await h.sender.event({ event: appHomeOpenedEvent(h.api, alice) });
    const home = await waitFor(() => {
      const v = JSON.stringify(h.api.state.homeViews.get(alice)?.view ?? '');
      return v.includes('Thanks @bob') ? v : undefined;
    });
    expect(home).toContain('@here');
    expectReadable(home, 'the Home');

    const summary = await slash(alice, 'summary');
    expect(summary).toContain('Thanks @bob');
    expectReadable(summary, 'the summary');

    const csv = await exported(alice, 'csv');
    const rows = parseCsv(csv, { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.text)).toEqual([READABLE, READABLE]);
    expectReadable(csv, 'the CSV');

    const packet = await exported(alice, 'md');
    expect(packet).toContain('Thanks @bob for the launch in #launches');
    expect(packet).toContain('https://docs.example.com/launch');
    expectReadable(packet, 'the Markdown packet');
  });

  it('the JSON export (version 3 and later) carries both texts; import keeps both, and converts a version 1 file', async () => {
    const json = await exported(alice, 'json');
    const data = parseExport(json);
    expect(data.version).toBe(EXPORT_FORMAT_VERSION);
    expect(data.entries.map((e) => [e.text, e.originalText])).toEqual([
      [READABLE, SLACK_TEXT],
      [READABLE, SLACK_TEXT],
    ]);
    const dir = tempDir();
    const v3 = path.join(dir, 'v3.json');
    fs.writeFileSync(v3, json);
    // Version 1: no originalText, the Slack text in `text` (as older Ladders exported it).
    const v1 = path.join(dir, 'v1.json');
    const old = JSON.parse(json) as { version: number; entries: Array<Record<string, unknown>> };
    old.version = 1;
    for (const e of old.entries) {
      e.text = e.originalText;
      delete e.originalText;
    }
    fs.writeFileSync(v1, JSON.stringify(old));
    const io = { stdout: () => {}, stderr: (s: string) => void process.stderr.write(s) };
    const env = h.storage.env;
    expect(await runCli(['import', v3, '--team', TEAM, '--user', 'U0IMPORT3'], { env, ...io })).toBe(0);
    expect(await runCli(['import', v1, '--team', TEAM, '--user', 'U0IMPORT1'], { env, ...io })).toBe(0);
    const imported = async (userId: string) =>
      (await entries(userId)).map((e) => [e.text, e.originalText, e.converted]);
    expect(await imported('U0IMPORT3')).toEqual([
      [READABLE, SLACK_TEXT, true],
      [READABLE, SLACK_TEXT, true],
    ]);
    // The v1 text names a person only Slack can name: the running app's job finishes it.
    expect((await imported('U0IMPORT1'))[0]?.[2]).toBe(false);
    await h.app.scheduler.convertEntries();
    expect(await imported('U0IMPORT1')).toEqual([
      [READABLE, SLACK_TEXT, true],
      [READABLE, SLACK_TEXT, true],
    ]);
  });

  it('a message saved twice is one entry: the second try says where the first is and opens it', async () => {
    const message = h.api.state.messages(CHANNEL).find((m) => m.text === SLACK_TEXT) as { ts: string };
    const before = (await entries(alice)).length;
    await saveMessage(alice, CHANNEL, message);
    const modal = openModal(alice);
    expect(modal?.view.callback_id).toBe(ViewId.evidenceAlreadySaved);
    const said = JSON.stringify(modal?.view);
    expect(said).toContain('already in your evidence');
    expect(said).toContain('2026-11-20');
    expect(said).toContain('Thanks @bob');
    // "Open the entry" turns the same modal into that entry's form; saving it edits, never copies.
    const saved = (await entries(alice)).find((e) => e.messageTs === message.ts);
    await h.sender.blockActions({
      userId: alice,
      actions: [
        {
          action_id: ActionId.evidenceOpenSaved,
          block_id: BlockId.evidenceActions,
          value: String(saved?.id),
        },
      ],
      container: { type: 'view', view_id: modal?.id },
      view: { ...(modal?.view as Record<string, unknown>), id: modal?.id },
    });
    await waitFor(() => openModal(alice)?.view.callback_id === ViewId.evidenceModal);
    expect(modalText(alice)).toBe(READABLE);
    await h.sender.viewSubmission({
      userId: alice,
      view: openModal(alice)?.view as Record<string, unknown>,
      values: evidenceFormValues(`${READABLE} (again)`, '2026-11-20'),
    });
    await waitFor(async () => (await entries(alice)).some((e) => e.text.endsWith('(again)')));
    expect(await entries(alice)).toHaveLength(before);
    const edited = (await entries(alice)).find((e) => e.id === saved?.id);
    expect(edited).toMatchObject({ messageTs: message.ts, channelId: CHANNEL });
  });

  it('a nudge reply already saved (✅) and then saved with the shortcut stays one entry', async () => {
    await slash(carol, 'nudge now');
    const dm = h.api.state.dmChannelId(carol) as string;
    const nudge = await waitFor(() => h.api.state.messages(dm).find((m) => m.user === h.api.botUserId));
    const reply = h.api.postAsUser({
      user: carol,
      text: `Paired with <@${alice}> on the risk register`,
      thread_ts: nudge.ts,
    });
    await h.sender.event({ event: messageEvent(h.api, reply) });
    await waitFor(() => h.api.state.message(dm, reply.ts)?.reactions?.length);
    expect((await entries(carol)).map((e) => e.text)).toEqual(['Paired with @alice on the risk register']);
    await saveMessage(carol, dm, reply);
    expect(openModal(carol)?.view.callback_id).toBe(ViewId.evidenceAlreadySaved);
    expect(await entries(carol)).toHaveLength(1);
  });

  it('two forms open on one message: the second Save says it was saved meanwhile and copies nothing', async () => {
    const message = h.api.postAsUser({ channel: CHANNEL, user: alice, text: 'Closed the launch retro' });
    await saveMessage(bob, CHANNEL, message);
    const first = openModal(bob)?.view as Record<string, unknown>;
    await saveMessage(bob, CHANNEL, message);
    const second = openModal(bob)?.view as Record<string, unknown>;
    expect(second.callback_id).toBe(ViewId.evidenceModal);
    await h.sender.viewSubmission({
      userId: bob,
      view: first,
      values: evidenceFormValues('Closed the launch retro', '2026-11-20'),
    });
    const res = await h.sender.viewSubmission({
      userId: bob,
      view: second,
      values: evidenceFormValues('Closed the launch retro', '2026-11-20'),
    });
    const ack = res.json as { response_action: string; errors: Record<string, string> };
    expect(ack.response_action).toBe('errors');
    expect(ack.errors[BlockId.evidenceText]).toContain('saved meanwhile');
    expect((await entries(bob)).filter((e) => e.messageTs === message.ts)).toHaveLength(1);
  });

  it('older entries are converted by a resumable job; the original column is never rewritten', async () => {
    const legacy = `Unblocked <@${bob}> and <@U0GONE> in <#${CHANNEL}|launches> &lt;fast&gt;`;
    // Rows as they were before readable text existed: Slack text only (a reply kept its escapes).
    const insert = async (text: string, source: string) => {
      const [row] = await rows<{ id: number }>(
        h.app,
        sql`INSERT INTO evidence (team_id, user_id, text, occurred_on, source, created_at, updated_at)
            VALUES (${TEAM}, ${alice}, ${text}, '2026-11-01', ${source}, '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')
            RETURNING id`,
      );
      return Number(row?.id);
    };
    const ids = [await insert(legacy, 'reflection'), await insert(`Thanked <@${carol}>`, 'command')];
    const get = async (id: number) => await h.app.ctx.repos.evidence.get(owner(alice), id);
    // Before the job: still nothing raw shown, unnamed people as @someone.
    expect((await get(ids[0] as number))?.text).toBe('Unblocked @someone and @someone in #launches <fast>');

    // A rate-limited lookup leaves the row for the next pass; the next pass finishes it.
    const fault = h.api.faults.add({ method: 'users.info', kind: 'ratelimited429' });
    const first = await h.app.scheduler.convertEntries();
    expect((await get(ids[0] as number))?.converted).toBe(false);
    expect(first.remaining).toBeGreaterThan(0);
    fault.remove();
    const second = await h.app.scheduler.convertEntries();
    expect(second.remaining).toBe(0);
    expect(await get(ids[0] as number)).toMatchObject({
      text: 'Unblocked @bob and @someone in #launches <fast>',
      originalText: legacy,
      converted: true,
    });
    expect((await get(ids[1] as number))?.text).toBe('Thanked @carol');
    const [raw] = await rows<{ text: string }>(h.app, sql`SELECT text FROM evidence WHERE id = ${ids[0]}`);
    expect(raw?.text).toBe(legacy);
  });
});
