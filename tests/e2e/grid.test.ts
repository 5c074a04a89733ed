/**
 * Enterprise Grid org-wide installs end to end through the local Slack API, on the test engine: an
 * org admin's install from the Grid admin pages (no state) is stored under the enterprise and serves
 * two workspaces of the org with the org token; another org and a standalone workspace see nothing
 * of it; a state-less workspace install is refused and nothing stored; a forged state is refused;
 * tokens_revoked for the org deletes the org install.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SignedSender } from '../../src/local/signed-sender.ts';
import { type LocalSlackApi, startLocalSlackApi } from '../../src/local/slack-api.ts';
import { type RunningLadder, startLadder } from '../../src/main.ts';
import { appSender, distributionEnv, oauthRedirect } from '../helpers/distribution.ts';
import { createTestStorage, describeOnEngine, type TestStorage } from '../helpers/engine.ts';
import { manifestScopes, USERS } from '../helpers/harness.ts';

const OAUTH = { clientId: '4321.8765', clientSecret: 'grid-client-secret-0123456789' };
const STATE_SECRET = 'grid-state-secret-0123456789abcdef';
const ORG = 'E0GRID';
const OTHER_ORG = 'E0OTHER';
const alice = USERS[0]?.id as string;

let api: LocalSlackApi;
let app: RunningLadder;
let storage: TestStorage;
const clock = new Date('2027-01-04T15:00:00Z');

function sender(teamId: string, enterpriseId?: string): SignedSender {
  return appSender(app, api, teamId, enterpriseId ? { enterpriseId, orgWide: true } : undefined);
}

const redirect = (query: Record<string, string>, cookie?: string) =>
  oauthRedirect(`http://127.0.0.1:${app.port}`, query, cookie);

async function command(s: SignedSender, text: string): Promise<string> {
  const res = await s.command({ userId: alice, text });
  expect(res.status).toBe(200);
  const acked = res.json as { text?: string; blocks?: unknown[] } | undefined;
  const body = (
    acked?.text ? acked : (await s.waitForResponse(res.responseUrl as string, { timeoutMs: 15_000 })).body
  ) as { text?: string; blocks?: unknown[] };
  return `${body.text ?? ''}\n${JSON.stringify(body.blocks ?? [])}`;
}

const installed = async (tenant: string) => (await app.ctx.repos.installations.find(tenant)) !== undefined;

beforeAll(async () => {
  api = await startLocalSlackApi({
    botToken: 'xoxb-grid-seed-not-used-by-the-app',
    scopes: manifestScopes(),
    teamId: 'T0LOCAL',
    users: USERS,
    oauth: OAUTH,
  });
  storage = await createTestStorage('grid');
  app = await startLadder({
    env: {
      ...distributionEnv({
        oauth: OAUTH,
        api,
        key: Buffer.alloc(32, 7).toString('base64'),
        stateSecret: STATE_SECRET,
      }),
      LOG_LEVEL: 'error',
      ...storage.env,
    },
    writeLog: () => {},
    now: () => clock,
    listenHost: '127.0.0.1',
  });
});

afterAll(async () => {
  await app?.stop();
  await api?.close();
  await storage?.drop();
});

describeOnEngine('Enterprise Grid org-wide install', () => {
  it('refuses a state-less workspace install and a forged state, storing nothing', async () => {
    const code = api.oauth.authorize({ teamId: 'T0LONE', userId: alice });
    const missing = await redirect({ code });
    expect(missing.status).toBe(400);
    expect(missing.html).toContain('carried no state');
    const forged = await redirect(
      { code: api.oauth.authorize({ enterpriseId: ORG, orgWide: true, userId: alice }), state: 'x.AAAA' },
      'slack-app-oauth-state=x.AAAA',
    );
    expect(forged.status).toBe(400);
    expect(await installed('T0LONE')).toBe(false);
    expect(await installed(ORG)).toBe(false);
  });

  it('stores an org admin’s state-less org-wide install under the enterprise', async () => {
    const code = api.oauth.authorize({
      enterpriseId: ORG,
      enterpriseName: 'Grid Co',
      orgWide: true,
      userId: alice,
    });
    const page = await redirect({ code });
    expect(page.status).toBe(200);
    expect(page.html).toContain('Grid Co');
    const record = await app.ctx.repos.installations.find<{ bot?: { token?: string } }>(ORG);
    expect(record).toMatchObject({
      tenantId: ORG,
      teamId: null,
      enterpriseId: ORG,
      isEnterpriseInstall: true,
    });
    expect(record?.data.bot?.token).toBe(api.oauth.tokenFor(ORG));
  });

  it('serves two workspaces of the org with the org token; the data is the person’s under the org', async () => {
    const inA = sender('T0GRIDA', ORG);
    const inB = sender('T0GRIDB', ORG);
    const from = api.calls.length;
    expect(await command(inA, 'log shipped the grid migration plan')).not.toContain('not installed');
    // The same person in workspace B sees what they logged in A: their data is under the org.
    expect(await command(inB, 'evidence')).toContain('grid migration plan');
    expect(await command(sender('T0ALONE'), 'evidence')).not.toContain('grid migration plan');
    const teams = api.calls
      .slice(from)
      .map((c) => c.team)
      .filter((t) => t !== undefined);
    expect(new Set(teams)).toEqual(new Set([ORG]));
    expect((await app.ctx.repos.tenants.count(ORG)).evidence).toBeGreaterThan(0);
    expect((await app.ctx.repos.tenants.count('T0GRIDA')).evidence).toBe(0);
  });

  it('shows nothing of it to another org or a standalone workspace', async () => {
    expect(await command(sender('T0ELSE', OTHER_ORG), 'help')).toContain('not installed');
    expect(await command(sender('T0ALONE'), 'help')).toContain('not installed');
    expect(await installed(OTHER_ORG)).toBe(false);
  });

  it('tokens_revoked for the org deletes the org install', async () => {
    const res = await sender('T0GRIDA', ORG).event({
      event: { type: 'tokens_revoked', tokens: { oauth: [], bot: [api.botUserId] } },
    });
    expect(res.status).toBe(200);
    await expect.poll(() => installed(ORG), { timeout: 5_000 }).toBe(false);
    expect(await command(sender('T0GRIDB', ORG), 'help')).toContain('not installed');
  });

  it('app_uninstalled for the org deletes the org install again', async () => {
    const code = api.oauth.authorize({ enterpriseId: ORG, orgWide: true, userId: alice });
    expect((await redirect({ code })).status).toBe(200);
    expect(await installed(ORG)).toBe(true);
    const res = await sender('T0GRIDB', ORG).event({ event: { type: 'app_uninstalled' } });
    expect(res.status).toBe(200);
    await expect.poll(() => installed(ORG), { timeout: 5_000 }).toBe(false);
    expect(await command(sender('T0GRIDA', ORG), 'help')).toContain('not installed');
  });
});
