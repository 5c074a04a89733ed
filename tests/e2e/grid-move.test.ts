/**
 * Issue #23 item 2: a person's data follows them to the org-wide install. Rows made under the
 * workspace tenant are listed, edited, switched off and forgotten from requests carrying the org
 * install (signed requests with enterprise_id and is_enterprise_install=true), through the real
 * app; from a workspace's own install in the org, forget reaches the rows made through the org.
 * The nudges' side is in grid-move-nudges.test.ts.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { USER_TABLES } from '../../src/db/user-data.ts';
import type { SentResponse, SignedSender } from '../../src/local/signed-sender.ts';
import { buildCommandPayload } from '../../src/local/slack-api-payloads.ts';
import { ActionId, BlockId, COMMAND } from '../../src/slack/ids.ts';
import { orgSenders } from '../helpers/distribution.ts';
import { describeOnEngine } from '../helpers/engine.ts';
import { evidenceFormValues, type Harness, startHarness, TEAM, USERS } from '../helpers/harness.ts';
import { shown } from '../helpers/reliability.ts';
import { count, sql } from '../helpers/tables.ts';

const ORG = 'E0GRID';
const alice = USERS[0]?.id as string; // America/New_York
const bob = USERS[1]?.id as string;
const carol = USERS[2]?.id as string;
// Saturday 5 December 2026, 17:00 UTC: the app's own clock.
const NOW = new Date('2026-12-05T17:00:00Z');

/** A slash command from the org-wide install: the tenant is the enterprise, the workspace is TEAM. */
async function orgCommand(h: Harness, text: string): Promise<string> {
  const ctx = { api: h.api, teamId: TEAM, command: COMMAND, enterpriseId: ORG, now: Date.now };
  const { fields, responseUrl } = buildCommandPayload(ctx, { userId: alice, text });
  fields.is_enterprise_install = 'true';
  const res = await h.sender.raw({
    body: new URLSearchParams(fields).toString(),
    contentType: 'application/x-www-form-urlencoded',
  });
  expect(res.status).toBe(200);
  // A short answer comes in the ack; a longer one through the response URL.
  if (res.body.length > 0) return res.body;
  return JSON.stringify((await h.sender.waitForResponse(responseUrl)).body);
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describeOnEngine('a person follows the org-wide install', () => {
  let h: Harness;
  /** The org-wide install, from workspace TEAM. */
  let org: SignedSender;
  /** The workspace's own install, TEAM being a workspace of the org. */
  let wsInOrg: SignedSender;
  beforeEach(async () => {
    h = await startHarness({ now: () => NOW, env: { NUDGE_SEND_RATE: '6000' } });
    ({ org, wsInOrg } = orgSenders(h, TEAM, ORG));
  });
  afterEach(async () => {
    await h.close();
  });

  async function workspaceRows(): Promise<void> {
    for (const text of ['log Shipped the grid migration plan', 'log Mentored two new leads', 'nudge on']) {
      expect((await h.sender.command({ userId: alice, text })).status).toBe(200);
    }
    // The workspace's writes may finish after their ack: the test starts once they are committed.
    await vi.waitFor(async () => {
      const ws = await h.app.ctx.repos.userData.count({ teamId: TEAM, userId: alice });
      expect([ws.evidence, ws.nudge_settings]).toEqual([2, 1]);
    });
  }

  it('lists the workspace entries from the org side, and the workspace keeps nothing', async () => {
    await workspaceRows();
    const listed = await orgCommand(h, 'evidence');
    expect(listed).toContain('Shipped the grid migration plan');
    expect(listed).toContain('Mentored two new leads');
    expect(total(await h.app.ctx.repos.userData.count({ teamId: TEAM, userId: alice }))).toBe(0);
    const org = await h.app.ctx.repos.userData.count({ teamId: ORG, userId: alice });
    expect(org.evidence).toBe(2);
    expect(org.nudge_settings).toBe(1);
  });

  it('nudge off from the org side switches off the nudges made in the workspace', async () => {
    await workspaceRows();
    await orgCommand(h, 'nudge off');
    const settings = await h.app.ctx.repos.nudges.getSettings({ teamId: ORG, userId: alice });
    expect(settings?.enabled).toBe(false);
    expect(await h.app.ctx.repos.nudges.getSettings({ teamId: TEAM, userId: alice })).toBeUndefined();
  });

  it('after the move, erasing the org tenant (what forget runs) leaves nothing in the workspace', async () => {
    await workspaceRows();
    await orgCommand(h, 'evidence');
    await h.app.ctx.repos.userData.deleteAll({ teamId: ORG, userId: alice });
    expect(total(await h.app.ctx.repos.userData.count({ teamId: ORG, userId: alice }))).toBe(0);
    expect(total(await h.app.ctx.repos.userData.count({ teamId: TEAM, userId: alice }))).toBe(0);
  });

  async function slash(s: SignedSender, userId: string, text: string): Promise<string> {
    const res: SentResponse = await s.command({ userId, text });
    expect(res.status).toBe(200);
    if (res.json !== undefined) return shown(res.json);
    return shown((await s.waitForResponse(res.responseUrl as string, { timeoutMs: 15_000 })).body);
  }

  /** The person's rows in every personal table, whatever the tenant, read straight from the database. */
  async function rowsEverywhere(userId: string): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of USER_TABLES) out[table] = await count(h.app, table, sql`user_id = ${userId}`);
    return out;
  }

  /** Rows in every personal table, made the way a person makes them, through the workspace's install. */
  async function everyTableInWorkspace(userId: string): Promise<void> {
    await slash(h.sender, userId, 'log Shipped the grid migration plan');
    await slash(h.sender, userId, 'nudge tue 09:00');
    await slash(h.sender, userId, 'digest on');
    await slash(h.sender, userId, 'nudge now');
    await slash(h.sender, userId, 'export');
    // The log modal (a pending view); it is never submitted.
    expect((await h.sender.command({ userId, text: 'log' })).status).toBe(200);
    // This week's weekly nudge (the ledger): Tuesday 8 December, 09:05 in New York.
    await h.app.scheduler.runOnce(new Date('2026-12-08T14:05:00Z'));
    await h.app.scheduler.sender.drain();
    await vi.waitFor(async () => {
      const counts = await h.app.ctx.repos.userData.count({ teamId: TEAM, userId });
      expect(Object.entries(counts).filter(([, n]) => n === 0)).toEqual([]);
    });
  }

  async function forgetFrom(s: SignedSender, userId: string): Promise<{ asked: string; done: string }> {
    const asked = await slash(s, userId, 'forget');
    expect(asked).toContain(ActionId.forgetConfirm);
    const confirm = await s.blockActions({
      userId,
      actions: [{ action_id: ActionId.forgetConfirm, block_id: BlockId.forgetActions, value: 'forget' }],
    });
    expect(confirm.status).toBe(200);
    return { asked, done: shown((await s.waitForResponse(confirm.responseUrl as string)).body) };
  }

  it('forget as the first org request removes every row made under the workspace, in every table', async () => {
    await everyTableInWorkspace(alice);
    await slash(h.sender, bob, 'log Bob keeps this');
    const { asked, done } = await forgetFrom(org, alice);
    expect(asked).toContain('1 evidence entry');
    expect(asked).toContain('1 exported files');
    expect(done).toContain('Ladder no longer holds anything about you');
    expect(done).toContain('1 evidence entry');
    const left = await rowsEverywhere(alice);
    expect(Object.entries(left).filter(([, n]) => n > 0)).toEqual([]);
    expect(Object.keys(left).sort()).toEqual([...USER_TABLES].sort());
    // Nobody else's rows go.
    expect(await h.app.ctx.repos.evidence.count({ teamId: TEAM, userId: bob })).toBe(1);
  });

  it('forget from the org side after the move removes every row that was the workspace’s', async () => {
    await everyTableInWorkspace(alice);
    expect(await slash(org, alice, 'evidence')).toContain('Shipped the grid migration plan');
    expect(Object.values(await h.app.ctx.repos.userData.count({ teamId: TEAM, userId: alice }))).toEqual(
      USER_TABLES.map(() => 0),
    );
    const { done } = await forgetFrom(org, alice);
    expect(done).toContain('1 evidence entry');
    expect(Object.entries(await rowsEverywhere(alice)).filter(([, n]) => n > 0)).toEqual([]);
  });

  it('forget from the workspace’s own install in the org also removes the rows made through the org', async () => {
    await slash(org, carol, 'log Org side entry');
    await slash(org, carol, 'nudge on');
    await slash(wsInOrg, carol, 'log Workspace side entry');
    await slash(h.sender, bob, 'log Bob keeps this');
    expect((await h.app.ctx.repos.userData.count({ teamId: ORG, userId: carol })).evidence).toBe(1);
    expect((await h.app.ctx.repos.userData.count({ teamId: TEAM, userId: carol })).evidence).toBe(1);
    const { asked, done } = await forgetFrom(wsInOrg, carol);
    expect(asked).toContain('2 evidence entries');
    expect(done).toContain('2 evidence entries');
    expect(Object.entries(await rowsEverywhere(carol)).filter(([, n]) => n > 0)).toEqual([]);
    expect(await h.app.ctx.repos.evidence.count({ teamId: TEAM, userId: bob })).toBe(1);
  });

  it('edits an entry made under the workspace from the org side, through the list’s Edit and its modal', async () => {
    await slash(h.sender, alice, 'log Wrote the incident prevention plan');
    const listed = await slash(org, alice, 'evidence');
    expect(listed).toContain('Wrote the incident prevention plan');
    expect(listed).toContain(ActionId.evidenceEdit);
    const [entry] = (await h.app.ctx.repos.evidence.list({ teamId: ORG, userId: alice }, { limit: 5 }))
      .entries;
    expect(entry?.text).toBe('Wrote the incident prevention plan');
    const edit = await org.blockActions({
      userId: alice,
      actions: [
        { action_id: ActionId.evidenceEdit, block_id: BlockId.evidenceActions, value: String(entry?.id) },
      ],
    });
    expect(edit.status).toBe(200);
    const modal = await vi.waitFor(() => {
      const stack = h.api.state.openModals(alice);
      const top = stack[stack.length - 1];
      if (!top) throw new Error('no modal yet');
      return top;
    });
    expect(JSON.stringify(modal.view)).toContain('Wrote the incident prevention plan');
    const submitted = await org.viewSubmission({
      userId: alice,
      view: modal.view as Record<string, unknown>,
      values: evidenceFormValues('Wrote and ran the incident prevention plan', '2026-12-03'),
    });
    expect(submitted.status).toBe(200);
    await org.waitForResponse(edit.responseUrl as string);
    expect(
      await h.app.ctx.repos.evidence.get({ teamId: ORG, userId: alice }, entry?.id as number),
    ).toMatchObject({
      text: 'Wrote and ran the incident prevention plan',
      occurredOn: '2026-12-03',
    });
    expect(await slash(org, alice, 'evidence')).toContain('Wrote and ran the incident prevention plan');
    expect(await h.app.ctx.repos.evidence.count({ teamId: TEAM, userId: alice })).toBe(0);
  });

  it('a row written under the workspace after the move moves on the next org request, without a restart', async () => {
    await slash(h.sender, alice, 'log First workspace entry');
    expect(await slash(org, alice, 'evidence')).toContain('First workspace entry');
    expect(await h.app.ctx.repos.evidence.count({ teamId: TEAM, userId: alice })).toBe(0);
    // The same app process: the workspace install writes again.
    await slash(h.sender, alice, 'log Second workspace entry');
    expect(await h.app.ctx.repos.evidence.count({ teamId: TEAM, userId: alice })).toBe(1);
    const listed = await slash(org, alice, 'evidence');
    expect(listed).toContain('First workspace entry');
    expect(listed).toContain('Second workspace entry');
    expect(await h.app.ctx.repos.evidence.count({ teamId: TEAM, userId: alice })).toBe(0);
    expect(await h.app.ctx.repos.evidence.count({ teamId: ORG, userId: alice })).toBe(2);
  });
});
