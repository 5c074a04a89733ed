/**
 * Export and the radar chart, end to end: signed slash commands and Home buttons against the
 * local Slack API, files through the three upload steps of files.uploadV2 to the requesting
 * user's DM, the user's own entries only, and `/ladder forget` deleting the uploaded files.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { NewEvidence } from '../../src/db/evidence-repository.ts';
import { parseExport } from '../../src/domain/export/json.ts';
import { appHomeOpenedEvent, type SentResponse } from '../../src/local/signed-sender.ts';
import type { LocalFile } from '../../src/local/slack-api-state.ts';
import { ActionId, BlockId, nthActionId } from '../../src/slack/ids.ts';
import { describeOnEngine } from '../helpers/engine.ts';
import { type Harness, startHarness, TEAM, USERS } from '../helpers/harness.ts';

const alice = USERS[0]?.id as string; // America/New_York
const bob = USERS[1]?.id as string; // Asia/Tokyo
const carol = USERS[2]?.id as string; // no profile, no entries
const owner = (userId: string) => ({ teamId: TEAM, userId });
// Friday 2026-11-20 03:00 UTC: Thursday the 19th in New York.
const NOW = new Date('2026-11-20T03:00:00Z');

const ALICE_WINS = [
  {
    occurredOn: '2026-11-02',
    text: 'Alice: ran the cross-team launch review, 4 teams',
    axes: ['process', 'influence'],
  },
  { occurredOn: '2026-08-14', text: 'Alice: mentored two TPMs | pipes, "quotes", commas', axes: ['people'] },
  { occurredOn: '2026-03-03', text: '=HYPERLINK("http://evil.example","x") formula-looking', axes: [] },
  { occurredOn: '2024-01-10', text: 'Alice: an old win from two years ago', axes: ['system'] },
] as const;
const BOB_SECRET = 'Bob private: negotiated the vendor exit';

async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function shown(json: unknown): string {
  const j = (json ?? {}) as { text?: string; blocks?: unknown[] };
  return `${j.text ?? ''}\n${JSON.stringify(j.blocks ?? [])}`;
}

async function seed(
  h: Harness,
  userId: string,
  e: Partial<NewEvidence> & { occurredOn: string; text: string },
): Promise<number> {
  return (
    await h.app.ctx.repos.evidence.insert(
      owner(userId),
      {
        text: e.text,
        occurredOn: e.occurredOn,
        axes: e.axes ?? [],
        shift: e.shift ?? null,
        scope: e.scope ?? null,
        link: e.link ?? null,
        source: e.source ?? 'command',
        promptId: e.promptId ?? null,
        nudgeWeek: e.nudgeWeek ?? null,
      },
      NOW,
    )
  ).entry.id;
}

describeOnEngine('export and chart, end to end', () => {
  let h: Harness;
  let reflectionQuestion = '';

  /** The reply after the ack: the first post to the command's response URL. */
  const reply = async (res: SentResponse) => {
    expect(res.status).toBe(200);
    return (await h.sender.waitForResponse(res.responseUrl as string, { timeoutMs: 15_000 })).body as {
      text: string;
      blocks: Array<Record<string, unknown>>;
    };
  };
  /** Files the app uploaded since `since` (a count of files before), in upload order. */
  const filesSince = (since: number): LocalFile[] => [...h.api.state.files.values()].slice(since);
  const fileCount = () => h.api.state.files.size;
  const callsSince = (since: number) => h.api.calls.slice(since).map((c) => c.method);

  beforeAll(async () => {
    h = await startHarness({ now: () => NOW });
    const prompt = h.app.ctx.ladder.prompts[0];
    if (!prompt) throw new Error('the ladder data has no prompts');
    reflectionQuestion = prompt.question;
    for (const w of ALICE_WINS) await seed(h, alice, { ...w, axes: [...w.axes] });
    await seed(h, alice, {
      occurredOn: '2026-10-09',
      text: 'Alice reflection: handed the release decision to Sam',
      shift: prompt.shift,
      source: 'reflection',
      promptId: prompt.id,
      nudgeWeek: '2026-W41',
      link: 'https://acme.slack.com/archives/C0PROGRAM1/p1760000000000100',
    });
    await seed(h, bob, { occurredOn: '2026-11-01', text: BOB_SECRET, axes: ['people'] });
    await h.app.ctx.repos.profiles.setLevels(owner(alice), { level: 'tpm4', target: 'tpm5' }, NOW);
    await h.app.ctx.repos.profiles.setLevels(owner(bob), { level: 'tpm3' }, NOW);
  });
  afterAll(async () => {
    await h.close();
  });

  it('/ladder export uploads the Markdown packet and its chart to the user’s DM through all three steps', async () => {
    const files = fileCount();
    const calls = h.api.calls.length;
    const body = await reply(await h.sender.command({ userId: alice, text: 'export' }));
    const text = shown(body);
    expect(text).toContain('Markdown review packet');
    expect(text).toContain('4 entries');
    expect(text).toContain('last year');
    expect(text).toContain('in our DM');

    // Steps 1 (twice: the packet and the chart), 2 (the bytes, twice), 3 (one message).
    const steps = callsSince(calls).filter((m) => m.startsWith('files.') || m === 'file_upload');
    expect(steps.filter((m) => m === 'files.getUploadURLExternal')).toHaveLength(2);
    expect(steps.filter((m) => m === 'file_upload')).toHaveLength(2);
    expect(steps.filter((m) => m === 'files.completeUploadExternal')).toHaveLength(1);
    expect(steps.indexOf('files.completeUploadExternal')).toBe(steps.length - 1);

    const [md, png] = filesSince(files);
    const dm = h.api.state.dmChannelId(alice) as string;
    expect(dm).toMatch(/^D/);
    for (const f of [md, png]) {
      expect(f?.completed).toBe(true);
      expect(f?.shares.map((s) => s.channel)).toEqual([dm]);
      expect(h.api.state.channels.get(dm)?.members).toContain(alice);
      expect(h.api.state.channels.get(dm)?.members).not.toContain(bob);
    }
    expect(md?.name).toBe('ladder-review-packet-2026-11-19.md');
    const packet = md?.bytes?.toString('utf8') ?? '';
    expect(packet).toContain('# Review packet: Alice Example');
    expect(packet).toContain('TPM4');
    expect(packet).toContain('TPM5');
    expect(packet).toContain('ran the cross-team launch review');
    expect(packet).toContain('mentored two TPMs \\| pipes');
    expect(packet).toContain(reflectionQuestion.slice(0, 40));
    expect(packet).not.toContain('an old win from two years ago'); // outside the default year
    expect(packet).not.toContain('Bob');

    expect(png?.name).toMatch(/^ladder-chart-2026-11-19\.png$/);
    const image = PNG.sync.read(png?.bytes as Buffer);
    expect(Math.min(image.width, image.height)).toBeGreaterThanOrEqual(600);
    expect(png?.altText).toContain('Technology: current');

    // One message in the DM carries both files and the one-line summary.
    const message = h.api.state.messages(dm).at(-1);
    expect(message?.text).toContain('4 entries');
    expect(message?.files).toHaveLength(2);

    const recorded = (await h.app.ctx.repos.exports.files(owner(alice))).map((f) => [f.fileId, f.kind]);
    expect(recorded).toEqual([
      [md?.id, 'markdown'],
      [png?.id, 'chart'],
    ]);
  });

  it('export csv: one RFC 4180 row per entry of the year, formulas neutralised, nobody else’s', async () => {
    const files = fileCount();
    const text = shown(await reply(await h.sender.command({ userId: alice, text: 'export csv' })));
    expect(text).toContain('CSV');
    const [csv] = filesSince(files);
    expect(filesSince(files)).toHaveLength(1);
    expect(csv?.name).toBe('ladder-evidence-2026-11-19.csv');
    expect(csv?.shares.map((s) => s.channel)).toEqual([h.api.state.dmChannelId(alice)]);
    const rows = parseCsv(csv?.bytes?.toString('utf8') ?? '', { columns: true, bom: true }) as Array<
      Record<string, string>
    >;
    expect(rows.map((r) => r.date)).toEqual(['2026-03-03', '2026-08-14', '2026-10-09', '2026-11-02']);
    expect(rows[0]?.text).toBe(`'${ALICE_WINS[2].text}`);
    expect(rows[1]?.text).toBe(ALICE_WINS[1].text);
    expect(JSON.stringify(rows)).not.toContain('Bob');
  });

  it('export json: everything about the user, all time by default, in the documented format', async () => {
    const files = fileCount();
    const text = shown(await reply(await h.sender.command({ userId: alice, text: 'export json' })));
    expect(text).toContain('5 entries');
    expect(text).toContain('all time');
    const [json] = filesSince(files);
    const data = parseExport(json?.bytes?.toString('utf8') ?? '');
    expect(data).toMatchObject({ team_id: TEAM, user_id: alice, profile: { level: 'tpm4', target: 'tpm5' } });
    expect(data.entries.map((e) => e.occurredOn)).toEqual([
      '2024-01-10',
      '2026-03-03',
      '2026-08-14',
      '2026-10-09',
      '2026-11-02',
    ]);
    expect(data.reflections).toEqual([
      expect.objectContaining({ entryId: 4, week: '2026-W41', promptId: h.app.ctx.ladder.prompts[0]?.id }),
    ]);
    // The files uploaded before this one are listed, so forget and an import can find them.
    expect(data.exports.map((f) => f.kind)).toEqual(['markdown', 'chart', 'csv']);
    expect(data.dmChannel?.channelId).toBe(h.api.state.dmChannelId(alice));
    expect(JSON.stringify(data)).not.toContain(BOB_SECRET);
  });

  it('another user’s export holds only their entries and goes to their own DM', async () => {
    const files = fileCount();
    await reply(await h.sender.command({ userId: bob, text: 'export md all' }));
    const [md] = filesSince(files);
    const bobDm = h.api.state.dmChannelId(bob) as string;
    expect(bobDm).not.toBe(h.api.state.dmChannelId(alice));
    expect(md?.shares.map((s) => s.channel)).toEqual([bobDm]);
    const packet = md?.bytes?.toString('utf8') ?? '';
    expect(packet).toContain(BOB_SECRET);
    expect(packet).not.toContain('Alice');
    expect(await h.app.ctx.repos.exports.files(owner(bob))).toHaveLength(filesSince(files).length);
  });

  it('a cached DM channel Slack no longer knows is dropped and the DM opened again', async () => {
    await h.app.ctx.repos.nudges.cacheDmChannel(owner(alice), 'D0GONE000', NOW);
    const files = fileCount();
    const text = shown(await reply(await h.sender.command({ userId: alice, text: 'export csv' })));
    expect(text).toContain('in our DM');
    const uploaded = filesSince(files).filter((f) => f.completed);
    expect(uploaded.map((f) => f.shares.map((s) => s.channel))).toEqual([[h.api.state.dmChannelId(alice)]]);
    expect(await h.app.ctx.repos.nudges.dmChannel(owner(alice))).toBe(h.api.state.dmChannelId(alice));
  });

  it('an empty period gets a friendly message and no file; a bad period gets the parser’s message', async () => {
    const files = fileCount();
    const empty = shown(await reply(await h.sender.command({ userId: alice, text: 'export md 7d' })));
    expect(empty).toContain('no evidence in the period');
    expect(empty).toContain('last 7 days');
    const none = shown(await reply(await h.sender.command({ userId: carol, text: 'export' })));
    expect(none).toContain('no evidence in the period');
    const bad = await h.sender.command({ userId: alice, text: 'export csv fortnight' });
    expect(shown(bad.json)).toContain("I don't know the period");
    expect(fileCount()).toBe(files);
  });

  it('/ladder chart uploads the PNG to the DM and shows it in the reply by slack_file id', async () => {
    const files = fileCount();
    const calls = h.api.calls.length;
    const body = await reply(await h.sender.command({ userId: alice, text: 'chart' }));
    expect(callsSince(calls)).toEqual(
      expect.arrayContaining(['files.getUploadURLExternal', 'file_upload', 'files.completeUploadExternal']),
    );
    const [png] = filesSince(files);
    expect(png?.shares.map((s) => s.channel)).toEqual([h.api.state.dmChannelId(alice)]);
    const image = PNG.sync.read(png?.bytes as Buffer);
    expect(image.width).toBeGreaterThanOrEqual(600);
    const block = body.blocks.find((b) => b.type === 'image') as
      | { slack_file: { id: string }; alt_text: string }
      | undefined;
    expect(block?.slack_file).toEqual({ id: png?.id });
    expect(block?.alt_text).toMatch(/Technology: current \d/);
    expect(block?.alt_text).toContain('target');
    expect((await h.app.ctx.repos.exports.homeChart(owner(alice)))?.fileId).toBe(png?.id);
  });

  it('/ladder chart retries once when Slack has not processed the image yet', async () => {
    const fault = h.api.faults.add({
      method: 'response_url',
      kind: 'error',
      error: 'invalid_blocks',
      times: 1,
    });
    const body = await reply(await h.sender.command({ userId: alice, text: 'chart' }));
    expect(fault.fired).toBe(1);
    expect(body.blocks.some((b) => b.type === 'image')).toBe(true);
  });

  it('/ladder chart without a level asks for one and uploads nothing', async () => {
    const files = fileCount();
    const text = shown(await reply(await h.sender.command({ userId: carol, text: 'chart' })));
    expect(text).toContain('me level');
    expect(fileCount()).toBe(files);
  });

  it('the App Home’s buttons export to the clicker’s DM and put the chart on the Home', async () => {
    await h.sender.event({ event: appHomeOpenedEvent(h.api, bob) });
    const homeView = await waitFor(() => h.api.state.homeViews.get(bob)?.view);
    expect(JSON.stringify(homeView.blocks)).toContain(ActionId.exportFile);
    const files = fileCount();
    await h.sender.blockActions({
      userId: bob,
      view: homeView,
      actions: [
        { action_id: nthActionId(ActionId.exportFile, 1), block_id: BlockId.homeActions, value: 'csv' },
      ],
    });
    const csv = await waitFor(() => filesSince(files).find((f) => f.completed));
    expect(csv.name).toMatch(/\.csv$/);
    expect(csv.shares.map((s) => s.channel)).toEqual([h.api.state.dmChannelId(bob)]);
    expect(csv.bytes?.toString('utf8')).toContain('vendor exit');

    await h.sender.blockActions({
      userId: bob,
      view: homeView,
      actions: [{ action_id: ActionId.exportChart, block_id: BlockId.homeActions, value: 'chart' }],
    });
    const chartId = await waitFor(async () => (await h.app.ctx.repos.exports.homeChart(owner(bob)))?.fileId);
    await waitFor(() =>
      JSON.stringify(h.api.state.homeViews.get(bob)?.view.blocks ?? []).includes(chartId as string),
    );
  });

  it('/ladder forget deletes the uploaded files from Slack, then the rows; others’ files stay', async () => {
    const aliceFiles = (await h.app.ctx.repos.exports.files(owner(alice))).map((f) => f.fileId);
    const bobFiles = (await h.app.ctx.repos.exports.files(owner(bob))).map((f) => f.fileId);
    expect(aliceFiles.length).toBeGreaterThanOrEqual(5);
    await h.sender.command({ userId: alice, text: 'forget' });
    const confirm = await h.sender.blockActions({
      userId: alice,
      actions: [{ action_id: ActionId.forgetConfirm, block_id: BlockId.forgetActions, value: 'forget' }],
    });
    const done = shown((await h.sender.waitForResponse(confirm.responseUrl as string)).body);
    expect(done).toContain('exported files');
    for (const id of aliceFiles) expect(h.api.state.files.get(id)?.deleted, id).toBe(true);
    for (const id of bobFiles) expect(h.api.state.files.get(id)?.deleted, id).toBe(false);
    expect(await h.app.ctx.repos.exports.files(owner(alice))).toEqual([]);
    const deletes = h.api.calls.filter((c) => c.method === 'files.delete');
    expect(deletes.length).toBe(aliceFiles.length);
  });
});
