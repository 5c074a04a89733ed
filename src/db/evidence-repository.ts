import { sql } from 'kysely';
import type { EvidenceSource, LocalDate, Owner, ShiftId } from '../domain/types.ts';
import { SHIFT_IDS } from '../domain/types.ts';
import { evidenceColumns as C, count } from './columns.ts';
import {
  COLUMNS,
  type EvidencePatch,
  type ImportedEvidence,
  type Insertable,
  type InsertResult,
  type NewEvidence,
  newRow,
  type OwnerKey,
  type Row,
  STORED,
  type StoredEvidence,
  toEntry,
  toInsertable,
  type UnconvertedEvidence,
} from './evidence-model.ts';
import { ownedTables } from './owned-tables.ts';
import { pick, type Store, type Tx } from './store.ts';

export type {
  EvidencePatch,
  ImportedEvidence,
  InsertResult,
  NewEvidence,
  StoredEvidence,
  UnconvertedEvidence,
} from './evidence-model.ts';

/** The tables this repository owns, each keyed by (team_id, user_id). */
export const EVIDENCE_TABLES = ['evidence', 'deliveries'] as const;

/**
 * Every query is scoped by the owner taken from the verified request: an id alone never reaches a
 * row of somebody else.
 */
export function createEvidenceRepository(store: Store) {
  const owned = ownedTables(store, EVIDENCE_TABLES);
  const reads = entryReads(store);
  return {
    ...insertMethods(store),
    ...reads,
    ...editMethods(store, reads.get),
    ...periodReads(store),
    ...conversionMethods(store),
    ...importMethods(store),
    countOf: owned.countOf,
    deleteOf: owned.deleteOf,
    moveOf: owned.moveOf,
    holdsAnyOf: owned.holdsAnyOf,
  };
}

/** Saving an entry, with the delivery record that keeps a replayed Slack request from saving it twice. */
function insertMethods(store: Store) {
  // Compiled once: the hot path binds values to prepared statements and builds nothing per call.
  const insertRow = store.prepare((qb, p: Insertable) =>
    qb.insertInto('evidence').values(pick(p, STORED)).returning(COLUMNS),
  );
  const getRow = store.prepare((qb, p: OwnerKey) =>
    qb
      .selectFrom('evidence')
      .select(COLUMNS)
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId)
      .where('id', '=', p.id),
  );
  const seenDelivery = store.prepare((qb, p: Owner & { key: string }) =>
    qb
      .selectFrom('deliveries')
      .select('entry_id')
      .where('team_id', '=', p.teamId)
      .where('delivery_key', '=', p.key)
      .where('user_id', '=', p.userId),
  );
  const recordDelivery = store.prepare((qb, p: Owner & { key: string; entryId: number; now: string }) =>
    qb.insertInto('deliveries').values({
      team_id: p.teamId,
      user_id: p.userId,
      delivery_key: p.key,
      entry_id: p.entryId,
      created_at: p.now,
    }),
  );

  const insertOne = async (owner: Owner, e: NewEvidence, now: string, tx?: Tx): Promise<Row> => {
    const row = await insertRow.first(newRow(owner, e, now), tx);
    return row as Row;
  };

  return {
    /**
     * One INSERT; for a Slack delivery, the look-up of the delivery key, the INSERT and the
     * delivery record in one write transaction. Resolves only after the commit, so a confirmation
     * built from the result is durable.
     */
    async insert(owner: Owner, e: NewEvidence, now: Date, deliveryKey?: string): Promise<InsertResult> {
      const iso = now.toISOString();
      if (!deliveryKey) return { entry: toEntry(await insertOne(owner, e, iso)), duplicate: false };
      return store.transaction(async (tx) => {
        const key = { teamId: owner.teamId, userId: owner.userId, key: deliveryKey };
        const seen = await seenDelivery.first(key, tx);
        if (seen?.entry_id != null) {
          const earlier = await getRow.first({ ...key, id: seen.entry_id }, tx);
          if (earlier) return { entry: toEntry(earlier), duplicate: true };
        }
        const row = await insertOne(owner, e, iso, tx);
        await recordDelivery.run({ ...key, entryId: row.id, now: iso }, tx);
        return { entry: toEntry(row), duplicate: false };
      });
    },
  };
}

/** One entry by id or by the message it was saved from, and the pages of the list (or a search). */
function entryReads(store: Store) {
  const byOwner = (qb: Store['qb'], p: Owner) =>
    qb.selectFrom('evidence').where('team_id', '=', p.teamId).where('user_id', '=', p.userId);
  // The same position function under each engine's name (SQLite: instr, PostgreSQL: strpos).
  const position = sql.raw(store.engine === 'postgres' ? 'strpos' : 'instr');
  const matches = (search: string) =>
    sql<boolean>`${position}(lower(coalesce(readable_text, text)), lower(${search})) > 0`;
  const getRow = store.prepare((qb, p: OwnerKey) => byOwner(qb, p).select(COLUMNS).where('id', '=', p.id));
  const byMessage = store.prepare((qb, p: Owner & { channelId: string; messageTs: string }) =>
    byOwner(qb, p)
      .select(COLUMNS)
      .where('channel_id', '=', p.channelId)
      .where('message_ts', '=', p.messageTs),
  );
  const page = store.prepare((qb, p: Owner & { limit: number; offset: number }) =>
    byOwner(qb, p)
      .select(COLUMNS)
      .orderBy('occurred_on', 'desc')
      .orderBy('id', 'desc')
      .limit(p.limit)
      .offset(p.offset),
  );
  const total = store.prepare((qb, p: Owner) =>
    byOwner(qb, p).select((eb) => eb.fn.countAll<number>().as('n')),
  );
  const searchPage = store.prepare((qb, p: Owner & { search: string; limit: number; offset: number }) =>
    byOwner(qb, p)
      .select(COLUMNS)
      .where(matches(p.search))
      .orderBy('occurred_on', 'desc')
      .orderBy('id', 'desc')
      .limit(p.limit)
      .offset(p.offset),
  );
  const searchTotal = store.prepare((qb, p: Owner & { search: string }) =>
    byOwner(qb, p)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(matches(p.search)),
  );

  return {
    async get(owner: Owner, id: number): Promise<StoredEvidence | undefined> {
      const row = await getRow.first({ teamId: owner.teamId, userId: owner.userId, id });
      return row ? toEntry(row) : undefined;
    },

    async findByMessage(
      owner: Owner,
      channelId: string,
      messageTs: string,
    ): Promise<StoredEvidence | undefined> {
      const row = await byMessage.first({ teamId: owner.teamId, userId: owner.userId, channelId, messageTs });
      return row ? toEntry(row) : undefined;
    },

    /** Newest first; `search` matches words in the text, case-insensitively. */
    async list(
      owner: Owner,
      opts: { limit: number; offset?: number; search?: string },
    ): Promise<{ entries: StoredEvidence[]; total: number }> {
      const p = { teamId: owner.teamId, userId: owner.userId, limit: opts.limit, offset: opts.offset ?? 0 };
      if (opts.search) {
        const rows = await searchPage.all({ ...p, search: opts.search });
        const n = await searchTotal.first({ ...p, search: opts.search });
        return { entries: rows.map(toEntry), total: count(n?.n) };
      }
      const rows = await page.all(p);
      return { entries: rows.map(toEntry), total: count((await total.first(p))?.n) };
    },

    async count(owner: Owner): Promise<number> {
      return count((await total.first({ teamId: owner.teamId, userId: owner.userId }))?.n);
    },
  };
}

/** Changing and deleting one entry; `get` answers an update that changes nothing. */
function editMethods(store: Store, get: (owner: Owner, id: number) => Promise<StoredEvidence | undefined>) {
  const remove = store.prepare((qb, p: OwnerKey) =>
    qb
      .deleteFrom('evidence')
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId)
      .where('id', '=', p.id),
  );

  /** The changed columns, in their stored form. */
  const changes = (patch: EvidencePatch): Partial<Insertable> => {
    const set: Partial<Insertable> = {};
    if (patch.text !== undefined) set.readable_text = patch.text;
    if (patch.originalText !== undefined) set.text = patch.originalText;
    if (patch.occurredOn !== undefined) set.occurred_on = patch.occurredOn;
    if (patch.axes !== undefined) set.axes = C.axes.write(patch.axes);
    if (patch.suggestedAxes !== undefined) set.suggested_axes = C.suggested_axes.write(patch.suggestedAxes);
    if (patch.shift !== undefined) set.shift = patch.shift;
    if (patch.scope !== undefined) set.scope = patch.scope;
    if (patch.link !== undefined) set.link = patch.link;
    return set;
  };

  return {
    async update(
      owner: Owner,
      id: number,
      patch: EvidencePatch,
      now: Date,
    ): Promise<StoredEvidence | undefined> {
      const set = changes(patch);
      if (Object.keys(set).length === 0) return get(owner, id);
      // The shape depends on the patch: compiled per call, its statement cached by the store.
      const row = await store.first(
        store.qb
          .updateTable('evidence')
          .set({ ...set, updated_at: C.updated_at.write(now.toISOString()) })
          .where('team_id', '=', owner.teamId)
          .where('user_id', '=', owner.userId)
          .where('id', '=', id)
          .returning(COLUMNS),
      );
      return row ? toEntry(row) : undefined;
    },

    async delete(owner: Owner, id: number): Promise<boolean> {
      return (await remove.run({ teamId: owner.teamId, userId: owner.userId, id })) > 0;
    },
  };
}

/** What the summaries, streaks, prompts and the export read: entries by local date. */
function periodReads(store: Store) {
  const range = store.prepare((qb, p: Owner & { start: string; end: string }) =>
    qb
      .selectFrom('evidence')
      .select(COLUMNS)
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId)
      .where('occurred_on', '>=', p.start)
      .where('occurred_on', '<=', p.end)
      .orderBy('occurred_on', 'desc')
      .orderBy('id', 'desc'),
  );
  const dates = store.prepare((qb, p: Owner & { end: string }) =>
    qb
      .selectFrom('evidence')
      .select('occurred_on as d')
      .distinct()
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId)
      .where('occurred_on', '<=', p.end)
      .orderBy('occurred_on', 'desc'),
  );
  const shiftCounts = store.prepare((qb, p: Owner & { since: string }) =>
    qb
      .selectFrom('evidence')
      .select((eb) => ['shift', eb.fn.countAll<number>().as('n')])
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId)
      .where('occurred_on', '>=', p.since)
      .where('shift', 'is not', null)
      .groupBy('shift'),
  );
  const inRange = async (
    owner: Owner,
    startDate: LocalDate | null,
    endDate: LocalDate,
    tx?: Tx,
  ): Promise<StoredEvidence[]> =>
    (
      await range.all(
        { teamId: owner.teamId, userId: owner.userId, start: startDate ?? '0001-01-01', end: endDate },
        tx,
      )
    ).map(toEntry);

  return {
    /** Entries whose local date is within [start, end] (inclusive); start null = from the beginning. */
    inRange,

    /** Every local date with at least one entry, up to `endDate`, newest first (for streaks). */
    async activeDates(owner: Owner, endDate: LocalDate): Promise<LocalDate[]> {
      return (await dates.all({ teamId: owner.teamId, userId: owner.userId, end: endDate })).map((r) => r.d);
    },

    /** The person's evidence per mindset shift since a local date (prompt choice reads it). */
    async countByShiftSince(owner: Owner, since: LocalDate): Promise<Partial<Record<ShiftId, number>>> {
      const out: Partial<Record<ShiftId, number>> = {};
      for (const r of await shiftCounts.all({ teamId: owner.teamId, userId: owner.userId, since })) {
        if (r.shift !== null && (SHIFT_IDS as readonly string[]).includes(r.shift))
          out[r.shift as ShiftId] = count(r.n);
      }
      return out;
    },

    /** Every entry of the person, for the JSON export (in any order). */
    rowsOf(owner: Owner, tx?: Tx): Promise<StoredEvidence[]> {
      return inRange(owner, null, '9999-12-31', tx);
    },
  };
}

/** The readable-text conversion job's side: entries still to convert (any owner), and their results. */
function conversionMethods(store: Store) {
  const unconverted = store.prepare((qb, p: { afterId: number; limit: number }) =>
    qb
      .selectFrom('evidence')
      .select(['id', 'team_id', 'user_id', 'text', 'source'])
      .where('readable_text', 'is', null)
      .where('id', '>', p.afterId)
      .orderBy('id')
      .limit(p.limit),
  );
  const unconvertedCount = store.prepare((qb) =>
    qb
      .selectFrom('evidence')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('readable_text', 'is', null),
  );
  // Guarded by the original text: an entry edited meanwhile keeps what its edit wrote.
  const setReadable = store.prepare((qb, p: OwnerKey & { readable: string; original: string }) =>
    qb
      .updateTable('evidence')
      .set({ readable_text: p.readable })
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId)
      .where('id', '=', p.id)
      .where('readable_text', 'is', null)
      .where('text', '=', p.original),
  );

  return {
    /** Entries still without readable text, oldest first, after `afterId` (every owner: a job). */
    async unconverted(afterId: number, limit: number): Promise<UnconvertedEvidence[]> {
      return (await unconverted.all({ afterId, limit })).map((r) => ({
        owner: { teamId: r.team_id, userId: r.user_id },
        id: r.id,
        originalText: r.text,
        source: r.source as EvidenceSource,
      }));
    },

    async unconvertedCount(): Promise<number> {
      return count((await unconvertedCount.first({}))?.n);
    },

    /** Stores readable texts in one transaction; returns how many rows took them. */
    setReadable(rows: ReadonlyArray<{ entry: UnconvertedEvidence; readableText: string }>): Promise<number> {
      return store.transaction(async (tx) => {
        let n = 0;
        for (const { entry, readableText } of rows) {
          n += await setReadable.run(
            {
              ...entry.owner,
              id: entry.id,
              readable: readableText,
              original: entry.originalText,
            },
            tx,
          );
        }
        return n;
      });
    },
  };
}

/** `ladder import`'s side: entries written as they were exported. */
function importMethods(store: Store) {
  const insertRow = store.prepare((qb, p: Insertable) => qb.insertInto('evidence').values(pick(p, STORED)));
  return {
    /** `ladder import`: writes the entries as they were; call inside the import's transaction. */
    async importRows(owner: Owner, entries: readonly ImportedEvidence[], tx?: Tx): Promise<void> {
      for (const e of entries) await insertRow.run(toInsertable(owner, e), tx);
    },
  };
}

export type EvidenceRepository = ReturnType<typeof createEvidenceRepository>;
