import { describe, expect, it } from 'vitest';
import { createExportRepository } from '../../src/db/export-repository.ts';
import { ENGINES } from './engines.ts';

const alice = { teamId: 'T1', userId: 'U1' };
const bob = { teamId: 'T1', userId: 'U2' };
const t = (m: number) => new Date(Date.UTC(2026, 10, 20, 12, m));

describe.each(ENGINES)('export repository on $name', (engine) => {
  const repo = async () => createExportRepository(await engine.open());

  it('keeps uploaded files oldest first; one chart at a time is on the Home', async () => {
    const r = await repo();
    await r.recordFile(alice, { fileId: 'F1', kind: 'markdown', channelId: 'D1' }, t(0));
    await r.recordFile(
      alice,
      { fileId: 'F2', kind: 'chart', channelId: 'D1', onHome: true, fingerprint: 'a', altText: 'one' },
      t(1),
    );
    await r.recordFile(
      alice,
      { fileId: 'F3', kind: 'chart', channelId: 'D1', onHome: true, fingerprint: 'b', altText: 'two' },
      t(2),
    );
    await r.recordFile(alice, { fileId: 'F3', kind: 'chart', channelId: 'D1' }, t(3));
    expect((await r.files(alice)).map((f) => [f.fileId, f.onHome])).toEqual([
      ['F1', false],
      ['F2', false],
      ['F3', true],
    ]);
    expect(await r.homeChart(alice)).toMatchObject({
      fileId: 'F3',
      fingerprint: 'b',
      altText: 'two',
      createdAt: t(2).toISOString(),
    });
    expect(await r.homeChart(bob)).toBeUndefined();
    await r.clearHomeChart(alice);
    expect(await r.homeChart(alice)).toBeUndefined();
  });

  it('removes, exports, imports and forgets by owner', async () => {
    const r = await repo();
    await r.recordFile(alice, { fileId: 'F1', kind: 'csv', channelId: 'D1' }, t(0));
    expect(await r.removeFile(bob, 'F1')).toBe(false);
    await r.importRows(bob, [{ fileId: 'F9', kind: 'json', createdAt: t(5).toISOString() }]);
    expect(await r.rowsOf(bob)).toEqual([
      {
        fileId: 'F9',
        kind: 'json',
        channelId: null,
        onHome: false,
        fingerprint: null,
        altText: null,
        createdAt: t(5).toISOString(),
      },
    ]);
    expect(await r.removeFile(alice, 'F1')).toBe(true);
    expect(await r.deleteOf(bob)).toEqual({ exports: 1 });
    expect(await r.countOf(bob)).toEqual({ exports: 0 });
  });
});
