/**
 * Issue #23 item 2, the scheduler's guard, in distribution mode: a Grid workspace keeps its own
 * install beside the org-wide one, and a person has weekly nudges set up under both tenants (the
 * workspace's rows not moved yet: they used the workspace's install since their last org request).
 * The scheduler nudges them once that week, not once per tenant; a different person is still sent.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { formatRunLine } from '../../src/domain/nudge-report.ts';
import type { SignedSender } from '../../src/local/signed-sender.ts';
import { type LocalSlackApi, startLocalSlackApi } from '../../src/local/slack-api.ts';
import { type RunningLadder, startLadder } from '../../src/main.ts';
import { appSender, distributionEnv, installWorkspace } from '../helpers/distribution.ts';
import { createTestStorage, describeOnEngine, type TestStorage } from '../helpers/engine.ts';
import { manifestScopes, USERS } from '../helpers/harness.ts';

const OAUTH = { clientId: '4321.8765', clientSecret: 'grid-client-secret-0123456789' };
const ORG = 'E0GRID';
const WS = 'T0GRIDA';
const alice = USERS[0]?.id as string; // America/New_York
const bob = USERS[1]?.id as string; // Asia/Tokyo
const clock = new Date('2026-12-05T17:00:00Z');
// Tuesday 8 December 14:05 UTC: 09:05 in New York, 23:05 in Tokyo.
const TUESDAY = new Date('2026-12-08T14:05:00Z');

describeOnEngine('the scheduler across a workspace install and the org-wide install', () => {
  let api: LocalSlackApi;
  let app: RunningLadder;
  let storage: TestStorage;

  beforeEach(async () => {
    api = await startLocalSlackApi({
      botToken: 'xoxb-grid-seed-not-used-by-the-app',
      scopes: manifestScopes(),
      teamId: WS,
      users: USERS,
      oauth: OAUTH,
    });
    storage = await createTestStorage('grid-guard');
    app = await startLadder({
      env: {
        ...distributionEnv({ oauth: OAUTH, api, key: Buffer.alloc(32, 7).toString('base64') }),
        NUDGE_SEND_RATE: '6000',
        LOG_LEVEL: 'error',
        ...storage.env,
      },
      writeLog: () => {},
      now: () => clock,
      listenHost: '127.0.0.1',
    });
    // The org admin's org-wide install, through the OAuth redirect as Slack sends it.
    const code = api.oauth.authorize({ enterpriseId: ORG, orgWide: true, userId: alice });
    const res = await fetch(`http://127.0.0.1:${app.port}/slack/oauth_redirect?code=${code}`);
    expect(res.status).toBe(200);
    // The workspace's own install, through the whole flow: Slack reports it with its org.
    const own = await installWorkspace(`http://127.0.0.1:${app.port}`, api, {
      teamId: WS,
      enterpriseId: ORG,
      userId: alice,
    });
    expect(own.status).toBe(200);
    expect((await app.ctx.repos.installations.find(WS))?.enterpriseId).toBe(ORG);
  });
  afterEach(async () => {
    await app?.stop();
    await api?.close();
    await storage?.drop();
  });

  function sender(orgWide: boolean): SignedSender {
    return appSender(app, api, WS, { enterpriseId: ORG, orgWide });
  }
  async function slash(s: SignedSender, userId: string, text: string): Promise<string> {
    const res = await s.command({ userId, text });
    expect(res.status).toBe(200);
    const acked = res.json as { text?: string } | undefined;
    if (acked?.text) return acked.text;
    return JSON.stringify((await s.waitForResponse(res.responseUrl as string, { timeoutMs: 15_000 })).body);
  }
  /** The people Slack was asked to post to since call `from`, one entry per chat.postMessage. */
  const postedTo = (from: number) => {
    const people = new Map(USERS.map((u) => [api.state.dmChannelId(u.id) ?? '', u.id]));
    return api.calls
      .slice(from)
      .filter((c) => c.method === 'chat.postMessage')
      .map((c) => people.get(String(c.params.channel)) ?? String(c.params.channel))
      .sort();
  };

  it('nudges a person set up under both tenants once in the week; another person is still sent', async () => {
    // Alice: weekly nudges through the org install, then again through the workspace's own.
    expect(await slash(sender(true), alice, 'nudge tue 09:00')).toContain('Tuesday');
    expect(await slash(sender(false), alice, 'nudge tue 09:00')).toContain('Tuesday');
    expect(await app.ctx.repos.nudges.getSettings({ teamId: ORG, userId: alice })).toBeDefined();
    expect(await app.ctx.repos.nudges.getSettings({ teamId: WS, userId: alice })).toBeDefined();
    expect(await slash(sender(true), bob, 'nudge tue 23:00')).toContain('Tuesday');

    const from = api.calls.length;
    const run = await app.scheduler.runOnce(TUESDAY);
    await app.scheduler.sender.drain();
    const lines = run.lines.map(formatRunLine).join('\n');
    expect(postedTo(from)).toEqual([alice, bob].sort());
    expect(lines).toContain(`${ORG} ${bob} sent`);
    // The org-wide install's nudge goes out; the workspace's gives way to it: "due" when it is checked
    // before the org's send is recorded, "sent" after (the two jobs of one tick run side by side).
    expect(lines).toContain(`${ORG} ${alice} sent`);
    expect(lines).toMatch(new RegExp(`${WS} ${alice} skipped \\S+ (due|sent)-in-other-tenant`));

    // A later tick in the same week sends her nothing either.
    const later = api.calls.length;
    await app.scheduler.runOnce(new Date('2026-12-09T14:05:00Z'));
    await app.scheduler.sender.drain();
    expect(postedTo(later)).toEqual([]);
  });
});
