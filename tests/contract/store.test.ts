import { describe, expect, it } from 'vitest';
import { createWorkspaceRepository } from '../../src/db/workspace-repository.ts';
import { ENGINES } from './engines.ts';

const now = new Date('2026-11-20T12:00:00.000Z');
const tick = () => new Promise((r) => setTimeout(r, 5));

describe.each(ENGINES)('transactions of the store on $name', (engine) => {
  const setup = async () => {
    const store = await engine.open();
    const statusOf = store.prepare((qb, p: { teamId: string }) =>
      qb.selectFrom('workspaces').select('status').where('team_id', '=', p.teamId),
    );
    const put = store.prepare((qb, p: { teamId: string; status: 'active' | 'revoked' }) =>
      qb
        .insertInto('workspaces')
        .values({ team_id: p.teamId, status: p.status, updated_at: now.toISOString() }),
    );
    return { store, statusOf, put, workspaces: createWorkspaceRepository(store) };
  };

  it('a throw rolls back everything the transaction wrote', async () => {
    const { store, statusOf, put } = await setup();
    await expect(
      store.transaction(async (tx) => {
        await put.run({ teamId: 'T1', status: 'revoked' }, tx);
        expect((await statusOf.first({ teamId: 'T1' }, tx))?.status).toBe('revoked');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await statusOf.first({ teamId: 'T1' })).toBeUndefined();
  });

  it("another request's write never lands in the transaction and survives its rollback", async () => {
    const { store, statusOf, put, workspaces } = await setup();
    let outsideDone = false;
    let outside: Promise<void> = Promise.resolve();
    const tx = store.transaction(async (t) => {
      await put.run({ teamId: 'T1', status: 'revoked' }, t);
      // Meanwhile another request writes (it must not land in this transaction).
      outside = workspaces.markInactive('T2', 'uninstalled', now).then(() => {
        outsideDone = true;
      });
      await tick();
      // SQLite has one writer: the other write waits for this transaction to end. PostgreSQL
      // runs it beside this one on another connection, outside this transaction.
      if (store.engine === 'sqlite') expect(outsideDone).toBe(false);
      throw new Error('rolled back');
    });
    await expect(tx).rejects.toThrow('rolled back');
    await outside;
    expect(outsideDone).toBe(true);
    expect(await statusOf.first({ teamId: 'T1' })).toBeUndefined();
    expect(await workspaces.isWorkspaceActive('T2')).toBe(false);
  });

  it('a transaction given the open one joins it: both commit or neither', async () => {
    const { store, statusOf, put } = await setup();
    await store.transaction(async (outer) => {
      await put.run({ teamId: 'T1', status: 'active' }, outer);
      await store.transaction(async (inner) => {
        expect(inner).toBe(outer);
        await put.run({ teamId: 'T2', status: 'revoked' }, inner);
      }, outer);
    });
    expect((await statusOf.first({ teamId: 'T2' }))?.status).toBe('revoked');
    await expect(
      store.transaction(async (outer) => {
        await put.run({ teamId: 'T3', status: 'active' }, outer);
        await store.transaction(async () => {
          throw new Error('inner failed');
        }, outer);
      }),
    ).rejects.toThrow('inner failed');
    expect(await statusOf.first({ teamId: 'T3' })).toBeUndefined();
  });

  it('two write transactions of one process at once run one after the other', async () => {
    const { store, statusOf, put } = await setup();
    const order: string[] = [];
    const a = store.transaction(async (tx) => {
      order.push('a begins');
      await tick();
      await put.run({ teamId: 'T1', status: 'active' }, tx);
      order.push('a ends');
    });
    const b = store.transaction(async (tx) => {
      order.push('b begins');
      order.push(`b sees ${(await statusOf.first({ teamId: 'T1' }, tx))?.status ?? 'nothing'}`);
    });
    await Promise.all([a, b]);
    expect(order).toEqual(['a begins', 'a ends', 'b begins', 'b sees active']);
  });

  it('read-modify-write transactions at once lose no update', async () => {
    const { store } = await setup();
    const insert = store.prepare((qb, p: { now: string }) =>
      qb
        .insertInto('response_urls')
        .values({ url: 'u', team_id: 'T', user_id: 'U', uses: 0, created_at: p.now }),
    );
    const read = store.prepare((qb, _p: object) =>
      qb.selectFrom('response_urls').select('uses').where('url', '=', 'u'),
    );
    const write = store.prepare((qb, p: { uses: number }) =>
      qb.updateTable('response_urls').set({ uses: p.uses }).where('url', '=', 'u'),
    );
    await insert.run({ now: now.toISOString() });
    let bodies = 0;
    const increment = () =>
      store.transaction(async (tx) => {
        bodies++;
        const uses = (await read.first({}, tx))?.uses ?? 0;
        await tick();
        await write.run({ uses: uses + 1 }, tx);
      });
    await Promise.all([increment(), increment(), increment(), increment()]);
    expect((await read.first({}))?.uses).toBe(4);
    // One process's write transactions take turns: none is refused, none runs twice.
    expect(bodies).toBe(4);
  });
});
