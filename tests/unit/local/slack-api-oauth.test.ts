import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalSlackApi } from '../../../src/local/slack-api.ts';
import { client, slackError, startApi } from './helpers.ts';

const OAUTH = { clientId: '111.222', clientSecret: 'local-client-secret' };
let api: LocalSlackApi;

afterEach(async () => {
  await api?.close();
});

function exchange(code: string, secret = OAUTH.clientSecret) {
  return new WebClient(undefined, { slackApiUrl: api.url, retryConfig: { retries: 0 } }).oauth.v2.access({
    code,
    client_id: OAUTH.clientId,
    client_secret: secret,
  });
}

describe('local Slack API: OAuth installs', () => {
  it('trades an authorized code for the team bot token once, and auth.test names that team', async () => {
    api = await startApi({ oauth: OAUTH });
    const code = api.oauth.authorize({ teamId: 'T0AAA', userId: 'U0ALICE' });
    const r = await exchange(code);
    expect(r).toMatchObject({
      ok: true,
      token_type: 'bot',
      team: { id: 'T0AAA' },
      is_enterprise_install: false,
    });
    expect(r.access_token).toBe(api.oauth.tokenFor('T0AAA'));
    expect((await slackError(exchange(code))).error).toBe('invalid_code');
    const other = await exchange(api.oauth.authorize({ teamId: 'T0BBB', userId: 'U0ALICE' }));
    expect(other.access_token).not.toBe(r.access_token);
    expect(await client(api.url, { token: r.access_token as string }).auth.test()).toMatchObject({
      team_id: 'T0AAA',
    });
    expect(await client(api.url, { token: other.access_token as string }).auth.test()).toMatchObject({
      team_id: 'T0BBB',
    });
    expect(api.calls.filter((c) => c.method === 'auth.test').map((c) => c.team)).toEqual(['T0AAA', 'T0BBB']);
    expect(JSON.stringify(api.calls)).not.toContain(OAUTH.clientSecret);
  });

  it('refuses a wrong client secret, a made-up code and a revoked token', async () => {
    api = await startApi({ oauth: OAUTH });
    const code = api.oauth.authorize({ teamId: 'T0AAA', userId: 'U0ALICE' });
    expect((await slackError(exchange(code, 'wrong'))).error).toBe('bad_client_secret');
    expect((await slackError(exchange('123.made-up'))).error).toBe('invalid_code');
    const token = (await exchange(code)).access_token as string;
    api.oauth.revoke('T0AAA');
    expect((await slackError(client(api.url, { token }).auth.test())).error).toBe('invalid_auth');
  });

  it('keeps the tokens of its installs across a restart', async () => {
    api = await startApi({ oauth: OAUTH });
    const token = (await exchange(api.oauth.authorize({ teamId: 'T0AAA', userId: 'U0ALICE' }))).access_token;
    await api.close();
    api = await startApi({ oauth: OAUTH });
    expect(await client(api.url, { token: token as string }).auth.test()).toMatchObject({ team_id: 'T0AAA' });
  });

  it('offers the registered workspaces on the authorize page, opens on the newest without the app, and installs an org org-wide', async () => {
    api = await startApi({ oauth: OAUTH, oauthRedirectUri: 'http://127.0.0.1:9/slack/oauth_redirect' });
    api.workspaces.addTeam({ id: 'T0ONE', name: 'One', installer: 'U0ALICE' });
    api.workspaces.addTeam({ id: 'T0ORGA', name: 'Org A', enterpriseId: 'E0ORG', installer: 'U0ALICE' });
    api.workspaces.addOrg({ id: 'E0ORG', name: 'The Org', installer: 'U0ALICE' });
    api.workspaces.addTeam({ id: 'T0TWO', name: 'Two', installer: 'U0ALICE' });
    api.workspaces.markInstalled('T0TWO');
    const authorize = `${api.origin}/oauth/v2/authorize?client_id=${OAUTH.clientId}&state=s1`;
    const form = await (await fetch(authorize)).text();
    // T0TWO has the app; of the others the last added is the org's workspace.
    expect(form).toContain('<option value="T0ORGA" selected>Org A</option>');
    expect(form).toContain('<option value="E0ORG">The Org (the whole org)</option>');

    const installs: string[] = [];
    api.events.on('change', (c: { type: string; team?: string }) => {
      if (c.type === 'install' && c.team) installs.push(c.team);
    });
    const allowed = await fetch(`${api.origin}/oauth/v2/authorize`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: OAUTH.clientId, state: 's1', team: 'E0ORG', allow: '1' }),
      redirect: 'manual',
    });
    const back = new URL(allowed.headers.get('location') as string);
    expect(back.searchParams.get('state')).toBe('s1');
    const answer = await exchange(back.searchParams.get('code') as string);
    expect(answer).toMatchObject({ is_enterprise_install: true, team: null, enterprise: { id: 'E0ORG' } });
    expect(installs).toEqual(['E0ORG']);
    // The org's workspaces have the app now; the standalone one does not.
    expect(api.workspaces.isInstalled('T0ORGA')).toBe(true);
    expect(api.workspaces.isInstalled('T0ONE')).toBe(false);
    // A Grid workspace's own install is reported with its org, as Slack does; a standalone one without.
    const own = async (team: string) => {
      const res = await fetch(`${api.origin}/oauth/v2/authorize`, {
        method: 'POST',
        body: new URLSearchParams({ client_id: OAUTH.clientId, state: 's2', team, allow: '1' }),
        redirect: 'manual',
      });
      const got = new URL(res.headers.get('location') as string).searchParams.get('code') as string;
      return exchange(got);
    };
    expect(await own('T0ORGA')).toMatchObject({
      is_enterprise_install: false,
      team: { id: 'T0ORGA' },
      enterprise: { id: 'E0ORG' },
    });
    expect(await own('T0ONE')).toMatchObject({ team: { id: 'T0ONE' }, enterprise: null });
  });
});
