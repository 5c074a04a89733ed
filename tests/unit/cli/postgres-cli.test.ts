/**
 * The operator CLI on PostgreSQL (`DATABASE_URL`): migrate, import, export and `nudges run` work as
 * on SQLite, and an account moved between the engines exports byte for byte the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/index.ts';
import { parseExport } from '../../../src/domain/export/json.ts';
import { LADDER_DIR } from '../../helpers/ladder.ts';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../../helpers/postgres.ts';
import { tempDir } from '../../helpers/tmp.ts';

const LATER = new Date('2026-06-02T10:30:00.000Z');
const V1 = fileURLToPath(new URL('../../fixtures/export-v1.json', import.meta.url));

async function cli(argv: string[], database: { DATABASE_URL: string } | { DATABASE_PATH: string }) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env: { ...database, LADDER_DATA_DIR: LADDER_DIR, LOG_LEVEL: 'error' },
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    now: () => LATER,
  });
  return { code, stdout, stderr };
}

await describeOnPostgres('the CLI on PostgreSQL', () => {
  let pg: TestDatabase;
  beforeAll(async () => {
    pg = await createTestDatabase('cli');
  });
  afterAll(async () => {
    await pg?.drop();
  });

  it('migrate applies every migration once, then says the database is up to date', async () => {
    const files = fs.readdirSync(path.resolve(import.meta.dirname, '../../../migrations/postgres'));
    const first = await cli(['migrate'], { DATABASE_URL: pg.url });
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe(`Applied ${files.length} migration(s): ${files.sort().join(', ')}\n`);
    expect((await cli(['migrate'], { DATABASE_URL: pg.url })).stdout).toBe(
      `Database is up to date (${files.length} migration(s) applied).\n`,
    );
  });

  it('import → export on PostgreSQL → import → export on SQLite: the same file, both ways', async () => {
    const v1 = JSON.parse(fs.readFileSync(V1, 'utf8'));
    const owner = ['--team', v1.team_id, '--user', v1.user_id];
    const imported = await cli(['import', V1, ...owner], { DATABASE_URL: pg.url });
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect(imported.stdout).toContain(`${v1.entries.length} entries`);

    const fromPg = await cli(['export', ...owner, '--format', 'json'], { DATABASE_URL: pg.url });
    expect(fromPg.code).toBe(0);
    const file = path.join(tempDir(), 'from-pg.json');
    fs.writeFileSync(file, fromPg.stdout);
    const sqlite = { DATABASE_PATH: path.join(tempDir(), 'ladder.db') };
    expect((await cli(['import', file, ...owner], sqlite)).code).toBe(0);
    const fromSqlite = await cli(['export', ...owner, '--format', 'json'], sqlite);
    expect(fromSqlite.stdout).toBe(fromPg.stdout);
    const back = parseExport(fromPg.stdout);
    expect(back.entries.map((e) => e.originalText)).toEqual(v1.entries.map((e: { text: string }) => e.text));

    // The Markdown packet and the CSV too.
    for (const format of ['md', 'csv']) {
      const a = await cli(['export', ...owner, '--format', format], { DATABASE_URL: pg.url });
      const b = await cli(['export', ...owner, '--format', format], sqlite);
      expect(a.code).toBe(0);
      expect(a.stdout.length).toBeGreaterThan(100);
      expect(a.stdout).toBe(b.stdout);
    }

    // A second import into the same account is refused, changing nothing.
    const again = await cli(['import', V1, ...owner], { DATABASE_URL: pg.url });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already has data in this database');
  });

  it('nudges run --dry-run lists who is due from the schedule imported above', async () => {
    const run = await cli(['nudges', 'run', '--at', '2026-06-12T20:00:00Z', '--dry-run'], {
      DATABASE_URL: pg.url,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // Fridays at 16:00 in London; the week of June 5 was skipped in the file, June 12 is due.
    expect(run.stdout).toBe('T0LADDER1 U0ADA1234 due 2026-06-12T16:00\n');
  });
});
