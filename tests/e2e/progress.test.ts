/**
 * Progress you can see, end to end through signed requests against the local Slack API: tag
 * suggestions with Accept, `/ladder me`, `/ladder next`, `/ladder summary` and the App Home.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { NewEvidence } from '../../src/db/evidence-repository.ts';
import type { AxisId } from '../../src/domain/types.ts';
import { checkMessage, checkView } from '../../src/local/block-limits.ts';
import { appHomeOpenedEvent, type SentResponse } from '../../src/local/signed-sender.ts';
import { tagNames } from '../../src/slack/blocks/evidence.ts';
import { ActionId, BlockId } from '../../src/slack/ids.ts';
import { describeOnEngine } from '../helpers/engine.ts';
import { type Harness, startHarness, TEAM, USERS } from '../helpers/harness.ts';

const alice = USERS[0]?.id as string; // America/New_York
const bob = USERS[1]?.id as string; // Asia/Tokyo
const carol = USERS[2]?.id as string; // no time zone: UTC
const owner = (userId: string) => ({ teamId: TEAM, userId });
// Friday 2026-11-20 03:00 UTC: still Thursday the 19th in New York (ISO week 47 in both).
const NOW = new Date('2026-11-20T03:00:00Z');

function shown(json: unknown): string {
  const j = (json ?? {}) as { text?: string; blocks?: unknown[] };
  return `${j.text ?? ''}\n${JSON.stringify(j.blocks ?? [])}`;
}

async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function seed(
  h: Harness,
  userId: string,
  e: Partial<NewEvidence> & { occurredOn: string },
): Promise<number> {
  const { entry } = await h.app.ctx.repos.evidence.insert(
    owner(userId),
    {
      text: e.text ?? `Win on ${e.occurredOn}`,
      occurredOn: e.occurredOn,
      axes: e.axes ?? [],
      suggestedAxes: e.suggestedAxes ?? [],
      shift: e.shift ?? null,
      scope: e.scope ?? null,
      link: null,
      source: 'command',
    },
    NOW,
  );
  return entry.id;
}

describeOnEngine('progress, end to end', () => {
  let h: Harness;
  /** The reply the user sees: the ack when it carries one, else the post to the response URL. */
  const reply = async (res: SentResponse): Promise<{ text: string; blocks: unknown[] }> => {
    expect(res.status).toBe(200);
    const body = (
      (res.json as { text?: string } | undefined)?.text
        ? res.json
        : (await h.sender.waitForResponse(res.responseUrl as string)).body
    ) as { text: string; blocks: unknown[] };
    expect(checkMessage(body)).toEqual([]);
    return body;
  };
  const command = async (userId: string, text: string) => reply(await h.sender.command({ userId, text }));
  const home = (userId: string) =>
    h.api.state.homeViews.get(userId)?.view as Record<string, unknown> | undefined;
  const homeText = (userId: string) => JSON.stringify(home(userId) ?? {});
  /** The Home as the app published it (the stored view also has the fields Slack adds). */
  const published = (userId: string) => ({ type: 'home', blocks: (home(userId)?.blocks ?? []) as unknown[] });

  beforeAll(async () => {
    h = await startHarness({ now: () => NOW });
    // Alice's last 90 days (2026-08-22 … 2026-11-19, New York): People 2, System 1 + 1 suggested,
    // Influence 0, Process 3; one entry before the period that must not count.
    const data: Array<[string, AxisId[], AxisId[]]> = [
      ['2026-09-02', ['people', 'system'], []],
      ['2026-09-15', ['process'], []],
      ['2026-10-06', ['process'], []],
      ['2026-10-20', [], ['system']],
      ['2026-11-09', ['people', 'process'], []],
      ['2026-11-17', [], []],
      ['2026-05-01', ['influence'], []],
    ];
    for (const [occurredOn, axes, suggestedAxes] of data)
      await seed(h, alice, { occurredOn, axes, suggestedAxes });
  });
  afterAll(async () => {
    await h.close();
  });

  it('/ladder me level tpm4 target lead keeps the role chosen, compared with TPM5', async () => {
    const saved = shown(await command(alice, 'me level tpm4 target lead'));
    expect(saved).toContain(
      'Saved your level *TPM4 · Staff Engineer* and target *Lead TPM (compared with TPM5)*',
    );
    expect(saved).toContain('Lead TPM is a role: I keep it as you chose it, and compare it with *TPM5*');
    expect(saved).toContain('An analogy, not an equivalence');
    expect(await h.app.ctx.repos.profiles.get(owner(alice))).toMatchObject({
      level: 'tpm4',
      levelRole: null,
      target: 'tpm5',
      targetRole: 'lead-tpm',
    });

    const me = shown(await command(alice, 'me'));
    expect(me).toContain('Level: *TPM4 · Staff Engineer*');
    expect(me).toContain('Target: *Lead TPM (compared with TPM5)*');
  });

  it('/ladder me with an unknown level suggests the closest and saves nothing', async () => {
    const text = shown(await command(alice, 'me level tmp3'));
    expect(text).toContain("I don't know the level “tmp3”");
    expect(text).toContain('Nothing was saved');
    expect((await h.app.ctx.repos.profiles.get(owner(alice)))?.level).toBe('tpm4');
  });

  it('/ladder next compares my level with the one above; without a level it says how to set one', async () => {
    const next = shown(await command(alice, 'next'));
    expect(next).toContain('From your level, *TPM4*, to the next one up, *TPM5*');
    expect(next).toContain('Owns');
    const none = shown(await command(bob, 'next'));
    expect(none).toContain("I don't know your level yet");
    expect(none).toContain('/ladder me level tpm4');
    expect(shown(await command(bob, 'next senior'))).toContain('Lead TPM');
  });

  it('/ladder summary shows counts per axis against the steps and the thin growth axes', async () => {
    const text = shown(await command(alice, 'summary'));
    expect(text).toContain('Your progress: last 90 days');
    expect(text).toContain('6 entries in the period');
    expect(text).toContain('*People*: 2');
    expect(text).toContain('*System*: 2 (1 suggested)');
    expect(text).toContain('*Process*: 3');
    expect(text).toContain('*Influence*: 0');
    expect(text).toContain('Where to grow (TPM4 → Lead TPM, compared with TPM4 → TPM5)');
    expect(text).toMatch(/\*People\* Coordinates → \*Manages\*: 2 entries, thin \(under 3\)/);
    expect(text).toMatch(/\*Influence\* Multiple Teams → \*Company\*: 0 entries, thin/);
    expect(text).toContain('Weeks with evidence:* 6 of 14');
    expect(text).toContain('current streak 2 weeks');
    expect(text).toContain('America/New_York');
    // The advice of the step aimed at: Company on Influence, Manages on People.
    const steps = h.app.ctx.ladder.axes.flatMap((a) => a.steps);
    expect(text).toContain(steps.find((s) => s.name === 'Company')?.advice as string);
    expect(text).toContain(`_Next, for Manages:_ ${steps.find((s) => s.name === 'Manages')?.advice}`);
    expect(text).toContain('Why months:');
  });

  it('/ladder summary is followed by the radar chart, uploaded to the DM and shown by slack_file', async () => {
    const res = await h.sender.command({ userId: alice, text: 'summary' });
    const url = res.responseUrl as string;
    const deadline = Date.now() + 5_000;
    const withImage = () =>
      h.api.state.postsTo(url).find((p) => JSON.stringify(p.body).includes('"slack_file"'));
    while (!withImage() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    const post = withImage();
    expect(post, 'a chart reply with an image block').toBeDefined();
    const image = (((post?.body ?? {}) as { blocks?: Array<Record<string, unknown>> }).blocks ?? []).find(
      (b) => b.type === 'image',
    ) as { slack_file: { id: string }; alt_text: string } | undefined;
    expect(image?.alt_text).toMatch(/People/);
    const file = h.api.state.files.get(image?.slack_file.id as string);
    expect(file?.shares.some((s) => s.channel === h.api.state.dmChannelId(alice))).toBe(true);
  });

  it('/ladder summary takes a period and explains a bad one', async () => {
    const year = shown(await command(alice, 'summary 1y'));
    expect(year).toContain('Your progress: last year');
    expect(year).toContain('*Influence*: 1');
    expect(shown(await command(alice, 'summary 30x'))).toContain("I don't know the period");
  });

  it('suggests tags for an untagged entry; one click accepts them', async () => {
    const res = await h.sender.command({
      userId: carol,
      text: 'log Mapped cross-team dependencies for the Q3 roadmap and escalated two risks to the VP',
    });
    const confirmation = shown(await reply(res));
    expect(confirmation).toContain('*Suggested:* Process, Influence (suggested)');
    // The words behind each tag, as the user wrote them: a rule's phrase stays whole.
    expect(confirmation).toContain('*Process* ← “Mapped cross-team dependencies”');
    expect(confirmation).toMatch(/\*Influence\* ← [^\n]*“escalated”/);
    expect(confirmation).toContain(ActionId.evidenceAccept);
    const [entry] = (await h.app.ctx.repos.evidence.list(owner(carol), { limit: 1 })).entries;
    expect(entry).toMatchObject({ axes: [], suggestedAxes: ['process', 'influence'] });

    const click = await h.sender.blockActions({
      userId: carol,
      actions: [
        { action_id: ActionId.evidenceAccept, block_id: BlockId.evidenceActions, value: String(entry?.id) },
      ],
    });
    const accepted = shown((await h.sender.waitForResponse(click.responseUrl as string)).body);
    expect(accepted).toContain('Suggested tags accepted');
    expect(accepted).toContain('*Axes:* Process, Influence');
    expect(accepted).not.toContain('(suggested)');
    expect(await h.app.ctx.repos.evidence.get(owner(carol), entry?.id as number)).toMatchObject({
      axes: ['process', 'influence'],
      suggestedAxes: [],
    });
  });

  it('Change tags opens the form with the suggestions preselected; what is saved is the user’s choice', async () => {
    await reply(await h.sender.command({ userId: carol, text: 'log Wrote the incident runbook' }));
    const [entry] = (await h.app.ctx.repos.evidence.list(owner(carol), { limit: 1 })).entries;
    expect(entry?.suggestedAxes).toEqual(['system']);
    await h.sender.blockActions({
      userId: carol,
      actions: [
        { action_id: ActionId.evidenceEdit, block_id: BlockId.evidenceActions, value: String(entry?.id) },
      ],
    });
    const modal = await waitFor(() => h.api.state.openModals(carol).at(-1));
    const modalText = JSON.stringify(modal.view);
    expect(modalText).toContain('Suggested tags are preselected');
    expect(modalText).toMatch(/"initial_options":\[\{"text":\{"type":"plain_text","text":"System"/);
    const f = (x: Record<string, unknown>) => ({ [ActionId.formValue]: x });
    await h.sender.viewSubmission({
      userId: carol,
      view: modal.view as Record<string, unknown>,
      values: {
        [BlockId.evidenceText]: f({ type: 'plain_text_input', value: 'Wrote the incident runbook' }),
        [BlockId.evidenceDate]: f({ type: 'datepicker', selected_date: '2026-11-19' }),
        [BlockId.evidenceAxes]: f({
          type: 'multi_static_select',
          selected_options: [{ text: { type: 'plain_text', text: 'People' }, value: 'people' }],
        }),
      },
    });
    await waitFor(async () =>
      (await h.app.ctx.repos.evidence.get(owner(carol), entry?.id as number))?.axes.includes('people'),
    );
    expect(await h.app.ctx.repos.evidence.get(owner(carol), entry?.id as number)).toMatchObject({
      axes: ['people'],
      suggestedAxes: [],
    });
  });

  it('explicit tags win: nothing is suggested when the user gave an axis', async () => {
    await reply(await h.sender.command({ userId: carol, text: 'log Ran the retro #people' }));
    const [entry] = (await h.app.ctx.repos.evidence.list(owner(carol), { limit: 1 })).entries;
    expect(entry).toMatchObject({ axes: ['people'], suggestedAxes: [] });
  });

  it('a scope is suggested where the words make it clear, and marked as suggested', async () => {
    const text = shown(
      await reply(await h.sender.command({ userId: carol, text: 'log Briefed the execs on the roadmap' })),
    );
    expect(text).toContain('*Scope:* Company (suggested)');
    const [entry] = (await h.app.ctx.repos.evidence.list(owner(carol), { limit: 1 })).entries;
    // Stored as suggested until confirmed: the scope is not the user's until they accept it.
    expect(entry).toMatchObject({ suggestedAxes: ['influence'], scope: null });
    const res = await h.sender.blockActions({
      userId: carol,
      actions: [
        { action_id: ActionId.evidenceAccept, block_id: BlockId.evidenceActions, value: String(entry?.id) },
      ],
    });
    await h.sender.waitForResponse(res.responseUrl as string);
    expect(await h.app.ctx.repos.evidence.get(owner(carol), entry?.id as number)).toMatchObject({
      axes: ['influence'],
      suggestedAxes: [],
      scope: 'company',
    });
  });

  it('a mindset shift is suggested like an axis, says which words led to it, and Accept makes it the entry’s', async () => {
    const names = tagNames(h.app.ctx.ladder);
    const confirmation = shown(
      await reply(
        await h.sender.command({
          userId: carol,
          text: 'log Set up a risk register for the payments migration',
        }),
      ),
    );
    expect(confirmation).toContain('*Suggested:* Process (suggested)');
    expect(confirmation).toContain(`*Shift:* ${names.shift('preventing')} (suggested)`);
    // Which words led to which tag, in the user's own words.
    expect(confirmation).toContain('*Process* ← “risk register”');
    expect(confirmation).toContain(`*${names.shift('preventing')}* ← “risk register”`);
    expect(confirmation).toContain(ActionId.evidenceAccept);
    const [entry] = (await h.app.ctx.repos.evidence.list(owner(carol), { limit: 1 })).entries;
    // Not the user's until accepted: the shift is offered, never stored.
    expect(entry).toMatchObject({ axes: [], suggestedAxes: ['process'], shift: null });

    const click = await h.sender.blockActions({
      userId: carol,
      actions: [
        { action_id: ActionId.evidenceAccept, block_id: BlockId.evidenceActions, value: String(entry?.id) },
      ],
    });
    const accepted = shown((await h.sender.waitForResponse(click.responseUrl as string)).body);
    expect(accepted).toContain(`*Shift:* ${names.shift('preventing')}`);
    expect(accepted).not.toContain('(suggested)');
    expect(await h.app.ctx.repos.evidence.get(owner(carol), entry?.id as number)).toMatchObject({
      axes: ['process'],
      suggestedAxes: [],
      shift: 'preventing',
    });
  });

  it('a shift alone is offered too; Change tags opens the form with it preselected', async () => {
    const names = tagNames(h.app.ctx.ladder);
    const confirmation = shown(
      // Delegating to a person would also suggest People; this line points to the shift alone.
      await reply(
        await h.sender.command({ userId: carol, text: 'log Stepped back so the team no longer needs me' }),
      ),
    );
    expect(confirmation).toContain(`*Shift:* ${names.shift('enabling')} (suggested)`);
    expect(confirmation).toContain('“no longer needs me”');
    const [entry] = (await h.app.ctx.repos.evidence.list(owner(carol), { limit: 1 })).entries;
    expect(entry).toMatchObject({ axes: [], suggestedAxes: [], shift: null });
    await h.sender.blockActions({
      userId: carol,
      actions: [
        { action_id: ActionId.evidenceEdit, block_id: BlockId.evidenceActions, value: String(entry?.id) },
      ],
    });
    const modal = await waitFor(() => h.api.state.openModals(carol).at(-1));
    const modalText = JSON.stringify(modal.view);
    expect(modalText).toContain('Suggested tags are preselected');
    expect(modalText).toContain(
      `"initial_option":{"text":{"type":"plain_text","text":"${names.shift('enabling')}`,
    );
  });

  it('nothing is suggested for a line with nothing to tag', async () => {
    const confirmation = shown(
      await reply(await h.sender.command({ userId: carol, text: 'log Took Friday off' })),
    );
    expect(confirmation).not.toContain('(suggested)');
    expect(confirmation).not.toContain(ActionId.evidenceAccept);
  });

  it('the App Home shows the profile, the counts and the gaps, recent entries and the slots', async () => {
    await h.sender.event({ event: appHomeOpenedEvent(h.api, alice) });
    await waitFor(() => home(alice));
    expect(checkView(published(alice))).toEqual([]);
    const text = homeText(alice);
    expect(text).toContain('TPM4 · Staff Engineer');
    expect(text).toContain('*People*: 2');
    expect(text).toContain('*System*: 2 (1 suggested)');
    expect(text).toMatch(/Influence\* Multiple Teams → \*Company\*: 0 entries, thin/);
    expect(text).toContain('Recent evidence (7)');
    for (const id of [
      ActionId.logWin,
      ActionId.homeSetLevel,
      ActionId.homeSetTarget,
      ActionId.evidenceDelete,
    ])
      expect(text).toContain(id);
    expect(text).toContain('Weekly reflection');
    expect(text).toContain('Export for your review');
  });

  it('the Home has the nudge controls: turn on, choose the day and time, turn off', async () => {
    await h.sender.event({ event: appHomeOpenedEvent(h.api, bob) });
    await waitUntil(() => homeText(bob).includes(ActionId.homeNudgeToggle));
    expect(homeText(bob)).toContain('nudges are *off*');
    const click = (action_id: string, extra: Record<string, unknown>) =>
      h.sender.blockActions({
        userId: bob,
        actions: [{ action_id, block_id: 'x', ...extra }],
        container: { type: 'view' },
        view: { type: 'home', id: h.api.state.homeViews.get(bob)?.id },
      });
    await click(ActionId.homeNudgeToggle, { value: 'on' });
    await waitUntil(async () => (await h.app.ctx.repos.nudges.getSettings(owner(bob)))?.enabled === true);
    const monday = { text: { type: 'plain_text', text: 'Monday' }, value: '1' };
    await click(ActionId.homeNudgeDay, { type: 'static_select', selected_option: monday });
    await waitUntil(async () => (await h.app.ctx.repos.nudges.getSettings(owner(bob)))?.day === 1);
    const nine = { text: { type: 'plain_text', text: '09:30' }, value: String(9 * 60 + 30) };
    await click(ActionId.homeNudgeTime, { type: 'static_select', selected_option: nine });
    await waitUntil(async () => (await h.app.ctx.repos.nudges.getSettings(owner(bob)))?.minuteOfDay === 570);
    await waitUntil(() => homeText(bob).includes('Monday'));
    expect(await h.app.ctx.repos.nudges.getSettings(owner(bob))).toMatchObject({
      enabled: true,
      day: 1,
      minuteOfDay: 570,
    });
    await click(ActionId.homeNudgeToggle, { value: 'off' });
    await waitUntil(async () => (await h.app.ctx.repos.nudges.getSettings(owner(bob)))?.enabled === false);
  });

  it('the level picker on the Home sets the profile and re-publishes the Home', async () => {
    await h.sender.blockActions({
      userId: alice,
      view: home(alice) as Record<string, unknown>,
      actions: [
        {
          action_id: ActionId.homeSetTarget,
          block_id: BlockId.homeProfile,
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'TPM6' }, value: 'tpm6' },
        },
      ],
    });
    await waitFor(() => homeText(alice).includes('Your target is now TPM6'));
    expect((await h.app.ctx.repos.profiles.get(owner(alice)))?.target).toBe('tpm6');
    expect(homeText(alice)).toContain('Where to grow (TPM4 → TPM6)');
    // A value that is not a position changes nothing.
    await h.sender.blockActions({
      userId: alice,
      view: home(alice) as Record<string, unknown>,
      actions: [
        {
          action_id: ActionId.homeSetLevel,
          block_id: BlockId.homeProfile,
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'x' }, value: 'tpm99' },
        },
      ],
    });
    await waitFor(() => homeText(alice).includes('nothing was changed'));
    expect((await h.app.ctx.repos.profiles.get(owner(alice)))?.level).toBe('tpm4');
  });

  it('Delete on the Home deletes the entry and re-publishes the Home (no response URL there)', async () => {
    const victim = await seed(h, alice, { occurredOn: '2026-11-18', text: 'Delete me from the Home' });
    await h.sender.event({ event: appHomeOpenedEvent(h.api, alice) });
    await waitFor(() => homeText(alice).includes('Delete me from the Home'));
    const res = await h.sender.blockActions({
      userId: alice,
      view: home(alice) as Record<string, unknown>,
      actions: [{ action_id: ActionId.evidenceDelete, block_id: 'x', value: String(victim) }],
    });
    expect(res.status).toBe(200);
    expect(res.responseUrl).toBeUndefined();
    await waitFor(() => homeText(alice).includes('Entry deleted.'));
    expect(homeText(alice)).not.toContain('Delete me from the Home');
    expect(await h.app.ctx.repos.evidence.get(owner(alice), victim)).toBeUndefined();
  });

  it('Accept on the Home confirms the suggested axes', async () => {
    const id = await seed(h, alice, {
      occurredOn: '2026-11-19',
      text: 'Suggested on the Home',
      suggestedAxes: ['people'],
    });
    await h.sender.event({ event: appHomeOpenedEvent(h.api, alice) });
    await waitFor(() => homeText(alice).includes('Suggested on the Home'));
    await h.sender.blockActions({
      userId: alice,
      view: home(alice) as Record<string, unknown>,
      actions: [{ action_id: ActionId.evidenceAccept, block_id: 'x', value: String(id) }],
    });
    await waitFor(() => homeText(alice).includes('Suggested tags accepted'));
    expect(await h.app.ctx.repos.evidence.get(owner(alice), id)).toMatchObject({
      axes: ['people'],
      suggestedAxes: [],
    });
  });

  it('Edit on the Home saves the change and re-publishes the Home', async () => {
    const id = await seed(h, alice, {
      occurredOn: '2026-11-19',
      text: 'Edit me on the Home',
      axes: ['process'],
    });
    await h.sender.event({ event: appHomeOpenedEvent(h.api, alice) });
    await waitFor(() => homeText(alice).includes('Edit me on the Home'));
    await h.sender.blockActions({
      userId: alice,
      view: home(alice) as Record<string, unknown>,
      actions: [{ action_id: ActionId.evidenceEdit, block_id: 'x', value: String(id) }],
    });
    const modal = await waitFor(() => h.api.state.openModals(alice).at(-1));
    const f = (x: Record<string, unknown>) => ({ [ActionId.formValue]: x });
    await h.sender.viewSubmission({
      userId: alice,
      view: modal.view as Record<string, unknown>,
      values: {
        [BlockId.evidenceText]: f({ type: 'plain_text_input', value: 'Edited on the Home' }),
        [BlockId.evidenceDate]: f({ type: 'datepicker', selected_date: '2026-11-19' }),
      },
    });
    await waitFor(() => homeText(alice).includes('Edited on the Home'));
    expect((await h.app.ctx.repos.evidence.get(owner(alice), id))?.text).toBe('Edited on the Home');
  });

  it('the Home stays within limits with 10,000 entries', async () => {
    // SQLite: one transaction around the seed (each insert without a delivery key is a single
    // statement that would otherwise sync the file); PostgreSQL commits each insert on its own.
    const db = h.app.database.sqlite;
    db?.exec('BEGIN IMMEDIATE');
    await (async () => {
      for (let i = 0; i < 10_000; i++) {
        const day = new Date(Date.UTC(2026, 10, 19) - (i % 700) * 86_400_000).toISOString().slice(0, 10);
        await seed(h, bob, {
          occurredOn: day,
          text: `Entry ${i}: ${'long <text> & *marks* 🎉 '.repeat(100)}`.slice(0, 3000),
          axes: i % 2 === 0 ? ['people'] : [],
          suggestedAxes: i % 2 === 1 ? ['system'] : [],
          shift: i % 5 === 0 ? 'enabling' : null,
        });
      }
    })();
    db?.exec('COMMIT');
    await reply(await h.sender.command({ userId: bob, text: 'me level tpm3' }));
    await h.sender.event({ event: appHomeOpenedEvent(h.api, bob) });
    await waitFor(() => homeText(bob).includes('Recent evidence (10,000)'), 15_000);
    const view = published(bob);
    expect(checkView(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const summary = await command(bob, 'summary all');
    expect(shown(summary)).toContain('10,000 entries in the period');
  }, 60_000);
});

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
