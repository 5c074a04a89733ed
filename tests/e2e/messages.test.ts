/**
 * Messages that misled a new user (issue 15, item 3), each with the exact input from the issue,
 * end to end through signed slash commands and buttons against the local Slack API.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SentResponse } from '../../src/local/signed-sender.ts';
import { ActionId } from '../../src/slack/ids.ts';
import { describeOnEngine } from '../helpers/engine.ts';
import { type Harness, startHarness, TEAM, USERS } from '../helpers/harness.ts';

const alice = USERS[0]?.id as string; // America/New_York
const bob = USERS[1]?.id as string;
const owner = (userId: string) => ({ teamId: TEAM, userId });
// Friday 2026-11-20 15:00 UTC: 10:00 in New York.
const NOW = new Date('2026-11-20T15:00:00Z');

type Reply = { text?: string; blocks?: Array<Record<string, unknown>>; response_type?: string };

/** What a person reads: the fallback text and every text in the blocks. */
function visible(reply: Reply): string {
  const texts: string[] = [reply.text ?? ''];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'text' && typeof x === 'string') texts.push(x);
        else walk(x);
      }
    }
  };
  walk(reply.blocks ?? []);
  return texts.join('\n');
}

describeOnEngine('messages that say what is wrong and what to do, end to end', () => {
  let h: Harness;

  /** The first answer: the ack's, or the first post to the response URL. */
  async function answer(res: SentResponse): Promise<Reply> {
    expect(res.status).toBe(200);
    if (res.json !== undefined) return res.json as Reply;
    return (await h.sender.waitForResponse(res.responseUrl as string, { timeoutMs: 15_000 })).body as Reply;
  }
  const slash = async (userId: string, text: string) => answer(await h.sender.command({ userId, text }));
  const shareValue = (reply: Reply) =>
    (
      (reply.blocks ?? [])
        .flatMap((b) => (b.elements as Array<Record<string, unknown>> | undefined) ?? [])
        .find((e) => e.action_id === ActionId.shareInChannel) as { value: string }
    ).value;

  beforeAll(async () => {
    h = await startHarness({ now: () => NOW });
    // Nine entries, one without tags; the profile has a level so summaries draw a chart.
    for (let i = 1; i <= 9; i++) {
      await h.app.ctx.repos.evidence.insert(
        owner(alice),
        {
          text: `Win number ${i}`,
          occurredOn: `2026-11-${String(i).padStart(2, '0')}`,
          axes: i === 9 ? [] : ['process'],
          shift: null,
          scope: null,
          link: null,
          source: 'command',
        },
        NOW,
      );
    }
    await h.app.ctx.repos.profiles.setLevels(owner(alice), { level: 'tpm4', target: 'tpm5' }, NOW);
  });
  afterAll(async () => {
    await h.close();
  });

  it('`/ladder export pdf` names the formats instead of calling pdf a period', async () => {
    const said = visible(await slash(alice, 'export pdf'));
    expect(said).toContain("I can't export `pdf`");
    for (const format of ['`md`', '`csv`', '`json`']) expect(said).toContain(format);
    expect(said).not.toContain('period');
  });

  it('`/ladder nudge blursday 25:00` says both parts are wrong and suggests only a valid time', async () => {
    const said = visible(await slash(alice, 'nudge blursday 25:00'));
    expect(said).toContain('`blursday` is not a day of the week');
    expect(said).toContain('`25:00` is not a time of day');
    expect(said).toContain('hours go from 0 to 23');
    expect(said).toContain('`nudge thu 16:00`');
    expect(said).not.toContain('thu 25:00');
  });

  it('`/ladder evidence 9999` says a big number is searched as text; `evidence 30` says the cap and how to page', async () => {
    const search = visible(await slash(alice, 'evidence 9999'));
    expect(search).toContain('No evidence matching “9999”');
    expect(search).toContain('A number above 100 is searched for as text');
    expect(search).toContain('`/ladder evidence 10`');

    const carol = USERS[2]?.id as string;
    for (let i = 1; i <= 12; i++) {
      await h.app.ctx.repos.evidence.insert(
        owner(carol),
        {
          text: `Carol win ${i}`,
          occurredOn: '2026-11-02',
          axes: [],
          shift: null,
          scope: null,
          link: null,
          source: 'command',
        },
        NOW,
      );
    }
    const said = visible(await slash(carol, 'evidence 30'));
    expect(said).toContain('You asked for 30: one message holds at most 10, so here are the newest 10.');
    expect(said).toContain('Older →');
    expect(said).toContain('Entries 1–10 of 12, newest first.');
  });

  it('`/ladder evidence` reads "Entries 1–5 of 9, newest first" (no stray space)', async () => {
    const said = visible(await slash(alice, 'evidence'));
    expect(said).toContain('Entries 1–5 of 9, newest first.');
    expect(said).not.toContain(' ,');
  });

  it('`/ladder summary since 2099-01-01` refuses a future date with the reason', async () => {
    const said = visible(await slash(alice, 'summary since 2099-01-01'));
    expect(said).toContain('`2099-01-01` is in the future (today is 2026-11-20)');
    expect(said).not.toMatch(/0 of \d+ weeks/);
    expect(said).not.toContain('current streak');
  });

  it('the summary says "1 entry without tags counts on no axis", and its chart names the period used', async () => {
    const res = await h.sender.command({ userId: alice, text: 'summary since 2026-11-01' });
    const summary = visible(await answer(res));
    expect(summary).toContain('1 entry without tags counts on no axis.');
    // The chart follows through the response URL: drawn for the summary's period, and saying so.
    const chart = visible(
      (await h.sender.waitForResponse(res.responseUrl as string, { timeoutMs: 15_000 })).body as Reply,
    );
    expect(chart).toContain('Your radar chart (evidence: since 2026-11-01)');
    expect(chart).not.toContain('90 days');
  });

  it('`/ladder compare lead lead` says it is the same level instead of two identical columns', async () => {
    const said = visible(await slash(alice, 'compare lead lead'));
    expect(said).toContain('`lead` and `lead` are the same level');
    expect(said).toContain('nothing to compare');
    expect(said).toMatch(/`\/ladder compare lead tpm\d`|`\/ladder compare lead [a-z ]+`/);
  });

  it('Share in channel shows what the person typed: "Shared from `/ladder lead`"', async () => {
    const card = await slash(bob, 'lead');
    const res = await h.sender.blockActions({
      userId: bob,
      actions: [{ action_id: ActionId.shareInChannel, block_id: 'x', value: shareValue(card) }],
    });
    const shared = (await h.sender.waitForResponse(res.responseUrl as string)).body as Reply;
    expect(shared.response_type).toBe('in_channel');
    expect(visible(shared)).toContain('Shared from `/ladder lead`');
    expect(visible(shared)).not.toContain('/ladder lead tpm');

    const compare = await slash(bob, 'compare Senior  Lead');
    const res2 = await h.sender.blockActions({
      userId: bob,
      actions: [{ action_id: ActionId.shareInChannel, block_id: 'x', value: shareValue(compare) }],
    });
    const shared2 = (await h.sender.waitForResponse(res2.responseUrl as string)).body as Reply;
    expect(visible(shared2)).toContain('Shared from `/ladder compare senior lead`');
  });

  it('a forged share value cannot make the channel post say words that name another level', async () => {
    const res = await h.sender.blockActions({
      userId: bob,
      actions: [{ action_id: ActionId.shareInChannel, block_id: 'x', value: 'tpm5~you are fired' }],
    });
    const shared = (await h.sender.waitForResponse(res.responseUrl as string)).body as Reply;
    expect(visible(shared)).not.toContain('you are fired');
    expect(visible(shared)).toContain('Shared from `/ladder tpm5`');
  });
});
