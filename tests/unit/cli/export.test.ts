/**
 * `ladder export` and `ladder import`: no Slack credentials, stdout or a 0600 file, exit codes, and
 * the JSON round trip (export → import into an empty database → export: identical apart from
 * `exportedAt`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/index.ts';
import { openDatabase } from '../../../src/db/connection.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { createRepositories } from '../../../src/db/repositories.ts';
import { parseExport } from '../../../src/domain/export/json.ts';
import type { Owner } from '../../../src/domain/types.ts';
import { LADDER_DIR, realLadder } from '../../helpers/ladder.ts';
import { tempDir } from '../../helpers/tmp.ts';

const TEAM = 'T0LADDER1';
const ADA: Owner = { teamId: TEAM, userId: 'U0ADA1234' };
const BOB: Owner = { teamId: TEAM, userId: 'U0BOB5678' };
const NOW = new Date('2026-05-31T09:00:00.000Z');
const LATER = new Date('2026-06-02T10:30:00.000Z');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(argv: string[], dbPath: string, now = NOW): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env: { DATABASE_PATH: dbPath, LADDER_DATA_DIR: LADDER_DIR, LOG_LEVEL: 'error' },
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    now: () => now,
  });
  return { code, stdout, stderr };
}

/** A database where Ada has a bit of everything the app keeps, and Bob one entry. */
async function seedDatabase(file: string): Promise<void> {
  const db = openDatabase(file);
  migrate(db);
  const repos = createRepositories(db);
  const prompt = realLadder().prompts[0];
  if (!prompt) throw new Error('no prompts in the ladder data');
  const at = (iso: string) => new Date(iso);
  await repos.profiles.setLevels(ADA, { level: 'tpm4', target: 'tpm5' }, at('2025-06-01T10:00:00.000Z'));
  await repos.profiles.setTimeZone(ADA, 'Europe/London', at('2026-05-30T08:00:00.000Z'));
  const insert = async (o: Owner, e: Parameters<typeof repos.evidence.insert>[1], when: string) =>
    (await repos.evidence.insert(o, e, at(when))).entry;
  await insert(
    ADA,
    {
      text: 'Ran the cross-team launch review 🚀, "4 teams" | pipes\nsecond line',
      occurredOn: '2025-06-12',
      axes: ['process', 'influence'],
      shift: null,
      scope: 'multi-team',
      link: 'https://acme.slack.com/archives/C0PROGRAM1/p1749741000000100',
      source: 'command',
    },
    '2025-06-12T15:40:00.000Z',
  );
  await insert(
    ADA,
    {
      text: 'Mentored two new TPMs',
      occurredOn: '2025-07-20',
      axes: ['people'],
      suggestedAxes: ['influence'],
      shift: prompt.shift,
      scope: null,
      link: null,
      source: 'reflection',
      promptId: prompt.id,
      nudgeWeek: '2025-W29',
      channelId: 'D0ADA1234',
      messageTs: '1753027200.000400',
    },
    '2025-07-20T15:54:00.000Z',
  );
  // Same day and time as another: the id decides the order, in both databases.
  await insert(
    ADA,
    {
      text: '=SUM(A1:A9) formula-looking',
      occurredOn: '2026-05-30',
      axes: [],
      shift: null,
      scope: null,
      link: null,
      source: 'modal',
    },
    '2026-05-30T12:00:00.000Z',
  );
  await insert(
    ADA,
    {
      text: 'Same time, logged second',
      occurredOn: '2026-05-30',
      axes: ['system'],
      shift: 'preventing',
      scope: null,
      link: null,
      source: 'home',
    },
    '2026-05-30T12:00:00.000Z',
  );
  await insert(
    BOB,
    {
      text: 'Bob private: vendor exit',
      occurredOn: '2026-05-01',
      axes: [],
      shift: null,
      scope: null,
      link: null,
      source: 'command',
    },
    '2026-05-01T10:00:00.000Z',
  );
  await repos.nudges.saveSettings(
    {
      teamId: TEAM,
      userId: ADA.userId,
      enabled: true,
      day: 5,
      minuteOfDay: 960,
      tz: 'Europe/London',
      pausedThrough: '2026-06-10',
      skipWeek: null,
      createdAt: at('2025-06-01T10:05:00.000Z'),
    },
    at('2025-06-01T10:05:00.000Z'),
  );
  await repos.nudges.cacheDmChannel(ADA, 'D0ADA1234', at('2026-05-01T10:00:00.000Z'));
  const ledger = db.prepare(
    `INSERT INTO nudge_ledger (team_id, user_id, week_key, slot_at, state, reason, attempts, next_attempt_at,
       lease_owner, lease_expires_at, prompt_id, channel_id, message_ts, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  ledger.run(
    TEAM,
    ADA.userId,
    '2025-W29',
    '2025-07-18T15:00:00.000Z',
    'sent',
    null,
    0,
    null,
    null,
    null,
    prompt.id,
    'D0ADA1234',
    '1752850800.000100',
    'x',
    'x',
  );
  ledger.run(
    TEAM,
    ADA.userId,
    '2026-W22',
    '2026-05-29T15:00:00.000Z',
    'failed',
    'http_500',
    2,
    '2026-05-29T15:20:00.000Z',
    null,
    null,
    prompt.id,
    null,
    null,
    'x',
    'x',
  );
  ledger.run(
    TEAM,
    ADA.userId,
    '2026-W21',
    '2026-05-22T15:00:00.000Z',
    'claimed',
    null,
    0,
    null,
    'proc-1',
    '2026-05-22T15:05:00.000Z',
    null,
    null,
    null,
    'x',
    'x',
  );
  db.prepare(
    `INSERT INTO nudge_history (team_id, user_id, prompt_id, trigger, week_key, channel_id, message_ts, sent_at)
     VALUES (?, ?, ?, 'weekly', '2025-W29', 'D0ADA1234', '1752850800.000100', '2025-07-18T15:00:02.000Z')`,
  ).run(TEAM, ADA.userId, prompt.id);
  await repos.nudges.recordOnDemand(
    ADA,
    { promptId: prompt.id, channelId: 'D0ADA1234', messageTs: '1764581400.000200' },
    at('2025-12-01T09:30:00.000Z'),
  );
  await repos.exports.recordFile(
    ADA,
    { fileId: 'F0EXPORT01', kind: 'markdown', channelId: 'D0ADA1234' },
    at('2026-05-01T10:00:00.000Z'),
  );
  await repos.exports.recordFile(
    ADA,
    {
      fileId: 'F0CHART001',
      kind: 'chart',
      channelId: 'D0ADA1234',
      onHome: true,
      fingerprint: 'abc',
      altText: 'Radar chart',
    },
    at('2026-05-02T10:00:00.000Z'),
  );
  db.close();
}

describe('ladder export', () => {
  let dbPath: string;
  beforeAll(async () => {
    dbPath = path.join(tempDir(), 'source.db');
    await seedDatabase(dbPath);
  });

  it('writes the Markdown packet to stdout, all time by default, with only that user’s entries', async () => {
    const run = await cli(['export', '--team', TEAM, '--user', ADA.userId, '--format', 'md'], dbPath);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('# Review packet: U0ADA1234');
    expect(run.stdout).toContain('TPM4');
    expect(run.stdout).toContain('Period: all time (up to 2026-05-31) · 4 entries');
    expect(run.stdout).toContain('Ran the cross-team launch review 🚀');
    expect(run.stdout).toContain(realLadder().prompts[0]?.question.slice(0, 30));
    expect(run.stdout).not.toContain('vendor exit');
  });

  it('honours --period in the user’s time zone', async () => {
    const run = await cli(
      ['export', '--team', TEAM, '--user', ADA.userId, '--format', 'csv', '--period', '30d'],
      dbPath,
    );
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\r\n');
    expect(lines).toHaveLength(3); // header + the two entries of 2026-05-30
    expect(lines[1]).toContain("'=SUM(A1:A9)");
  });

  it('writes --out FILE readable by its owner only, even over an existing file', async () => {
    const out = path.join(tempDir(), 'ada.json');
    fs.writeFileSync(out, 'old', { mode: 0o644 });
    const run = await cli(
      ['export', '--team', TEAM, '--user', ADA.userId, '--format', 'json', '--out', out],
      dbPath,
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`Wrote ${out}`);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const data = parseExport(fs.readFileSync(out, 'utf8'));
    expect(data.entries).toHaveLength(4);
    expect(data.user_id).toBe(ADA.userId);
  });

  it('notes on stderr when the user has nothing in the period, and still exits 0', async () => {
    const run = await cli(['export', '--team', TEAM, '--user', 'U0NOBODY', '--format', 'csv'], dbPath);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('no entries');
    expect(run.stdout.trimEnd().split('\r\n')).toHaveLength(1);
  });

  it.each([
    [['export', '--user', ADA.userId, '--format', 'md'], '--team is required'],
    [['export', '--team', TEAM, '--format', 'md'], '--user is required'],
    [['export', '--team', TEAM, '--user', ADA.userId], '--format must be one of md, csv, json'],
    [['export', '--team', TEAM, '--user', ADA.userId, '--format', 'pdf'], '--format must be one of'],
    [
      ['export', '--team', TEAM, '--user', ADA.userId, '--format', 'md', '--period', 'fortnight'],
      "I don't know the period",
    ],
    [['export', '--team', TEAM, '--user', 'U 0ADA', '--format', 'md'], '--user must be a Slack id'],
    [['export', '--team', TEAM, '--user', ADA.userId, '--format', 'md', '--bogus'], 'Unknown option'],
    [['import', '--team', TEAM, '--user', ADA.userId], 'name one FILE'],
    [['import', 'a.json', 'b.json', '--team', TEAM, '--user', ADA.userId], 'name one FILE'],
    [['import', 'a.json', '--user', ADA.userId], '--team is required'],
  ])('bad arguments exit 2 with the reason on stderr: %j', async (argv, reason) => {
    const run = await cli(argv, dbPath);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(reason);
    expect(run.stdout).toBe('');
  });
});

describe('ladder import', () => {
  let sourcePath: string;
  let exported: string;
  beforeAll(async () => {
    sourcePath = path.join(tempDir(), 'source.db');
    await seedDatabase(sourcePath);
    const run = await cli(['export', '--team', TEAM, '--user', ADA.userId, '--format', 'json'], sourcePath);
    expect(run.code).toBe(0);
    exported = run.stdout;
  });

  it('round trip: export → import into an empty database → export is identical apart from exportedAt', async () => {
    const file = path.join(tempDir(), 'ada.json');
    fs.writeFileSync(file, exported);
    const target = path.join(tempDir(), 'target.db');
    const imported = await cli(['import', file, '--team', TEAM, '--user', ADA.userId], target, LATER);
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect(imported.stdout).toContain(
      '4 entries, 1 reflections, 3 nudge weeks, 2 prompts sent, 2 uploaded file ids',
    );

    const again = await cli(
      ['export', '--team', TEAM, '--user', ADA.userId, '--format', 'json'],
      target,
      LATER,
    );
    expect(again.code).toBe(0);
    const first = parseExport(exported);
    const second = parseExport(again.stdout);
    expect(first.exportedAt).toBe(NOW.toISOString());
    expect(second.exportedAt).toBe(LATER.toISOString());
    expect(again.stdout.replace(LATER.toISOString(), NOW.toISOString())).toBe(exported);
    // It really holds everything: nudges, the ledger, the history and the file ids.
    expect(first.nudgeSettings).toMatchObject({
      enabled: true,
      day: 5,
      minuteOfDay: 960,
      pausedThrough: '2026-06-10',
    });
    expect(first.nudgeLedger.map((l) => l.state)).toEqual(['sent', 'claimed', 'failed']);
    expect(first.nudgeHistory.map((n) => n.trigger)).toEqual(['weekly', 'now']);
    expect(first.exports.map((f) => f.fileId)).toEqual(['F0EXPORT01', 'F0CHART001']);
    expect(first.reflections).toEqual([
      expect.objectContaining({
        entryId: 2,
        week: '2025-W29',
        reply: { channelId: 'D0ADA1234', ts: '1753027200.000400' },
      }),
    ]);
    expect(exported).not.toContain('vendor exit');

    // The imported rows work as the app's own: a claimed row without a lease, the reply still linked.
    const db = openDatabase(target);
    const repos = createRepositories(db);
    expect((await repos.nudges.ledgerOf(ADA)).find((l) => l.weekKey === '2026-W21')).toMatchObject({
      state: 'claimed',
      leaseOwner: null,
    });
    expect((await repos.evidence.findByMessage(ADA, 'D0ADA1234', '1753027200.000400'))?.text).toBe(
      'Mentored two new TPMs',
    );
    expect((await repos.nudges.getSettings(ADA))?.createdAt.toISOString()).toBe('2025-06-01T10:05:00.000Z');
    db.close();
  });

  it('a version 1 file, written before roles were kept, still imports; exporting it again writes version 5 (no digest)', async () => {
    const file = fileURLToPath(new URL('../../fixtures/export-v1.json', import.meta.url));
    const v1 = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(v1.version).toBe(1);
    const target = path.join(tempDir(), 'from-v1.db');
    const run = await cli(['import', file, '--team', v1.team_id, '--user', v1.user_id], target, LATER);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`${v1.entries.length} entries`);
    const back = parseExport(
      (await cli(['export', '--team', v1.team_id, '--user', v1.user_id, '--format', 'json'], target, LATER))
        .stdout,
    );
    expect(back.version).toBe(5);
    expect(back).toMatchObject({ digestSettings: null, digestLedger: [] });
    expect(back.profile).toMatchObject({ level: 'tpm4', levelRole: null, target: 'tpm5', targetRole: null });
    expect(back.entries.map((e) => e.originalText)).toEqual(v1.entries.map((e: { text: string }) => e.text));
    expect(back.nudgeHistory).toHaveLength(v1.nudgeHistory.length);
  });

  it('re-keys to another team and user; the old DM channel is left out and said so', async () => {
    const file = path.join(tempDir(), 'ada.json');
    fs.writeFileSync(file, exported);
    const target = path.join(tempDir(), 'moved.db');
    const run = await cli(['import', file, '--team', 'T0OTHER', '--user', 'U0NEWADA'], target, LATER);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('DM channel');
    const back = parseExport(
      (await cli(['export', '--team', 'T0OTHER', '--user', 'U0NEWADA', '--format', 'json'], target, LATER))
        .stdout,
    );
    expect(back).toMatchObject({ team_id: 'T0OTHER', user_id: 'U0NEWADA', dmChannel: null });
    expect(back.entries.map((e) => e.text)).toEqual(parseExport(exported).entries.map((e) => e.text));
  });

  it('refuses an account that already has data, changing nothing (exit 1)', async () => {
    const file = path.join(tempDir(), 'ada.json');
    fs.writeFileSync(file, exported);
    const run = await cli(['import', file, '--team', TEAM, '--user', ADA.userId], sourcePath, LATER);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('already has data');
    const db = openDatabase(sourcePath);
    expect(await createRepositories(db).evidence.count(ADA)).toBe(4);
    db.close();
  });

  it.each([
    ['not JSON', '{"format": ', 'not valid JSON'],
    ['another format', '{"format": "something-else"}', 'not a Ladder export'],
    ['a newer version', '{"format": "ladder-export", "version": 9}', 'newer Ladder'],
    ['a bad field', null, 'entries[0].occurredOn: expected a calendar date'],
  ])('a bad file (%s) exits 1 with the friendly message and writes nothing', async (_name, text, message) => {
    const file = path.join(tempDir(), 'bad.json');
    const data = JSON.parse(exported) as { entries: Array<{ occurredOn: string }> };
    if (data.entries[0]) data.entries[0].occurredOn = '2025-13-40';
    fs.writeFileSync(file, text ?? JSON.stringify(data));
    const target = path.join(tempDir(), 'untouched.db');
    const run = await cli(['import', file, '--team', TEAM, '--user', ADA.userId], target);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain('failed: {');
    expect(fs.existsSync(target)).toBe(false);
  });

  it('a missing file exits 1', async () => {
    const run = await cli(
      ['import', path.join(tempDir(), 'nope.json'), '--team', TEAM, '--user', ADA.userId],
      sourcePath,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot read');
  });
});
