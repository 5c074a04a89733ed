/**
 * Issue #23 item 2: a person's data follows them to the org-wide install. Rows made under the
 * workspace tenant are listed, switched off and forgotten from requests carrying the org install
 * (signed commands with enterprise_id and is_enterprise_install=true), through the real app.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { buildCommandPayload } from '../../src/local/slack-api-payloads.ts';
import { COMMAND } from '../../src/slack/ids.ts';
import { describeOnEngine } from '../helpers/engine.ts';
import { type Harness, startHarness, TEAM, USERS } from '../helpers/harness.ts';

const ORG = 'E0GRID';
const alice = USERS[0]?.id as string;

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
  beforeEach(async () => {
    h = await startHarness();
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
});
