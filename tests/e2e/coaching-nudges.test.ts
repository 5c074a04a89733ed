/**
 * Half a year of questions, end to end: 26 weekly runs of `nudges run --at` (the real CLI against
 * the local Slack API) for one person give 26 different questions, least-evidenced shift first, from
 * the variant their level picks; a `nudge now` counts as history; Answer on a nudge whose prompt was
 * retired since still works.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { askedIn, type Prompt } from '../../src/domain/prompts.ts';
import type { LocalMessage } from '../../src/local/slack-api.ts';
import { ActionId, BlockId, ViewId } from '../../src/slack/ids.ts';
import { describeOnEngine } from '../helpers/engine.ts';
import { type Harness, runNudgesCli, startHarness, TEAM, USERS } from '../helpers/harness.ts';
import { run, sql } from '../helpers/tables.ts';

const alice = USERS[0]?.id as string; // America/New_York, TPM4 → Lead TPM: the program variant
const bob = USERS[1]?.id as string; // Asia/Tokyo, TPM5 → TPM6: the portfolio variant
const owner = (userId: string) => ({ teamId: TEAM, userId });
const DAY = 86_400_000;
// Monday 2027-01-04 12:00Z; each week the clock moves to that week's Monday.
const START = Date.parse('2027-01-04T12:00:00Z');

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

describeOnEngine('half a year of weekly questions (26 runs of `nudges run --at`)', () => {
  let h: Harness;
  let clock = new Date(START);

  async function slash(userId: string, text: string): Promise<string> {
    const res = await h.sender.command({ userId, text });
    expect(res.status).toBe(200);
    if (res.json !== undefined) return shown(res.json);
    return shown((await h.sender.waitForResponse(res.responseUrl as string)).body);
  }

  const nudgesRun = (at: string) => runNudgesCli(h, at);

  const prompt = (id: string | null | undefined): Prompt =>
    h.app.ctx.ladder.prompts.find((p) => p.id === id) as Prompt;
  const dm = (userId: string) => h.api.state.dmChannelId(userId) ?? '';
  const weekly = async (userId: string) => await h.app.ctx.repos.nudges.ledgerOf(owner(userId));

  beforeAll(async () => {
    h = await startHarness({ now: () => clock, env: { NUDGE_SEND_RATE: '6000' } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('26 weeks: 26 different questions, preventing first for a person with enabling and systems evidence only', async () => {
    expect(await slash(alice, 'me level tpm4 target lead')).toContain('Saved');
    expect(await slash(bob, 'me level tpm5 target tpm6')).toContain('Saved');
    expect(await slash(alice, 'nudge on')).toContain('Fridays at 16:00');
    expect(await slash(bob, 'nudge on')).toContain('Fridays at 16:00');

    let onDemand: string | undefined;
    for (let week = 0; week < 26; week++) {
      clock = new Date(START + week * 7 * DAY);
      // Plenty of evidence on two shifts, every week; none on preventing.
      await slash(alice, `log Handed the planning review to Priya #enabling #people`);
      await slash(alice, `log Mapped the dependencies between billing and checkout #systems-thinking`);
      if (week === 10) {
        // `nudge now` counts as history: the weekly questions after it never repeat it.
        expect(await slash(alice, 'nudge now')).toContain('reflection question in our DM');
        onDemand = (await h.app.ctx.repos.nudges.promptHistory(owner(alice))).at(-1)?.promptId;
      }
      // Friday 22:00Z: after 16:00 in New York (21:00Z) and in Tokyo (07:00Z), within the late window.
      const friday = new Date(START + (week * 7 + 4) * DAY + 10 * 3_600_000).toISOString();
      const run = await nudgesRun(friday);
      expect(run.code, run.stderr).toBe(0);
      expect(run.lines.filter((l) => l.includes(' sent '))).toHaveLength(2);
    }

    const rows = await weekly(alice);
    expect(rows).toHaveLength(26);
    expect(rows.every((r) => r.state === 'sent')).toBe(true);
    const ids = rows.map((r) => r.promptId);
    expect(new Set(ids).size).toBe(26);
    expect(ids).not.toContain(onDemand);

    // Least evidence first: every preventing question of the variant before any other shift.
    const pool = h.app.ctx.ladder.prompts.filter((p) => !p.retired && askedIn(p, 'program'));
    const preventing = pool.filter((p) => p.shift === 'preventing').length;
    expect(preventing).toBeGreaterThanOrEqual(13);
    const shifts = ids.map((id) => prompt(id).shift);
    // Week 11's `nudge now` took one preventing question out of the weekly run.
    expect(shifts.slice(0, preventing - 1).every((s) => s === 'preventing')).toBe(true);
    expect(shifts.slice(preventing - 1).every((s) => s !== 'preventing')).toBe(true);
    // The level picks the variant: Alice (TPM4) only gets program questions, none retired.
    for (const id of ids) expect(askedIn(prompt(id), 'program') && !prompt(id).retired).toBe(true);

    // What the person reads: 26 DMs, each a different question, with what it practises.
    const dms = h.api.state
      .messages(dm(alice))
      .filter((m) => m.user === h.api.botUserId && m.text.startsWith('Weekly reflection'));
    expect(dms).toHaveLength(27);
    expect(new Set(dms.map((m) => m.text)).size).toBe(27);
    const first = JSON.stringify(dms[0]?.blocks);
    expect(first).toContain('Why it matters:');
    expect(first).toContain('Practises:');

    // Bob (TPM5) runs a portfolio: 26 different portfolio questions.
    const bobIds = (await weekly(bob)).map((r) => r.promptId);
    expect(new Set(bobIds).size).toBe(26);
    for (const id of bobIds) expect(askedIn(prompt(id), 'portfolio')).toBe(true);
    expect(bobIds.some((id) => !askedIn(prompt(id), 'program'))).toBe(true);
  });

  it('Answer on an old nudge whose prompt has been retired since still opens and saves', async () => {
    const retired = h.app.ctx.ladder.prompts.find((p) => p.retired) as Prompt;
    expect(retired).toBeDefined();
    // A nudge sent before the prompt was retired: its history row names the retired id.
    await slash(alice, 'nudge now');
    const nudge = h.api.state
      .messages(dm(alice))
      .filter((m) => m.user === h.api.botUserId)
      .at(-1) as LocalMessage;
    // Written straight to the table, as an older version of the app would have left it.
    await run(
      h.app,
      sql`UPDATE nudge_history SET prompt_id = ${retired.id}
          WHERE team_id = ${TEAM} AND user_id = ${alice} AND message_ts = ${nudge.ts}`,
    );
    const click = await h.sender.blockActions({
      userId: alice,
      actions: [{ action_id: ActionId.nudgeAnswer, block_id: BlockId.nudgeActions, value: retired.id }],
      channelId: dm(alice),
      message: nudge,
    });
    expect(click.status).toBe(200);
    // The modal this click opens (an earlier answer's modal may still be on the stack).
    const modal = await waitFor(() =>
      h.api.state
        .openModals(alice)
        .find((m) => JSON.stringify(m.view.blocks).includes(retired.question.slice(0, 40))),
    );
    expect(modal.view.callback_id).toBe(ViewId.nudgeAnswer);
    const values = {
      [BlockId.nudgeAnswer]: {
        [ActionId.formValue]: { type: 'plain_text_input', value: 'Answered an old question' },
      },
    };
    const submit = await h.sender.viewSubmission({
      userId: alice,
      view: modal.view as Record<string, unknown>,
      values,
    });
    expect(submit.status).toBe(200);
    const saved = (await h.app.ctx.repos.evidence.list(owner(alice), { limit: 200 })).entries.find(
      (e) => e.text === 'Answered an old question',
    );
    expect(saved).toMatchObject({ promptId: retired.id, shift: retired.shift, source: 'reflection' });
  });
});
