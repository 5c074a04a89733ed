/**
 * The monthly digest: who wants it (digest_settings) and its rows in the nudge ledger (kind
 * 'digest', `week_key` = the month). The same machinery as the weekly nudge: every state change is
 * a compare-and-set on the row's state and lease owner, so racing processes send each digest once.
 */
import type { DigestDecision, DigestUser } from '../domain/digest-schedule.ts';
import type { LedgerRow, LedgerState } from '../domain/nudge-schedule.ts';
import type { Owner } from '../domain/types.ts';
import type { Db } from './connection.ts';
import { type ClaimedNudge, type LedgerDbRow, type LedgerEntry, toLedger } from './nudge-model.ts';
import { ownedTables } from './owned-tables.ts';

/** The table the digest repository owns, keyed by (team_id, user_id). Its ledger rows are deleted with the nudge ledger. */
export const DIGEST_TABLES = ['digest_settings'] as const;

/** A digest this process now owns: `weekKey` is the month ('YYYY-MM'). */
export type ClaimedDigest = ClaimedNudge;

export interface DigestSettingsRow {
  enabled: boolean;
  /** ISO instant: when the digest was last switched on. */
  effectiveFrom: string;
}

/** A person's digest rows as stored, for the JSON export and import. */
export interface DigestRows {
  digestSettings: DigestSettingsRow | null;
  digestLedger: Array<{
    month: string;
    slotAt: string;
    state: LedgerState;
    attempts: number;
    nextAttemptAt: string | null;
    channelId: string | null;
    messageTs: string | null;
  }>;
}

const LEDGER_COLUMNS = `team_id, user_id, week_key, slot_at, state, reason, attempts, next_attempt_at, lease_owner,
  lease_expires_at, prompt_id, channel_id, message_ts`;
const KEY = "team_id = @teamId AND user_id = @userId AND kind = 'digest' AND week_key = @weekKey";

const leased = (c: ClaimedDigest) => ({
  teamId: c.teamId,
  userId: c.userId,
  weekKey: c.weekKey,
  leaseOwner: c.leaseOwner,
});

export function createDigestRepository(db: Db) {
  const owned = ownedTables(db, DIGEST_TABLES);
  return {
    countOf: owned.countOf,
    deleteOf: owned.deleteOf,
    ...settingsMethods(db),
    ...ledgerMethods(db),
    ...claimMethods(db),
    ...outcomeMethods(db),
    ...exportMethods(db),
  };
}

interface UserDbRow {
  team_id: string;
  user_id: string;
  enabled: number;
  effective_from: string;
  tz: string | null;
  minute_of_day: number | null;
}

const toUser = (r: UserDbRow): DigestUser => ({
  teamId: r.team_id,
  userId: r.user_id,
  enabled: r.enabled === 1,
  tz: r.tz,
  minuteOfDay: r.minute_of_day ?? 16 * 60,
  effectiveFrom: new Date(r.effective_from),
});

function settingsMethods(db: Db) {
  const USER = `SELECT d.team_id, d.user_id, d.enabled, d.effective_from, p.tz, n.minute_of_day
     FROM digest_settings d
     LEFT JOIN profiles p ON p.team_id = d.team_id AND p.user_id = d.user_id
     LEFT JOIN nudge_settings n ON n.team_id = d.team_id AND n.user_id = d.user_id`;
  const getStmt = db.prepare(`${USER} WHERE d.team_id = ? AND d.user_id = ?`);
  const enabledStmt = db.prepare(`${USER} WHERE d.enabled = 1`);
  const upsert = db.prepare(
    `INSERT INTO digest_settings (team_id, user_id, enabled, effective_from, created_at, updated_at)
     VALUES (@teamId, @userId, @enabled, @now, @now, @now)
     ON CONFLICT (team_id, user_id) DO UPDATE SET enabled = excluded.enabled,
       effective_from = CASE WHEN digest_settings.enabled = 0 AND excluded.enabled = 1
         THEN excluded.effective_from ELSE digest_settings.effective_from END,
       updated_at = excluded.updated_at`,
  );
  return {
    /** The person's digest settings with their zone and weekly time; undefined when never set. */
    getDigest(owner: Owner): DigestUser | undefined {
      const r = getStmt.get(owner.teamId, owner.userId) as UserDbRow | undefined;
      return r ? toUser(r) : undefined;
    },
    /** On or off; switching on (again) starts from `now`: earlier months are not caught up. */
    setDigest(owner: Owner, enabled: boolean, now: Date): void {
      upsert.run({ ...owner, enabled: enabled ? 1 : 0, now: now.toISOString() });
    },
    listDigestUsers(): DigestUser[] {
      return (enabledStmt.all() as UserDbRow[]).map(toUser);
    },
  };
}

function ledgerMethods(db: Db) {
  const sinceStmt = db.prepare(
    `SELECT ${LEDGER_COLUMNS} FROM nudge_ledger WHERE kind = 'digest' AND week_key >= ?`,
  );
  const ofStmt = db.prepare(
    `SELECT ${LEDGER_COLUMNS} FROM nudge_ledger WHERE team_id = ? AND user_id = ? AND kind = 'digest'
     ORDER BY week_key`,
  );
  return {
    /** Every digest row from this month on ('YYYY-MM' sorts as text). */
    digestLedgerSince(monthKey: string): LedgerEntry[] {
      return (sinceStmt.all(monthKey) as LedgerDbRow[]).map(toLedger);
    },
    digestLedgerOf(owner: Owner): LedgerEntry[] {
      return (ofStmt.all(owner.teamId, owner.userId) as LedgerDbRow[]).map(toLedger);
    },
  };
}

function claimMethods(db: Db) {
  const insertClaim = db.prepare(
    `INSERT INTO nudge_ledger (team_id, user_id, kind, week_key, slot_at, state, reason, lease_owner,
       lease_expires_at, created_at, updated_at)
     VALUES (@teamId, @userId, 'digest', @weekKey, @slotAt, @state, @reason, @leaseOwner, @leaseExpiresAt, @now, @now)
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
  type Lease = { owner: string; expiresAt: Date };
  const claimTx = db.transaction(
    (
      decisions: readonly DigestDecision[],
      retries: readonly LedgerRow[],
      lease: Lease,
      at: Date,
      now: Date,
    ) => {
      const claimed: ClaimedDigest[] = [];
      const base = { leaseExpiresAt: lease.expiresAt.toISOString(), now: now.toISOString() };
      for (const d of decisions) {
        const send = d.action === 'send';
        const key = { teamId: d.teamId, userId: d.userId, weekKey: d.monthKey };
        const inserted = insertClaim.run({
          ...key,
          ...base,
          slotAt: d.slotAt.toISOString(),
          state: send ? 'claimed' : 'skipped',
          reason: send ? null : (d.reason ?? null),
          leaseOwner: send ? lease.owner : null,
          leaseExpiresAt: send ? base.leaseExpiresAt : null,
        }).changes;
        if (inserted > 0 && send)
          claimed.push({ ...key, slotAt: d.slotAt, leaseOwner: lease.owner, tickAt: at, attempts: 0 });
      }
      for (const row of retries) {
        const key = { teamId: row.teamId, userId: row.userId, weekKey: row.weekKey };
        const r = reclaim.get({ ...key, ...base, leaseOwner: lease.owner, at: at.toISOString() }) as
          | { slot_at: string; attempts: number }
          | undefined;
        if (r) {
          const slotAt = new Date(r.slot_at);
          claimed.push({ ...key, slotAt, leaseOwner: lease.owner, tickAt: at, attempts: r.attempts });
        }
      }
      return claimed;
    },
  );
  return {
    /** In one transaction: claims (or skipped rows) for the decisions and the retries taken over. */
    claimDigests(
      decisions: readonly DigestDecision[],
      retries: readonly LedgerRow[],
      lease: Lease,
      at: Date,
      now: Date,
    ): ClaimedDigest[] {
      return claimTx.immediate(decisions, retries, lease, at, now);
    },
  };
}

function outcomeMethods(db: Db) {
  const sending = db.prepare(
    `UPDATE nudge_ledger SET state = 'sending', channel_id = @channelId, updated_at = @now
     WHERE ${KEY} AND state = 'claimed' AND lease_owner = @leaseOwner`,
  );
  const sent = db.prepare(
    `UPDATE nudge_ledger SET state = 'sent', message_ts = @messageTs, channel_id = @channelId, reason = NULL,
       next_attempt_at = NULL, lease_expires_at = NULL, updated_at = @now
     WHERE ${KEY} AND state = 'sending' AND lease_owner = @leaseOwner`,
  );
  const failed = db.prepare(
    `UPDATE nudge_ledger SET state = 'failed', attempts = attempts + 1, reason = @reason,
       next_attempt_at = @nextAttemptAt, lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
     WHERE ${KEY} AND state IN ('claimed', 'sending') AND lease_owner = @leaseOwner`,
  );
  const skipped = db.prepare(
    `UPDATE nudge_ledger SET state = 'skipped', reason = @reason, lease_owner = NULL, lease_expires_at = NULL,
       updated_at = @now
     WHERE ${KEY} AND state IN ('claimed', 'sending') AND lease_owner = @leaseOwner`,
  );
  const unconfirmed = db.prepare(
    `UPDATE nudge_ledger SET reason = @reason, updated_at = @now
     WHERE ${KEY} AND state = 'sending' AND lease_owner = @leaseOwner`,
  );
  const release = db.prepare(
    `UPDATE nudge_ledger SET lease_expires_at = NULL, updated_at = ?
     WHERE kind = 'digest' AND state = 'claimed' AND lease_owner = ?`,
  );
  const iso = (d: Date) => d.toISOString();
  return {
    /** On shutdown: this process' unsent digest claims may be taken over at once by the next run. */
    releaseDigestClaims: (leaseOwner: string, now: Date): number => release.run(iso(now), leaseOwner).changes,
    /** claimed → sending, just before the Slack call; false when the claim is no longer ours. */
    markDigestSending: (c: ClaimedDigest, channelId: string, now: Date): boolean =>
      sending.run({ ...leased(c), channelId, now: iso(now) }).changes > 0,
    markDigestSent: (c: ClaimedDigest, m: { channelId: string; messageTs: string }, now: Date): boolean =>
      sent.run({ ...leased(c), ...m, now: iso(now) }).changes > 0,
    markDigestFailed: (c: ClaimedDigest, reason: string, nextAttemptAt: Date, now: Date): boolean =>
      failed.run({ ...leased(c), reason, nextAttemptAt: iso(nextAttemptAt), now: iso(now) }).changes > 0,
    markDigestSkipped: (c: ClaimedDigest, reason: string, now: Date): boolean =>
      skipped.run({ ...leased(c), reason, now: iso(now) }).changes > 0,
    /** The post may or may not have gone out: the row stays 'sending', never resent. */
    noteDigestUnconfirmed: (c: ClaimedDigest, reason: string, now: Date): void => {
      unconfirmed.run({ ...leased(c), reason, now: iso(now) });
    },
  };
}

function exportMethods(db: Db) {
  const settingsStmt = db.prepare(
    'SELECT enabled, effective_from FROM digest_settings WHERE team_id = ? AND user_id = ?',
  );
  const ledgerStmt = db.prepare(
    `SELECT week_key, slot_at, state, attempts, next_attempt_at, channel_id, message_ts FROM nudge_ledger
     WHERE team_id = ? AND user_id = ? AND kind = 'digest' ORDER BY week_key`,
  );
  const putSettings = db.prepare(
    `INSERT INTO digest_settings (team_id, user_id, enabled, effective_from, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  // A claimed row is imported without its lease: the next due-check treats it as abandoned.
  const putLedger = db.prepare(
    `INSERT INTO nudge_ledger (team_id, user_id, kind, week_key, slot_at, state, attempts, next_attempt_at,
       channel_id, message_ts, created_at, updated_at)
     VALUES (?, ?, 'digest', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  type Stored = {
    week_key: string;
    slot_at: string;
    state: LedgerState;
    attempts: number;
    next_attempt_at: string | null;
    channel_id: string | null;
    message_ts: string | null;
  };
  return {
    /** The person's digest rows, for the JSON export; call inside the export's read transaction. */
    digestRowsOf(owner: Owner): DigestRows {
      const s = settingsStmt.get(owner.teamId, owner.userId) as
        | { enabled: number; effective_from: string }
        | undefined;
      return {
        digestSettings: s ? { enabled: s.enabled === 1, effectiveFrom: s.effective_from } : null,
        digestLedger: (ledgerStmt.all(owner.teamId, owner.userId) as Stored[]).map((r) => ({
          month: r.week_key,
          slotAt: r.slot_at,
          state: r.state,
          attempts: r.attempts,
          nextAttemptAt: r.next_attempt_at,
          channelId: r.channel_id,
          messageTs: r.message_ts,
        })),
      };
    },
    /** `ladder import`: call inside the import's transaction. `now`: ISO instant of the import. */
    importDigestRows(owner: Owner, rows: DigestRows, now: string): void {
      const { teamId, userId } = owner;
      const s = rows.digestSettings;
      if (s) putSettings.run(teamId, userId, s.enabled ? 1 : 0, s.effectiveFrom, s.effectiveFrom, now);
      for (const l of rows.digestLedger) {
        putLedger.run(
          teamId,
          userId,
          l.month,
          l.slotAt,
          l.state,
          l.attempts,
          l.nextAttemptAt,
          l.channelId,
          l.messageTs,
          now,
          now,
        );
      }
    },
  };
}

export type DigestRepository = ReturnType<typeof createDigestRepository>;
