/**
 * The trust rule: local mode opens only the SQLite file it created, so a DATABASE_URL left in the
 * environment (a company's real PostgreSQL) is never opened, let alone written, by local mode.
 */
import path from 'node:path';
import { expect, it } from 'vitest';
import { startLadder } from '../../src/main.ts';
import { tempDir } from '../helpers/tmp.ts';

it('local mode runs on its own SQLite file even with DATABASE_URL set', async () => {
  const file = path.join(tempDir(), 'local.db');
  const running = await startLadder({
    // Nothing listens on port 1: opening it would stop the app.
    env: {
      PORT: '0',
      DATABASE_PATH: file,
      DATABASE_URL: 'postgres://prod:pw@127.0.0.1:1/ladder',
      LOG_LEVEL: 'warn',
    },
    forceLocal: true,
    writeLog: () => {},
  });
  try {
    expect(running.database.engine).toBe('sqlite');
    expect(running.database.where).toBe(`SQLite file ${file}`);
    expect(await (await fetch(`${running.localUrl}healthz`)).json()).toMatchObject({
      ok: true,
      database: true,
    });
  } finally {
    await running.stop();
  }
});
