/**
 * The nudge repository's reads of who is due (nudge-repository.ts composes them): the people whose
 * stored next due instant has come, a bounded batch in index order, with their recent ledger rows;
 * the open rows to retry; and the writes that move each person's next due instant on.
 */
import { type Kysely, sql } from 'kysely';
import type { NudgeSettings } from '../domain/nudge-schedule.ts';
import type { Owner } from '../domain/types.ts';
import { nudgeSettingsColumns as S } from './columns.ts';
import { type LedgerDbRow, type LedgerEntry, type SettingsRow, toLedger, toSettings } from './nudge-model.ts';
import { SETTINGS_OF_S, TZ_OF_S } from './nudge-repository-settings.ts';
import type { Schema } from './schema.ts';
import type { Store, Tx } from './store.ts';

/** An opted-in person read by the tick, with the stored values a later write compares against. */
export interface DueSettings extends NudgeSettings {
  /** The stored next due instant and last settings change, as read (the advance's compare-and-set). */
  dueMark: { nextDueAt: string; updatedAt: string };
}

/** What the tick moves a person's next due instant to, unless their settings changed meanwhile. */
export interface NextDue {
  teamId: string;
  userId: string;
  /** Null clears it (nudges are off). */
  nextDueAt: Date | null;
  dueMark: DueSettings['dueMark'];
}

type DueParams = { at: string; limit: number };

/** Opted-in people whose next due instant has come, in the index's order (ties by person). */
const dueKeys = (qb: Kysely<Schema>, p: DueParams) =>
  qb
    .selectFrom('nudge_settings')
    .select(['team_id', 'user_id', 'next_due_at', 'updated_at'])
    // Off means no instant (every write that switches nudges off clears it): the index alone answers.
    .where('next_due_at', '<=', p.at)
    .orderBy('next_due_at')
    .orderBy('team_id')
    .orderBy('user_id')
    .limit(p.limit);

const LEDGER_OF_L = [
  'l.team_id',
  'l.user_id',
  'l.week_key',
  'l.slot_at',
  'l.state',
  'l.reason',
  'l.attempts',
  'l.next_attempt_at',
  'l.lease_owner',
  'l.lease_expires_at',
  'l.prompt_id',
  'l.channel_id',
  'l.message_ts',
] as const;

/** Open weekly rows in one state whose instant (`column`) has come or was never set. */
function openRows(
  store: Store,
  state: 'failed' | 'claimed' | 'sending',
  column: 'next_attempt_at' | 'lease_expires_at',
) {
  return store.prepare((qb, p: { at: string; since: string; from: string; limit: number }) =>
    qb
      .selectFrom('nudge_ledger as l')
      .select(LEDGER_OF_L)
      // Literals, not parameters: SQLite uses the partial index only for a predicate it can see.
      .where('l.kind', '=', sql.lit('weekly'))
      .where('l.state', '=', sql.lit(state))
      .where('l.week_key', '>=', p.since)
      .where('l.slot_at', '>', p.from)
      .where('l.slot_at', '<=', p.at)
      .where((eb) => eb.or([eb(`l.${column}`, 'is', null), eb(`l.${column}`, '<=', p.at)]))
      .orderBy('l.slot_at')
      .orderBy('l.team_id')
      .orderBy('l.user_id')
      .limit(p.limit),
  );
}

function dueStatements(store: Store) {
  // The batch's rows straight from the due index (its order is the batch's), each person's zone
  // looked up by key: joined back on the key, PostgreSQL planned a scan of everyone for 500 people.
  const settings = store.prepare((qb, p: DueParams) =>
    qb
      .selectFrom('nudge_settings as s')
      .select([...SETTINGS_OF_S, TZ_OF_S, 's.next_due_at', 's.updated_at'])
      .where('s.next_due_at', '<=', p.at)
      .orderBy('s.next_due_at')
      .orderBy('s.team_id')
      .orderBy('s.user_id')
      .limit(p.limit),
  );
  // Each person's rows by primary key: CROSS JOIN keeps the batch the outer loop on SQLite; on
  // PostgreSQL, LATERAL (a join of 500 keys was planned as a scan of the weeks' whole ledger).
  const ledgerOnSqlite = (qb: Kysely<Schema>, p: DueParams & { since: string }) =>
    qb
      .selectFrom(dueKeys(qb, p).as('d'))
      .crossJoin('nudge_ledger as l')
      .whereRef('l.team_id', '=', 'd.team_id')
      .whereRef('l.user_id', '=', 'd.user_id')
      .where('l.kind', '=', sql.lit('weekly'))
      .where('l.week_key', '>=', p.since)
      .select(LEDGER_OF_L)
      .orderBy('l.week_key')
      .orderBy('l.team_id')
      .orderBy('l.user_id');
  const ledgerOnPostgres = (qb: Kysely<Schema>, p: DueParams & { since: string }) =>
    sql<LedgerDbRow>`SELECT ${sql.join(LEDGER_OF_L.map((c) => sql.ref(c)))}
    FROM (${dueKeys(qb, p)}) AS d
    CROSS JOIN LATERAL (SELECT * FROM nudge_ledger WHERE team_id = d.team_id AND user_id = d.user_id
      AND kind = 'weekly' AND week_key >= ${p.since}) AS l
    ORDER BY l.week_key, l.team_id, l.user_id`;
  const ledger = store.prepare((qb, p: DueParams & { since: string }) =>
    store.engine === 'postgres'
      ? { compile: () => ledgerOnPostgres(qb, p).compile(qb) }
      : ledgerOnSqlite(qb, p),
  );
  const advance = store.prepare((qb, p: AdvanceParams) => ({
    compile: () => (store.engine === 'postgres' ? advanceOnPostgres(p) : advanceOnSqlite(p)).compile(qb),
  }));
  const invalidate = store.prepare((qb, p: Owner & { now: string }) =>
    qb
      .updateTable('nudge_settings')
      .set((eb) => ({ next_due_at: eb.ref('effective_from'), updated_at: p.now }))
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId)
      .where('enabled', '=', 1),
  );
  return { settings, ledger, advance, invalidate };
}

/** The batch's moves as columns (PostgreSQL's arrays) and as rows (SQLite's JSON); each engine binds its own. */
type AdvanceParams = {
  teams: string[];
  users: string[];
  nexts: Array<string | null>;
  prevNexts: string[];
  prevUpdates: string[];
  json: string;
};

/**
 * Each person of the batch to their next due instant, in one statement, where their stored instant
 * and last settings change are still as read (a change meanwhile keeps what it wrote).
 */
const advanceOnPostgres = (p: AdvanceParams) =>
  sql`UPDATE nudge_settings AS s SET next_due_at = v.next
    FROM unnest(${p.teams}::text[], ${p.users}::text[], ${p.nexts}::timestamptz[],
      ${p.prevNexts}::timestamptz[], ${p.prevUpdates}::timestamptz[])
      AS v(team_id, user_id, next, prev_next, prev_updated)
    WHERE s.team_id = v.team_id AND s.user_id = v.user_id
      AND s.next_due_at = v.prev_next AND s.updated_at = v.prev_updated`;

const advanceOnSqlite = (p: AdvanceParams) =>
  sql`UPDATE nudge_settings SET next_due_at = v.next
    FROM (SELECT json_extract(value, '$[0]') AS team_id, json_extract(value, '$[1]') AS user_id,
      json_extract(value, '$[2]') AS next, json_extract(value, '$[3]') AS prev_next,
      json_extract(value, '$[4]') AS prev_updated FROM json_each(${p.json})) AS v
    WHERE nudge_settings.team_id = v.team_id AND nudge_settings.user_id = v.user_id
      AND nudge_settings.next_due_at = v.prev_next AND nudge_settings.updated_at = v.prev_updated`;

/** The tick's reads of who is due and its writes of their next due instants. */
export function dueMethods(store: Store) {
  const st = dueStatements(store);
  const failed = openRows(store, 'failed', 'next_attempt_at');
  const abandoned = openRows(store, 'claimed', 'lease_expires_at');
  const unconfirmed = openRows(store, 'sending', 'lease_expires_at');
  const toDue = (r: SettingsRow & { next_due_at: string | null; updated_at: string }): DueSettings => ({
    ...toSettings(r),
    dueMark: { nextDueAt: r.next_due_at ?? '', updatedAt: r.updated_at },
  });

  return {
    /**
     * At most `limit` opted-in people whose next due instant is at or before `at` (earliest first),
     * and their weekly ledger rows from `sinceWeek` on, read in one snapshot.
     */
    dueBatch(
      at: Date,
      sinceWeek: string,
      limit: number,
    ): Promise<{ users: DueSettings[]; ledger: LedgerEntry[] }> {
      const p = { at: at.toISOString(), limit };
      return store.read(async (tx) => ({
        users: (await st.settings.all(p, tx)).map(toDue),
        ledger: (await st.ledger.all({ ...p, since: sinceWeek }, tx)).map(toLedger),
      }));
    },

    /**
     * Weekly rows from `sinceWeek` on, with their slot after `from.retryFrom` and at or before
     * `at`, that may be taken over at `at` (failed with their backoff over, claims whose lease ran
     * out); and rows left in 'sending' by a process that is gone (slot after
     * `from.unconfirmedFrom`). At most `limit` of each kind, oldest slot first.
     */
    async openRowsAt(
      at: Date,
      sinceWeek: string,
      limit: number,
      from: { retryFrom: Date; unconfirmedFrom: Date },
    ): Promise<{ retry: LedgerEntry[]; unconfirmed: LedgerEntry[] }> {
      const p = { at: at.toISOString(), since: sinceWeek, limit };
      const rows = async (q: typeof failed, start: Date) =>
        (await q.all({ ...p, from: start.toISOString() })).map((r) => toLedger(r as LedgerDbRow));
      return {
        retry: [...(await rows(failed, from.retryFrom)), ...(await rows(abandoned, from.retryFrom))],
        unconfirmed: await rows(unconfirmed, from.unconfirmedFrom),
      };
    },

    /**
     * Moves each person's next due instant on, in the caller's transaction; a person whose settings
     * changed since the read keeps what the change wrote.
     */
    async advanceNextDue(next: readonly NextDue[], tx?: Tx): Promise<void> {
      if (next.length === 0) return;
      const nexts = next.map((n) => S.next_due_at.write(n.nextDueAt));
      const p = {
        teams: next.map((n) => n.teamId),
        users: next.map((n) => n.userId),
        nexts,
        prevNexts: next.map((n) => n.dueMark.nextDueAt),
        prevUpdates: next.map((n) => n.dueMark.updatedAt),
      };
      const rows = next.map((n, i) => [
        n.teamId,
        n.userId,
        nexts[i],
        n.dueMark.nextDueAt,
        n.dueMark.updatedAt,
      ]);
      await st.advance.run({ ...p, json: JSON.stringify(rows) }, tx);
    },

    /** The person's zone changed: the next tick recomputes their next due instant from scratch. */
    async invalidateNextDue(owner: Owner, now: Date): Promise<void> {
      await st.invalidate.run({ teamId: owner.teamId, userId: owner.userId, now: now.toISOString() });
    },
  };
}
