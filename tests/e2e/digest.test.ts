import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.ts';
import { parseExport } from '../../src/domain/export/json.ts';
import { checkMessage, checkView } from '../../src/local/block-limits.ts';
import { appHomeOpenedEvent } from '../../src/local/signed-sender.ts';
import { ActionId, BlockId } from '../../src/slack/ids.ts';
import { spawnLadder } from '../helpers/child.ts';
import { describeOnEngine } from '../helpers/engine.ts';
import { BOT_TOKEN, type Harness, startHarness, TEAM, USERS } from '../helpers/harness.ts';

const alice = USERS[0]?.id as string; // America/New_York: Monday 4 January 2027 16:00 = 21:00Z
const bob = USERS[1]?.id as string; // Asia/Tokyo: 16:00 = 07:00Z the same Monday
const carol = USERS[2]?.id as string; // no time zone: UTC
const dan = 'U0DAN'; // Europe/London, weekly nudges set to Tuesday 09:30 and then off
const erin = 'U0ERIN'; // Europe/Paris: a failure, then the retry
const fay = 'U0FAY'; // America/Los_Angeles: the run killed after the post
const gus = 'U0GUS'; // Australia/Sydney: the run killed after the claim
const hal = 'U0HAL'; // Europe/Berlin: the App Home's switch
const owner = (userId: string) => ({ teamId: TEAM, userId });
// The app's own clock: Thursday 10 December 2026, so entries logged now are December's, and the
// app's minute tick never reaches a digest slot; the CLI's --at moves through January.
const APP_NOW = new Date('2026-12-10T12:00:00Z');
let appNow = APP_NOW;

function shown(json: unknown): string {
  const j = (json ?? {}) as { text?: string; blocks?: unknown[] };
  return `${j.text ?? ''}\n${JSON.stringify(j.blocks ?? [])}`;
}

describeOnEngine('the monthly digest, end to end (local Slack API, the app and `nudges run --at`)', () => {
  let h: Harness;

  async function slash(userId: string, text: string): Promise<string> {
    const res = await h.sender.command({ userId, text });
    expect(res.status).toBe(200);
    if (res.json !== undefined) return shown(res.json);
    return shown((await h.sender.waitForResponse(res.responseUrl as string)).body);
  }

  const env = () => ({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: h.api.url,
    ...h.storage.env,
    NUDGE_SEND_RATE: '6000',
  });

  async function nudgesRun(at: string, extra: string[] = []) {
    let stdout = '';
    const code = await runCli(['nudges', 'run', '--at', at, ...extra], {
      env: env(),
      stdout: (s) => {
        stdout += s;
      },
      stderr: () => {},
    });
    return { code, lines: stdout.split('\n').filter(Boolean) };
  }

  const linesOf = (lines: string[], userId: string) => lines.filter((l) => l.includes(` ${userId} `));
  /** The digests in the person's DM, oldest first. */
  const digestsOf = (userId: string) =>
    h.api.state
      .messages(h.api.state.dmChannelId(userId) ?? '')
      .filter((m) => m.user === h.api.botUserId && m.text.startsWith('Monthly digest'));

  beforeAll(async () => {
    h = await startHarness({ now: () => appNow, env: { NUDGE_SEND_RATE: '6000' } });
    h.api.addUser({ id: dan, name: 'dan', tz: 'Europe/London' });
    h.api.addUser({ id: erin, name: 'erin', tz: 'Europe/Paris' });
    h.api.addUser({ id: fay, name: 'fay', tz: 'America/Los_Angeles' });
    h.api.addUser({ id: gus, name: 'gus', tz: 'Australia/Sydney' });
    h.api.addUser({ id: hal, name: 'hal', tz: 'Europe/Berlin' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('digest on | off | status: the first Monday of next month at the weekly nudge time, in the person’s zone', async () => {
    expect(await slash(alice, 'digest status')).toContain('Monthly digest: off');
    const on = await slash(alice, 'digest on');
    expect(on).toContain('Monthly digest is on');
    expect(on).toContain('Next: Monday 4 January 2027 at 16:00');
    expect(on).toContain('America/New_York');
    expect(await slash(bob, 'digest on')).toContain('Asia/Tokyo');
    expect(await slash(carol, 'digest on')).toContain('UTC');
    // The weekly nudge's time counts even with weekly nudges off.
    await slash(dan, 'nudge tue 09:30');
    await slash(dan, 'nudge off');
    expect(await slash(dan, 'digest on')).toContain('Next: Monday 4 January 2027 at 09:30');
    expect(await slash(alice, 'digest sometimes')).toContain('digest on');
    expect((await h.app.ctx.repos.digests.getDigest(owner(alice)))?.enabled).toBe(true);
  });

  it('the first Monday at 16:05 local: one digest DM with December in review, per-axis counts against the target', async () => {
    await slash(alice, 'me level tpm4 target tpm5');
    await slash(alice, 'log Coached two leads through the planning review #people');
    await slash(alice, 'log Mentored a new TPM on risk registers #people');
    await slash(alice, 'log Rewrote the launch checklist #process');

    const run = await nudgesRun('2027-01-04T21:05:00Z');
    expect(run.code).toBe(0);
    expect(linesOf(run.lines, alice)).toEqual([`${TEAM} ${alice} sent 2027-01-04T16:00 digest`]);
    expect(linesOf(run.lines, bob)).toEqual([`${TEAM} ${bob} sent 2027-01-04T16:00 digest`]);
    expect(linesOf(run.lines, carol)).toEqual([`${TEAM} ${carol} sent 2027-01-04T16:00 digest`]);
    expect(linesOf(run.lines, dan)).toEqual([`${TEAM} ${dan} sent 2027-01-04T09:30 digest`]);

    const [digest, ...more] = digestsOf(alice);
    expect(more).toHaveLength(0);
    expect(checkMessage(digest as unknown as { text: string; blocks: unknown[] })).toEqual([]);
    const text = shown(digest);
    expect(text).toContain('Monthly digest: December 2026 in review');
    expect(text).toContain('3 entries');
    expect(text).toMatch(/People\*?: 2 entries \(target: [^)]+\)/);
    expect(text).toMatch(/Process\*?: 1 entry/);
    expect(text).toContain('Weeks with evidence: 1 of');
    expect(text).toContain('Thinnest growth axis');
    expect(text).toContain('One question to think about');
    // A month with no entries gets the short, kind version.
    expect(shown(digestsOf(bob)[0])).toContain('No evidence was logged in December 2026');
  });

  it('the same month again sends nothing', async () => {
    const posts = () =>
      h.api.calls.filter((c) => c.method === 'chat.postMessage' && c.outcome === 'ok').length;
    const before = posts();
    const again = await nudgesRun('2027-01-04T21:30:00Z');
    expect(linesOf(again.lines, alice)).toEqual([`${TEAM} ${alice} sent 2027-01-04T16:00 digest`]);
    const nextWeek = await nudgesRun('2027-01-11T21:30:00Z');
    expect(linesOf(nextWeek.lines, alice)).toEqual([`${TEAM} ${alice} sent 2027-01-04T16:00 digest`]);
    expect(posts()).toBe(before);
    expect(digestsOf(alice)).toHaveLength(1);
    expect(await h.app.ctx.repos.digests.digestLedgerOf(owner(alice))).toHaveLength(1);
  });

  it('a failure, then the retry: exactly one digest', async () => {
    await slash(erin, 'digest on');
    // Tokyo's and London's February digests go out first, so the fault meets Erin's.
    await nudgesRun('2027-02-01T10:00:00Z');
    // --dry-run says what would happen, and writes and sends nothing.
    const dry = await nudgesRun('2027-02-01T15:05:00Z', ['--dry-run']);
    expect(linesOf(dry.lines, erin)).toEqual([`${TEAM} ${erin} due 2027-02-01T16:00 digest`]);
    expect(await h.app.ctx.repos.digests.digestLedgerOf(owner(erin))).toEqual([]);
    h.api.faults.add({ method: 'chat.postMessage', kind: 'error', error: 'internal_error', times: 1 });
    const first = await nudgesRun('2027-02-01T15:05:00Z'); // 16:05 in Paris
    expect(linesOf(first.lines, erin)).toEqual([
      `${TEAM} ${erin} failed 2027-02-01T16:00 digest internal_error`,
    ]);
    expect(first.code).toBe(1);
    expect(digestsOf(erin)).toHaveLength(0);

    const second = await nudgesRun('2027-02-01T15:10:00Z');
    expect(linesOf(second.lines, erin)).toEqual([`${TEAM} ${erin} sent 2027-02-01T16:00 digest`]);
    await nudgesRun('2027-02-01T15:30:00Z');
    expect(digestsOf(erin)).toHaveLength(1);
    expect(shown(digestsOf(erin)[0])).toContain('January 2027 in review');
  });

  it('an answer lost after Slack took the post: never sent again (at most once)', async () => {
    h.api.faults.add({ method: 'chat.postMessage', kind: 'answerLost502', times: 1 });
    const run = await nudgesRun('2027-02-01T21:05:00Z'); // alice, 16:05 in New York
    expect(linesOf(run.lines, alice)).toEqual([
      `${TEAM} ${alice} failed 2027-02-01T16:00 digest unknown-outcome`,
    ]);
    const later = await nudgesRun('2027-02-01T22:00:00Z');
    expect(linesOf(later.lines, alice)).toEqual([
      `${TEAM} ${alice} failed 2027-02-01T16:00 digest unknown-outcome`,
    ]);
    expect(digestsOf(alice)).toHaveLength(2);
  });

  it('a run killed after its claim: the claim waits for its lease, then exactly one digest goes out', async () => {
    await slash(gus, 'digest on');
    // Monday 1 March 2027, 16:05 in Sydney (daylight time, +11) = 05:05Z.
    const child = spawnLadder({ ...env(), LADDER_TEST_CRASH_AT: 'digest-after-claim' }, 'src/cli/index.ts', [
      'nudges',
      'run',
      '--at',
      '2027-03-01T05:05:00Z',
    ]);
    const exit = await child.exited;
    expect(exit.signal, child.output()).toBe('SIGKILL');
    expect(digestsOf(gus)).toHaveLength(0);
    const soon = await nudgesRun('2027-03-01T05:06:00Z');
    expect(linesOf(soon.lines, gus)).toEqual([`${TEAM} ${gus} due 2027-03-01T16:00 digest claimed`]);
    const later = await nudgesRun('2027-03-01T05:30:00Z');
    expect(linesOf(later.lines, gus)).toEqual([`${TEAM} ${gus} sent 2027-03-01T16:00 digest`]);
    await nudgesRun('2027-03-01T06:00:00Z');
    expect(digestsOf(gus)).toHaveLength(1);
  });

  it('digest off stops it', async () => {
    expect(await slash(bob, 'digest off')).toContain('Monthly digest is off');
    const run = await nudgesRun('2027-03-01T22:00:00Z'); // 07:00 on 2 March in Tokyo
    expect(linesOf(run.lines, bob)).toEqual([]);
    expect(linesOf(run.lines, alice)).toEqual([`${TEAM} ${alice} sent 2027-03-01T16:00 digest`]);
    expect(digestsOf(bob)).toHaveLength(2); // January's and February's
  });

  it('a run killed between the post and the ledger write never sends a second digest', async () => {
    await slash(fay, 'digest on');
    const child = spawnLadder({ ...env(), LADDER_TEST_CRASH_AT: 'digest-after-post' }, 'src/cli/index.ts', [
      'nudges',
      'run',
      '--at',
      '2027-03-02T00:05:00Z', // Monday 1 March 16:05 in Los Angeles
    ]);
    const exit = await child.exited;
    expect(exit.signal, child.output()).toBe('SIGKILL');
    expect(digestsOf(fay)).toHaveLength(1);
    const again = await nudgesRun('2027-03-02T00:30:00Z');
    expect(linesOf(again.lines, fay)).toEqual([
      `${TEAM} ${fay} failed 2027-03-01T16:00 digest unknown-outcome`,
    ]);
    expect(digestsOf(fay)).toHaveLength(1);
  });

  it('a late run skips the digest instead of sending a stale one', async () => {
    // The April slots (Monday 5 April) are all more than 24 h ago by Wednesday 7 April.
    const late = await nudgesRun('2027-04-07T12:00:00Z');
    expect(linesOf(late.lines, carol)).toEqual([`${TEAM} ${carol} skipped 2027-04-05T16:00 digest too-late`]);
    expect(linesOf(late.lines, alice)).toEqual([`${TEAM} ${alice} skipped 2027-04-05T16:00 digest too-late`]);
    expect(linesOf(late.lines, dan)).toEqual([`${TEAM} ${dan} skipped 2027-04-05T09:30 digest too-late`]);
    expect(digestsOf(carol)).toHaveLength(3);
  });

  it('the app’s own minute tick sends a due digest, once', async () => {
    appNow = new Date('2027-05-03T16:01:00Z'); // Monday 3 May, 16:01 UTC: Carol's slot
    try {
      await h.app.scheduler.tick();
      for (let i = 0; i < 250 && digestsOf(carol).length < 4; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(digestsOf(carol)).toHaveLength(4);
      expect(shown(digestsOf(carol)[3])).toContain('April 2027 in review');
      // DST: Dan's 09:30 in London was 09:30 UTC in January (GMT) and is 08:30 UTC in May (BST).
      const danSlots = (await h.app.ctx.repos.digests.digestLedgerOf(owner(dan))).map((r) => [
        r.weekKey,
        r.slotAt.toISOString(),
      ]);
      expect(danSlots).toContainEqual(['2027-01', '2027-01-04T09:30:00.000Z']);
      expect(danSlots).toContainEqual(['2027-05', '2027-05-03T08:30:00.000Z']);
      await h.app.scheduler.tick();
      await new Promise((r) => setTimeout(r, 200));
      expect(digestsOf(carol)).toHaveLength(4);
    } finally {
      appNow = APP_NOW;
    }
  });

  it('the App Home shows the digest and switches it on and off', async () => {
    const home = () => h.api.state.homeViews.get(hal)?.view as Record<string, unknown> | undefined;
    const homeText = () => JSON.stringify(home() ?? {});
    const waitUntil = async (ok: () => boolean | Promise<boolean>) => {
      for (let i = 0; i < 250 && !(await ok()); i++) await new Promise((r) => setTimeout(r, 20));
      expect(await ok()).toBe(true);
    };
    await h.sender.event({ event: appHomeOpenedEvent(h.api, hal) });
    await waitUntil(() => home() !== undefined);
    expect(checkView({ type: 'home', blocks: (home()?.blocks ?? []) as unknown[] })).toEqual([]);
    expect(homeText()).toContain('Monthly digest: off');
    const click = (value: 'on' | 'off') =>
      h.sender.blockActions({
        userId: hal,
        view: home() as Record<string, unknown>,
        actions: [{ action_id: ActionId.homeDigestToggle, block_id: BlockId.homeDigest, value }],
      });
    await click('on');
    await waitUntil(() => homeText().includes('Monthly digest is on'));
    expect((await h.app.ctx.repos.digests.getDigest(owner(hal)))?.enabled).toBe(true);
    expect(homeText()).toContain('Turn off the digest');
    await click('off');
    await waitUntil(async () => (await h.app.ctx.repos.digests.getDigest(owner(hal)))?.enabled === false);
  });

  it('the JSON export carries the digest; forget removes every trace', async () => {
    let stdout = '';
    await runCli(['export', '--team', TEAM, '--user', alice, '--format', 'json'], {
      env: h.storage.env,
      stdout: (s) => {
        stdout += s;
      },
      stderr: () => {},
    });
    const data = parseExport(stdout);
    expect(data.version).toBe(5);
    expect(data.digestSettings).toMatchObject({ enabled: true });
    expect(data.digestLedger?.map((l) => [l.month, l.state])).toEqual([
      ['2027-01', 'sent'],
      ['2027-02', 'sending'],
      ['2027-03', 'sent'],
      ['2027-04', 'skipped'],
    ]);

    const before = await h.app.ctx.repos.userData.count(owner(alice));
    expect(before.digest_settings).toBe(1);
    const ask = await h.sender.command({ userId: alice, text: 'forget' });
    expect(JSON.stringify(ask.json)).toContain('monthly digest');
    const confirm = await h.sender.blockActions({
      userId: alice,
      actions: [{ action_id: ActionId.forgetConfirm, block_id: BlockId.forgetActions, value: 'forget' }],
    });
    await h.sender.waitForResponse(confirm.responseUrl as string);
    expect(Object.values(await h.app.ctx.repos.userData.count(owner(alice))).every((n) => n === 0)).toBe(
      true,
    );
    expect(await h.app.ctx.repos.digests.digestLedgerOf(owner(alice))).toEqual([]);
    expect(await h.app.ctx.repos.digests.getDigest(owner(bob))).toBeDefined();
  });
});
