/**
 * The nudge repository's whole-account reads and writes (the JSON export, `ladder import`,
 * `/ladder forget`), kept apart from its day-to-day statements in nudge-repository.ts.
 */
import type { NUDGE_STATES } from '../domain/export/json.ts';
import type { LocalDate, Owner } from '../domain/types.ts';
import type { Db } from './connection.ts';
import { ownedTables } from './owned-tables.ts';

/** The tables the nudge repository owns, each keyed by (team_id, user_id). */
export const NUDGE_TABLES = ['nudge_settings', 'nudge_ledger', 'nudge_dm_channels', 'nudge_history'] as const;

/** A person's nudge rows as stored. */
export interface NudgeRows {
  nudgeSettings: {
    enabled: boolean;
    day: number;
    minuteOfDay: number;
    pausedThrough: LocalDate | null;
    skipWeek: string | null;
    /** When the schedule took effect (the export's `createdAt`). */
    effectiveFrom: string;
  } | null;
  dmChannel: { channelId: string; cachedAt: string } | null;
  ledger: Array<{
    week: string;
    slotAt: string;
    state: (typeof NUDGE_STATES)[number];
    attempts: number;
    nextAttemptAt: string | null;
    promptId: string | null;
    channelId: string | null;
    messageTs: string | null;
  }>;
  history: Array<{
    promptId: string;
    sentAt: string;
    trigger: 'weekly' | 'now';
    weekKey: string | null;
    channelId: string;
    messageTs: string;
  }>;
}

interface SettingsRow {
  enabled: number;
  day: number;
  minute_of_day: number;
  paused_through: string | null;
  skip_week: string | null;
  effective_from: string;
}

interface LedgerRow {
  week_key: string;
  slot_at: string;
  state: NudgeRows['ledger'][number]['state'];
  attempts: number;
  next_attempt_at: string | null;
  prompt_id: string | null;
  channel_id: string | null;
  message_ts: string | null;
}

interface HistoryRow {
  prompt_id: string;
  sent_at: string;
  trigger: 'weekly' | 'now';
  week_key: string | null;
  channel_id: string;
  message_ts: string;
}

/** The person's nudge rows, for the JSON export. */
function exportRows(db: Db) {
  const settingsStmt = db.prepare(
    `SELECT enabled, day, minute_of_day, paused_through, skip_week, effective_from FROM nudge_settings
     WHERE team_id = ? AND user_id = ?`,
  );
  const dmStmt = db.prepare(
    'SELECT channel_id, cached_at FROM nudge_dm_channels WHERE team_id = ? AND user_id = ?',
  );
  const ledgerStmt = db.prepare(
    `SELECT week_key, slot_at, state, attempts, next_attempt_at, prompt_id, channel_id, message_ts
     FROM nudge_ledger WHERE team_id = ? AND user_id = ? AND kind = 'weekly' ORDER BY week_key`,
  );
  const historyStmt = db.prepare(
    `SELECT prompt_id, sent_at, trigger, week_key, channel_id, message_ts FROM nudge_history
     WHERE team_id = ? AND user_id = ? ORDER BY sent_at, id`,
  );
  return (owner: Owner): NudgeRows => {
    const args = [owner.teamId, owner.userId] as const;
    const s = settingsStmt.get(...args) as SettingsRow | undefined;
    const dm = dmStmt.get(...args) as { channel_id: string; cached_at: string } | undefined;
    return {
      nudgeSettings: s
        ? {
            enabled: s.enabled === 1,
            day: s.day,
            minuteOfDay: s.minute_of_day,
            pausedThrough: s.paused_through,
            skipWeek: s.skip_week,
            effectiveFrom: s.effective_from,
          }
        : null,
      dmChannel: dm ? { channelId: dm.channel_id, cachedAt: dm.cached_at } : null,
      ledger: (ledgerStmt.all(...args) as LedgerRow[]).map((r) => ({
        week: r.week_key,
        slotAt: r.slot_at,
        state: r.state,
        attempts: r.attempts,
        nextAttemptAt: r.next_attempt_at,
        promptId: r.prompt_id,
        channelId: r.channel_id,
        messageTs: r.message_ts,
      })),
      history: (historyStmt.all(...args) as HistoryRow[]).map((r) => ({
        promptId: r.prompt_id,
        sentAt: r.sent_at,
        trigger: r.trigger,
        weekKey: r.week_key,
        channelId: r.channel_id,
        messageTs: r.message_ts,
      })),
    };
  };
}

/** `ladder import`'s writes. `now`: ISO instant of the import. */
function importRows(db: Db) {
  const putSettings = db.prepare(
    `INSERT INTO nudge_settings (team_id, user_id, enabled, day, minute_of_day, paused_through, skip_week,
       effective_from, off_reason, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
  );
  const putDm = db.prepare(
    'INSERT INTO nudge_dm_channels (team_id, user_id, channel_id, cached_at) VALUES (?, ?, ?, ?)',
  );
  // A claimed row is imported without its lease: the next due-check treats it as abandoned.
  const putLedger = db.prepare(
    `INSERT INTO nudge_ledger (team_id, user_id, week_key, slot_at, state, reason, attempts, next_attempt_at,
       lease_owner, lease_expires_at, prompt_id, channel_id, message_ts, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, NULL, ?, ?, NULL, NULL, ?, ?, ?, ?, ?)`,
  );
  const putHistory = db.prepare(
    `INSERT INTO nudge_history (team_id, user_id, prompt_id, trigger, week_key, channel_id, message_ts, sent_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return (owner: Owner, rows: NudgeRows, now: string): void => {
    const { teamId, userId } = owner;
    const s = rows.nudgeSettings;
    if (s) {
      putSettings.run(
        teamId,
        userId,
        s.enabled ? 1 : 0,
        s.day,
        s.minuteOfDay,
        s.pausedThrough,
        s.skipWeek,
        s.effectiveFrom,
        s.effectiveFrom,
        now,
      );
    }
    if (rows.dmChannel) putDm.run(teamId, userId, rows.dmChannel.channelId, rows.dmChannel.cachedAt);
    for (const l of rows.ledger) {
      putLedger.run(
        teamId,
        userId,
        l.week,
        l.slotAt,
        l.state,
        l.attempts,
        l.nextAttemptAt,
        l.promptId,
        l.channelId,
        l.messageTs,
        now,
        now,
      );
    }
    for (const h of rows.history) {
      putHistory.run(teamId, userId, h.promptId, h.trigger, h.weekKey, h.channelId, h.messageTs, h.sentAt);
    }
  };
}

export function createNudgeRows(db: Db) {
  const owned = ownedTables(db, NUDGE_TABLES);
  return {
    countOf: owned.countOf,
    deleteOf: owned.deleteOf,
    /** The person's nudge rows, for the JSON export; call inside the export's read transaction. */
    rowsOf: exportRows(db),
    /** `ladder import`: call inside the import's transaction. `now`: ISO instant of the import. */
    importRows: importRows(db),
  };
}
