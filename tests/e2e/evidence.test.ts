import { afterAll, beforeAll, expect, it } from 'vitest';
import { appHomeOpenedEvent } from '../../src/local/signed-sender.ts';
import { ActionId, BlockId, ShortcutId, ViewId } from '../../src/slack/ids.ts';
import { describeOnEngine } from '../helpers/engine.ts';
import { type Harness, startHarness, TEAM, USERS } from '../helpers/harness.ts';

const alice = USERS[0]?.id as string;
const bob = USERS[1]?.id as string;
const owner = (userId: string) => ({ teamId: TEAM, userId });
// Friday 2026-11-20 03:00 UTC: still Thursday the 19th in New York, already Friday in Tokyo.
const NOW = new Date('2026-11-20T03:00:00Z');

function shown(json: unknown): string {
  const j = (json ?? {}) as { text?: string; blocks?: unknown[] };
  return `${j.text ?? ''}\n${JSON.stringify(j.blocks ?? [])}`;
}

function formValues(v: {
  text: string;
  date: string;
  axes?: string[];
  shift?: string;
  scope?: string;
  link?: string;
}): Record<string, unknown> {
  const f = (x: Record<string, unknown>) => ({ [ActionId.formValue]: x });
  return {
    [BlockId.evidenceText]: f({ type: 'plain_text_input', value: v.text }),
    [BlockId.evidenceDate]: f({ type: 'datepicker', selected_date: v.date }),
    [BlockId.evidenceAxes]: f({
      type: 'multi_static_select',
      selected_options: (v.axes ?? []).map((a) => ({ text: { type: 'plain_text', text: a }, value: a })),
    }),
    [BlockId.evidenceShift]: f({
      type: 'static_select',
      selected_option: v.shift ? { text: { type: 'plain_text', text: v.shift }, value: v.shift } : null,
    }),
    [BlockId.evidenceScope]: f({
      type: 'static_select',
      selected_option: v.scope ? { text: { type: 'plain_text', text: v.scope }, value: v.scope } : null,
    }),
    [BlockId.evidenceLink]: f({ type: 'url_text_input', value: v.link ?? null }),
  };
}

describeOnEngine('evidence capture, end to end', () => {
  let h: Harness;
  const entries = async (userId: string) =>
    (await h.app.ctx.repos.evidence.list(owner(userId), { limit: 1000 })).entries;
  const openModal = (userId: string) => {
    const stack = h.api.state.openModals(userId);
    return stack[stack.length - 1];
  };

  beforeAll(async () => {
    h = await startHarness({ now: () => NOW });
  });
  afterAll(async () => {
    await h.close();
  });

  it("/ladder log stores the text with its tags on the user's local date, then confirms", async () => {
    const res = await h.sender.command({
      userId: alice,
      text: 'log Ran the launch review for three teams #process #multi-team',
    });
    expect(res.status).toBe(200);
    // First contact: the time zone is read from Slack, so the confirmation comes by response URL.
    const reply = await h.sender.waitForResponse(res.responseUrl as string);
    expect(shown(reply.body)).toContain('Saved to your evidence');
    expect(shown(reply.body)).toContain('Process');
    const [entry] = await entries(alice);
    expect(entry).toMatchObject({
      text: 'Ran the launch review for three teams',
      axes: ['process'],
      scope: 'multi-team',
      occurredOn: '2026-11-19',
      source: 'command',
    });
    // A known tag inside a sentence keeps its word; unknown hashtags stay as written.
    const second = await h.sender.command({ userId: alice, text: 'log Coached the #people leads on #okrs' });
    expect(shown(second.json)).toContain('Saved to your evidence');
    expect((await entries(alice))[0]).toMatchObject({
      text: 'Coached the people leads on #okrs',
      axes: ['people'],
    });
  });

  it('stores emoji, quotes, newlines and SQL-looking text exactly; a mention is kept and shown by name', async () => {
    const text = `Shipped 🚀 "v2" with <@U0BOB>'s help\nline two; DROP TABLE evidence; -- 👩🏽‍💻`;
    const res = await h.sender.command({ userId: alice, text: `log ${text}` });
    // A mention to name is a Slack call: the answer comes through the response URL.
    const reply = await h.sender.waitForResponse(res.responseUrl as string);
    expect(shown(reply.body)).toContain('Saved to your evidence');
    expect(shown(reply.body)).not.toContain('<@U0BOB>');
    expect((await entries(alice))[0]?.originalText).toBe(text);
    expect((await entries(alice))[0]?.text).toBe(text.replace('<@U0BOB>', '@bob'));
  });

  it('decodes the &, < and > Slack escapes in command text, so the entry is what the user typed', async () => {
    const res = await h.sender.command({
      userId: alice,
      text: 'log R&amp;D review: latency &lt; 200 ms &amp;&amp; p99 &gt; 1 s',
    });
    expect(shown(res.json)).toContain('Saved to your evidence');
    expect((await entries(alice))[0]?.text).toBe('R&D review: latency < 200 ms && p99 > 1 s');
  });

  it('refuses 3,001 characters with the length and the limit, and gives the text back; 3,000 emoji fit', async () => {
    const before = (await entries(alice)).length;
    const long = `${'x'.repeat(2991)} and more!`;
    const res = await h.sender.command({ userId: alice, text: `log ${long}` });
    const text = shown(res.json);
    expect(text).toContain('3,001 characters');
    expect(text).toContain('3,000');
    expect(text).toContain('x'.repeat(100));
    expect((await entries(alice)).length).toBe(before);
    const emoji = '🎉'.repeat(3000);
    const ok = await h.sender.command({ userId: alice, text: `log ${emoji}` });
    expect(shown(ok.json)).toContain('Saved to your evidence');
    expect((await entries(alice))[0]?.text).toBe(emoji);
  });

  it('gives help for an entry that is only tags', async () => {
    const before = (await entries(alice)).length;
    const res = await h.sender.command({ userId: alice, text: 'log #people #process' });
    expect(shown(res.json)).toContain('Tell me what you did');
    expect((await entries(alice)).length).toBe(before);
  });

  it('/ladder log alone opens the modal; its submission stores every field and confirms by response URL', async () => {
    const res = await h.sender.command({ userId: alice, text: 'log' });
    expect(res.status).toBe(200);
    await vi_waitFor(() => openModal(alice));
    const modal = openModal(alice);
    expect(modal?.view.callback_id).toBe(ViewId.evidenceModal);
    const submit = await h.sender.viewSubmission({
      userId: alice,
      view: modal?.view as Record<string, unknown>,
      values: formValues({
        text: 'Wrote the incident prevention plan',
        date: '2026-11-12',
        axes: ['system', 'process'],
        shift: 'preventing',
        scope: 'company',
        link: 'https://docs.example.com/plan',
      }),
    });
    expect(submit.status).toBe(200);
    const reply = await h.sender.waitForResponse(res.responseUrl as string);
    expect(shown(reply.body)).toContain('Wrote the incident prevention plan');
    expect((await entries(alice)).find((e) => e.text === 'Wrote the incident prevention plan')).toMatchObject(
      {
        occurredOn: '2026-11-12',
        axes: ['system', 'process'],
        shift: 'preventing',
        scope: 'company',
        link: 'https://docs.example.com/plan',
        source: 'modal',
      },
    );
  });

  it('keeps the modal open with errors on the fields for a bad link, a future date or empty text', async () => {
    await h.sender.command({ userId: alice, text: 'log' });
    await vi_waitFor(() => openModal(alice));
    const modal = openModal(alice);
    const before = (await entries(alice)).length;
    const res = await h.sender.viewSubmission({
      userId: alice,
      view: modal?.view as Record<string, unknown>,
      values: formValues({ text: '   ', date: '2030-01-01', link: 'javascript:alert(1)' }),
    });
    const ack = res.json as { response_action: string; errors: Record<string, string> };
    expect(ack.response_action).toBe('errors');
    expect(Object.keys(ack.errors).sort()).toEqual(
      [BlockId.evidenceDate, BlockId.evidenceLink, BlockId.evidenceText].sort(),
    );
    expect((await entries(alice)).length).toBe(before);
    h.api.closeView(modal?.id as string);
  });

  it('a retried submission of the same modal stores one entry', async () => {
    await h.sender.command({ userId: bob, text: 'log' });
    await vi_waitFor(() => openModal(bob));
    const view = openModal(bob)?.view as Record<string, unknown>;
    const values = formValues({ text: 'Mentored two new TPMs', date: '2026-11-20', axes: ['people'] });
    await h.sender.viewSubmission({ userId: bob, view, values });
    await h.sender.viewSubmission({ userId: bob, view, values });
    expect((await entries(bob)).filter((e) => e.text === 'Mentored two new TPMs')).toHaveLength(1);
  });

  it('Save as evidence keeps the permalink; without one (a private conversation) it saves and says so', async () => {
    h.api.addChannel({ id: 'C0PUBLIC', name: 'launches', members: [alice, bob], botIsMember: true });
    h.api.addChannel({
      id: 'G0SECRET',
      name: 'secret',
      members: [alice, bob],
      botIsMember: false,
      isPrivate: true,
    });
    for (const channel of ['C0PUBLIC', 'G0SECRET']) {
      const message = h.api.postAsUser({
        channel,
        user: bob,
        text: `Alice unblocked the ${channel} release`,
      });
      const res = await h.sender.messageAction({
        userId: alice,
        callbackId: ShortcutId.saveAsEvidence,
        channelId: channel,
        message,
      });
      expect(res.status).toBe(200);
      await vi_waitFor(() => {
        const m = openModal(alice);
        return (
          m &&
          JSON.stringify(m.view).includes(channel) &&
          (channel === 'C0PUBLIC'
            ? JSON.stringify(m.view).includes('http')
            : JSON.stringify(m.view).includes('could not get a link'))
        );
      });
      const modal = openModal(alice);
      const linkEl = (((modal?.view.blocks ?? []) as Array<Record<string, unknown>>).find(
        (b) => b.block_id === BlockId.evidenceLink,
      )?.element ?? {}) as { initial_value?: string };
      await h.sender.viewSubmission({
        userId: alice,
        view: modal?.view as Record<string, unknown>,
        values: formValues({
          text: `Alice unblocked the ${channel} release`,
          date: '2026-11-19',
          ...(linkEl.initial_value ? { link: linkEl.initial_value } : {}),
        }),
      });
      const reply = await h.sender.waitForResponse(res.responseUrl as string);
      const saved = (await entries(alice)).find((e) => e.text.includes(channel));
      expect(saved?.source).toBe('shortcut');
      if (channel === 'C0PUBLIC') {
        expect(saved?.link).toMatch(/^https?:\/\//);
      } else {
        expect(saved?.link).toBeNull();
        expect(shown(reply.body)).toContain('Saved without a link');
      }
    }
  });

  it('the App Home has Log a win; its modal confirms by updating the Home', async () => {
    await h.sender.event({ event: appHomeOpenedEvent(h.api, alice) });
    await vi_waitFor(() => h.api.state.homeViews.get(alice));
    expect(JSON.stringify(h.api.state.homeViews.get(alice)?.view)).toContain(ActionId.logWin);
    await h.sender.blockActions({
      userId: alice,
      actions: [{ action_id: ActionId.logWin, block_id: 'home', value: 'home' }],
      container: { type: 'view' },
    });
    await vi_waitFor(() => openModal(alice));
    await h.sender.viewSubmission({
      userId: alice,
      view: openModal(alice)?.view as Record<string, unknown>,
      values: formValues({ text: 'Set up the portfolio review', date: '2026-11-19', axes: ['influence'] }),
    });
    await vi_waitFor(() =>
      JSON.stringify(h.api.state.homeViews.get(alice)?.view).includes('Set up the portfolio review'),
    );
    expect((await entries(alice)).find((e) => e.text === 'Set up the portfolio review')?.source).toBe('home');
  });

  it('/ladder evidence lists newest first with Edit and Delete; Edit, Undo and Delete work', async () => {
    const list = await h.sender.command({ userId: alice, text: 'evidence 3' });
    const text = shown(list.json);
    expect(text).toContain('Your evidence');
    expect(text).toContain(ActionId.evidenceEdit);
    expect(text).toContain(ActionId.evidenceDelete);
    expect(text).toContain(ActionId.evidencePage);

    // Edit: the modal opens prefilled; the change is stored and confirmed.
    const target = (await entries(alice)).find((e) => e.text === 'Wrote the incident prevention plan');
    expect(target).toBeDefined();
    const edit = await h.sender.blockActions({
      userId: alice,
      actions: [
        { action_id: ActionId.evidenceEdit, block_id: BlockId.evidenceActions, value: String(target?.id) },
      ],
    });
    await vi_waitFor(() => openModal(alice));
    const modal = openModal(alice);
    expect(JSON.stringify(modal?.view)).toContain('Wrote the incident prevention plan');
    await h.sender.viewSubmission({
      userId: alice,
      view: modal?.view as Record<string, unknown>,
      values: formValues({
        text: 'Wrote and ran the incident prevention plan',
        date: '2026-11-12',
        axes: ['system'],
        shift: 'preventing',
      }),
    });
    await h.sender.waitForResponse(edit.responseUrl as string);
    expect(await h.app.ctx.repos.evidence.get(owner(alice), target?.id as number)).toMatchObject({
      text: 'Wrote and ran the incident prevention plan',
      axes: ['system'],
      link: null,
    });

    // Undo right after logging.
    const logged = await h.sender.command({ userId: alice, text: 'log Temporary entry to undo' });
    const id = (await entries(alice)).find((e) => e.text === 'Temporary entry to undo')?.id;
    expect(shown(logged.json)).toContain(ActionId.evidenceUndo);
    const undo = await h.sender.blockActions({
      userId: alice,
      actions: [{ action_id: ActionId.evidenceUndo, block_id: BlockId.evidenceActions, value: String(id) }],
    });
    expect(shown((await h.sender.waitForResponse(undo.responseUrl as string)).body)).toContain('Removed');
    expect(await h.app.ctx.repos.evidence.get(owner(alice), id as number)).toBeUndefined();

    // Delete from the list.
    const victim = (await entries(alice))[0];
    const del = await h.sender.blockActions({
      userId: alice,
      actions: [{ action_id: ActionId.evidenceDelete, block_id: 'x', value: String(victim?.id) }],
    });
    await h.sender.waitForResponse(del.responseUrl as string);
    expect(await h.app.ctx.repos.evidence.get(owner(alice), victim?.id as number)).toBeUndefined();
  });

  it('searches and pages through entries', async () => {
    for (let i = 1; i <= 7; i++)
      await h.sender.command({ userId: bob, text: `log Roadmap review number ${i}` });
    const page1 = await h.sender.command({ userId: bob, text: 'evidence roadmap' });
    expect(shown(page1.json)).toContain('of 7');
    const value = JSON.stringify({ o: 5, n: 5, q: 'roadmap' });
    const next = await h.sender.blockActions({
      userId: bob,
      actions: [{ action_id: ActionId.evidencePage, block_id: BlockId.evidencePager, value }],
    });
    const page2 = await h.sender.waitForResponse(next.responseUrl as string);
    expect(shown(page2.body)).toContain('Entries 6–7 of 7');
  });
});

/** Polls until the check returns something truthy (the app answers asynchronously after its ack). */
async function vi_waitFor<T>(check: () => T | Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
