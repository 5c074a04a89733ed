/**
 * Issue #23 item 2, the nudges: a person whose rows were made under a workspace install and who
 * then uses the org-wide install (or the other way round, before their rows moved) is never nudged
 * again after Stop or `nudge off` from either side, and never twice in one week across the two
 * tenants. Real signed requests through the local Slack API; the scheduler's tick and the
 * `ladder nudges run` CLI; what Slack was asked to post is read from the local API's call record.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { formatRunLine } from '../../src/domain/nudge-report.ts';
import {
  appHomeOpenedEvent,
  createSignedSender,
  type SentResponse,
  type SignedSender,
} from '../../src/local/signed-sender.ts';
import type { LocalMessage } from '../../src/local/slack-api-state.ts';
import { ActionId, BlockId, COMMAND } from '../../src/slack/ids.ts';
import { orgSenders } from '../helpers/distribution.ts';
import { describeOnEngine } from '../helpers/engine.ts';
import { type Harness, runNudgesCli, SIGNING_SECRET, startHarness, TEAM, USERS } from '../helpers/harness.ts';
import { shown } from '../helpers/reliability.ts';

const ORG = 'E0GRID';
const alice = USERS[0]?.id as string; // America/New_York
const bob = USERS[1]?.id as string; // Asia/Tokyo
const carol = USERS[2]?.id as string; // no zone: UTC
// Saturday 5 December 2026, 17:00 UTC: the app's own clock. Week 2026-W50 runs Mon 7 to Sun 13 Dec.
const NOW = new Date('2026-12-05T17:00:00Z');
// Tuesday 8 December, 14:05 UTC: 09:05 in New York, 23:05 in Tokyo, 14:05 in UTC.
const TUESDAY = '2026-12-08T14:05:00Z';
const THURSDAY = '2026-12-10T14:05:00Z';
const NEXT_TUESDAY = '2026-12-15T14:05:00Z';
const TUESDAY_AFTER = '2026-12-22T14:05:00Z';

describeOnEngine('nudges of a person across a workspace install and the org-wide install', () => {
  let h: Harness;
  /** Requests through the workspace's own install (no org): the rows are the workspace's. */
  let ws: SignedSender;
  /** Requests through the org-wide install from the same workspace: the tenant is the enterprise. */
  let org: SignedSender;
  /** Requests through the workspace's own install, the workspace being part of the org. */
  let wsInOrg: SignedSender;

  beforeEach(async () => {
    h = await startHarness({ now: () => NOW, env: { NUDGE_SEND_RATE: '6000' } });
    ws = h.sender;
    ({ org, wsInOrg } = orgSenders(h, TEAM, ORG));
  });
  afterEach(async () => {
    await h.close();
  });

  async function slash(s: SignedSender, userId: string, text: string): Promise<string> {
    const res: SentResponse = await s.command({ userId, text });
    expect(res.status).toBe(200);
    if (res.json !== undefined) return shown(res.json);
    return shown((await s.waitForResponse(res.responseUrl as string, { timeoutMs: 15_000 })).body);
  }
  const dm = (userId: string) => h.api.state.dmChannelId(userId) ?? '';
  const nudgesOf = (userId: string) =>
    h.api.state
      .messages(dm(userId))
      .filter((m) => m.user === h.api.botUserId && m.text.startsWith('Weekly reflection'));
  /** Who Slack was asked to post a message to since call `from`: the DM channels' people. */
  const postedTo = (from: number) => {
    const people = new Map(USERS.map((u) => [dm(u.id), u.id]));
    return h.api.calls
      .slice(from)
      .filter((c) => c.method === 'chat.postMessage')
      .map((c) => people.get(String(c.params.channel)) ?? String(c.params.channel))
      .sort();
  };
  async function tick(at: string) {
    const run = await h.app.scheduler.runOnce(new Date(at));
    await h.app.scheduler.sender.drain();
    return run.lines.map(formatRunLine).join('\n');
  }
  const cliRun = (at: string) => runNudgesCli(h, at);
  async function press(s: SignedSender, userId: string, actionId: string, nudge: LocalMessage) {
    const res = await s.blockActions({
      userId,
      actions: [{ action_id: actionId, block_id: BlockId.nudgeActions, value: 'x' }],
      channelId: dm(userId),
      message: nudge,
    });
    expect(res.status).toBe(200);
    const post = await s
      .waitForResponse(res.responseUrl as string, { timeoutMs: 3_000 })
      .catch(() => undefined);
    return post ? shown(post.body) : '';
  }
  const enabled = async (teamId: string, userId: string) =>
    (await h.app.ctx.repos.nudges.getSettings({ teamId, userId }))?.enabled;

  it('after Stop (alice) and nudge off (bob) from the org side, neither the tick nor nudges run sends them anything', async () => {
    // Alice and Bob set nudges up in the workspace; Carol, the control, through the org install.
    expect(await slash(ws, alice, 'nudge tue 09:00')).toContain('Tuesday');
    expect(await slash(ws, bob, 'nudge tue 23:00')).toContain('Tuesday');
    expect(await slash(org, carol, 'nudge tue 14:00')).toContain('Tuesday');
    const first = h.api.calls.length;
    const run = await tick(TUESDAY);
    expect(run).toContain(`${TEAM} ${alice} sent`);
    expect(run).toContain(`${TEAM} ${bob} sent`);
    expect(run).toContain(`${ORG} ${carol} sent`);
    expect(postedTo(first)).toEqual([alice, bob, carol].sort());

    // Alice's first org request is Stop on the nudge the workspace sent her.
    const [nudge] = nudgesOf(alice);
    expect(nudge).toBeDefined();
    await press(org, alice, ActionId.nudgeStop, nudge as LocalMessage);
    await expect.poll(() => enabled(ORG, alice)).toBe(false);
    expect(await slash(org, bob, 'nudge off')).toContain('off');
    expect(await enabled(ORG, bob)).toBe(false);
    // Nothing of theirs stays under the workspace to be nudged from there.
    expect(await h.app.ctx.repos.nudges.getSettings({ teamId: TEAM, userId: alice })).toBeUndefined();
    expect(await h.app.ctx.repos.nudges.getSettings({ teamId: TEAM, userId: bob })).toBeUndefined();

    const beforeCli = h.api.calls.length;
    const cli = await cliRun(NEXT_TUESDAY);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(`${ORG} ${carol} sent`);
    expect(postedTo(beforeCli)).toEqual([carol]);

    const beforeTick = h.api.calls.length;
    expect(await tick(TUESDAY_AFTER)).toContain(`${ORG} ${carol} sent`);
    expect(postedTo(beforeTick)).toEqual([carol]);
    expect(nudgesOf(alice)).toHaveLength(1);
    expect(nudgesOf(bob)).toHaveLength(1);
  });

  it('sent this week under the workspace: after the move, a tick in the same week sends her nothing', async () => {
    expect(await slash(ws, alice, 'nudge tue 09:00')).toContain('Tuesday');
    const first = h.api.calls.length;
    expect(await tick(TUESDAY)).toContain(`${TEAM} ${alice} sent`);
    expect(postedTo(first)).toEqual([alice]);

    // Her first org request moves her rows; she moves her nudge to Thursday. Bob starts on the org side.
    expect(await slash(org, alice, 'nudge thu 09:00')).toContain('Thursday');
    expect(await slash(org, bob, 'nudge thu 23:00')).toContain('Thursday');
    const ledger = await h.app.ctx.repos.nudges.ledgerOf({ teamId: ORG, userId: alice });
    expect(ledger.map((r) => `${r.weekKey}`)).toContain('2026-W50');

    const thursday = h.api.calls.length;
    const run = await tick(THURSDAY);
    expect(run).toContain(`${ORG} ${bob} sent`);
    // The report names her week as the one sent on Tuesday; nothing is sent for Thursday.
    expect(run).toContain(`${ORG} ${alice} sent 2026-12-08T09:00`);
    expect(run).not.toContain(`${alice} sent 2026-12-10`);
    expect(postedTo(thursday)).toEqual([bob]);
    expect(nudgesOf(alice)).toHaveLength(1);

    // The week after, she is nudged again, once, on her new day.
    const next = h.api.calls.length;
    expect(await tick('2026-12-17T14:05:00Z')).toContain(`${ORG} ${alice} sent`);
    expect(postedTo(next)).toEqual([alice, bob].sort());
  });

  it('from the workspace side of an org, nudge off and Stop reach the nudges set up through the org install', async () => {
    // Alice and Bob set nudges up through the org install, and have rows under the workspace too.
    expect(await slash(org, alice, 'nudge tue 09:00')).toContain('Tuesday');
    expect(await slash(org, bob, 'nudge tue 23:00')).toContain('Tuesday');
    expect(await slash(org, carol, 'nudge tue 14:00')).toContain('Tuesday');
    const first = h.api.calls.length;
    await tick(TUESDAY);
    expect(postedTo(first)).toEqual([alice, bob, carol].sort());
    expect(await slash(wsInOrg, alice, 'log Ran the workspace retro')).toContain('Ran the workspace retro');
    expect(await slash(wsInOrg, bob, 'log Paired on the billing bug')).toContain('billing bug');

    // Alice presses Stop on the org's nudge from the workspace's own install; Bob says nudge off there.
    const [nudge] = nudgesOf(alice);
    await press(wsInOrg, alice, ActionId.nudgeStop, nudge as LocalMessage);
    await expect.poll(() => enabled(ORG, alice)).toBe(false);
    expect(await slash(wsInOrg, bob, 'nudge off')).toContain('off');
    expect(await enabled(ORG, bob)).toBe(false);
    // Carol, who did neither, is untouched.
    expect(await enabled(ORG, carol)).toBe(true);

    const later = h.api.calls.length;
    const cli = await cliRun(NEXT_TUESDAY);
    expect(cli.code).toBe(0);
    expect(await tick(TUESDAY_AFTER)).toContain(`${ORG} ${carol} sent`);
    expect(postedTo(later)).toEqual([carol, carol]);
  });

  it('skip and pause from the workspace side hold for the nudges set up through the org install', async () => {
    // Alice has nudges under both installs; Bob only through the org; Carol is the control.
    expect(await slash(org, alice, 'nudge tue 09:00')).toContain('Tuesday');
    expect(await slash(wsInOrg, alice, 'nudge tue 09:00')).toContain('Tuesday');
    expect(await slash(org, bob, 'nudge tue 23:00')).toContain('Tuesday');
    expect(await slash(org, carol, 'nudge tue 14:00')).toContain('Tuesday');

    // From the workspace's own install: Alice skips this week's nudge, Bob pauses for two weeks.
    expect(await slash(wsInOrg, alice, 'nudge skip')).toContain('skip');
    const paused = await slash(wsInOrg, bob, 'nudge pause 2w');
    expect(paused).toContain('Paused');
    expect(paused).not.toContain('Nudges are off');
    expect((await h.app.ctx.repos.nudges.getSettings({ teamId: ORG, userId: alice }))?.skipWeek).toBe(
      '2026-W50',
    );

    const first = h.api.calls.length;
    await tick(TUESDAY);
    expect(postedTo(first)).toEqual([carol]);
    // The week after: the skip is over for Alice; Bob is still paused. (With one bot token and no
    // stored installations, which tenants make up the org is not known: the once-a-week rule
    // across them is held in distribution mode, grid-move-guard.test.ts.)
    const next = h.api.calls.length;
    await tick(NEXT_TUESDAY);
    expect(postedTo(next)).toContain(alice);
    expect(postedTo(next)).toContain(carol);
    expect(postedTo(next)).not.toContain(bob);
  });

  it('the Home tab’s nudge switch, off from the workspace side, switches off the org’s nudges too', async () => {
    expect(await slash(org, alice, 'nudge tue 09:00')).toContain('Tuesday');
    await wsInOrg.event({ event: appHomeOpenedEvent(h.api, alice) });
    await expect.poll(() => h.api.state.homeViews.get(alice)?.id).toBeDefined();
    const off = await wsInOrg.blockActions({
      userId: alice,
      actions: [{ action_id: ActionId.homeNudgeToggle, block_id: 'x', value: 'off' }],
      container: { type: 'view' },
      view: { type: 'home', id: h.api.state.homeViews.get(alice)?.id },
    });
    expect(off.status).toBe(200);
    await expect.poll(() => enabled(ORG, alice)).toBe(false);
    const from = h.api.calls.length;
    await tick(TUESDAY);
    expect(postedTo(from)).toEqual([]);
  });

  it('a workspace outside the org does not reach the org’s rows', async () => {
    expect(await slash(org, alice, 'nudge tue 09:00')).toContain('Tuesday');
    const elsewhere = createSignedSender({
      appUrl: `http://127.0.0.1:${h.app.port}/slack/events`,
      signingSecret: SIGNING_SECRET,
      api: h.api,
      command: COMMAND,
      teamId: TEAM,
      enterpriseId: 'E0OTHER',
    });
    await slash(elsewhere, alice, 'nudge off');
    expect(await enabled(ORG, alice)).toBe(true);
  });
});
