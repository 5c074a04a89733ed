import { describe, expect, it } from 'vitest';
import { createAppContext } from '../../../src/context.ts';
import { openDatabase } from '../../../src/db/connection.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { createLogger } from '../../../src/log.ts';
import { failurePage, failureReason, installPage, successPage } from '../../../src/slack/install-pages.ts';
import { createInstallationStore, installationTokens } from '../../../src/slack/installation-store.ts';
import { createOAuthStateStore, OAuthStateError } from '../../../src/slack/oauth-state-store.ts';
import { realLadder } from '../../helpers/ladder.ts';

const SECRET = 'unit-state-secret-0123456789abcdef';

function context(at: { now: Date }) {
  const db = openDatabase(':memory:');
  migrate(db);
  return createAppContext({
    config: {
      port: 0,
      databasePath: ':memory:',
      databaseUrl: undefined,
      databasePoolSize: 1,
      ladderDataDir: '',
      logLevel: 'info',
      nudgeLateWindowHours: 24,
      nudgeSendRate: 120,
      slackApiUrl: undefined,
    },
    db,
    ladder: realLadder(),
    logger: createLogger({ level: 'error', write: () => {} }),
    keys: { current: Buffer.alloc(32, 5), previous: undefined },
    now: () => at.now,
  });
}

const problemOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e: unknown) => (e instanceof OAuthStateError ? e.problem : String(e)),
  );

describe('OAuth state store', () => {
  it('accepts a state it issued once, within ten minutes, with its install options', async () => {
    const at = { now: new Date('2027-01-04T12:00:00Z') };
    const store = createOAuthStateStore(context(at), SECRET);
    const state = await store.generateStateParam({ scopes: ['commands'], metadata: 'm' }, at.now);
    expect(await store.verifyStateParam(at.now, state)).toEqual({ scopes: ['commands'], metadata: 'm' });
    expect(await problemOf(store.verifyStateParam(at.now, state))).toBe('used');
    const late = await store.generateStateParam({ scopes: [] }, at.now);
    at.now = new Date(at.now.getTime() + 10 * 60_000 + 1_000);
    expect(await problemOf(store.verifyStateParam(at.now, late))).toBe('expired');
  });

  it('refuses a forged state without taking a real one', async () => {
    const at = { now: new Date('2027-01-04T12:00:00Z') };
    const ctx = context(at);
    const store = createOAuthStateStore(ctx, SECRET);
    const state = await store.generateStateParam({ scopes: [] }, at.now);
    const [id] = state.split('.');
    for (const forged of [`${id}.AAAA`, `${id}`, `${id}.x.y`, 'nonsense', `other.${state.split('.')[1]}`]) {
      expect(await problemOf(store.verifyStateParam(at.now, forged))).toBe('forged');
    }
    const other = createOAuthStateStore(ctx, 'another-secret-0123456789abcdef');
    expect(await problemOf(other.verifyStateParam(at.now, state))).toBe('forged');
    expect(await problemOf(store.verifyStateParam(at.now, state))).toBe('accepted');
  });
});

describe('installation store', () => {
  it('stores per tenant (the enterprise for org-wide installs) and finds the token by tenant', async () => {
    const ctx = context({ now: new Date('2027-01-04T12:00:00Z') });
    const store = createInstallationStore(ctx);
    const bot = { token: 'xoxb-team-token', scopes: ['commands'], id: 'B1', userId: 'U1' };
    await store.storeInstallation({
      team: { id: 'T1' },
      enterprise: undefined,
      user: { id: 'U9', token: undefined, scopes: undefined },
      bot,
    });
    await store.storeInstallation({
      team: undefined,
      enterprise: { id: 'E1' },
      isEnterpriseInstall: true,
      user: { id: 'U9', token: undefined, scopes: undefined },
      bot: { ...bot, token: 'xoxb-org-token' },
    });
    const tokens = installationTokens(ctx);
    expect(await tokens('T1')).toBe('xoxb-team-token');
    expect(await tokens('E1')).toBe('xoxb-org-token');
    expect(await tokens('T2')).toBeUndefined();
    const org = await store.fetchInstallation({
      teamId: 'T5',
      enterpriseId: 'E1',
      isEnterpriseInstall: true,
    });
    expect(org.bot?.token).toBe('xoxb-org-token');
    await expect(
      store.fetchInstallation({ teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false }),
    ).rejects.toThrow(/not installed/);
    await store.deleteInstallation?.({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(await tokens('T1')).toBeUndefined();
  });

  it('serves a workspace of an org from the org-wide install, and nothing outside that org', async () => {
    const ctx = context({ now: new Date('2027-01-04T12:00:00Z') });
    const store = createInstallationStore(ctx);
    const bot = { token: 'xoxb-own-token', scopes: ['commands'], id: 'B1', userId: 'U1' };
    const user = { id: 'U9', token: undefined, scopes: undefined };
    await store.storeInstallation({
      team: undefined,
      enterprise: { id: 'E1' },
      isEnterpriseInstall: true,
      user,
      bot: { ...bot, token: 'xoxb-org-token' },
    });
    await store.storeInstallation({ team: { id: 'T3' }, enterprise: { id: 'E1' }, user, bot });
    await store.storeInstallation({
      team: { id: 'T4' },
      enterprise: { id: 'E2' },
      user,
      bot: { ...bot, token: 'xoxb-e2-team' },
    });
    const tokenFor = async (teamId: string, enterpriseId: string | undefined) =>
      (await store.fetchInstallation({ teamId, enterpriseId, isEnterpriseInstall: false })).bot?.token;
    expect(await tokenFor('TA', 'E1')).toBe('xoxb-org-token');
    expect(await tokenFor('TB', 'E1')).toBe('xoxb-org-token');
    expect(await tokenFor('T3', 'E1')).toBe('xoxb-own-token');
    await expect(tokenFor('TC', 'E2')).rejects.toThrow(/not installed/);
    await expect(tokenFor('TA', undefined)).rejects.toThrow(/not installed/);
    // A workspace install never stands in for its org: E2 has no org-wide install.
    await expect(
      store.fetchInstallation({ teamId: 'T9', enterpriseId: 'E2', isEnterpriseInstall: true }),
    ).rejects.toThrow(/not installed/);
    await store.deleteInstallation?.({ teamId: 'TA', enterpriseId: 'E1', isEnterpriseInstall: true });
    await expect(tokenFor('TB', 'E1')).rejects.toThrow(/not installed/);
    expect(await tokenFor('T3', 'E1')).toBe('xoxb-own-token');
  });
});

describe('install pages', () => {
  it('links to Slack, says what to do next, and says why a failure happened', () => {
    expect(installPage('https://slack.com/oauth/v2/authorize?state=a&b=<x>')).toContain(
      'href="https://slack.com/oauth/v2/authorize?state=a&amp;b=&lt;x&gt;"',
    );
    const ok = successPage({
      team: { id: 'T1', name: 'Acme <Eng>' },
      enterprise: undefined,
      user: { id: 'U1', token: undefined, scopes: undefined },
    });
    expect(ok).toContain('Acme &lt;Eng&gt;');
    expect(ok).toContain('/ladder help');
    expect(failureReason(new OAuthStateError('expired'))).toContain('expired');
    expect(failureReason({ code: 'slack_oauth_missing_state' })).toContain('no state');
    expect(failureReason({ code: 'slack_oauth_installer_authorization_error' })).toContain(
      'access was denied',
    );
    expect(
      failureReason({ code: 'slack_webapi_platform_error', data: { error: 'invalid_code<script>' } }),
    ).toContain('(invalid_codescript)');
    expect(failurePage(failureReason({ code: 'x' }))).toContain('/slack/install');
  });
});
