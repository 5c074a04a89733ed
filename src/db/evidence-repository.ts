import { slackTextToReadable } from '../domain/slack-text.ts';
import type {
  AxisId,
  EvidenceEntry,
  EvidenceSource,
  LocalDate,
  Owner,
  ScopeId,
  ShiftId,
} from '../domain/types.ts';
import { SHIFT_IDS } from '../domain/types.ts';
import type { Db } from './connection.ts';
import { ownedTables } from './owned-tables.ts';

export interface NewEvidence {
  /** What every surface shows: the readable text (see domain/slack-text.ts). */
  text: string;
  /**
   * The Slack text the entry came from, kept as it was (default: `text`). Null `readable` below
   * means the readable text still has to be made from it.
   */
  originalText?: string;
  /** False when names could not be looked up yet: the conversion job finishes the readable text. */
  readable?: boolean;
  occurredOn: LocalDate;
  axes: AxisId[];
  suggestedAxes?: AxisId[];
  shift: ShiftId | null;
  scope: ScopeId | null;
  link: string | null;
  source: EvidenceSource;
  promptId?: string | null;
  nudgeWeek?: string | null;
  channelId?: string | null;
  messageTs?: string | null;
}

export type EvidencePatch = Partial<
  Pick<
    NewEvidence,
    'text' | 'originalText' | 'occurredOn' | 'axes' | 'suggestedAxes' | 'shift' | 'scope' | 'link'
  >
>;

/** An entry the conversion job still has to make readable (any owner). */
export interface UnconvertedEvidence {
  owner: Owner;
  id: number;
  originalText: string;
  source: EvidenceSource;
}

export interface InsertResult {
  entry: EvidenceEntry;
  /** True when this delivery was seen before: the earlier entry is returned, nothing is written. */
  duplicate: boolean;
}

interface Row {
  id: number;
  team_id: string;
  user_id: string;
  text: string;
  readable_text: string | null;
  occurred_on: string;
  axes: string;
  suggested_axes: string;
  shift: string | null;
  scope: string | null;
  link: string | null;
  source: string;
  prompt_id: string | null;
  nudge_week: string | null;
  channel_id: string | null;
  message_ts: string | null;
  created_at: string;
  updated_at: string;
}

/** The tables this repository owns, each keyed by (team_id, user_id). */
export const EVIDENCE_TABLES = ['evidence', 'deliveries'] as const;

/** An entry as `ladder import` writes it; the database assigns the new id. */
export interface ImportedEvidence {
  /** As in the file: the readable text (version 3) or the Slack text (version 1). */
  text: string;
  /** Kept as the entry's original (the `text` column). */
  originalText: string;
  /** Null: made by the running app's conversion job (it names people through Slack). */
  readableText: string | null;
  occurredOn: LocalDate;
  axes: AxisId[];
  suggestedAxes: AxisId[];
  shift: ShiftId | null;
  scope: ScopeId | null;
  link: string | null;
  source: EvidenceSource;
  promptId: string | null;
  nudgeWeek: string | null;
  channelId: string | null;
  messageTs: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StoredEvidence extends EvidenceEntry {
  /** The Slack text the entry came from, never rewritten by the conversion. */
  originalText: string;
  /** False until the readable text is stored (until then `text` names unlabelled people `@someone`). */
  converted: boolean;
  nudgeWeek: string | null;
  channelId: string | null;
  messageTs: string | null;
}

function toEntry(r: Row): StoredEvidence {
  return {
    id: r.id,
    teamId: r.team_id,
    userId: r.user_id,
    // Not converted yet: shown readable anyway, people it cannot name as @someone, never a raw mention.
    text: r.readable_text ?? slackTextToReadable(r.text, { decodeEntities: r.source === 'reflection' }).text,
    originalText: r.text,
    converted: r.readable_text !== null,
    occurredOn: r.occurred_on,
    axes: JSON.parse(r.axes) as AxisId[],
    suggestedAxes: JSON.parse(r.suggested_axes) as AxisId[],
    shift: r.shift as ShiftId | null,
    scope: r.scope as ScopeId | null,
    link: r.link,
    source: r.source as EvidenceSource,
    promptId: r.prompt_id,
    nudgeWeek: r.nudge_week,
    channelId: r.channel_id,
    messageTs: r.message_ts,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const COLUMNS = `id, team_id, user_id, text, readable_text, occurred_on, axes, suggested_axes, shift, scope, link, source,
  prompt_id, nudge_week, channel_id, message_ts, created_at, updated_at`;

/**
 * Every query is scoped by the owner taken from the verified request: an id alone never reaches a
 * row of somebody else.
 */
export function createEvidenceRepository(db: Db) {
  const owned = ownedTables(db, EVIDENCE_TABLES);
  const reads = entryReads(db);
  return {
    ...insertMethods(db),
    ...reads,
    ...editMethods(db, reads.get),
    ...periodReads(db),
    ...conversionMethods(db),
    ...importMethods(db),
    countOf: owned.countOf,
    deleteOf: owned.deleteOf,
  };
}

/** Saving an entry, with the delivery record that keeps a replayed Slack request from saving it twice. */
function insertMethods(db: Db) {
  const insertStmt = db.prepare(
    `INSERT INTO evidence (team_id, user_id, text, readable_text, occurred_on, axes, suggested_axes, shift, scope,
       link, source, prompt_id, nudge_week, channel_id, message_ts, created_at, updated_at)
     VALUES (@teamId, @userId, @originalText, @readableText, @occurredOn, @axes, @suggestedAxes, @shift, @scope,
       @link, @source,
       @promptId, @nudgeWeek, @channelId, @messageTs, @now, @now)
     RETURNING ${COLUMNS}`,
  );
  const getStmt = db.prepare(`SELECT ${COLUMNS} FROM evidence WHERE team_id = ? AND user_id = ? AND id = ?`);
  const deliveryStmt = db.prepare(
    'SELECT entry_id FROM deliveries WHERE team_id = ? AND delivery_key = ? AND user_id = ?',
  );
  const recordDelivery = db.prepare(
    'INSERT INTO deliveries (team_id, user_id, delivery_key, entry_id, created_at) VALUES (?, ?, ?, ?, ?)',
  );

  const insertWithDelivery = db.transaction(
    (owner: Owner, e: NewEvidence, now: string, deliveryKey: string | undefined): InsertResult => {
      if (deliveryKey) {
        const seen = deliveryStmt.get(owner.teamId, deliveryKey, owner.userId) as
          | { entry_id: number }
          | undefined;
        if (seen) {
          const earlier = getStmt.get(owner.teamId, owner.userId, seen.entry_id) as Row | undefined;
          if (earlier) return { entry: toEntry(earlier), duplicate: true };
        }
      }
      const row = insertStmt.get({
        teamId: owner.teamId,
        userId: owner.userId,
        originalText: e.originalText ?? e.text,
        readableText: e.readable === false ? null : e.text,
        occurredOn: e.occurredOn,
        axes: JSON.stringify(e.axes),
        suggestedAxes: JSON.stringify(e.suggestedAxes ?? []),
        shift: e.shift,
        scope: e.scope,
        link: e.link,
        source: e.source,
        promptId: e.promptId ?? null,
        nudgeWeek: e.nudgeWeek ?? null,
        channelId: e.channelId ?? null,
        messageTs: e.messageTs ?? null,
        now,
      }) as Row;
      if (deliveryKey) recordDelivery.run(owner.teamId, owner.userId, deliveryKey, row.id, now);
      return { entry: toEntry(row), duplicate: false };
    },
  );

  return {
    /**
     * One INSERT (and, for a Slack delivery, its de-duplication record) in one transaction.
     * Returns only after the commit, so a confirmation built from the result is durable.
     */
    insert(owner: Owner, e: NewEvidence, now: Date, deliveryKey?: string): InsertResult {
      return insertWithDelivery.immediate(owner, e, now.toISOString(), deliveryKey);
    },
  };
}

/** One entry by id or by the message it was saved from, and the pages of the list (or a search). */
function entryReads(db: Db) {
  const getStmt = db.prepare(`SELECT ${COLUMNS} FROM evidence WHERE team_id = ? AND user_id = ? AND id = ?`);
  const byMessageStmt = db.prepare(
    `SELECT ${COLUMNS} FROM evidence WHERE team_id = ? AND user_id = ? AND channel_id = ? AND message_ts = ?`,
  );
  const listStmt = db.prepare(
    `SELECT ${COLUMNS} FROM evidence WHERE team_id = ? AND user_id = ?
     ORDER BY occurred_on DESC, id DESC LIMIT ? OFFSET ?`,
  );
  const countStmt = db.prepare('SELECT COUNT(*) AS n FROM evidence WHERE team_id = ? AND user_id = ?');
  const searchStmt = db.prepare(
    `SELECT ${COLUMNS} FROM evidence WHERE team_id = ? AND user_id = ? AND instr(lower(coalesce(readable_text, text)), lower(?)) > 0
     ORDER BY occurred_on DESC, id DESC LIMIT ? OFFSET ?`,
  );
  const searchCountStmt = db.prepare(
    `SELECT COUNT(*) AS n FROM evidence WHERE team_id = ? AND user_id = ?
     AND instr(lower(coalesce(readable_text, text)), lower(?)) > 0`,
  );

  return {
    get(owner: Owner, id: number): StoredEvidence | undefined {
      const row = getStmt.get(owner.teamId, owner.userId, id) as Row | undefined;
      return row ? toEntry(row) : undefined;
    },

    findByMessage(owner: Owner, channelId: string, messageTs: string): StoredEvidence | undefined {
      const row = byMessageStmt.get(owner.teamId, owner.userId, channelId, messageTs) as Row | undefined;
      return row ? toEntry(row) : undefined;
    },

    /** Newest first; `search` matches words in the text, case-insensitively. */
    list(
      owner: Owner,
      opts: { limit: number; offset?: number; search?: string },
    ): {
      entries: StoredEvidence[];
      total: number;
    } {
      const offset = opts.offset ?? 0;
      if (opts.search) {
        const rows = searchStmt.all(owner.teamId, owner.userId, opts.search, opts.limit, offset) as Row[];
        const { n } = searchCountStmt.get(owner.teamId, owner.userId, opts.search) as { n: number };
        return { entries: rows.map(toEntry), total: n };
      }
      const rows = listStmt.all(owner.teamId, owner.userId, opts.limit, offset) as Row[];
      const { n } = countStmt.get(owner.teamId, owner.userId) as { n: number };
      return { entries: rows.map(toEntry), total: n };
    },

    count(owner: Owner): number {
      return (countStmt.get(owner.teamId, owner.userId) as { n: number }).n;
    },
  };
}

/** Changing and deleting one entry; `get` answers an update that changes nothing. */
function editMethods(db: Db, get: (owner: Owner, id: number) => StoredEvidence | undefined) {
  const deleteStmt = db.prepare('DELETE FROM evidence WHERE team_id = ? AND user_id = ? AND id = ?');
  const columns: Record<keyof EvidencePatch, string> = {
    text: 'readable_text',
    originalText: 'text',
    occurredOn: 'occurred_on',
    axes: 'axes',
    suggestedAxes: 'suggested_axes',
    shift: 'shift',
    scope: 'scope',
    link: 'link',
  };

  return {
    update(owner: Owner, id: number, patch: EvidencePatch, now: Date): StoredEvidence | undefined {
      const sets: string[] = [];
      const params: Record<string, unknown> = {
        teamId: owner.teamId,
        userId: owner.userId,
        id,
        now: now.toISOString(),
      };
      for (const [key, column] of Object.entries(columns) as Array<[keyof EvidencePatch, string]>) {
        if (patch[key] === undefined) continue;
        sets.push(`${column} = @${key}`);
        const v = patch[key];
        params[key] = Array.isArray(v) ? JSON.stringify(v) : v;
      }
      if (sets.length === 0) return get(owner, id);
      const row = db
        .prepare(
          `UPDATE evidence SET ${sets.join(', ')}, updated_at = @now
           WHERE team_id = @teamId AND user_id = @userId AND id = @id RETURNING ${COLUMNS}`,
        )
        .get(params) as Row | undefined;
      return row ? toEntry(row) : undefined;
    },

    delete(owner: Owner, id: number): boolean {
      return deleteStmt.run(owner.teamId, owner.userId, id).changes > 0;
    },
  };
}

/** What the summaries, streaks, prompts and the export read: entries by local date. */
function periodReads(db: Db) {
  const rangeStmt = db.prepare(
    `SELECT ${COLUMNS} FROM evidence WHERE team_id = ? AND user_id = ? AND occurred_on >= ? AND occurred_on <= ?
     ORDER BY occurred_on DESC, id DESC`,
  );
  const datesStmt = db.prepare(
    `SELECT DISTINCT occurred_on AS d FROM evidence WHERE team_id = ? AND user_id = ? AND occurred_on <= ?
     ORDER BY occurred_on DESC`,
  );
  const shiftCountStmt = db.prepare(
    `SELECT shift, COUNT(*) AS n FROM evidence
     WHERE team_id = ? AND user_id = ? AND occurred_on >= ? AND shift IS NOT NULL GROUP BY shift`,
  );
  const inRange = (owner: Owner, startDate: LocalDate | null, endDate: LocalDate): StoredEvidence[] =>
    (rangeStmt.all(owner.teamId, owner.userId, startDate ?? '0000-00-00', endDate) as Row[]).map(toEntry);

  return {
    /** Entries whose local date is within [start, end] (inclusive); start null = from the beginning. */
    inRange,

    /** Every local date with at least one entry, up to `endDate`, newest first (for streaks). */
    activeDates(owner: Owner, endDate: LocalDate): LocalDate[] {
      return (datesStmt.all(owner.teamId, owner.userId, endDate) as Array<{ d: string }>).map((r) => r.d);
    },

    /** The person's evidence per mindset shift since a local date (prompt choice reads it). */
    countByShiftSince(owner: Owner, since: LocalDate): Partial<Record<ShiftId, number>> {
      const out: Partial<Record<ShiftId, number>> = {};
      const rows = shiftCountStmt.all(owner.teamId, owner.userId, since) as Array<{
        shift: string;
        n: number;
      }>;
      for (const r of rows) {
        if ((SHIFT_IDS as readonly string[]).includes(r.shift)) out[r.shift as ShiftId] = r.n;
      }
      return out;
    },

    /** Every entry of the person, for the JSON export (in any order). */
    rowsOf(owner: Owner): StoredEvidence[] {
      return inRange(owner, null, '9999-12-31');
    },
  };
}

/** The readable-text conversion job's side: entries still to convert (any owner), and their results. */
function conversionMethods(db: Db) {
  const unconvertedStmt = db.prepare(
    `SELECT id, team_id, user_id, text, source FROM evidence WHERE readable_text IS NULL AND id > ?
     ORDER BY id LIMIT ?`,
  );
  const unconvertedCountStmt = db.prepare('SELECT COUNT(*) AS n FROM evidence WHERE readable_text IS NULL');
  // Guarded by the original text: an entry edited meanwhile keeps what its edit wrote.
  const setReadableStmt = db.prepare(
    `UPDATE evidence SET readable_text = ?
     WHERE team_id = ? AND user_id = ? AND id = ? AND readable_text IS NULL AND text = ?`,
  );
  const setReadableBatch = db.transaction(
    (rows: ReadonlyArray<{ entry: UnconvertedEvidence; readableText: string }>): number => {
      let n = 0;
      for (const { entry, readableText } of rows) {
        n += setReadableStmt.run(
          readableText,
          entry.owner.teamId,
          entry.owner.userId,
          entry.id,
          entry.originalText,
        ).changes;
      }
      return n;
    },
  );

  return {
    /** Entries still without readable text, oldest first, after `afterId` (every owner: a job). */
    unconverted(afterId: number, limit: number): UnconvertedEvidence[] {
      return (
        unconvertedStmt.all(afterId, limit) as Array<{
          id: number;
          team_id: string;
          user_id: string;
          text: string;
          source: string;
        }>
      ).map((r) => ({
        owner: { teamId: r.team_id, userId: r.user_id },
        id: r.id,
        originalText: r.text,
        source: r.source as EvidenceSource,
      }));
    },

    unconvertedCount(): number {
      return (unconvertedCountStmt.get() as { n: number }).n;
    },

    /** Stores readable texts in one transaction; returns how many rows took them. */
    setReadable(rows: ReadonlyArray<{ entry: UnconvertedEvidence; readableText: string }>): number {
      return setReadableBatch.immediate(rows);
    },
  };
}

/** `ladder import`'s side: entries written as they were exported. */
function importMethods(db: Db) {
  const importStmt = db.prepare(
    `INSERT INTO evidence (team_id, user_id, text, readable_text, occurred_on, axes, suggested_axes, shift, scope,
       link, source, prompt_id, nudge_week, channel_id, message_ts, created_at, updated_at)
     VALUES (@teamId, @userId, @originalText, @readableText, @occurredOn, @axes, @suggestedAxes, @shift, @scope,
       @link, @source, @promptId, @nudgeWeek, @channelId, @messageTs, @createdAt, @updatedAt)`,
  );

  return {
    /** `ladder import`: writes the entries as they were; call inside the import's transaction. */
    importRows(owner: Owner, entries: readonly ImportedEvidence[]): void {
      for (const e of entries) {
        importStmt.run({
          teamId: owner.teamId,
          userId: owner.userId,
          originalText: e.originalText,
          readableText: e.readableText,
          occurredOn: e.occurredOn,
          axes: JSON.stringify(e.axes),
          suggestedAxes: JSON.stringify(e.suggestedAxes),
          shift: e.shift,
          scope: e.scope,
          link: e.link,
          source: e.source,
          promptId: e.promptId,
          nudgeWeek: e.nudgeWeek,
          channelId: e.channelId,
          messageTs: e.messageTs,
          createdAt: e.createdAt,
          updatedAt: e.updatedAt,
        });
      }
    },
  };
}

export type EvidenceRepository = ReturnType<typeof createEvidenceRepository>;
