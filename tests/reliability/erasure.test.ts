import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.ts';
import { ActionId, BlockId } from '../../src/slack/ids.ts';
import { type Harness, startHarness, TEAM, USERS } from '../helpers/harness.ts';
import { shown, sleep, waitFor } from '../helpers/reliability.ts';
import { tempDir } from '../helpers/tmp.ts';

/**
 * What a person deletes leaves the disk: after Delete, Undo, an edit and `/ladder forget`, a
 * random marker they typed is in neither the SQLite file nor its write-ahead log, nor in a backup
 * taken afterwards (`strings` would find nothing).
 */
const alice = USERS[0]?.id as string;
const bob = USERS[1]?.id as string;
const owner = (userId: string) => ({ teamId: TEAM, userId });

/** 20 random letters: nothing else in the database can contain it by chance. */
const marker = () => [...randomBytes(20)].map((b) => String.fromCharCode(97 + (b % 26))).join('');

describe('deleted words leave the database file and its WAL', async () => {
  let h: Harness;
  const files = () => [h.dbPath, `${h.dbPath}-wal`].filter((f) => fs.existsSync(f));
  /** The files that still hold the marker, read as raw bytes. */
  const holding = (m: string, paths = files()) =>
    paths.filter((f) => fs.readFileSync(f).includes(Buffer.from(m, 'utf8')));
  const entries = async (userId: string) =>
    (await h.app.ctx.repos.evidence.list(owner(userId), { limit: 100 })).entries;
  /** The entry's id, once saved (a first command may answer after reading the time zone). */
  const idOf = (userId: string, m: string) =>
    waitFor(async () => (await entries(userId)).find((e) => e.text.includes(m))?.id);

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('Delete from the list', async () => {
    const m = marker();
    await h.sender.command({ userId: alice, text: `log Shipped the ${m} migration` });
    const id = await idOf(alice, m);
    expect(holding(m).length).toBeGreaterThan(0);
    const del = await h.sender.blockActions({
      userId: alice,
      actions: [{ action_id: ActionId.evidenceDelete, block_id: 'x', value: String(id) }],
    });
    await h.sender.waitForResponse(del.responseUrl as string);
    expect(holding(m)).toEqual([]);
  });

  it('Undo right after logging', async () => {
    const m = marker();
    await h.sender.command({ userId: alice, text: `log Ran the ${m} review` });
    const undo = await h.sender.blockActions({
      userId: alice,
      actions: [
        {
          action_id: ActionId.evidenceUndo,
          block_id: BlockId.evidenceActions,
          value: String(await idOf(alice, m)),
        },
      ],
    });
    expect(shown((await h.sender.waitForResponse(undo.responseUrl as string)).body)).toContain('Removed');
    expect(holding(m)).toEqual([]);
  });

  it('an edit replaces the old words', async () => {
    const m = marker();
    await h.sender.command({ userId: alice, text: `log Drafted the ${m} plan` });
    const id = await idOf(alice, m);
    const edit = await h.sender.blockActions({
      userId: alice,
      actions: [{ action_id: ActionId.evidenceEdit, block_id: BlockId.evidenceActions, value: String(id) }],
    });
    const modal = await waitFor(() => h.api.state.openModals(alice).at(-1));
    await h.sender.viewSubmission({
      userId: alice,
      view: modal.view as Record<string, unknown>,
      values: {
        [BlockId.evidenceText]: {
          [ActionId.formValue]: { type: 'plain_text_input', value: 'Drafted the plan' },
        },
        [BlockId.evidenceDate]: { [ActionId.formValue]: { type: 'datepicker', selected_date: '2026-11-12' } },
        [BlockId.evidenceAxes]: {
          [ActionId.formValue]: { type: 'multi_static_select', selected_options: [] },
        },
        [BlockId.evidenceShift]: { [ActionId.formValue]: { type: 'static_select', selected_option: null } },
        [BlockId.evidenceScope]: { [ActionId.formValue]: { type: 'static_select', selected_option: null } },
      },
    });
    await h.sender.waitForResponse(edit.responseUrl as string);
    expect((await h.app.ctx.repos.evidence.get(owner(alice), id as number))?.text).toBe('Drafted the plan');
    expect(holding(m)).toEqual([]);
  });

  it('/ladder forget, and a backup taken afterwards', async () => {
    const m = marker();
    await h.sender.command({ userId: bob, text: `log Led the ${m} incident review #process` });
    await h.sender.command({ userId: bob, text: `log Coached two TPMs on ${m} planning` });
    await h.sender.command({ userId: bob, text: 'me level tpm4 target lead' });
    const confirm = await h.sender.blockActions({
      userId: bob,
      actions: [{ action_id: ActionId.forgetConfirm, block_id: BlockId.forgetActions, value: 'forget' }],
    });
    await h.sender.waitForResponse(confirm.responseUrl as string);
    expect(await entries(bob)).toEqual([]);
    expect(holding(m)).toEqual([]);
    const backup = path.join(tempDir(), 'after-forget.db');
    const code = await runCli(['backup', backup], {
      env: { DATABASE_PATH: h.dbPath },
      stdout: () => {},
      stderr: () => {},
    });
    expect(code).toBe(0);
    expect(holding(m, [backup])).toEqual([]);
  });

  it('a reader holding the log open (a backup, another process) delays the answer until the words are gone', async () => {
    const m = marker();
    await h.sender.command({ userId: alice, text: `log Wrote the ${m} runbook` });
    const id = await idOf(alice, m);
    // Another connection in the middle of a read transaction: the log cannot be truncated.
    const reader = new Database(h.dbPath, { readonly: true });
    reader.prepare('BEGIN').run();
    reader.prepare('SELECT COUNT(*) FROM evidence').get();
    const del = await h.sender.blockActions({
      userId: alice,
      actions: [{ action_id: ActionId.evidenceDelete, block_id: 'x', value: String(id) }],
    });
    let answered = false;
    const answer = h.sender.waitForResponse(del.responseUrl as string).then(() => {
      answered = true;
    });
    await sleep(400);
    expect(await h.app.ctx.repos.evidence.get(owner(alice), id as number)).toBeUndefined();
    expect(answered).toBe(false);
    reader.prepare('COMMIT').run();
    reader.close();
    await answer;
    expect(holding(m)).toEqual([]);
  });
});
