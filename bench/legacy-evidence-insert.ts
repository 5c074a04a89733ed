/**
 * The evidence repository's insert as it was before the query builder (synchronous SQL over
 * better-sqlite3, one `.immediate` transaction per insert), kept only so `npm run bench` can
 * measure the new repository against it side by side. Not used by the app.
 */
import type Database from 'better-sqlite3';
import type { InsertResult, NewEvidence, StoredEvidence } from '../src/db/evidence-repository.ts';
import { slackTextToReadable } from '../src/domain/slack-text.ts';
import type { AxisId, EvidenceSource, Owner, ScopeId, ShiftId } from '../src/domain/types.ts';

type Db = Database.Database;

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

/** Saving an entry, with the delivery record that keeps a replayed Slack request from saving it twice. */
export function createLegacyEvidenceInsert(db: Db) {
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
