/**
 * Moving one person's rows in one table from a workspace tenant to the enterprise tenant of its
 * org, by the pure rules of ../domain/tenant-move.ts. Called by each repository's `moveOf` (through
 * ./owned-tables.ts), inside the caller's transaction; idempotent (a second move finds nothing).
 */
import { mergeLedger, mergeSettings, type Stamped } from '../domain/tenant-move.ts';
import type { PersonTable } from './schema.ts';
import type { Store, Tx } from './store.ts';

/**
 * How a table's rows move. `rows`: each source row moves as it is, unless a target row has the
 * same `keys` (a de-duplication key: then the target's stays, the union); `exclusive` names a flag
 * only one of the person's rows may hold (the target's keeps it). `settings`: one row per person,
 * the newest wins field by field (`stamp` is the column telling which is newer). `ledger`: one row
 * per slot, the sent one.
 */
export type MoveRule =
  | { kind: 'rows'; keys: readonly string[]; exclusive?: string }
  | { kind: 'settings'; stamp: string }
  | { kind: 'ledger' };

/** Every personal table has a rule: adding a table without one fails to compile. */
export const MOVE_RULES: Record<PersonTable, MoveRule> = {
  evidence: { kind: 'rows', keys: ['channel_id', 'message_ts'] },
  deliveries: { kind: 'rows', keys: ['delivery_key'] },
  pending_views: { kind: 'rows', keys: ['view_id'] },
  response_urls: { kind: 'rows', keys: ['url'] },
  profiles: { kind: 'settings', stamp: 'updated_at' },
  nudge_settings: { kind: 'settings', stamp: 'updated_at' },
  digest_settings: { kind: 'settings', stamp: 'updated_at' },
  // A cached DM channel has no updated_at: the newer cache entry wins.
  nudge_dm_channels: { kind: 'settings', stamp: 'cached_at' },
  nudge_ledger: { kind: 'ledger' },
  nudge_history: { kind: 'rows', keys: ['channel_id', 'message_ts'] },
  exports: { kind: 'rows', keys: ['file_id'], exclusive: 'on_home' },
};

/** The two tenants of one person: the workspace's (`from`) and the enterprise's (`to`). */
export interface TenantMove {
  readonly from: string;
  readonly to: string;
  readonly userId: string;
}

type Row = Record<string, unknown>;

export function tableMover(store: Store, table: PersonTable) {
  const qb = store.qb;
  const rowsOf = (teamId: string, m: TenantMove, tx: Tx) =>
    store.all<Row>(
      qb.selectFrom(table).selectAll().where('team_id', '=', teamId).where('user_id', '=', m.userId) as never,
      tx,
    );
  const removeAll = (teamId: string, m: TenantMove, tx: Tx) =>
    store.run(qb.deleteFrom(table).where('team_id', '=', teamId).where('user_id', '=', m.userId), tx);
  const insert = (rows: Row[], m: TenantMove, tx: Tx) =>
    rows.length === 0
      ? Promise.resolve(0)
      : store.run(qb.insertInto(table).values(rows.map((r) => ({ ...r, team_id: m.to })) as never), tx);

  /** Rows keep their ids: the ones whose key the target already holds go, the rest are re-keyed. */
  async function moveRows(rule: Extract<MoveRule, { kind: 'rows' }>, m: TenantMove, tx: Tx): Promise<number> {
    const source = await rowsOf(m.from, m, tx);
    if (source.length === 0) return 0;
    const target = await rowsOf(m.to, m, tx);
    const keyOf = (r: Row) => JSON.stringify(rule.keys.map((k) => r[k] ?? null));
    const taken = new Set(target.filter((r) => rule.keys.every((k) => r[k] != null)).map(keyOf));
    for (const r of source.filter((x) => taken.has(keyOf(x)))) {
      let del = qb.deleteFrom(table).where('team_id', '=', m.from).where('user_id', '=', m.userId);
      for (const k of rule.keys) del = del.where(k as never, '=', r[k] as never);
      await store.run(del, tx);
    }
    const flag = rule.exclusive;
    if (flag && target.some((r) => Number(r[flag]) === 1)) {
      await store.run(
        qb
          .updateTable(table)
          .set({ [flag]: 0 } as never)
          .where('team_id', '=', m.from)
          .where('user_id', '=', m.userId),
        tx,
      );
    }
    await store.run(
      qb
        .updateTable(table)
        .set({ team_id: m.to } as never)
        .where('team_id', '=', m.from)
        .where('user_id', '=', m.userId),
      tx,
    );
    return source.length;
  }

  async function moveSettings(stamp: string, m: TenantMove, tx: Tx): Promise<number> {
    const [source] = await rowsOf(m.from, m, tx);
    if (!source) return 0;
    const [target] = await rowsOf(m.to, m, tx);
    const stamped = (r: Row | undefined) => (r ? { ...r, updated_at: String(r[stamp]) } : undefined);
    const merged = mergeSettings<Stamped & Row>(stamped(target), stamped(source)) as Row;
    const row = stamp === 'updated_at' ? merged : withoutStampAlias(merged, source);
    await removeAll(m.from, m, tx);
    await removeAll(m.to, m, tx);
    await insert([row], m, tx);
    return 1;
  }

  async function moveLedger(m: TenantMove, tx: Tx): Promise<number> {
    const source = await rowsOf(m.from, m, tx);
    if (source.length === 0) return 0;
    const target = await rowsOf(m.to, m, tx);
    type Slot = Row & { kind: string; week_key: string; state: string; updated_at: string };
    const { keep } = mergeLedger(target as Slot[], source as Slot[]);
    await removeAll(m.from, m, tx);
    await removeAll(m.to, m, tx);
    await insert([...keep], m, tx);
    return source.length;
  }

  return (m: TenantMove, tx: Tx): Promise<number> => {
    const rule = MOVE_RULES[table];
    if (rule.kind === 'rows') return moveRows(rule, m, tx);
    if (rule.kind === 'settings') return moveSettings(rule.stamp, m, tx);
    return moveLedger(m, tx);
  };
}

/** A table without `updated_at` got one only to compare: drop it again before writing. */
function withoutStampAlias(merged: Row, source: Row): Row {
  if ('updated_at' in source) return merged;
  const { updated_at: _drop, ...rest } = merged;
  return rest;
}
