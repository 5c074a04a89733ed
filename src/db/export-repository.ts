import type { EXPORT_FILE_KINDS, NUDGE_STATES } from '../domain/export/json.ts';
import type { AxisId, EvidenceSource, LocalDate, Owner, ScopeId, ShiftId } from '../domain/types.ts';
import type { Db } from './connection.ts';
import { createEvidenceRepository, type StoredEvidence } from './evidence-repository.ts';
import { countUserData } from './user-data.ts';

export type UploadedFileKind = (typeof EXPORT_FILE_KINDS)[number];

/** A file the app uploaded to the person's DM. */
export interface UploadedFile {
  fileId: string;
  kind: UploadedFileKind;
  /** The DM it was shared in; null for files loaded by `ladder import`. */
  channelId: string | null;
  /** The chart currently shown on the App Home. */
  onHome: boolean;
  /** For the Home chart: a hash of its content. */
  fingerprint: string | null;
  /** For charts: the numbers in words, for the image block. */
  altText: string | null;
  createdAt: string;
}

export type NewUploadedFile = Pick<UploadedFile, 'fileId' | 'kind' | 'channelId'> &
  Partial<Pick<UploadedFile, 'onHome' | 'fingerprint' | 'altText'>>;

/** Every row the app keeps about one person, as stored, for the JSON export. */
export interface UserRows {
  profile: {
    level: string | null;
    target: string | null;
    /** The role chosen for the level / target (role id), or null. */
    levelRole: string | null;
    targetRole: string | null;
    tz: string | null;
    tzCheckedAt: string | null;
    createdAt: string;
    updatedAt: string;
  } | null;
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
  /** In any order. */
  entries: StoredEvidence[];
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
  files: UploadedFile[];
}

/** What `ladder import` writes for one person: the export re-keyed to the target owner. */
export interface ImportRows {
  profile: UserRows['profile'];
  nudgeSettings: UserRows['nudgeSettings'];
  dmChannel: UserRows['dmChannel'];
  /** `ref` is the entry's number in the file; the database assigns the new id. */
  entries: Array<{
    ref: number;
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
  }>;
  ledger: UserRows['ledger'];
  history: UserRows['history'];
  files: Array<Pick<UploadedFile, 'fileId' | 'kind' | 'createdAt'>>;
}

export interface ImportCounts {
  entries: number;
  ledger: number;
  history: number;
  files: number;
}

/** The target account already holds data: an import only goes into an empty account. */
export class ImportConflictError extends Error {
  constructor(readonly rows: number) {
    super(`the account already holds ${rows} row(s) in this database`);
    this.name = 'ImportConflictError';
  }
}

interface FileRow {
  file_id: string;
  kind: UploadedFileKind;
  channel_id: string | null;
  on_home: number;
  fingerprint: string | null;
  alt_text: string | null;
  created_at: string;
}

const toFile = (r: FileRow): UploadedFile => ({
  fileId: r.file_id,
  kind: r.kind,
  channelId: r.channel_id,
  onHome: r.on_home === 1,
  fingerprint: r.fingerprint,
  altText: r.alt_text,
  createdAt: r.created_at,
});

const FILE_COLUMNS = 'file_id, kind, channel_id, on_home, fingerprint, alt_text, created_at';

/**
 * Uploaded files (exports and charts) and the whole-account reads and writes of the JSON export
 * and `ladder import`. Every statement is scoped by the owner.
 */
export function createExportRepository(db: Db) {
  const insertFile = db.prepare(
    `INSERT INTO exports (team_id, user_id, file_id, kind, channel_id, on_home, fingerprint, alt_text, created_at)
     VALUES (@teamId, @userId, @fileId, @kind, @channelId, @onHome, @fingerprint, @altText, @createdAt)
     ON CONFLICT (team_id, user_id, file_id) DO NOTHING`,
  );
  const clearHome = db.prepare(
    'UPDATE exports SET on_home = 0 WHERE team_id = ? AND user_id = ? AND on_home = 1',
  );
  const filesStmt = db.prepare(
    `SELECT ${FILE_COLUMNS} FROM exports WHERE team_id = ? AND user_id = ? ORDER BY created_at, file_id`,
  );
  const homeStmt = db.prepare(
    `SELECT ${FILE_COLUMNS} FROM exports WHERE team_id = ? AND user_id = ? AND on_home = 1`,
  );
  const deleteFile = db.prepare('DELETE FROM exports WHERE team_id = ? AND user_id = ? AND file_id = ?');

  const profileStmt = db.prepare(
    `SELECT level, target, level_role, target_role, tz, tz_checked_at, created_at, updated_at FROM profiles
     WHERE team_id = ? AND user_id = ?`,
  );
  const settingsStmt = db.prepare(
    `SELECT enabled, day, minute_of_day, paused_through, skip_week, effective_from FROM nudge_settings
     WHERE team_id = ? AND user_id = ?`,
  );
  const dmStmt = db.prepare(
    'SELECT channel_id, cached_at FROM nudge_dm_channels WHERE team_id = ? AND user_id = ?',
  );
  const evidence = createEvidenceRepository(db);
  const ledgerStmt = db.prepare(
    `SELECT week_key, slot_at, state, attempts, next_attempt_at, prompt_id, channel_id, message_ts
     FROM nudge_ledger WHERE team_id = ? AND user_id = ? ORDER BY week_key`,
  );
  const historyStmt = db.prepare(
    `SELECT prompt_id, sent_at, trigger, week_key, channel_id, message_ts FROM nudge_history
     WHERE team_id = ? AND user_id = ? ORDER BY sent_at, id`,
  );

  const putProfile = db.prepare(
    `INSERT INTO profiles (team_id, user_id, level, target, level_role, target_role, tz, tz_checked_at,
       created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const putSettings = db.prepare(
    `INSERT INTO nudge_settings (team_id, user_id, enabled, day, minute_of_day, paused_through, skip_week,
       effective_from, off_reason, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
  );
  const putDm = db.prepare(
    'INSERT INTO nudge_dm_channels (team_id, user_id, channel_id, cached_at) VALUES (?, ?, ?, ?)',
  );
  const putEntry = db.prepare(
    `INSERT INTO evidence (team_id, user_id, text, readable_text, occurred_on, axes, suggested_axes, shift, scope,
       link, source, prompt_id, nudge_week, channel_id, message_ts, created_at, updated_at)
     VALUES (@teamId, @userId, @originalText, @readableText, @occurredOn, @axes, @suggestedAxes, @shift, @scope, @link, @source,
       @promptId, @nudgeWeek, @channelId, @messageTs, @createdAt, @updatedAt)`,
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

  const importTx = db.transaction((owner: Owner, rows: ImportRows, now: string): ImportCounts => {
    const existing = Object.values(countUserData(db, owner)).reduce((a, b) => a + b, 0);
    if (existing > 0) throw new ImportConflictError(existing);
    const { teamId, userId } = owner;
    const p = rows.profile;
    if (p)
      putProfile.run(
        teamId,
        userId,
        p.level,
        p.target,
        p.levelRole,
        p.targetRole,
        p.tz,
        p.tzCheckedAt,
        p.createdAt,
        p.updatedAt,
      );
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
    for (const e of rows.entries) {
      putEntry.run({
        teamId,
        userId,
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
    for (const f of rows.files) {
      insertFile.run({
        teamId,
        userId,
        fileId: f.fileId,
        kind: f.kind,
        channelId: null,
        onHome: 0,
        fingerprint: null,
        altText: null,
        createdAt: f.createdAt,
      });
    }
    return {
      entries: rows.entries.length,
      ledger: rows.ledger.length,
      history: rows.history.length,
      files: rows.files.length,
    };
  });

  const recordTx = db.transaction((owner: Owner, file: NewUploadedFile, now: string) => {
    if (file.onHome) clearHome.run(owner.teamId, owner.userId);
    insertFile.run({
      teamId: owner.teamId,
      userId: owner.userId,
      fileId: file.fileId,
      kind: file.kind,
      channelId: file.channelId,
      onHome: file.onHome ? 1 : 0,
      fingerprint: file.fingerprint ?? null,
      altText: file.altText ?? null,
      createdAt: now,
    });
  });

  return {
    /** Keeps an uploaded file's id; `onHome` makes it the chart the App Home shows (replacing the last). */
    recordFile(owner: Owner, file: NewUploadedFile, now: Date): void {
      recordTx.immediate(owner, file, now.toISOString());
    },

    /** Oldest first. */
    files(owner: Owner): UploadedFile[] {
      return (filesStmt.all(owner.teamId, owner.userId) as FileRow[]).map(toFile);
    },

    homeChart(owner: Owner): UploadedFile | undefined {
      const row = homeStmt.get(owner.teamId, owner.userId) as FileRow | undefined;
      return row ? toFile(row) : undefined;
    },

    /** The App Home stops showing its chart (e.g. Slack no longer has the file). */
    clearHomeChart(owner: Owner): void {
      clearHome.run(owner.teamId, owner.userId);
    },

    removeFile(owner: Owner, fileId: string): boolean {
      return deleteFile.run(owner.teamId, owner.userId, fileId).changes > 0;
    },

    /** Everything about the person, in one read transaction so the export is consistent. */
    userRows(owner: Owner): UserRows {
      const read = db.transaction((): UserRows => {
        const args = [owner.teamId, owner.userId] as const;
        const p = profileStmt.get(...args) as
          | {
              level: string | null;
              target: string | null;
              level_role: string | null;
              target_role: string | null;
              tz: string | null;
              tz_checked_at: string | null;
              created_at: string;
              updated_at: string;
            }
          | undefined;
        const s = settingsStmt.get(...args) as
          | {
              enabled: number;
              day: number;
              minute_of_day: number;
              paused_through: string | null;
              skip_week: string | null;
              effective_from: string;
            }
          | undefined;
        const dm = dmStmt.get(...args) as { channel_id: string; cached_at: string } | undefined;
        const entries = evidence.inRange(owner, null, '9999-12-31');
        const ledger = (
          ledgerStmt.all(...args) as Array<{
            week_key: string;
            slot_at: string;
            state: UserRows['ledger'][number]['state'];
            attempts: number;
            next_attempt_at: string | null;
            prompt_id: string | null;
            channel_id: string | null;
            message_ts: string | null;
          }>
        ).map((r) => ({
          week: r.week_key,
          slotAt: r.slot_at,
          state: r.state,
          attempts: r.attempts,
          nextAttemptAt: r.next_attempt_at,
          promptId: r.prompt_id,
          channelId: r.channel_id,
          messageTs: r.message_ts,
        }));
        const history = (
          historyStmt.all(...args) as Array<{
            prompt_id: string;
            sent_at: string;
            trigger: 'weekly' | 'now';
            week_key: string | null;
            channel_id: string;
            message_ts: string;
          }>
        ).map((r) => ({
          promptId: r.prompt_id,
          sentAt: r.sent_at,
          trigger: r.trigger,
          weekKey: r.week_key,
          channelId: r.channel_id,
          messageTs: r.message_ts,
        }));
        return {
          profile: p
            ? {
                level: p.level,
                target: p.target,
                levelRole: p.level_role,
                targetRole: p.target_role,
                tz: p.tz,
                tzCheckedAt: p.tz_checked_at,
                createdAt: p.created_at,
                updatedAt: p.updated_at,
              }
            : null,
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
          entries,
          ledger,
          history,
          files: (filesStmt.all(...args) as FileRow[]).map(toFile),
        };
      });
      return read();
    },

    /**
     * Writes an imported account in one transaction: all of it or nothing. Throws
     * {@link ImportConflictError} when the owner already has any row in this database.
     */
    importUser(owner: Owner, rows: ImportRows, now: Date): ImportCounts {
      return importTx.immediate(owner, rows, now.toISOString());
    },
  };
}

export type ExportRepository = ReturnType<typeof createExportRepository>;
