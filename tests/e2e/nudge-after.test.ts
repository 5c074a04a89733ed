/**
 * Nudges after the fact (issue 15, items 4 and 5), end to end against the local Slack API:
 * after the clock delivered a nudge ahead of the app's own "now" (the local workspace's clock),
 * Skip and `nudge status` name the next unsent slot; after `/ladder forget`, a reply or a button on
 * an old nudge says plainly that Ladder holds nothing and how to start again, and Stop still stops.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatRunLine } from '../../src/domain/nudge-report.ts';
import { messageEvent, type SentResponse } from '../../src/local/signed-sender.ts';
import type { LocalMessage } from '../../src/local/slack-api-state.ts';
import { ActionId, BlockId } from '../../src/slack/ids.ts';
import { describeOnEngine } from '../helpers/engine.ts';
import { type Harness, startHarness, TEAM, USERS } from '../helpers/harness.ts';

const alice = USERS[0]?.id as string; // America/New_York
const bob = USERS[1]?.id as string; // Asia/Tokyo
const owner = (userId: string) => ({ teamId: TEAM, userId });
// Saturday 5 December 2026, 17:00 UTC (12:00 in New York): the app's own clock.
const NOW = new Date('2026-12-05T17:00:00Z');

type Reply = { text?: string; blocks?: unknown[] };
const shown = (r: unknown) => {
  const j = (r ?? {}) as Reply;
  return `${j.text ?? ''}\n${JSON.stringify(j.blocks ?? [])}`;
};

async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 5_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describeOnEngine('nudges after a run and after forget, end to end', () => {
  let h: Harness;
  async function slash(userId: string, text: string): Promise<string> {
    const res: SentResponse = await h.sender.command({ userId, text });
    expect(res.status).toBe(200);
    if (res.json !== undefined) return shown(res.json);
    return shown((await h.sender.waitForResponse(res.responseUrl as string)).body);
  }
  const dm = (userId: string) => h.api.state.dmChannelId(userId) ?? '';
  const nudgesOf = (userId: string) =>
    h.api.state
      .messages(dm(userId))
      .filter((m) => m.user === h.api.botUserId && m.text.startsWith('Weekly reflection'));
  async function press(userId: string, actionId: string, nudge: LocalMessage): Promise<string> {
    const res = await h.sender.blockActions({
      userId,
      actions: [{ action_id: actionId, block_id: BlockId.nudgeActions, value: 'x' }],
      channelId: dm(userId),
      message: nudge,
    });
    expect(res.status).toBe(200);
    const post = await h.sender.waitForResponse(res.responseUrl as string).catch(() => undefined);
    return post ? shown(post.body) : (h.api.state.message(dm(userId), nudge.ts)?.text ?? '');
  }

  beforeAll(async () => {
    h = await startHarness({ now: () => NOW });
  });
  afterAll(async () => {
    await h.close();
  });

  it('after the clock delivered Tue 8 Dec, nudge status and Skip name the next unsent slot', async () => {
    expect(await slash(alice, 'nudge tue 09:00')).toContain('Tuesday 8 December 2026 at 09:00');
    // The local workspace's clock runs the due-check at Tuesday 09:05 New York, ahead of the app's now.
    const run = await h.app.scheduler.runOnce(new Date('2026-12-08T14:05:00Z'));
    expect(run.lines.map(formatRunLine).join('\n')).toContain(`${alice} sent 2026-12-08T09:00`);
    const [nudge] = nudgesOf(alice);
    expect(nudge).toBeDefined();

    const status = await slash(alice, 'nudge status');
    expect(status).toContain('Tuesday 15 December 2026 at 09:00');
    expect(status).not.toContain('8 December');

    // Skip on the delivered nudge: the note under the question names the next unsent slot.
    await press(alice, ActionId.nudgeSkipWeek, nudge as LocalMessage);
    const updated = await waitFor(() => {
      const m = h.api.state.message(dm(alice), (nudge as LocalMessage).ts);
      return m?.edited ? JSON.stringify(m.blocks) : undefined;
    });
    expect(updated).toContain('15 December');
    expect(updated).not.toContain('8 December');

    // `nudge skip` skips the next unsent nudge (15 Dec), never the one already sent.
    const skip = await slash(alice, 'nudge skip');
    expect(skip).toContain('22 December');
    expect(skip).not.toContain('8 December');
  });

  it('after /ladder forget, a reply in an old nudge thread is told Ladder holds nothing and how to start again', async () => {
    expect(await slash(bob, 'nudge now')).toContain('reflection question');
    const nudge = await waitFor(() =>
      h.api.state.messages(dm(bob)).find((m) => m.user === h.api.botUserId && m.blocks !== undefined),
    );
    const forget = await h.sender.command({ userId: bob, text: 'forget' });
    expect(shown(forget.json)).toContain(ActionId.forgetConfirm);
    const confirm = await h.sender.blockActions({
      userId: bob,
      actions: [{ action_id: ActionId.forgetConfirm, block_id: BlockId.forgetActions, value: 'forget' }],
    });
    await h.sender.waitForResponse(confirm.responseUrl as string);
    // The Home republished after forget is read-only; nothing of Bob is held.
    await waitFor(async () =>
      Object.values(await h.app.ctx.repos.userData.count(owner(bob))).every((n) => n === 0),
    );

    const reply = h.api.postAsUser({ user: bob, text: 'Handed the release to Priya', thread_ts: nudge.ts });
    await h.sender.event({ event: messageEvent(h.api, reply) });
    const said = await waitFor(() =>
      h.api.state.replies(dm(bob), nudge.ts).find((m) => m.user === h.api.botUserId),
    );
    expect(said.text).toContain('I did not keep this reply');
    expect(said.text).toContain('Ladder holds nothing about you now');
    expect(said.text).toContain('/ladder nudge on');
    expect(h.api.state.message(dm(bob), reply.ts)?.reactions ?? []).toEqual([]);
    expect(await h.app.ctx.repos.evidence.count(owner(bob))).toBe(0);

    // Its buttons say the same instead of "I no longer know that question".
    for (const action of [ActionId.nudgeSkipWeek, ActionId.nudgeAnswer]) {
      const text = await press(bob, action, nudge);
      expect(text).toContain('Ladder holds nothing about you now');
      expect(text).not.toContain('no longer know that question');
    }
  });

  it('Stop on an old nudge still stops, also after nudges were turned on again', async () => {
    const [old] = h.api.state.messages(dm(bob)).filter((m) => m.user === h.api.botUserId && m.blocks);
    const stopped = await press(bob, ActionId.nudgeStop, old as LocalMessage);
    expect(stopped).toContain('Stopped');
    expect(stopped).toContain('Ladder holds nothing about you now');

    expect(await slash(bob, 'nudge on')).toContain('Friday');
    expect((await h.app.ctx.repos.nudges.getSettings(owner(bob)))?.enabled).toBe(true);
    const again = await press(bob, ActionId.nudgeStop, old as LocalMessage);
    expect(again).toContain('off');
    expect((await h.app.ctx.repos.nudges.getSettings(owner(bob)))?.enabled).toBe(false);
  });
});
