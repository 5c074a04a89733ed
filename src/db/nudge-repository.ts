import type { NudgeDecision, NudgeSettings, RetryCandidate } from '../domain/nudge-schedule.ts';
import type { PromptHistoryItem } from '../domain/prompts.ts';
import type { Owner } from '../domain/types.ts';
import type { Db } from './connection.ts';
import {
  type ClaimedNudge,
  type ClaimResult,
  type HistoryRow,
  type LedgerDbRow,
  type LedgerEntry,
  type NudgeKey,
  type NudgeMessage,
  type SettingsRow,
  toLedger,
  toMessage,
  toSettings,
} from './nudge-model.ts';
import { createNudgeRows } from './nudge-repository-rows.ts';

const SETTINGS_COLUMNS = `s.team_id, s.user_id, s.enabled, s.day, s.minute_of_day, s.paused_through, s.skip_week,
  s.effective_from, s.off_reason, p.tz`;
const LEDGER_COLUMNS = `team_id, user_id, week_key, slot_at, state, reason, attempts, next_attempt_at, lease_owner,
  lease_expires_at, prompt_id, channel_id, message_ts`;
// Weekly rows only: the monthly digest's rows (kind 'digest') are the digest repository's.
const KEY = "team_id = @teamId AND user_id = @userId AND kind = 'weekly' AND week_key = @weekKey";

const INSERT_HISTORY = `INSERT INTO nudge_history (team_id, user_id, prompt_id, trigger, week_key, channel_id, message_ts, sent_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (team_id, user_id, channel_id, message_ts) DO NOTHING`;

/** A ledger row's key and the lease a state change must still hold. */
function leased(c: ClaimedNudge): NudgeKey & { leaseOwner: string } {
  return { teamId: c.teamId, userId: c.userId, weekKey: c.weekKey, leaseOwner: c.leaseOwner };
}

/**
 * Nudge settings, the weekly ledger, the DM channel cache and the prompt history. Every state
 * change of a ledger row is a compare-and-set on its state and lease owner: two processes (the app's
 * scheduler and `nudges run`) can race for a row, and exactly one wins each step.
 */
export function createNudgeRepository(db: Db) {
  return {
    ...createNudgeRows(db),
    ...settingsMethods(db),
    ...ledgerReads(db),
    ...claimMethods(db),
    ...sendMethods(db),
    ...outcomeMethods(db),
    ...dmChannelMethods(db),
    ...historyMethods(db),
  };
}

/** Each person's schedule (with the time zone from the profile). */
function settingsMethods(db: Db) {
  const getSettingsStmt = db.prepare(
    `SELECT ${SETTINGS_COLUMNS} FROM nudge_settings s
     LEFT JOIN profiles p ON p.team_id = s.team_id AND p.user_id = s.user_id
     WHERE s.team_id = ? AND s.user_id = ?`,
  );
  const enabledStmt = db.prepare(
    `SELECT ${SETTINGS_COLUMNS} FROM nudge_settings s
     LEFT JOIN profiles p ON p.team_id = s.team_id AND p.user_id = s.user_id
     WHERE s.enabled = 1`,
  );
  const countEnabledStmt = db.prepare('SELECT COUNT(*) AS n FROM nudge_settings WHERE enabled = 1');
  const upsertSettings = db.prepare(
    `INSERT INTO nudge_settings (team_id, user_id, enabled, day, minute_of_day, paused_through, skip_week,
       effective_from, off_reason, created_at, updated_at)
     VALUES (@teamId, @userId, @enabled, @day, @minuteOfDay, @pausedThrough, @skipWeek, @effectiveFrom, NULL, @now, @now)
     ON CONFLICT (team_id, user_id) DO UPDATE SET enabled = excluded.enabled, day = excluded.day,
       minute_of_day = excluded.minute_of_day, paused_through = excluded.paused_through,
       skip_week = excluded.skip_week, effective_from = excluded.effective_from, off_reason = NULL,
       updated_at = excluded.updated_at`,
  );
  const switchOffStmt = db.prepare(
    'UPDATE nudge_settings SET enabled = 0, off_reason = ?, updated_at = ? WHERE team_id = ? AND user_id = ?',
  );
  const staleTzStmt = db.prepare(
    `SELECT s.team_id, s.user_id FROM nudge_settings s
     LEFT JOIN profiles p ON p.team_id = s.team_id AND p.user_id = s.user_id
     WHERE s.enabled = 1 AND (p.tz_checked_at IS NULL OR p.tz_checked_at < ?)
     ORDER BY p.tz_checked_at IS NOT NULL, p.tz_checked_at LIMIT ?`,
  );

  return {
    getSettings(owner: Owner): (NudgeSettings & { offReason: string | null }) | undefined {
      const r = getSettingsStmt.get(owner.teamId, owner.userId) as SettingsRow | undefined;
      return r ? toSettings(r) : undefined;
    },

    /** Stores a person's schedule (the time zone lives in the profile and is not written here). */
    saveSettings(settings: NudgeSettings, now: Date): void {
      upsertSettings.run({
        teamId: settings.teamId,
        userId: settings.userId,
        enabled: settings.enabled ? 1 : 0,
        day: settings.day,
        minuteOfDay: settings.minuteOfDay,
        pausedThrough: settings.pausedThrough,
        skipWeek: settings.skipWeek,
        effectiveFrom: settings.createdAt.toISOString(),
        now: now.toISOString(),
      });
    },

    /** The app switches nudges off (e.g. the Slack account is gone); the person's choices are kept. */
    switchOff(owner: Owner, reason: string, now: Date): void {
      switchOffStmt.run(reason, now.toISOString(), owner.teamId, owner.userId);
    },

    listEnabled(): NudgeSettings[] {
      return (enabledStmt.all() as SettingsRow[]).map(toSettings);
    },

    countEnabled(): number {
      return (countEnabledStmt.get() as { n: number }).n;
    },

    /** Opted-in people whose time zone was last read before `checkedBefore` (never read first). */
    staleTimeZones(checkedBefore: Date, limit: number): Owner[] {
      return (
        staleTzStmt.all(checkedBefore.toISOString(), limit) as Array<{ team_id: string; user_id: string }>
      ).map((r) => ({ teamId: r.team_id, userId: r.user_id }));
    },
  };
}

/** The weekly ledger as it stands. */
function ledgerReads(db: Db) {
  const ledgerSinceStmt = db.prepare(
    `SELECT ${LEDGER_COLUMNS} FROM nudge_ledger WHERE kind = 'weekly' AND week_key >= ?`,
  );
  const ledgerRowStmt = db.prepare(`SELECT ${LEDGER_COLUMNS} FROM nudge_ledger WHERE ${KEY}`);
  const ledgerOfOwnerStmt = db.prepare(
    `SELECT ${LEDGER_COLUMNS} FROM nudge_ledger WHERE team_id = ? AND user_id = ? AND kind = 'weekly' ORDER BY week_key`,
  );

  return {
    /** Every ledger row of every person from this ISO week on ('YYYY-Www' sorts as text). */
    ledgerSince(weekKey: string): LedgerEntry[] {
      return (ledgerSinceStmt.all(weekKey) as LedgerDbRow[]).map(toLedger);
    },

    ledgerRow(key: NudgeKey): LedgerEntry | undefined {
      const r = ledgerRowStmt.get(key) as LedgerDbRow | undefined;
      return r ? toLedger(r) : undefined;
    },

    ledgerOf(owner: Owner): LedgerEntry[] {
      return (ledgerOfOwnerStmt.all(owner.teamId, owner.userId) as LedgerDbRow[]).map(toLedger);
    },
  };
}

/** Claiming the week's nudges (and the retries) under a lease, racing other processes row by row. */
function claimMethods(db: Db) {
  const insertClaim = db.prepare(
    `INSERT INTO nudge_ledger (team_id, user_id, week_key, slot_at, state, reason, lease_owner, lease_expires_at,
       created_at, updated_at)
     VALUES (@teamId, @userId, @weekKey, @slotAt, @state, @reason, @leaseOwner, @leaseExpiresAt, @now, @now)
     ON CONFLICT (team_id, user_id, kind, week_key) DO NOTHING`,
  );
  const reclaim = db.prepare(
    `UPDATE nudge_ledger SET state = 'claimed', lease_owner = @leaseOwner, lease_expires_at = @leaseExpiresAt,
       updated_at = @now
     WHERE ${KEY} AND (
       (state = 'failed' AND (next_attempt_at IS NULL OR next_attempt_at <= @at))
       OR (state = 'claimed' AND (lease_expires_at IS NULL OR lease_expires_at <= @at)))
     RETURNING slot_at, attempts`,
  );

  const claimTx = db.transaction(
    (
      decisions: readonly NudgeDecision[],
      retries: readonly RetryCandidate[],
      lease: { owner: string; expiresAt: Date },
      at: Date,
      now: Date,
    ): ClaimResult => {
      const claimed: ClaimedNudge[] = [];
      const skipped: NudgeKey[] = [];
      const base = { leaseExpiresAt: lease.expiresAt.toISOString(), now: now.toISOString() };
      for (const d of decisions) {
        const key = { teamId: d.teamId, userId: d.userId, weekKey: d.weekKey };
        const send = d.action === 'send';
        const inserted = insertClaim.run({
          ...key,
          ...base,
          slotAt: d.slotAt.toISOString(),
          state: send ? 'claimed' : 'skipped',
          reason: send ? null : (d.reason ?? null),
          leaseOwner: send ? lease.owner : null,
          leaseExpiresAt: send ? base.leaseExpiresAt : null,
        }).changes;
        if (inserted === 0) continue;
        if (send)
          claimed.push({ ...key, slotAt: d.slotAt, leaseOwner: lease.owner, tickAt: at, attempts: 0 });
        else skipped.push(key);
      }
      for (const { row } of retries) {
        const key = { teamId: row.teamId, userId: row.userId, weekKey: row.weekKey };
        const r = reclaim.get({ ...key, ...base, leaseOwner: lease.owner, at: at.toISOString() }) as
          | { slot_at: string; attempts: number }
          | undefined;
        if (r) {
          claimed.push({
            ...key,
            slotAt: new Date(r.slot_at),
            leaseOwner: lease.owner,
            tickAt: at,
            attempts: r.attempts,
          });
        }
      }
      return { claimed, skipped };
    },
  );

  return {
    /**
     * In one transaction: a 'claimed' row (with this lease) for every 'send' decision, a 'skipped'
     * row for every skip, and the retry candidates taken over, each only if no other process got
     * there first. Returns what this process now owns.
     */
    claim(
      decisions: readonly NudgeDecision[],
      retries: readonly RetryCandidate[],
      lease: { owner: string; expiresAt: Date },
      at: Date,
      now: Date,
    ): ClaimResult {
      return claimTx.immediate(decisions, retries, lease, at, now);
    },
  };
}

/** claimed → sending → sent, the sent prompt into the history. */
function sendMethods(db: Db) {
  const markSendingStmt = db.prepare(
    `UPDATE nudge_ledger SET state = 'sending', prompt_id = @promptId, channel_id = @channelId, updated_at = @now
     WHERE ${KEY} AND state = 'claimed' AND lease_owner = @leaseOwner`,
  );
  const markSentStmt = db.prepare(
    `UPDATE nudge_ledger SET state = 'sent', message_ts = @messageTs, channel_id = @channelId, reason = NULL,
       next_attempt_at = NULL, lease_expires_at = NULL, updated_at = @now
     WHERE ${KEY} AND state = 'sending' AND lease_owner = @leaseOwner`,
  );
  const insertHistory = db.prepare(INSERT_HISTORY);

  const markSentTx = db.transaction(
    (
      c: ClaimedNudge,
      sent: { channelId: string; messageTs: string; promptId: string },
      now: string,
    ): boolean => {
      const changed = markSentStmt.run({
        ...leased(c),
        channelId: sent.channelId,
        messageTs: sent.messageTs,
        now,
      }).changes;
      // The person was forgotten (or the claim taken over) between the post and now: write nothing.
      if (changed === 0) return false;
      insertHistory.run(
        c.teamId,
        c.userId,
        sent.promptId,
        'weekly',
        c.weekKey,
        sent.channelId,
        sent.messageTs,
        now,
      );
      return true;
    },
  );

  return {
    /** claimed → sending, just before the Slack call; false when the claim is no longer ours. */
    markSending(c: ClaimedNudge, promptId: string, channelId: string, now: Date): boolean {
      return markSendingStmt.run({ ...leased(c), promptId, channelId, now: now.toISOString() }).changes > 0;
    },

    /** sending → sent, with the message, and the prompt into the history, in one transaction. */
    markSent(
      c: ClaimedNudge,
      sent: { channelId: string; messageTs: string; promptId: string },
      now: Date,
    ): boolean {
      return markSentTx.immediate(c, sent, now.toISOString());
    },
  };
}

/** The other ends of a claim: failed (to retry), skipped, unconfirmed, or released on shutdown. */
function outcomeMethods(db: Db) {
  const markFailedStmt = db.prepare(
    `UPDATE nudge_ledger SET state = 'failed', attempts = attempts + 1, reason = @reason,
       next_attempt_at = @nextAttemptAt, lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
     WHERE ${KEY} AND state IN ('claimed', 'sending') AND lease_owner = @leaseOwner`,
  );
  const markSkippedStmt = db.prepare(
    `UPDATE nudge_ledger SET state = 'skipped', reason = @reason, lease_owner = NULL, lease_expires_at = NULL,
       updated_at = @now
     WHERE ${KEY} AND state IN ('claimed', 'sending') AND lease_owner = @leaseOwner`,
  );
  const noteUnconfirmedStmt = db.prepare(
    `UPDATE nudge_ledger SET reason = @reason, updated_at = @now
     WHERE ${KEY} AND state = 'sending' AND lease_owner = @leaseOwner`,
  );
  const releaseStmt = db.prepare(
    `UPDATE nudge_ledger SET lease_expires_at = NULL, updated_at = ? WHERE state = 'claimed' AND lease_owner = ?`,
  );

  return {
    markFailed(c: ClaimedNudge, reason: string, nextAttemptAt: Date, now: Date): boolean {
      return (
        markFailedStmt.run({
          ...leased(c),
          reason,
          nextAttemptAt: nextAttemptAt.toISOString(),
          now: now.toISOString(),
        }).changes > 0
      );
    },

    markSkipped(c: ClaimedNudge, reason: string, now: Date): boolean {
      return markSkippedStmt.run({ ...leased(c), reason, now: now.toISOString() }).changes > 0;
    },

    /** The Slack call may or may not have gone out (a timeout): the row stays 'sending', never resent. */
    noteUnconfirmed(c: ClaimedNudge, reason: string, now: Date): void {
      noteUnconfirmedStmt.run({ ...leased(c), reason, now: now.toISOString() });
    },

    /** On shutdown: this process' queued claims may be taken over at once by the next run. */
    releaseClaims(leaseOwner: string, now: Date): number {
      return releaseStmt.run(now.toISOString(), leaseOwner).changes;
    },
  };
}

/** The cached DM channel of each person. */
function dmChannelMethods(db: Db) {
  const getDm = db.prepare('SELECT channel_id FROM nudge_dm_channels WHERE team_id = ? AND user_id = ?');
  const putDm = db.prepare(
    `INSERT INTO nudge_dm_channels (team_id, user_id, channel_id, cached_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (team_id, user_id) DO UPDATE SET channel_id = excluded.channel_id, cached_at = excluded.cached_at`,
  );
  const dropDm = db.prepare('DELETE FROM nudge_dm_channels WHERE team_id = ? AND user_id = ?');

  return {
    dmChannel(owner: Owner): string | undefined {
      return (getDm.get(owner.teamId, owner.userId) as { channel_id: string } | undefined)?.channel_id;
    },

    cacheDmChannel(owner: Owner, channelId: string, now: Date): void {
      putDm.run(owner.teamId, owner.userId, channelId, now.toISOString());
    },

    dropDmChannel(owner: Owner): void {
      dropDm.run(owner.teamId, owner.userId);
    },
  };
}

/** The prompts sent to each person, weekly or on demand, and the DM messages they were. */
function historyMethods(db: Db) {
  const insertHistory = db.prepare(INSERT_HISTORY);
  const historyStmt = db.prepare(
    'SELECT prompt_id, sent_at FROM nudge_history WHERE team_id = ? AND user_id = ? ORDER BY sent_at, id',
  );
  const messageStmt = db.prepare(
    `SELECT id, prompt_id, trigger, week_key, channel_id, message_ts, sent_at FROM nudge_history
     WHERE team_id = ? AND user_id = ? AND channel_id = ? AND message_ts = ?`,
  );
  const messageByIdStmt = db.prepare(
    `SELECT id, prompt_id, trigger, week_key, channel_id, message_ts, sent_at FROM nudge_history
     WHERE team_id = ? AND user_id = ? AND id = ?`,
  );

  return {
    /** A prompt sent outside the weekly ledger (`nudge now`). */
    recordOnDemand(
      owner: Owner,
      sent: { promptId: string; channelId: string; messageTs: string },
      now: Date,
    ): void {
      insertHistory.run(
        owner.teamId,
        owner.userId,
        sent.promptId,
        'now',
        null,
        sent.channelId,
        sent.messageTs,
        now.toISOString(),
      );
    },

    promptHistory(owner: Owner): PromptHistoryItem[] {
      return (
        historyStmt.all(owner.teamId, owner.userId) as Array<{ prompt_id: string; sent_at: string }>
      ).map((r) => ({ promptId: r.prompt_id, sentAt: r.sent_at }));
    },

    /** The nudge a DM message is, if it is one of this person's. */
    findMessage(owner: Owner, channelId: string, messageTs: string): NudgeMessage | undefined {
      const r = messageStmt.get(owner.teamId, owner.userId, channelId, messageTs) as HistoryRow | undefined;
      return r ? toMessage(r) : undefined;
    },

    messageById(owner: Owner, id: number): NudgeMessage | undefined {
      const r = messageByIdStmt.get(owner.teamId, owner.userId, id) as HistoryRow | undefined;
      return r ? toMessage(r) : undefined;
    },
  };
}

export type NudgeRepository = ReturnType<typeof createNudgeRepository>;
