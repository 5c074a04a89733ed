/**
 * Local mode's workspaces through the page server's HTTP interface, as the page's script drives
 * it: Ladder Local and the org-wide install of "Ladder Org" installed on first start, "Add Ladder
 * to another workspace" walked through the install page, the local authorize page and the redirect,
 * the picker switching workspace, isolation between workspaces, the org's shared data, and a
 * restart that keeps every install.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningLadder, StartupError, startLadder } from '../../src/main.ts';
import { tempDir } from '../helpers/tmp.ts';

// biome-ignore lint/suspicious/noExplicitAny: the page's JSON, read the way the page's script reads it.
type Json = any;

const ORG = 'E0LADDERORG';
const DESIGN = 'T0ORGDESIGN';
const PLATFORM = 'T0ORGPLATFORM';
const ORG_ALEX = 'W0ORGALEX';

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 1500)}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

let running: RunningLadder;
let base: string;
const dbPath = path.join(tempDir(), 'local.db');

async function boot(): Promise<void> {
  running = await startLadder({
    env: { PORT: '0', DATABASE_PATH: dbPath, LOG_LEVEL: 'warn' },
    forceLocal: true,
    writeLog: () => {},
  });
  base = running.localUrl as string;
}

const state = async (team: string, user = ''): Promise<Json> =>
  (await fetch(`${base}state?team=${team}&user=${user}`)).json();

const act = async (team: string, name: string, body: Record<string, unknown>): Promise<Json> =>
  (
    await fetch(`${base}act/${name}?team=${team}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  ).json();

/** Runs a command in the workspace's #general as its first person; the ephemeral reply's text. */
async function command(team: string, text: string): Promise<string> {
  const s = await state(team);
  const channel = s.channels[0].id as string;
  const before = s.channels[0].items.filter((i: Json) => i.kind === 'ephemeral').length;
  expect(await act(team, 'command', { user: s.me.id, channel, text })).toEqual({ ok: true });
  const after = await until(
    () => state(team, s.me.id),
    (v) => v.channels[0].items.filter((i: Json) => i.kind === 'ephemeral').length > before,
    `the reply to ${text} in ${team}`,
  );
  const reply = after.channels[0].items.filter((i: Json) => i.kind === 'ephemeral').at(-1);
  return `${reply.text}\n${JSON.stringify(reply.blocks ?? [])}`;
}

const names = (s: Json) => s.workspaces.map((w: Json) => w.name);

/** The browser's path from the page's button to the app's success page; the new workspace's id. */
async function addWorkspace(): Promise<{ teamId: string; success: string }> {
  const added: Json = await (
    await fetch(`${base}workspaces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
  ).json();
  expect(added.ok).toBe(true);
  const install = await fetch(added.installUrl);
  const cookie = (install.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const href = /href="(https?:[^"]+)"/.exec(await install.text())?.[1]?.replace(/&amp;/g, '&') as string;
  const authorize = await fetch(href);
  const form = await authorize.text();
  // Slack's workspace menu on the authorize page opens on the workspace just added.
  expect(form).toContain(`<option value="${added.teamId}" selected>`);
  expect(form).toContain('Ladder Org (the whole org)');
  const fields = [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(
    ([, k, v]) => [k as string, (v as string).replace(/&#38;/g, '&')] as [string, string],
  );
  const allowed = await fetch(new URL('/oauth/v2/authorize', href), {
    method: 'POST',
    body: new URLSearchParams([...fields, ['team', added.teamId], ['allow', '1']]),
    redirect: 'manual',
  });
  expect(allowed.status).toBe(302);
  const back = new URL(allowed.headers.get('location') as string);
  const done = await fetch(new URL(back.pathname + back.search, added.installUrl), { headers: { cookie } });
  expect(done.status).toBe(200);
  return { teamId: added.teamId, success: await done.text() };
}

beforeAll(boot);
afterAll(async () => {
  await running?.stop();
});

describe('local mode: several workspaces and an org on the page', () => {
  it('installs Ladder Local and Ladder Org (org-wide) through OAuth on first start', async () => {
    const first = await state('');
    expect(first.team).toEqual({ id: 'T0LOCAL', name: 'Ladder Local', org: null });
    expect(first.me.id).toBe('U0DEMO1');
    expect(names(first)).toEqual(['Ladder Local', 'Ladder Org · Design', 'Ladder Org · Platform']);
    const installs = running.ctx.repos.installations;
    expect(await installs.find('T0LOCAL')).toMatchObject({ teamId: 'T0LOCAL', isEnterpriseInstall: false });
    expect(await installs.find(ORG)).toMatchObject({ enterpriseId: ORG, isEnterpriseInstall: true });
    expect(await installs.find(DESIGN)).toBeUndefined();
  });

  it('adds a workspace through the install page and the authorize page, then lists it', async () => {
    const { teamId, success } = await addWorkspace();
    expect(teamId).toBe('T0ADDED1');
    expect(success).toContain('Ladder is now installed in <strong>Workspace 2</strong>');
    // Not "in Slack, type …": the local page has switched to the new workspace by itself.
    expect(success).toContain('Go back to the tab of the local workspace');
    expect(success).not.toContain('in Slack, type');
    const s = await state(teamId);
    expect(names(s)).toContain('Workspace 2');
    // Switched: its own people, its own #general and DMs.
    expect(s.team).toEqual({ id: teamId, name: 'Workspace 2', org: null });
    expect(s.me.id).toBe('U0ADD1ALEX');
    expect(s.channels.map((c: Json) => c.id)).toEqual(['C0GENADD1']);
    expect(s.dm.id).toBe('D0ADD1ALEX');
  });

  it('keeps a win logged in the new workspace out of Ladder Local', async () => {
    expect(await command('T0ADDED1', '/ladder log Ran the added-workspace launch review #process')).toMatch(
      /saved|logged/i,
    );
    expect(await command('T0ADDED1', '/ladder evidence')).toContain('added-workspace launch review');
    expect(await command('T0LOCAL', '/ladder evidence')).not.toContain('added-workspace launch review');
  });

  it('shows the org person the same evidence in both org workspaces, and the standalone workspace none', async () => {
    const design = await state(DESIGN);
    expect(design.team).toEqual({ id: DESIGN, name: 'Ladder Org · Design', org: 'Ladder Org' });
    expect(design.me.id).toBe(ORG_ALEX);
    expect(design.channels.map((c: Json) => c.id)).toEqual(['C0GENDESIGN']);
    expect(await command(DESIGN, '/ladder log Aligned design and platform on one roadmap #strategy')).toMatch(
      /saved|logged/i,
    );
    expect(await command(PLATFORM, '/ladder evidence')).toContain('one roadmap');
    expect(await command('T0LOCAL', '/ladder evidence')).not.toContain('one roadmap');
    expect(await command('T0ADDED1', '/ladder evidence')).not.toContain('one roadmap');
    const kept = await running.ctx.repos.evidence.list({ teamId: ORG, userId: ORG_ALEX }, { limit: 10 });
    expect(kept.entries.map((e) => e.text).join('\n')).toContain('one roadmap');
  });

  it('keeps every install and its data after a restart', async () => {
    await running.stop();
    await boot();
    expect(names(await state(''))).toEqual([
      'Ladder Local',
      'Ladder Org · Design',
      'Ladder Org · Platform',
      'Workspace 2',
    ]);
    expect(await command('T0ADDED1', '/ladder evidence')).toContain('added-workspace launch review');
    expect(await command(PLATFORM, '/ladder evidence')).toContain('one roadmap');
    // The next workspace added is a new one.
    expect((await addWorkspace()).teamId).toBe('T0ADDED2');
  });

  it('stops with what to do when the settings beside the database are lost or damaged', async () => {
    await running.stop();
    const settings = `${dbPath}.local-mode.json`;
    const kept = fs.readFileSync(settings);
    fs.rmSync(settings);
    // A fresh key cannot open the stored installs: the start says which files, and what to do.
    const lost = await boot().catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(StartupError);
    expect((lost as Error).message).toContain(`${dbPath} were sealed with a key ${settings} does not hold`);
    fs.writeFileSync(settings, '{ not json', { mode: 0o600 });
    const damaged = await boot().catch((e: unknown) => e);
    expect(damaged).toBeInstanceOf(StartupError);
    expect((damaged as Error).message).toContain('is not a local-mode settings file');
    fs.writeFileSync(settings, kept, { mode: 0o600 });
    await boot();
    expect(names(await state(''))).toContain('Workspace 3');
  });
});
