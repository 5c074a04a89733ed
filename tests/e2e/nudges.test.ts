import { afterAll, beforeAll, expect, it } from 'vitest';
import { messageEvent } from '../../src/local/signed-sender.ts';
import type { LocalMessage } from '../../src/local/slack-api.ts';
import { ActionId, BlockId, ViewId } from '../../src/slack/ids.ts';
import { describeOnEngine } from '../helpers/engine.ts';
import { type Harness, runNudgesCli, startHarness, TEAM, USERS } from '../helpers/harness.ts';

const alice = USERS[0]?.id as string; // America/New_York
const bob = USERS[1]?.id as string; // Asia/Tokyo
const carol = USERS[2]?.id as string; // no time zone: UTC
const dan = 'U0DAN'; // Europe/London, turns nudges off
const erin = 'U0ERIN'; // Europe/Paris, pauses
const frank = 'U0FRANK'; // America/Los_Angeles, skips
const owner = (userId: string) => ({ teamId: TEAM, userId });
// The app's own clock: Monday 2027-01-04 (ISO week 2027-W01), before every slot of the week, so
// the app's minute tick never sends; the CLI's --at moves through the week.
const APP_NOW = new Date('2027-01-04T12:00:00Z');

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

describeOnEngine('weekly nudges, end to end (local Slack API, the app and `nudges run --at`)', () => {
  let h: Harness;

  /** `/ladder <text>` as the user; the reply, whether in the ack or by response URL. */
  async function slash(userId: string, text: string): Promise<string> {
    const res = await h.sender.command({ userId, text });
    expect(res.status).toBe(200);
    if (res.json !== undefined) return shown(res.json);
    return shown((await h.sender.waitForResponse(res.responseUrl as string)).body);
  }

  const nudgesRun = (at: string, extra: string[] = []) => runNudgesCli(h, at, extra);

  const dm = (userId: string) => h.api.state.dmChannelId(userId) ?? '';
  /** The bot's top-level messages in the person's DM, oldest first. */
  const nudgesOf = (userId: string) =>
    h.api.state
      .messages(dm(userId))
      .filter((m) => m.user === h.api.botUserId && m.text.startsWith('Weekly reflection'));
  const posts = () => h.api.calls.filter((c) => c.method === 'chat.postMessage' && c.outcome === 'ok').length;
  const reflections = async (userId: string) =>
    (await h.app.ctx.repos.evidence.list(owner(userId), { limit: 100 })).entries.filter(
      (e) => e.source === 'reflection',
    );
  const ledger = async (userId: string) => await h.app.ctx.repos.nudges.ledgerOf(owner(userId));

  beforeAll(async () => {
    h = await startHarness({ now: () => APP_NOW, env: { NUDGE_SEND_RATE: '6000' } });
    h.api.addUser({ id: dan, name: 'dan', tz: 'Europe/London' });
    h.api.addUser({ id: erin, name: 'erin', tz: 'Europe/Paris' });
    h.api.addUser({ id: frank, name: 'frank', tz: 'America/Los_Angeles' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('settings: on (Friday 16:00 local by default), a day and time, off, pause, skip, status', async () => {
    const on = await slash(alice, 'nudge on');
    expect(on).toContain('Fridays at 16:00, America/New_York');
    expect(on).toContain('Friday 8 January 2027 at 16:00');
    expect(await slash(bob, 'nudge on')).toContain('Fridays at 16:00, Asia/Tokyo');
    const carolSet = await slash(carol, 'nudge wed 10:00');
    expect(carolSet).toContain('Wednesdays at 10:00');
    expect(carolSet).toContain('UTC — Slack gave no time zone');
    await slash(dan, 'nudge on');
    expect(await slash(dan, 'nudge off')).toContain('Weekly nudges are off');
    await slash(erin, 'nudge on');
    expect(await slash(erin, 'nudge pause 2w')).toContain('Paused through 2027-01-17');
    await slash(frank, 'nudge on');
    expect(await slash(frank, 'nudge skip')).toContain('Skipping the next one');
    expect(await slash(alice, 'nudge status')).toContain('Next: Friday 8 January 2027 at 16:00');
    expect(await slash(alice, 'nudge fri 25:00')).toContain('is not a time of day: hours go from 0 to 23');
    expect((await h.app.ctx.repos.nudges.getSettings(owner(dan)))?.enabled).toBe(false);
  });

  it('an ok:false internal_error and then a 429 from chat.postMessage: failed → sent over two later runs, one nudge delivered', async () => {
    h.api.faults.add({ method: 'chat.postMessage', kind: 'error', error: 'internal_error', times: 1 });
    const first = await nudgesRun('2027-01-06T10:00:00Z');
    expect(first.lines).toEqual([`${TEAM} ${carol} failed 2027-01-06T10:00 internal_error`]);
    expect(first.code).toBe(1);

    h.api.faults.add({ method: 'chat.postMessage', kind: 'ratelimited429', retryAfter: 1, times: 1 });
    const second = await nudgesRun('2027-01-06T10:02:00Z');
    expect(second.lines).toEqual([`${TEAM} ${carol} failed 2027-01-06T10:00 ratelimited`]);
    expect(second.code).toBe(1);

    const third = await nudgesRun('2027-01-06T10:10:00Z');
    expect(third.lines).toEqual([`${TEAM} ${carol} sent 2027-01-06T10:00`]);
    expect(third.code).toBe(0);
    expect(nudgesOf(carol)).toHaveLength(1);
    expect(await ledger(carol)).toMatchObject([{ weekKey: '2027-W01', state: 'sent', attempts: 2 }]);
  });

  it('`nudge now` sends one prompt at once; it does not count as the week’s nudge', async () => {
    expect(await slash(bob, 'nudge now')).toContain('reflection question in our DM');
    expect(nudgesOf(bob)).toHaveLength(1);
    expect(await ledger(bob)).toEqual([]);
  });

  it('New York and Tokyo are each nudged at their own 16:00; the same week again sends nothing', async () => {
    const early = await nudgesRun('2027-01-08T06:59:00Z');
    expect(early.lines).toEqual([`${TEAM} ${carol} sent 2027-01-06T10:00`]);

    const tokyo = await nudgesRun('2027-01-08T07:00:00Z');
    expect(tokyo.lines).toContain(`${TEAM} ${bob} sent 2027-01-08T16:00`);
    expect(tokyo.lines.some((l) => l.includes(alice))).toBe(false);
    expect(nudgesOf(bob)).toHaveLength(2);
    expect(nudgesOf(alice)).toHaveLength(0);

    const newYork = await nudgesRun('2027-01-08T21:00:00Z');
    expect(newYork.code).toBe(0);
    expect(newYork.lines).toEqual(
      [
        `${TEAM} ${alice} sent 2027-01-08T16:00`,
        `${TEAM} ${bob} sent 2027-01-08T16:00`,
        `${TEAM} ${carol} sent 2027-01-06T10:00`,
        `${TEAM} ${erin} skipped 2027-01-08T16:00 paused`,
      ].sort(),
    );
    expect(nudgesOf(alice)).toHaveLength(1);
    const [nudge] = nudgesOf(alice);
    expect(nudge?.text).toMatch(/^Weekly reflection \(/);
    const blocks = JSON.stringify(nudge?.blocks);
    for (const id of [
      ActionId.nudgeAnswer,
      ActionId.nudgeSkipWeek,
      ActionId.nudgePause,
      ActionId.nudgeStop,
    ]) {
      expect(blocks).toContain(id);
    }
    // Bob's weekly prompt is not the one `nudge now` sent him.
    const [now, weekly] = nudgesOf(bob);
    expect(weekly?.text).not.toBe(now?.text);

    const before = posts();
    const la = await nudgesRun('2027-01-09T00:00:00Z');
    expect(la.lines).toContain(`${TEAM} ${frank} skipped 2027-01-08T16:00 skipped-by-user`);
    const again = await nudgesRun('2027-01-10T23:00:00Z');
    expect(again.lines).toContain(`${TEAM} ${alice} sent 2027-01-08T16:00`);
    expect(posts()).toBe(before);
    for (const u of [dan, erin, frank]) expect(nudgesOf(u)).toHaveLength(0);
    expect(await ledger(dan)).toEqual([]);
  });

  it('--dry-run writes and sends nothing and says who is due', async () => {
    const before = posts();
    const dry = await nudgesRun('2027-01-15T21:00:00Z', ['--dry-run']);
    expect(dry.lines).toContain(`${TEAM} ${alice} due 2027-01-15T16:00`);
    expect(posts()).toBe(before);
    expect(await ledger(alice)).toHaveLength(1);
  });

  it('a thread reply and its retried delivery become exactly one entry tagged with the shift; edit and delete follow', async () => {
    const [nudge] = nudgesOf(alice);
    const row = (await ledger(alice))[0];
    const prompt = h.app.ctx.ladder.prompts.find((p) => p.id === row?.promptId);
    expect(prompt).toBeDefined();
    const reply = h.api.postAsUser({
      user: alice,
      text: 'Handed the release train to Priya #people',
      thread_ts: nudge?.ts as string,
    });
    const event = messageEvent(h.api, reply);
    expect(event.channel_type).toBe('im');
    await h.sender.event({ event, eventId: 'EvREPLY1' });
    await h.sender.event({ event, eventId: 'EvREPLY1', retryNum: 1, retryReason: 'http_timeout' });
    await waitFor(() => h.api.state.message(dm(alice), reply.ts)?.reactions?.length);
    await new Promise((r) => setTimeout(r, 100));
    const saved = await reflections(alice);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({
      text: 'Handed the release train to Priya',
      shift: prompt?.shift,
      promptId: prompt?.id,
      nudgeWeek: '2027-W01',
      axes: ['people'],
      channelId: dm(alice),
      messageTs: reply.ts,
    });
    expect(h.api.state.message(dm(alice), reply.ts)?.reactions?.[0]?.name).toBe('white_check_mark');

    // Edited in Slack: the entry follows.
    await h.sender.event({
      event: {
        type: 'message',
        subtype: 'message_changed',
        hidden: true,
        channel: dm(alice),
        channel_type: 'im',
        ts: '1799999999.000100',
        message: {
          type: 'message',
          user: alice,
          text: 'Handed the release train to Priya and Sam',
          ts: reply.ts,
          thread_ts: nudge?.ts,
        },
        previous_message: {
          type: 'message',
          user: alice,
          text: reply.text,
          ts: reply.ts,
          thread_ts: nudge?.ts,
        },
      },
    });
    await waitFor(
      async () => (await reflections(alice))[0]?.text === 'Handed the release train to Priya and Sam',
    );

    // Deleted in Slack: so is the entry.
    await h.sender.event({
      event: {
        type: 'message',
        subtype: 'message_deleted',
        hidden: true,
        channel: dm(alice),
        channel_type: 'im',
        ts: '1799999999.000200',
        deleted_ts: reply.ts,
        previous_message: {
          type: 'message',
          user: alice,
          text: 'Handed the release train to Priya and Sam',
          ts: reply.ts,
          thread_ts: nudge?.ts,
        },
      },
    });
    await waitFor(async () => (await reflections(alice)).length === 0);
  });

  it('several replies are several entries (a broadcast reply and a file share with words too); a too-long one is explained', async () => {
    const [nudge] = nudgesOf(alice);
    const threadTs = nudge?.ts as string;
    const first = h.api.postAsUser({
      user: alice,
      text: 'Set up the weekly risk review',
      thread_ts: threadTs,
    });
    const second = h.api.postAsUser({ user: alice, text: 'Wrote its checklist', thread_ts: threadTs });
    const third = h.api.postAsUser({ user: alice, text: 'Shared the template', thread_ts: threadTs });
    await h.sender.event({ event: messageEvent(h.api, first) });
    await h.sender.event({ event: { ...messageEvent(h.api, second), subtype: 'thread_broadcast' } });
    await h.sender.event({
      event: { ...messageEvent(h.api, third), subtype: 'file_share', files: [{ id: 'F0X' }] },
    });
    await waitFor(async () => (await reflections(alice)).length === 3);
    const long = h.api.postAsUser({ user: alice, text: 'x'.repeat(3001), thread_ts: threadTs });
    await h.sender.event({ event: messageEvent(h.api, long) });
    const note = await waitFor(() =>
      h.api.state
        .replies(dm(alice), threadTs)
        .find((m) => m.user === h.api.botUserId && m.text.includes('3,001')),
    );
    expect(note.text).toContain('not saved');
    expect(await reflections(alice)).toHaveLength(3);
    for (const e of await reflections(alice)) await h.app.ctx.repos.evidence.delete(owner(alice), e.id);
  });

  it('ignores bot messages, other subtypes, top-level messages and replies outside a nudge thread', async () => {
    const [nudge] = nudgesOf(alice);
    const topLevel = h.api.postAsUser({ user: alice, text: 'hello bot' });
    await h.sender.event({ event: messageEvent(h.api, topLevel) });
    const threadTs = nudge?.ts as string;
    await h.sender.event({
      event: {
        ...messageEvent(h.api, topLevel),
        ts: '1.000001',
        thread_ts: threadTs,
        bot_id: 'B0OTHER',
        user: alice,
      },
    });
    await h.sender.event({
      event: {
        ...messageEvent(h.api, topLevel),
        ts: '1.000002',
        thread_ts: threadTs,
        subtype: 'channel_join',
      },
    });
    const inOtherThread = h.api.postAsUser({ user: alice, text: 'reply to myself', thread_ts: topLevel.ts });
    await h.sender.event({ event: messageEvent(h.api, inOtherThread) });
    await new Promise((r) => setTimeout(r, 200));
    expect(await reflections(alice)).toHaveLength(0);
  });

  it('the Answer button opens a modal whose answer is saved tagged with the shift, once', async () => {
    const [nudge] = nudgesOf(bob).slice(-1);
    const row = (await ledger(bob))[0];
    const prompt = h.app.ctx.ladder.prompts.find((p) => p.id === row?.promptId);
    const click = await h.sender.blockActions({
      userId: bob,
      actions: [{ action_id: ActionId.nudgeAnswer, block_id: BlockId.nudgeActions, value: prompt?.id }],
      channelId: dm(bob),
      message: nudge as LocalMessage,
    });
    expect(click.status).toBe(200);
    const modal = await waitFor(() => h.api.state.openModals(bob).at(-1));
    expect(modal.view.callback_id).toBe(ViewId.nudgeAnswer);
    expect(modal.view.private_metadata ?? '').toBe('');
    const values = {
      [BlockId.nudgeAnswer]: {
        [ActionId.formValue]: { type: 'plain_text_input', value: 'Wrote the on-call checklist' },
      },
    };
    const view = modal.view as Record<string, unknown>;
    const submit = await h.sender.viewSubmission({ userId: bob, view, values });
    expect(submit.status).toBe(200);
    await h.sender.viewSubmission({ userId: bob, view, values });
    const confirmation = await h.sender.waitForResponse(click.responseUrl as string);
    expect(shown(confirmation.body)).toContain('Wrote the on-call checklist');
    expect(await reflections(bob)).toHaveLength(1);
    expect((await reflections(bob))[0]).toMatchObject({
      shift: prompt?.shift,
      promptId: prompt?.id,
      nudgeWeek: '2027-W01',
    });
  });

  it('next week: a different prompt; Pause 2 weeks and Stop nudges on the DM are respected', async () => {
    const week1 = (await ledger(alice))[0]?.promptId;
    const run = await nudgesRun('2027-01-15T21:00:00Z');
    expect(run.lines).toContain(`${TEAM} ${alice} sent 2027-01-15T16:00`);
    expect(run.lines).toContain(`${TEAM} ${erin} skipped 2027-01-15T16:00 paused`);
    const week2 = (await ledger(alice))[1];
    expect(week2?.weekKey).toBe('2027-W02');
    expect(week2?.promptId).not.toBe(week1);
    expect(nudgesOf(alice)).toHaveLength(2);

    // Alice presses Pause 2 weeks, Bob presses Stop nudges on their latest DM.
    const press = async (userId: string, actionId: string) => {
      const nudge = nudgesOf(userId).at(-1) as LocalMessage;
      await h.sender.blockActions({
        userId,
        actions: [{ action_id: actionId, block_id: BlockId.nudgeActions, value: 'x' }],
        channelId: dm(userId),
        message: nudge,
      });
      await waitFor(() => h.api.state.message(dm(userId), nudge.ts)?.edited);
      return h.api.state.message(dm(userId), nudge.ts) as LocalMessage;
    };
    const paused = await press(alice, ActionId.nudgePause);
    expect(JSON.stringify(paused.blocks)).toContain('Paused through');
    expect(JSON.stringify(paused.blocks)).not.toContain(ActionId.nudgePause);
    expect((await h.app.ctx.repos.nudges.getSettings(owner(alice)))?.pausedThrough).toBe('2027-01-17');
    const stopped = await press(bob, ActionId.nudgeStop);
    expect(JSON.stringify(stopped.blocks)).toContain('Weekly nudges are off');
    expect((await h.app.ctx.repos.nudges.getSettings(owner(bob)))?.enabled).toBe(false);
  });

  it('forget removes the settings, the ledger, the DM cache and the prompt history', async () => {
    const before = await h.app.ctx.repos.userData.count(owner(alice));
    for (const table of ['nudge_settings', 'nudge_ledger', 'nudge_dm_channels', 'nudge_history'] as const) {
      expect(before[table]).toBeGreaterThan(0);
    }
    const bobBefore = await h.app.ctx.repos.userData.count(owner(bob));
    await h.app.ctx.repos.userData.deleteAll(owner(alice));
    expect(Object.values(await h.app.ctx.repos.userData.count(owner(alice))).every((n) => n === 0)).toBe(
      true,
    );
    expect(await h.app.ctx.repos.userData.count(owner(bob))).toEqual(bobBefore);
  });

  it('logs counts, never user text', () => {
    const joined = h.logs.join('\n');
    expect(joined).not.toContain('Handed the release train');
    expect(joined).not.toContain('Wrote the on-call checklist');
  });
});
