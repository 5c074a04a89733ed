/**
 * The move of one person's rows from a workspace tenant to its enterprise tenant, on the test
 * engine (SQLite or PostgreSQL): every personal table, one transaction, idempotent, merge rules.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { MOVE_RULES } from '../../src/db/owned-move.ts';
import { createRepositories, type Repositories } from '../../src/db/repositories.ts';
import { USER_TABLES } from '../../src/db/user-data.ts';
import { createTestStorage, describeOnEngine, type TestStorage } from '../helpers/engine.ts';

const WS = 'T0WORKSPACE';
const ORG = 'E0ORG';
const USER = 'U0MOVER';
const EARLY = '2026-11-30T09:00:00.000Z';
const LATE = '2026-12-01T09:00:00.000Z';
const MOVE = { from: WS, to: ORG, userId: USER };

const evidence = (team: string, text: string) => ({
  team_id: team,
  user_id: USER,
  text,
  occurred_on: '2026-11-30',
  source: 'command',
  axes: '[]',
  suggested_axes: '[]',
  created_at: EARLY,
  updated_at: EARLY,
});
const settings = (team: string, enabled: number, day: number, at: string, pausedThrough: string | null) => ({
  team_id: team,
  user_id: USER,
  enabled,
  day,
  minute_of_day: 600,
  paused_through: pausedThrough,
  effective_from: EARLY,
  created_at: EARLY,
  updated_at: at,
});
const ledger = (team: string, week: string, state: 'sent' | 'skipped') => ({
  team_id: team,
  user_id: USER,
  week_key: week,
  slot_at: EARLY,
  state,
  created_at: EARLY,
  updated_at: EARLY,
});

describeOnEngine('moving a person to the enterprise tenant', () => {
  let storage: TestStorage;
  let handle: DatabaseHandle;
  let repos: Repositories;

  beforeEach(async () => {
    storage = await createTestStorage('tenant-move');
    handle = await storage.open();
    repos = createRepositories(handle);
    const qb = handle.store.qb;
    const run = (q: Parameters<typeof handle.store.run>[0]) => handle.store.run(q);
    await run(
      qb
        .insertInto('evidence')
        .values([evidence(WS, 'shipped A'), evidence(WS, 'shipped B'), evidence(ORG, 'org C')]),
    );
    await run(
      qb
        .insertInto('nudge_settings')
        .values([settings(WS, 1, 2, EARLY, '2026-12-24'), settings(ORG, 0, 4, LATE, null)]),
    );
    await run(
      qb
        .insertInto('nudge_ledger')
        .values([
          ledger(WS, '2026-W48', 'sent'),
          ledger(WS, '2026-W49', 'sent'),
          ledger(ORG, '2026-W49', 'skipped'),
        ]),
    );
    await run(
      qb
        .insertInto('deliveries')
        .values(
          ['k1', 'k2'].map((k) => ({ team_id: WS, user_id: USER, delivery_key: k, created_at: EARLY })),
        ),
    );
    await run(
      qb
        .insertInto('deliveries')
        .values({ team_id: ORG, user_id: USER, delivery_key: 'k2', created_at: EARLY }),
    );
  });

  afterEach(async () => {
    await handle.close();
    await storage.drop();
  });

  it('every personal table has a move rule', () => {
    expect(Object.keys(MOVE_RULES).sort()).toEqual([...USER_TABLES].sort());
  });

  it('moves every row by the merge rules, and a second move changes nothing', async () => {
    await repos.userData.moveAll(MOVE);
    const left = await repos.userData.count({ teamId: WS, userId: USER });
    expect(Object.values(left).every((n) => n === 0)).toBe(true);
    const moved = await repos.userData.rows({ teamId: ORG, userId: USER });
    expect(moved.entries.map((e) => e.text).sort()).toEqual(['org C', 'shipped A', 'shipped B']);
    const ledgerRows = moved.ledger.map((r) => `${r.week}:${r.state}`).sort();
    expect(ledgerRows).toEqual(['2026-W48:sent', '2026-W49:sent']);
    const nudge = await handle.store.first(
      handle.store.qb
        .selectFrom('nudge_settings')
        .selectAll()
        .where('team_id', '=', ORG)
        .where('user_id', '=', USER),
    );
    // The org row is newer: its enabled=0 and day win; its empty pause keeps the workspace's.
    expect({ enabled: Number(nudge?.enabled), day: nudge?.day, paused: nudge?.paused_through }).toEqual({
      enabled: 0,
      day: 4,
      paused: '2026-12-24',
    });
    const keys = await handle.store.all(
      handle.store.qb.selectFrom('deliveries').select('delivery_key').where('team_id', '=', ORG),
    );
    expect(keys.map((k) => k.delivery_key).sort()).toEqual(['k1', 'k2']);

    const before = await repos.userData.rows({ teamId: ORG, userId: USER });
    await repos.userData.moveAll(MOVE);
    expect(await repos.userData.rows({ teamId: ORG, userId: USER })).toEqual(before);
  });

  it('the scheduler sees a nudge sent this week under another tenant of the org', async () => {
    const install = (tenant: string, team: string | null, orgWide: number) => ({
      tenant_id: tenant,
      team_id: team,
      enterprise_id: ORG,
      is_enterprise_install: orgWide,
      key_id: 'k',
      sealed: 'not-opened-here',
      installed_at: EARLY,
      updated_at: EARLY,
    });
    const qb = handle.store.qb;
    await handle.store.run(
      qb.insertInto('installations').values([install(WS, WS, 0), install(ORG, null, 1)]),
    );
    expect((await repos.installations.orgOf(ORG)).others).toEqual([WS]);
    expect((await repos.installations.orgOf(WS)).others).toEqual([ORG]);
    expect((await repos.installations.orgOf('T0ELSEWHERE')).others).toEqual([]);
    expect(await repos.installations.orgOf(WS)).toEqual({ enterpriseId: ORG, others: [ORG] });
    expect(await repos.installations.orgOf(ORG)).toEqual({ enterpriseId: ORG, others: [WS] });
    expect(await repos.installations.orgOf('T0ELSEWHERE')).toEqual({ enterpriseId: null, others: [] });
    const sent = (tenants: string[], weekKey: string) =>
      repos.nudges.sentInOtherTenant({ userId: USER, weekKey, tenants });
    expect(await sent([WS], '2026-W49')).toBe(true);
    expect(await sent([WS], '2026-W50')).toBe(false);
    // The org's row for W49 was skipped, not sent: the workspace may still send.
    expect(await sent([ORG], '2026-W49')).toBe(false);
    expect(await sent([], '2026-W49')).toBe(false);
    // A nudge being sent there (its outcome may be a post) counts as sent.
    await handle.store.run(
      qb
        .updateTable('nudge_ledger')
        .set({ state: 'sending' })
        .where('team_id', '=', WS)
        .where('week_key', '=', '2026-W48'),
    );
    expect(await sent([WS], '2026-W48')).toBe(true);
  });
});
