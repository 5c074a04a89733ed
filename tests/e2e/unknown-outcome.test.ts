import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.ts';
import { createNudgeScheduler } from '../../src/scheduler/scheduler.ts';
import { createNudgeDm } from '../../src/slack/dm.ts';
import { describeOnEngine } from '../helpers/engine.ts';
import { BOT_TOKEN, type Harness, startHarness, TEAM, USERS } from '../helpers/harness.ts';
import { shown, waitFor } from '../helpers/reliability.ts';

/**
 * Slack carried a call out and its answer was lost (a proxy's 502): the app cannot know it
 * succeeded, so it must never do it a second time. The local API's `answerLost502` fault posts
 * the message (or stores the file) and then answers 502.
 */
const alice = USERS[0]?.id as string; // America/New_York
const carol = USERS[2]?.id as string; // no time zone: UTC
const owner = (userId: string) => ({ teamId: TEAM, userId });
// Monday of ISO week 2027-W01, before every slot: the app's own minute tick never sends.
const APP_NOW = new Date('2027-01-04T12:00:00Z');

describeOnEngine('an unknown outcome is never repeated', () => {
  let h: Harness;

  const dm = (userId: string) => h.api.state.dmChannelId(userId) ?? '';
  const nudgesOf = (userId: string) =>
    h.api.state
      .messages(dm(userId))
      .filter((m) => m.user === h.api.botUserId && m.text.startsWith('Weekly reflection'));

  async function nudgesRun(at: string) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['nudges', 'run', '--at', at], {
      env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: h.api.url, ...h.storage.env },
      stdout: (s) => {
        stdout += s;
      },
      stderr: (s) => {
        stderr += s;
      },
    });
    return { code, lines: stdout.split('\n').filter(Boolean), stderr };
  }

  /** `/ladder <text>`; waits for the answer when it comes by response URL (a time zone read first). */
  async function slash(userId: string, text: string) {
    const res = await h.sender.command({ userId, text });
    expect(res.status).toBe(200);
    if (res.json === undefined && !text.startsWith('nudge now') && !text.startsWith('export')) {
      await h.sender.waitForResponse(res.responseUrl as string);
    }
    return res;
  }

  beforeAll(async () => {
    h = await startHarness({ now: () => APP_NOW });
  });
  afterAll(async () => {
    await h.close();
  });

  it('a weekly nudge posted and then answered 502: one nudge, reported failed unknown-outcome by four later runs', async () => {
    await slash(carol, 'nudge wed 10:00');
    await slash(carol, 'nudge on');
    const fault = h.api.faults.add({ method: 'chat.postMessage', kind: 'answerLost502', times: 1 });
    const first = await nudgesRun('2027-01-06T10:00:00Z');
    expect(fault.fired).toBe(1);
    expect(first.lines).toEqual([`${TEAM} ${carol} failed 2027-01-06T10:00 unknown-outcome`]);
    expect(first.code).toBe(1);
    for (const at of [
      '2027-01-06T10:05:00Z',
      '2027-01-06T11:00:00Z',
      '2027-01-06T20:00:00Z',
      '2027-01-07T09:00:00Z',
    ]) {
      const later = await nudgesRun(at);
      expect(later.lines).toEqual([`${TEAM} ${carol} failed 2027-01-06T10:00 unknown-outcome`]);
    }
    expect(nudgesOf(carol)).toHaveLength(1);
    expect(await h.app.ctx.repos.nudges.ledgerOf(owner(carol))).toMatchObject([
      { weekKey: '2027-W01', state: 'sending' },
    ]);
    // What the operator reads: the outcome, and no one's words.
    expect(first.stderr).toContain('nudge delivery outcome unknown');
    expect(first.stderr).toContain('http_502');
    expect(first.stderr).not.toContain('Weekly reflection');
  });

  it('a 500 from chat.postMessage is an unknown outcome too: not sent again', async () => {
    await slash(alice, 'nudge on');
    h.api.faults.add({ method: 'chat.postMessage', kind: 'http500', times: 1 });
    const first = await nudgesRun('2027-01-08T21:00:00Z');
    expect(first.lines, first.stderr).toContain(`${TEAM} ${alice} failed 2027-01-08T16:00 unknown-outcome`);
    const later = await nudgesRun('2027-01-08T22:00:00Z');
    expect(later.lines).toContain(`${TEAM} ${alice} failed 2027-01-08T16:00 unknown-outcome`);
    expect(nudgesOf(alice)).toHaveLength(0);
  });

  it('`nudge now` posted then answered 502: exactly one question in the DM', async () => {
    const before = h.api.state.messages(dm(alice)).length;
    const callsBefore = h.api.calls.length;
    const fault = h.api.faults.add({ method: 'chat.postMessage', kind: 'answerLost502', times: 1 });
    const res = await slash(alice, 'nudge now');
    await waitFor(() => h.logs.some((l) => l.includes('listener failed')));
    expect(fault.fired).toBe(1);
    const posts = h.api.calls.slice(callsBefore).filter((c) => c.method === 'chat.postMessage');
    expect(posts.map((c) => c.outcome)).toEqual(['ok, answer lost']);
    const reflections = h.api.state
      .messages(dm(alice))
      .slice(before)
      .filter((m) => m.text.startsWith('Weekly reflection'));
    expect(reflections).toHaveLength(1);
    // The person is told something went wrong, once, where they asked.
    const notice = await h.sender.waitForResponse(res.responseUrl as string);
    expect(shown(notice.body)).toContain('something went wrong');
  });

  it('a confirmation shown through the response URL and then answered 502 is not posted again to the DM', async () => {
    const before = h.api.state.messages(dm(alice)).length;
    h.api.faults.add({ method: 'response_url', kind: 'answerLost502', times: 1 });
    const res = await slash(alice, 'nudge now');
    const confirmation = await h.sender.waitForResponse(res.responseUrl as string);
    expect(shown(confirmation.body)).toContain("I've sent you a reflection question");
    await waitFor(() => h.logs.some((l) => l.includes('response url outcome unknown')));
    const newInDm = h.api.state.messages(dm(alice)).slice(before);
    // The question itself, and no copy of the confirmation.
    expect(newInDm.map((m) => m.text.startsWith('Weekly reflection'))).toEqual([true]);
    expect(h.api.state.postsTo(res.responseUrl as string)).toHaveLength(1);
  });

  it('an export whose upload completes and is then answered 502: one file in the DM', async () => {
    await slash(alice, 'log Ran the launch readiness review #process');
    const filesBefore = h.api.state.files.size;
    h.api.faults.add({ method: 'files.completeUploadExternal', kind: 'answerLost502', times: 1 });
    const res = await slash(alice, 'export csv');
    await h.sender.waitForResponse(res.responseUrl as string);
    const shared = [...h.api.state.files.values()].slice(filesBefore).filter((f) => f.shares.length > 0);
    expect(shared).toHaveLength(1);
    expect(h.api.calls.filter((c) => c.method === 'files.completeUploadExternal')).toHaveLength(1);
  });

  it('a person forgotten between the post and "sent" stays forgotten: no history row comes back', async () => {
    await slash(carol, 'nudge fri 09:00');
    const scheduler = createNudgeScheduler({
      ctx: h.app.ctx,
      botToken: BOT_TOKEN,
      nudgeDm: (client) => createNudgeDm(h.app.ctx, client),
      hooks: {
        afterPost: async (job) => {
          await h.app.ctx.repos.userData.deleteAll(owner(job.userId));
        },
      },
    });
    // The app's own sender handed the workspace's send lease back free from its next paced send.
    await waitFor(async () => {
      const lease = await h.app.ctx.repos.sendLeases.holder(TEAM);
      return !lease || lease.expiresAt.getTime() <= Date.now();
    });
    const run = await scheduler.runOnce(new Date('2027-01-15T09:00:00Z'));
    await scheduler.stop();
    expect(run.lines.filter((l) => l.reason === 'sender-elsewhere')).toEqual([]);
    expect(nudgesOf(carol)).toHaveLength(2);
    expect(Object.values(await h.app.ctx.repos.userData.count(owner(carol))).every((n) => n === 0)).toBe(
      true,
    );
  });
});
