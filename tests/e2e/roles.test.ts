/**
 * Role names kept, end to end: `/ladder me level senior target lead` through signed requests. The
 * reply says `senior` was read as the Senior TPM role and offers TPM3 (Senior Engineer); `me`,
 * `next`, the summary, the App Home, the chart, the Markdown packet and the JSON export name the
 * roles first, compared with TPM4 and TPM5; the mapping reason is an analogy.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseExport } from '../../src/domain/export/json.ts';
import { appHomeOpenedEvent, type SentResponse } from '../../src/local/signed-sender.ts';
import type { LocalFile } from '../../src/local/slack-api.ts';
import { describeOnEngine } from '../helpers/engine.ts';
import { type Harness, startHarness, TEAM, USERS } from '../helpers/harness.ts';

const alice = USERS[0]?.id as string;
const owner = (userId: string) => ({ teamId: TEAM, userId });
const NOW = new Date('2026-11-19T17:00:00Z');

function shown(json: unknown): string {
  const j = (json ?? {}) as { text?: string; blocks?: unknown[] };
  return `${j.text ?? ''}\n${JSON.stringify(j.blocks ?? [])}`;
}

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

describeOnEngine('role names kept: me level senior target lead', () => {
  let h: Harness;

  async function slash(text: string): Promise<string> {
    const res = await h.sender.command({ userId: alice, text });
    expect(res.status).toBe(200);
    if (res.json !== undefined) return shown(res.json);
    return shown((await h.sender.waitForResponse(res.responseUrl as string, { timeoutMs: 15_000 })).body);
  }
  const reply = async (res: SentResponse) =>
    shown((await h.sender.waitForResponse(res.responseUrl as string, { timeoutMs: 15_000 })).body);
  const filesSince = (since: number): LocalFile[] => [...h.api.state.files.values()].slice(since);

  beforeAll(async () => {
    h = await startHarness({ now: () => NOW });
  });
  afterAll(async () => {
    await h.close();
  });

  it('saves both roles, says how `senior` was read and offers TPM3 Senior Engineer', async () => {
    const saved = await slash('me level senior target lead');
    expect(saved).toContain(
      'Saved your level *Senior TPM (compared with TPM4)* and target *Lead TPM (compared with TPM5)*',
    );
    expect(saved).toContain('I read “senior” as the *Senior TPM* role.');
    expect(saved).toContain("TPM3's public title is Senior Engineer.");
    expect(saved).toContain('`/ladder me level tpm3`');
    expect(saved).toContain('An analogy, not an equivalence');
    expect(saved).toContain('never says a Lead TPM has line reports or runs production systems');
    expect(await h.app.ctx.repos.profiles.get(owner(alice))).toMatchObject({
      level: 'tpm4',
      levelRole: 'senior-tpm',
      target: 'tpm5',
      targetRole: 'lead-tpm',
    });

    const me = await slash('me');
    expect(me).toContain('Level: *Senior TPM (compared with TPM4)*');
    expect(me).toContain('Target: *Lead TPM (compared with TPM5)*');

    // `next` compares the role with the role above it.
    const next = await slash('next');
    expect(next).toContain(
      'From your level, *Senior TPM (compared with TPM4)*, to the next one up, *Lead TPM*',
    );
    expect(next).toContain('Enabling');
    // The source's framing, in our words: delivering programs vs steadying the organisation,
    // executing vs scaling execution, and promotion after months of next-level work.
    expect(next).toContain(
      'Delivers programs. That they can carry complex programs through to delivery (executing).',
    );
    expect(next).toContain('Keeps the organisation steady.');
    expect(next).toContain('(scaling execution)');
    expect(next).toContain('promoted once they have worked at the next level for months');

    // `/ladder senior` shows the role, says so, and offers TPM3; TPM3 keeps its Senior seniority.
    const card = await slash('senior');
    expect(card).toContain('“senior” is the *Senior TPM* role.');
    expect(card).toContain('`/ladder tpm3`');
    expect(card).toContain('Delivers programs.');
    const tpm3 = await slash('tpm3');
    expect(tpm3).toContain('Seniority: Senior.');
    expect(await slash('lead')).toContain('Keeps the organisation steady.');
  });

  it('summary, Home, chart, packet and JSON name Senior TPM and Lead TPM first', async () => {
    await slash('log Coached two TPMs through their first portfolio review #people #enabling');

    const summary = await slash('summary');
    expect(summary).toContain(
      'Level *Senior TPM (compared with TPM4)* → target *Lead TPM (compared with TPM5)*',
    );
    expect(summary).toContain('Where to grow (Senior TPM → Lead TPM, compared with TPM4 → TPM5)');
    expect(summary).toContain('_Next, for Manages:_');
    expect(summary).toContain('Why months:');

    await h.sender.event({ event: appHomeOpenedEvent(h.api, alice) });
    const home = await waitFor(() => {
      const view = h.api.state.homeViews.get(alice)?.view;
      const text = JSON.stringify(view ?? {});
      return text.includes('Senior TPM (compared with TPM4)') ? text : null;
    });
    expect(home).toContain('Lead TPM (compared with TPM5)');
    // The pickers show the roles as chosen.
    expect(home).toMatch(
      /"initial_option":\{"text":\{"type":"plain_text","text":"Senior TPM \(compared with TPM4\)"/,
    );

    let before = h.api.state.files.size;
    const chart = await reply(await h.sender.command({ userId: alice, text: 'chart' }));
    expect(chart).toBeTruthy();
    const png = await waitFor(() => filesSince(before).find((f) => f.name.endsWith('.png') && f.completed));
    // The chart's legend (also in its alt text) names the roles first.
    expect(png.altText).toContain('Current level: Senior TPM (TPM4); Target level: Lead TPM (TPM5).');

    before = h.api.state.files.size;
    await reply(await h.sender.command({ userId: alice, text: 'export md' }));
    const md = await waitFor(() => filesSince(before).find((f) => f.name.endsWith('.md') && f.completed));
    const packet = md.bytes?.toString('utf8') ?? '';
    expect(packet).toContain('**Senior TPM (compared with TPM4) → Lead TPM (compared with TPM5)**');
    expect(packet).toContain('## Where to grow (TPM4 → TPM5)');
    expect(packet).toContain('### People: Coordinates → Manages');
    expect(packet).toContain('## Appendix: TPM5 Senior Staff Engineer competencies');

    before = h.api.state.files.size;
    await reply(await h.sender.command({ userId: alice, text: 'export json' }));
    const json = await waitFor(() => filesSince(before).find((f) => f.name.endsWith('.json') && f.completed));
    const data = parseExport(json.bytes?.toString('utf8') ?? '');
    expect(data.version).toBe(5);
    expect(data.profile).toMatchObject({
      level: 'tpm4',
      levelRole: 'senior-tpm',
      target: 'tpm5',
      targetRole: 'lead-tpm',
    });
  });
});
