import { afterAll, beforeAll, expect, it } from 'vitest';
import { NON_PERSONAL_TABLES } from '../../src/db/user-data.ts';
import type { LocalMessage } from '../../src/local/slack-api.ts';
import { ActionId, BlockId, ViewId } from '../../src/slack/ids.ts';
import { describeOnEngine } from '../helpers/engine.ts';
import { type Harness, startHarness, TEAM, USERS } from '../helpers/harness.ts';
import { columnNames, count, sql, tableNames } from '../helpers/tables.ts';

const alice = USERS[0]?.id as string;
const bob = USERS[1]?.id as string;
const owner = (userId: string) => ({ teamId: TEAM, userId });
const ALICE_TEXT = 'Alice private win: negotiated the vendor exit';

type Replay = (h: Harness, aliceEntryId: number) => Promise<string>;

/** Alice's settings and a weekly-reflection DM of hers (sent with `nudge now`). */
async function aliceNudge(h: Harness): Promise<{ channel: string; message: LocalMessage }> {
  await h.sender.command({ userId: alice, text: 'nudge on' });
  const res = await h.sender.command({ userId: alice, text: 'nudge now' });
  await h.sender.waitForResponse(res.responseUrl as string);
  const channel = h.api.state.dmChannelId(alice) as string;
  const message = h.api.state
    .messages(channel)
    .filter((m) => m.text.startsWith('Weekly reflection'))
    .at(-1) as LocalMessage;
  return { channel, message };
}

/** Bob presses a button of Alice's nudge (her DM's id and the message's ts): nothing of hers changes. */
function nudgeButton(actionId: string): { replay: Replay } {
  return {
    replay: async (h) => {
      const { channel, message } = await aliceNudge(h);
      const settings = await h.app.ctx.repos.nudges.getSettings(owner(alice));
      const res = await h.sender.blockActions({
        userId: bob,
        actions: [{ action_id: actionId, block_id: BlockId.nudgeActions, value: 'x' }],
        channelId: channel,
        message,
      });
      const reply = await h.sender.waitForResponse(res.responseUrl as string);
      expect(await h.app.ctx.repos.nudges.getSettings(owner(alice))).toEqual(settings);
      expect(h.api.state.message(channel, message.ts)?.edited).toBeUndefined();
      expect(h.api.state.openModals(bob)).toHaveLength(0);
      return JSON.stringify(reply.body);
    },
  };
}

/**
 * Every action and view handler declared in ids.ts. Those that take an id get a replay: Bob sends
 * Alice's button value or modal. A new id without an entry here fails the enumeration test.
 */
const CASES: Record<string, { replay: Replay } | { exempt: string }> = {
  [ActionId.shareInChannel]: { exempt: 'value is a public ladder level id, no user data' },
  [ActionId.compareLevels]: { exempt: 'value is a pair of public ladder level ids' },
  [ActionId.showLevel]: { exempt: 'value is a public ladder level id' },
  [ActionId.levelExamples]: { exempt: 'value is a public ladder level id' },
  [ActionId.homeNudgeToggle]: { exempt: "value is on/off: changes only the clicking user's own settings" },
  [ActionId.homeNudgeSkip]: { exempt: "takes no id: skips the clicking user's own next nudge" },
  [ActionId.homeNudgePause]: { exempt: 'value is a number of weeks, applied to the clicking user' },
  [ActionId.homeNudgeNow]: { exempt: "takes no id: sends a prompt to the clicking user's own DM" },
  [ActionId.homeNudgeDay]: { exempt: "value is a weekday, applied to the clicking user's own schedule" },
  [ActionId.homeNudgeTime]: { exempt: "value is a time of day, applied to the clicking user's own schedule" },
  [ActionId.homeDigestToggle]: { exempt: "value is on/off: changes only the clicking user's own digest" },
  [ActionId.formValue]: { exempt: 'an input element inside modals, not a handler' },
  [ActionId.logWin]: { exempt: 'takes no id: opens an empty form for the clicking user' },
  [ActionId.forgetCancel]: { exempt: 'takes no id and changes nothing' },
  [ActionId.evidenceEdit]: {
    replay: async (h, id) => {
      const res = await h.sender.blockActions({
        userId: bob,
        actions: [{ action_id: ActionId.evidenceEdit, block_id: BlockId.evidenceActions, value: String(id) }],
      });
      const reply = await h.sender.waitForResponse(res.responseUrl as string);
      return JSON.stringify(reply.body) + JSON.stringify(h.api.state.openModals(bob).map((v) => v.view));
    },
  },
  [ActionId.evidenceOpenSaved]: {
    // Bob, in a form of his own, presses "Open the entry" with Alice's entry id.
    replay: async (h, id) => {
      await h.sender.command({ userId: bob, text: 'log' });
      const deadline = Date.now() + 5_000;
      while (h.api.state.openModals(bob).length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const modal = h.api.state.openModals(bob).at(-1);
      await h.sender.blockActions({
        userId: bob,
        actions: [
          { action_id: ActionId.evidenceOpenSaved, block_id: BlockId.evidenceActions, value: String(id) },
        ],
        container: { type: 'view', view_id: modal?.id },
        view: { ...(modal?.view as Record<string, unknown>), id: modal?.id },
      });
      await new Promise((r) => setTimeout(r, 100));
      const seen = JSON.stringify(h.api.state.openModals(bob).map((v) => v.view));
      for (const v of h.api.state.openModals(bob)) h.api.closeView(v.id);
      return seen;
    },
  },
  [ViewId.evidenceAlreadySaved]: {
    exempt: 'has no submit button: it only shows the clicking user their own entry',
  },
  [ActionId.evidenceUndo]: {
    replay: async (h, id) => {
      const res = await h.sender.blockActions({
        userId: bob,
        actions: [{ action_id: ActionId.evidenceUndo, block_id: BlockId.evidenceActions, value: String(id) }],
      });
      return JSON.stringify((await h.sender.waitForResponse(res.responseUrl as string)).body);
    },
  },
  [ActionId.evidenceDelete]: {
    replay: async (h, id) => {
      const res = await h.sender.blockActions({
        userId: bob,
        actions: [{ action_id: ActionId.evidenceDelete, block_id: 'x', value: String(id) }],
      });
      return JSON.stringify((await h.sender.waitForResponse(res.responseUrl as string)).body);
    },
  },
  [ActionId.evidenceAccept]: {
    replay: async (h, id) => {
      const res = await h.sender.blockActions({
        userId: bob,
        actions: [
          { action_id: ActionId.evidenceAccept, block_id: BlockId.evidenceActions, value: String(id) },
        ],
      });
      return JSON.stringify((await h.sender.waitForResponse(res.responseUrl as string)).body);
    },
  },
  [ActionId.homeSetLevel]: {
    exempt: "value is a public position id; sets only the clicking user's own profile",
  },
  [ActionId.homeSetTarget]: {
    exempt: "value is a public position id; sets only the clicking user's own profile",
  },
  [ActionId.evidencePage]: {
    replay: async (h) => {
      const value = JSON.stringify({ o: 0, n: 5, q: 'vendor' });
      const res = await h.sender.blockActions({
        userId: bob,
        actions: [{ action_id: ActionId.evidencePage, block_id: BlockId.evidencePager, value }],
      });
      return JSON.stringify((await h.sender.waitForResponse(res.responseUrl as string)).body);
    },
  },
  [ActionId.forgetConfirm]: {
    replay: async (h) => {
      const res = await h.sender.blockActions({
        userId: bob,
        actions: [{ action_id: ActionId.forgetConfirm, block_id: BlockId.forgetActions, value: 'forget' }],
      });
      return JSON.stringify((await h.sender.waitForResponse(res.responseUrl as string)).body);
    },
  },
  [ActionId.exportFile]: {
    // The value is only a format: Bob's click exports Bob's data, to Bob's DM, whatever he sends.
    replay: async (h) => {
      const before = h.api.state.files.size;
      await h.sender.blockActions({
        userId: bob,
        actions: [{ action_id: ActionId.exportFile, block_id: BlockId.homeActions, value: 'json' }],
      });
      const deadline = Date.now() + 10_000;
      let file = [...h.api.state.files.values()].slice(before).find((f) => f.completed);
      while (!file && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        file = [...h.api.state.files.values()].slice(before).find((f) => f.completed);
      }
      const text = file?.bytes?.toString('utf8') ?? '';
      expect(text).toContain('Bob own entry');
      for (const share of file?.shares ?? []) {
        expect(h.api.state.channels.get(share.channel)?.members).not.toContain(alice);
      }
      return text;
    },
  },
  [ActionId.exportChart]: {
    replay: async (h) => {
      await h.app.ctx.repos.profiles.setLevels(owner(bob), { level: 'tpm4', target: 'tpm5' }, new Date());
      await h.sender.blockActions({
        userId: bob,
        actions: [{ action_id: ActionId.exportChart, block_id: BlockId.homeActions, value: 'chart' }],
      });
      const deadline = Date.now() + 10_000;
      const chartOnHome = async () => {
        const chart = await h.app.ctx.repos.exports.homeChart(owner(bob));
        const home = JSON.stringify(h.api.state.homeViews.get(bob)?.view ?? {});
        return chart && home.includes(chart.fileId) ? home : undefined;
      };
      while (!(await chartOnHome()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(await h.app.ctx.repos.exports.homeChart(owner(alice))).toBeUndefined();
      return (await chartOnHome()) ?? '';
    },
  },
  [ActionId.nudgeAnswer]: nudgeButton(ActionId.nudgeAnswer),
  [ActionId.nudgeSkipWeek]: nudgeButton(ActionId.nudgeSkipWeek),
  [ActionId.nudgePause]: nudgeButton(ActionId.nudgePause),
  [ActionId.nudgeStop]: nudgeButton(ActionId.nudgeStop),
  [ViewId.nudgeAnswer]: {
    replay: async (h) => {
      // Alice opens the Answer form of her nudge; Bob submits her modal as his own.
      const { channel, message } = await aliceNudge(h);
      await h.sender.blockActions({
        userId: alice,
        actions: [{ action_id: ActionId.nudgeAnswer, block_id: BlockId.nudgeActions, value: 'x' }],
        channelId: channel,
        message,
      });
      const deadline = Date.now() + 5_000;
      while (h.api.state.openModals(alice).length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      const view = h.api.state.openModals(alice).at(-1)?.view as Record<string, unknown>;
      const res = await h.sender.viewSubmission({
        userId: bob,
        view,
        values: {
          [BlockId.nudgeAnswer]: {
            [ActionId.formValue]: { type: 'plain_text_input', value: 'Answered by Bob' },
          },
        },
      });
      h.api.closeView(view.id as string);
      const all = (
        await Promise.all(
          [alice, bob].map(
            async (u) => (await h.app.ctx.repos.evidence.list(owner(u), { limit: 100 })).entries,
          ),
        )
      ).flat();
      expect(all.some((e) => e.text === 'Answered by Bob')).toBe(false);
      return res.body;
    },
  },
  [ViewId.evidenceModal]: {
    replay: async (h, id) => {
      // Alice opens Edit on her entry; Bob submits Alice's modal (its id and contents) as his own.
      await h.sender.blockActions({
        userId: alice,
        actions: [{ action_id: ActionId.evidenceEdit, block_id: BlockId.evidenceActions, value: String(id) }],
      });
      const deadline = Date.now() + 5_000;
      while (h.api.state.openModals(alice).length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      const view = h.api.state.openModals(alice).at(-1)?.view as Record<string, unknown>;
      const f = (x: Record<string, unknown>) => ({ [ActionId.formValue]: x });
      const res = await h.sender.viewSubmission({
        userId: bob,
        view,
        values: {
          [BlockId.evidenceText]: f({ type: 'plain_text_input', value: 'Overwritten by Bob' }),
          [BlockId.evidenceDate]: f({ type: 'datepicker', selected_date: '2026-11-01' }),
        },
      });
      h.api.closeView(view.id as string);
      return res.body;
    },
  },
};

describeOnEngine(
  "isolation: a second user replaying the first user's ids changes and reveals nothing",
  () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
    });
    afterAll(async () => {
      await h.close();
    });

    it('covers every action and view handler declared in ids.ts', () => {
      const declared = [...Object.values(ActionId), ...Object.values(ViewId)].sort();
      expect(Object.keys(CASES).sort()).toEqual(declared);
    });

    for (const [id, c] of Object.entries(CASES)) {
      if ('exempt' in c) continue;
      it(`${id}`, async () => {
        const { entry } = await h.app.ctx.repos.evidence.insert(
          owner(alice),
          {
            text: ALICE_TEXT,
            occurredOn: '2026-11-02',
            axes: ['people'],
            shift: null,
            scope: null,
            link: null,
            source: 'command',
          },
          new Date(),
        );
        await h.app.ctx.repos.evidence.insert(
          owner(bob),
          {
            text: 'Bob own entry',
            occurredOn: '2026-11-02',
            axes: [],
            shift: null,
            scope: null,
            link: null,
            source: 'command',
          },
          new Date(),
        );
        const seenByBob = await c.replay(h, entry.id);
        expect(seenByBob).not.toContain('vendor exit');
        expect(await h.app.ctx.repos.evidence.get(owner(alice), entry.id)).toMatchObject({
          text: ALICE_TEXT,
          axes: ['people'],
        });
      });
    }
  },
);

describeOnEngine('/ladder forget', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('confirms with counts, then deletes every row of the user in every table and nothing of others', async () => {
    // A log is confirmed in the ack, or (when saving takes longer) on its response URL once the row is
    // committed: wait for the confirmation, as a person would, before counting.
    const log = async (userId: string, text: string) => {
      const res = await h.sender.command({ userId, text });
      if (res.json === undefined) await h.sender.waitForResponse(res.responseUrl as string);
    };
    for (const u of [alice, bob]) {
      await log(u, `log First win of ${u} #people`);
      await log(u, `log Second win of ${u}`);
      await h.sender.command({ userId: u, text: 'log' }); // leaves a pending modal row
      // The profile keeps the roles chosen (level_role, target_role): forget removes them too.
      await h.sender.command({ userId: u, text: 'me level senior target lead' });
    }
    expect(await h.app.ctx.repos.profiles.get(owner(alice))).toMatchObject({ levelRole: 'senior-tpm' });
    const ask = await h.sender.command({ userId: alice, text: 'forget' });
    const askText = JSON.stringify(ask.json);
    expect(askText).toContain('2 evidence entries');
    expect(askText).toContain(ActionId.forgetConfirm);
    expect(await h.app.ctx.repos.evidence.count(owner(alice))).toBe(2);

    const confirm = await h.sender.blockActions({
      userId: alice,
      actions: [{ action_id: ActionId.forgetConfirm, block_id: BlockId.forgetActions, value: 'forget' }],
    });
    const done = JSON.stringify((await h.sender.waitForResponse(confirm.responseUrl as string)).body);
    expect(done).toContain('2 evidence entries');

    for (const table of await tableNames(h.app)) {
      if (!(await columnNames(h.app, table)).includes('user_id')) {
        expect(
          NON_PERSONAL_TABLES as readonly string[],
          `${table} has no user_id column: list it as non-personal`,
        ).toContain(table);
        continue;
      }
      const left = await count(h.app, table, sql`user_id = ${alice}`);
      expect(left, `rows of the forgotten user left in ${table}`).toBe(0);
    }
    expect(await h.app.ctx.repos.evidence.count(owner(bob))).toBe(2);
    expect(await h.app.ctx.repos.profiles.get(owner(alice))).toBeUndefined();
    expect(await h.app.ctx.repos.profiles.get(owner(bob))).toMatchObject({
      levelRole: 'senior-tpm',
      targetRole: 'lead-tpm',
    });
  });
});
