import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMessage } from '../../src/local/block-limits.ts';
import { ActionId } from '../../src/slack/ids.ts';
import { type Harness, startHarness, USERS } from '../helpers/harness.ts';

const alice = USERS[0]?.id as string;

interface Reply {
  text: string;
  blocks: Array<Record<string, unknown>>;
  response_type?: string;
}

/** What the user sees: the fallback text and every visible string of the blocks. */
function visible(r: Reply): string {
  const strings: string[] = [r.text];
  const walk = (v: unknown, key?: string) => {
    if (typeof v === 'string' && (key === 'text' || key === 'alt_text')) strings.push(v);
    else if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(r.blocks);
  return strings.join('\n');
}

describe('/ladder levels, end to end through signed requests', () => {
  let h: Harness;
  const ask = async (text: string): Promise<Reply> => {
    const res = await h.sender.command({ userId: alice, text });
    expect(res.status).toBe(200);
    const reply = res.json as Reply;
    expect(checkMessage(reply)).toEqual([]);
    expect(reply.response_type).toBe('ephemeral');
    return reply;
  };

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('/ladder lead shows the Lead TPM role with its comparable position', async () => {
    const v = visible(await ask('lead'));
    expect(v).toContain('Lead TPM');
    expect(v).toMatch(/TPM5/);
    expect(v).toMatch(/Doing/);
    expect(v).toMatch(/Enabling/);
  });

  it('/ladder tpm5 and TPM3 show each axis with step name and number', async () => {
    const v5 = visible(await ask('tpm5'));
    expect(v5).toContain('TPM5');
    expect(v5).toContain('Senior Staff Engineer');
    for (const step of ['Specializes', 'Owns', 'Manages', 'Defines', 'Company']) expect(v5).toContain(step);
    expect(v5).toMatch(/3\/5/);
    const v3 = visible(await ask('TPM3'));
    expect(v3).toContain('Senior Engineer');
    for (const step of ['Specializes', 'Designs', 'Coordinates', 'Adjusts', 'Multiple Teams'])
      expect(v3).toContain(step);
  });

  it('compare tpm4 tpm5 shows what changes axis by axis and what stays', async () => {
    const v = visible(await ask('compare tpm4 tpm5'));
    for (const s of ['Designs', 'Owns', 'Coordinates', 'Manages', 'Multiple Teams', 'Company'])
      expect(v).toContain(s);
    expect(v.toLowerCase()).toContain('unchanged');
  });

  it('compare senior lead shows the aspects side by side and the mindset shifts', async () => {
    const v = visible(await ask('compare senior lead'));
    expect(v).toContain('Senior TPM');
    expect(v).toContain('Lead TPM');
    expect(v).toMatch(/Managing tasks/);
    expect(v).toMatch(/Preventing/);
  });

  it("compare tpm4 lead uses the role's comparable position and says so", async () => {
    const v = visible(await ask('compare tpm4 lead'));
    expect(v).toContain('TPM5');
    expect(v.toLowerCase()).toMatch(/comparable|compared as/);
  });

  it('a misspelled level gets the closest match and the valid levels', async () => {
    const v = visible(await ask('tmp5'));
    expect(v).toContain('TPM5');
    expect(v.toLowerCase()).toMatch(/did you mean|closest/);
  });

  it('levels and help', async () => {
    const levels = visible(await ask('levels'));
    for (const s of ['TPM3', 'TPM4', 'TPM5', 'TPM6', 'Senior TPM', 'Lead TPM']) expect(levels).toContain(s);
    const help = visible(await ask('help'));
    for (const s of [
      '/ladder levels',
      '/ladder compare',
      '/ladder log',
      '/ladder evidence',
      '/ladder forget',
    ])
      expect(help).toContain(s);
    const empty = visible(await ask(''));
    expect(empty).toContain('/ladder levels');
  });

  it('Share in channel posts the same card visibly through the response URL, only when asked', async () => {
    const card = await ask('tpm5');
    const share = JSON.stringify(card.blocks).includes(ActionId.shareInChannel);
    expect(share).toBe(true);
    const value = (
      card.blocks
        .flatMap((b) => (b.elements as Array<Record<string, unknown>> | undefined) ?? [])
        .find((e) => e.action_id === ActionId.shareInChannel) as { value: string }
    ).value;
    const res = await h.sender.blockActions({
      userId: alice,
      actions: [{ action_id: ActionId.shareInChannel, block_id: 'x', value }],
    });
    const post = await h.sender.waitForResponse(res.responseUrl as string);
    const body = post.body as Reply;
    expect(body.response_type).toBe('in_channel');
    expect(visible(body)).toContain('TPM5');
    expect(JSON.stringify(body.blocks)).not.toContain(ActionId.shareInChannel);
  });

  it('What counts here under /ladder tpm5 and /ladder lead: examples for every step of the level', async () => {
    const press = async (query: string) => {
      const card = await ask(query);
      const button = card.blocks
        .flatMap((b) => (b.elements as Array<Record<string, unknown>> | undefined) ?? [])
        .find((e) => e.action_id === ActionId.levelExamples) as { value: string; text: { text: string } };
      expect(button.text.text).toBe('What counts here');
      const res = await h.sender.blockActions({
        userId: alice,
        actions: [{ action_id: ActionId.levelExamples, block_id: 'x', value: button.value }],
      });
      const reply = (await h.sender.waitForResponse(res.responseUrl as string)).body as Reply;
      expect(reply.response_type).toBe('ephemeral');
      expect(checkMessage(reply)).toEqual([]);
      return visible(reply);
    };
    const tpm5 = await press('tpm5');
    expect(tpm5).toContain('What counts here: TPM5 · Senior Staff Engineer');
    for (const step of ['Specializes', 'Owns', 'Manages', 'Defines', 'Company']) expect(tpm5).toContain(step);
    const manages = h.app.ctx.ladder.axes.find((a) => a.id === 'people')?.steps[4];
    for (const example of manages?.examples ?? []) expect(tpm5).toContain(example);
    expect(manages?.examples.length).toBeGreaterThanOrEqual(2);
    const lead = await press('lead');
    expect(lead).toContain('What counts here: Lead TPM');
    expect(lead).toContain('the position it is compared with');

    const stale = await h.sender.blockActions({
      userId: alice,
      actions: [{ action_id: ActionId.levelExamples, block_id: 'x', value: 'tpm99' }],
    });
    const reply = (await h.sender.waitForResponse(stale.responseUrl as string)).body as Reply;
    expect(reply.text).toContain('no longer exists');
  });
});
