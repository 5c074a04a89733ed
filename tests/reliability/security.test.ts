import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/index.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { messageEvent, signSlackRequest } from '../../src/local/signed-sender.ts';
import { ActionId, BlockId, ShortcutId } from '../../src/slack/ids.ts';
import { localToday } from '../helpers/dates.ts';
import {
  APP_TOKEN,
  BOT_TOKEN,
  type Harness,
  SIGNING_SECRET,
  startHarness,
  TEAM,
  USERS,
} from '../helpers/harness.ts';
import { integrityOf, SAVED, shown, sleep, startChildLadder, waitFor } from '../helpers/reliability.ts';
import { tempDir } from '../helpers/tmp.ts';

const root = path.resolve(import.meta.dirname, '../..');
const alice = USERS[0]?.id as string;
const FORM = 'application/x-www-form-urlencoded';
const mode = (file: string) => fs.statSync(file).mode & 0o777;

/** Every row of every table: a forged request must change none of it. */
function dumpAll(db: Database.Database): string {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all() as string[];
  return JSON.stringify(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()]));
}

describe('signatures on every kind of request: forged, stale, missing or tampered → 401, no effect', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const interactive = (payload: Record<string, unknown>) =>
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const user = { id: alice, username: 'alice', team_id: TEAM };
  const team = { id: TEAM, domain: 'ladder-local' };
  const requests: Array<[string, string, string]> = [
    [
      'a slash command that would save an entry',
      new URLSearchParams({
        command: '/ladder',
        text: 'log forged entry',
        user_id: alice,
        team_id: TEAM,
      }).toString(),
      FORM,
    ],
    [
      'a button (Undo)',
      interactive({
        type: 'block_actions',
        user,
        team,
        trigger_id: '1.2.3',
        actions: [
          { action_id: ActionId.evidenceUndo, block_id: BlockId.evidenceActions, value: '1', type: 'button' },
        ],
      }),
      FORM,
    ],
    [
      'a modal submission',
      interactive({
        type: 'view_submission',
        user,
        team,
        trigger_id: '1.2.3',
        view: { id: 'V0FORGED', callback_id: 'evidence_modal', state: { values: {} } },
      }),
      FORM,
    ],
    [
      'a message shortcut',
      interactive({
        type: 'message_action',
        callback_id: ShortcutId.saveAsEvidence,
        user,
        team,
        trigger_id: '1.2.3',
        channel: { id: 'C0GENERAL' },
        message: { ts: '1.000001', text: 'forged' },
      }),
      FORM,
    ],
    [
      'an app_uninstalled event',
      JSON.stringify({
        type: 'event_callback',
        team_id: TEAM,
        event: { type: 'app_uninstalled' },
        event_id: 'Ev1',
      }),
      'application/json',
    ],
    [
      'an app_home_opened event',
      JSON.stringify({
        type: 'event_callback',
        team_id: TEAM,
        event: { type: 'app_home_opened', user: alice, tab: 'home', channel: 'D0X' },
        event_id: 'Ev2',
      }),
      'application/json',
    ],
  ];

  it.each(requests)('%s', async (_name, body, contentType) => {
    const before = dumpAll(h.app.db);
    // Bolt's own auth.test (once, at the first request) is not the request's doing.
    const slackCalls = () => h.api.calls.filter((c) => c.method !== 'auth.test').length;
    const calls = slackCalls();
    const forged = await h.sender.raw({ body, contentType, signature: `v0=${'0'.repeat(64)}` });
    const missing = await h.sender.raw({ body, contentType, signature: null });
    const stale = await h.sender.raw({ body, contentType, timestampSec: now() - 6 * 60 });
    // Signed, then one byte changed on the way.
    const signedFor = signSlackRequest(SIGNING_SECRET, body, now());
    const tampered = await h.sender.raw({
      body: `${body} `,
      contentType,
      timestampSec: Number(signedFor['X-Slack-Request-Timestamp']),
      signature: signedFor['X-Slack-Signature'] as string,
    });
    const wrongSecret = signSlackRequest('not-the-signing-secret', body, now());
    const otherSecret = await h.sender.raw({
      body,
      contentType,
      timestampSec: Number(wrongSecret['X-Slack-Request-Timestamp']),
      signature: wrongSecret['X-Slack-Signature'] as string,
    });
    expect([forged, missing, stale, tampered, otherSecret].map((r) => r.status)).toEqual([
      401, 401, 401, 401, 401,
    ]);
    await sleep(100);
    expect(slackCalls()).toBe(calls);
    expect(dumpAll(h.app.db)).toBe(before);
  });

  it.each(requests)(
    '%s, correctly signed but stamped an hour or a year away → 401, no effect',
    async (_n, body, contentType) => {
      const before = dumpAll(h.app.db);
      const slackCalls = () => h.api.calls.filter((c) => c.method !== 'auth.test').length;
      const calls = slackCalls();
      const hour = 60 * 60;
      const statuses = [];
      for (const offset of [hour, -hour, 365 * 24 * hour]) {
        // raw() signs the body with the signing secret for the timestamp it is given.
        statuses.push((await h.sender.raw({ body, contentType, timestampSec: now() + offset })).status);
      }
      expect(statuses).toEqual([401, 401, 401]);
      await sleep(100);
      expect(slackCalls()).toBe(calls);
      expect(dumpAll(h.app.db)).toBe(before);
    },
  );

  it('a signed request four minutes early or late is still answered (clocks drift)', async () => {
    const body = new URLSearchParams({
      command: '/ladder',
      text: 'help',
      user_id: alice,
      team_id: TEAM,
    }).toString();
    for (const offset of [4 * 60, -4 * 60]) {
      const res = await h.sender.raw({ body, contentType: FORM, timestampSec: now() + offset });
      expect(res.status).toBe(200);
      expect(shown(res.json)).toContain('/ladder levels');
    }
  });
});

describe('logs at LOG_LEVEL=debug across a mixed workload', () => {
  it('contain no token, no signing secret and none of the words people typed', async () => {
    const h = await startHarness({ logLevel: 'debug' });
    const words = {
      command: 'CmdSecretWordAlpha',
      modal: 'ModalSecretWordBravo',
      shortcut: 'ShortcutSecretWordCharlie',
      reply: 'ReplySecretWordDelta',
      search: 'SearchSecretWordEcho',
      failing: 'FailingSecretWordFoxtrot',
    };
    try {
      const log = await h.sender.command({ userId: alice, text: `log ${words.command} #people` });
      await h.sender.waitForResponse(log.responseUrl as string);
      await h.sender.command({ userId: alice, text: `evidence ${words.search}` });
      await h.sender.command({ userId: alice, text: 'log' });
      const modal = await waitFor(() => h.api.state.openModals(alice).at(-1));
      const f = (x: Record<string, unknown>) => ({ [ActionId.formValue]: x });
      await h.sender.viewSubmission({
        userId: alice,
        view: modal.view as Record<string, unknown>,
        values: {
          [BlockId.evidenceText]: f({ type: 'plain_text_input', value: `${words.modal} #process` }),
          [BlockId.evidenceDate]: f({
            type: 'datepicker',
            selected_date: localToday('America/New_York'),
          }),
        },
      });
      const message = h.api.postAsUser({
        channel: 'C0GENERAL',
        user: USERS[1]?.id as string,
        text: words.shortcut,
      });
      await h.sender.messageAction({
        userId: alice,
        callbackId: ShortcutId.saveAsEvidence,
        channelId: 'C0GENERAL',
        message,
      });
      await h.sender.command({ userId: alice, text: 'nudge now' });
      const dm = await waitFor(() => h.api.state.dmChannelId(alice));
      const nudge = await waitFor(() => h.api.state.messages(dm).find((m) => m.user === h.api.botUserId));
      const reply = h.api.postAsUser({ user: alice, text: words.reply, thread_ts: nudge.ts });
      await h.sender.event({ event: messageEvent(h.api, reply) });
      await h.sender.event({ event: { type: 'app_home_opened', user: alice, channel: dm, tab: 'home' } });
      await h.sender.command({ userId: alice, text: 'export md' });
      // Failures log their errors: with the user's words in flight.
      h.api.faults.add({ method: 'users.info', kind: 'error', error: 'invalid_auth', times: 1 });
      h.api.faults.add({ method: 'views.open', kind: 'http500' });
      const failing = await h.sender.command({ userId: 'U0BOB', text: `log ${words.failing}` });
      await h.sender.waitForResponse(failing.responseUrl as string);
      await h.sender.command({ userId: alice, text: 'log' });
      await sleep(500);
      h.api.faults.clear();
      await h.sender.raw({ body: 'payload=%7B%7D', contentType: FORM, signature: 'v0=bad' });
      await h.sender.raw({ body: 'payload=null', contentType: FORM });
      await sleep(300);
    } finally {
      await h.close();
    }
    const text = h.logs.join('\n');
    expect(h.app.ctx.logger.level).toBe('debug');
    expect(h.logs.some((l) => l.includes('"level":"error"') || l.includes('"level":"warn"'))).toBe(true);
    for (const forbidden of [
      BOT_TOKEN,
      SIGNING_SECRET,
      APP_TOKEN,
      'xoxb-',
      'xapp-',
      ...Object.values(words),
    ]) {
      expect(text, forbidden).not.toContain(forbidden);
    }
  }, 60_000);
});

describe('files on disk are owner-only', () => {
  it('the database, its WAL and shared-memory files, and a new data folder', async () => {
    const dir = path.join(tempDir(), 'new-folder', 'data');
    const h = await startHarness({ env: { DATABASE_PATH: path.join(dir, 'ladder.db') } });
    try {
      const res = await h.sender.command({ userId: alice, text: 'log something to write' });
      await h.sender.waitForResponse(res.responseUrl as string);
      expect(mode(dir)).toBe(0o700);
      for (const f of ['ladder.db', 'ladder.db-wal', 'ladder.db-shm'])
        expect(mode(path.join(dir, f)), f).toBe(0o600);
    } finally {
      await h.close();
    }
  });

  it('an existing database left world-readable is tightened to 0600 at start', async () => {
    const file = path.join(tempDir(), 'loose.db');
    fs.writeFileSync(file, '');
    fs.chmodSync(file, 0o644);
    openDatabase(file).close();
    expect(mode(file)).toBe(0o600);
  });
});

/** Runs the operator CLI in-process, as `npm run --silent cli -- …` would. */
async function cli(args: string[], env: NodeJS.ProcessEnv) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    env,
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
  });
  return { code, stdout, stderr };
}

describe('`cli backup FILE`: an online, consistent, owner-only copy', () => {
  it('copies while entries keep streaming in: integrity ok, counts between the before and after snapshots', {
    timeout: 120_000,
  }, async () => {
    const dir = tempDir('ladder-backup-');
    const dbPath = path.join(dir, 'ladder.db');
    const app = await startChildLadder({ dbPath });
    let stop = false;
    let sent = 0;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const res = await app.sender.command({ userId: alice, text: `log backup w${w} n${i} #process` });
        if (res.status === 200) sent += 1;
      }
    });
    try {
      await waitFor(() => sent > 50, 30_000);
      const count = () => {
        const db = new Database(dbPath, { readonly: true });
        try {
          return db.prepare('SELECT COUNT(*) FROM evidence').pluck().get() as number;
        } finally {
          db.close();
        }
      };
      const copies: Array<{ file: string; before: number; after: number }> = [];
      for (let k = 0; k < 3; k++) {
        const file = path.join(dir, `backup-${k}.db`);
        const before = count();
        // A separate process, as an operator would run it next to the app.
        const code = await new Promise<number | null>((resolve) => {
          const p = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'backup', file], {
            cwd: root,
            env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_PATH: dbPath },
            stdio: 'ignore',
          });
          p.on('exit', resolve);
        });
        const after = count();
        expect(code).toBe(0);
        copies.push({ file, before, after });
      }
      stop = true;
      await Promise.all(writers);
      for (const { file, before, after } of copies) {
        expect(mode(file)).toBe(0o600);
        expect(fs.existsSync(`${file}-wal`)).toBe(false);
        const copy = new Database(file, { readonly: true });
        try {
          expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
          expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
          const n = copy.prepare('SELECT COUNT(*) FROM evidence').pluck().get() as number;
          expect(n).toBeGreaterThanOrEqual(before);
          expect(n).toBeLessThanOrEqual(after);
          // Each entry arrived whole, with the delivery key written in the same transaction.
          const orphans = copy
            .prepare(
              `SELECT COUNT(*) FROM evidence e WHERE NOT EXISTS
                 (SELECT 1 FROM deliveries d WHERE d.team_id = e.team_id AND d.entry_id = e.id)`,
            )
            .pluck()
            .get();
          expect(orphans).toBe(0);
        } finally {
          copy.close();
        }
      }
      expect(copies.at(-1)?.after).toBeGreaterThan(copies[0]?.before ?? 0);
    } finally {
      stop = true;
      await Promise.all(writers).catch(() => {});
      await app.stop();
      await app.api.close();
    }
  });

  it('refuses to overwrite without --force (exit 1), replaces with it, exit 2 on bad arguments; restore works', {
    timeout: 60_000,
  }, async () => {
    const dir = tempDir('ladder-backup-');
    const dbPath = path.join(dir, 'ladder.db');
    const env = { DATABASE_PATH: dbPath };
    const h = await startHarness({ env });
    const res = await h.sender.command({ userId: alice, text: 'log Kept in the backup #people' });
    await h.sender.waitForResponse(res.responseUrl as string);
    const file = path.join(dir, 'copy.db');
    try {
      expect(await cli(['backup', file], env)).toMatchObject({ code: 0 });
      expect(mode(file)).toBe(0o600);
      const first = fs.readFileSync(file);
      const again = await cli(['backup', file], env);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('--force');
      expect(fs.readFileSync(file).equals(first)).toBe(true);
      const later = await h.sender.command({
        userId: alice,
        text: 'log Only after the first backup #people',
      });
      expect(shown(later.json)).toContain(SAVED);
      expect(await cli(['backup', file, '--force'], env)).toMatchObject({ code: 0 });
      expect(mode(file)).toBe(0o600);
      expect(integrityOf(file)).toBe('ok');
      expect((await cli(['backup'], env)).code).toBe(2);
      expect((await cli(['backup', 'a.db', 'b.db'], env)).code).toBe(2);
      expect((await cli(['backup', file, '--bogus'], env)).code).toBe(2);
      expect((await cli(['backup', dbPath, '--force'], env)).code).toBe(2);
      expect((await cli(['backup', path.join(dir, 'no-such-folder', 'x.db')], env)).code).toBe(1);
      expect(
        (await cli(['backup', path.join(dir, 'x.db')], { DATABASE_PATH: path.join(dir, 'none.db') })).code,
      ).toBe(1);
      expect(fs.existsSync(path.join(dir, 'none.db'))).toBe(false);
      expect(fs.readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);
    } finally {
      await h.close();
    }
    // Restore, as README says: stop the app, copy the backup over DATABASE_PATH (0600), start.
    fs.copyFileSync(file, dbPath);
    for (const side of ['-wal', '-shm']) fs.rmSync(`${dbPath}${side}`, { force: true });
    fs.chmodSync(dbPath, 0o600);
    const restored = await startHarness({ env });
    try {
      const texts = restored.app.ctx.repos.evidence
        .list({ teamId: TEAM, userId: alice }, { limit: 10 })
        .entries.map((e) => e.text);
      expect(texts).toEqual(expect.arrayContaining(['Kept in the backup', 'Only after the first backup']));
      expect(mode(dbPath)).toBe(0o600);
    } finally {
      await restored.close();
    }
  });
});

describe('app_uninstalled and tokens_revoked', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  const status = () =>
    h.app.db.prepare('SELECT status FROM workspaces WHERE team_id = ?').pluck().get(TEAM) as
      | string
      | undefined;

  it('app_uninstalled marks the workspace uninstalled; nothing proactive may go to it any more', async () => {
    expect(h.app.ctx.repos.workspaces.isWorkspaceActive(TEAM)).toBe(true);
    const res = await h.sender.event({ event: { type: 'app_uninstalled' } });
    expect(res.status).toBe(200);
    await waitFor(() => status() === 'uninstalled');
    expect(h.app.ctx.repos.workspaces.isWorkspaceActive(TEAM)).toBe(false);
    expect(h.logs.some((l) => l.includes('app uninstalled'))).toBe(true);
  });

  it('a verified request after a reinstall makes it active again', async () => {
    const res = await h.sender.command({ userId: alice, text: 'help' });
    expect(res.status).toBe(200);
    expect(status()).toBe('active');
    expect(h.app.ctx.repos.workspaces.isWorkspaceActive(TEAM)).toBe(true);
  });

  it('a workspace seen active is not read again on every request; an uninstall makes the next request check', async () => {
    const reads = vi.spyOn(h.app.ctx.repos.workspaces, 'isWorkspaceActive');
    try {
      for (let i = 0; i < 5; i++) {
        expect((await h.sender.command({ userId: alice, text: 'tpm5' })).status).toBe(200);
      }
      expect(reads).not.toHaveBeenCalled();
      await h.sender.event({ event: { type: 'app_uninstalled' } });
      await waitFor(() => status() === 'uninstalled');
      expect((await h.sender.command({ userId: alice, text: 'help' })).status).toBe(200);
      expect(status()).toBe('active');
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      reads.mockRestore();
    }
  });

  it('tokens_revoked for the bot marks it revoked; for user tokens only, nothing changes', async () => {
    await h.sender.event({ event: { type: 'tokens_revoked', tokens: { oauth: ['U0ALICE'] } } });
    await sleep(100);
    expect(h.app.ctx.repos.workspaces.isWorkspaceActive(TEAM)).toBe(true);
    await h.sender.event({ event: { type: 'tokens_revoked', tokens: { bot: ['U0LOCALBOT'] } } });
    await waitFor(() => status() === 'revoked');
    expect(h.app.ctx.repos.workspaces.isWorkspaceActive(TEAM)).toBe(false);
    // Another tenant is not affected.
    expect(h.app.ctx.repos.workspaces.isWorkspaceActive('T0OTHER')).toBe(true);
  });
});

/** The nudge sender and the time-zone refresh ask the workspace first: an uninstalled one gets nothing. */
describe('no proactive sending to an uninstalled workspace', () => {
  it('a due weekly nudge is not sent after app_uninstalled', async () => {
    // Friday 2027-01-08 10:00 UTC: Carol (no Slack time zone: UTC) is due at 16:00.
    const carol = USERS[2]?.id as string;
    const h = await startHarness({ now: () => new Date('2027-01-08T10:00:00Z') });
    try {
      const on = await h.sender.command({ userId: carol, text: 'nudge on' });
      expect(on.status).toBe(200);
      await h.sender.waitForResponse(on.responseUrl as string).catch(() => undefined);
      await h.sender.event({ event: { type: 'app_uninstalled' } });
      await waitFor(() => !h.app.ctx.repos.workspaces.isWorkspaceActive(TEAM));
      const posts = () =>
        h.api.calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'users.info').length;
      const before = posts();
      const run = await h.app.scheduler.runOnce(new Date('2027-01-08T16:30:00Z'));
      expect(run.lines.filter((l) => l.status === 'sent')).toEqual([]);
      expect(posts()).toBe(before);
    } finally {
      await h.close();
    }
  });
});
