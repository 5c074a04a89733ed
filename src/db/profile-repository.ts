import type { Owner, Profile } from '../domain/types.ts';
import type { Db } from './connection.ts';
import { ownedTables } from './owned-tables.ts';

/** The tables this repository owns, each keyed by (team_id, user_id). */
export const PROFILE_TABLES = ['profiles'] as const;

/** A profile as stored, for the JSON export and `ladder import`. */
export interface StoredProfile {
  level: string | null;
  target: string | null;
  tz: string | null;
  tzCheckedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  team_id: string;
  user_id: string;
  level: string | null;
  target: string | null;
  tz: string | null;
  tz_checked_at: string | null;
}

const toProfile = (r: Row): Profile => ({
  teamId: r.team_id,
  userId: r.user_id,
  level: r.level,
  target: r.target,
  tz: r.tz,
  tzCheckedAt: r.tz_checked_at,
});

/** The whole-account reads and writes: the JSON export, `ladder import`, `/ladder forget`. */
function profileAccountRows(db: Db) {
  const storedStmt = db.prepare(
    `SELECT level, target, tz, tz_checked_at, created_at, updated_at FROM profiles
     WHERE team_id = ? AND user_id = ?`,
  );
  const putStmt = db.prepare(
    `INSERT INTO profiles (team_id, user_id, level, target, tz, tz_checked_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const owned = ownedTables(db, PROFILE_TABLES);
  return {
    /** The profile as stored, for the JSON export. */
    rowsOf(owner: Owner): StoredProfile | null {
      const p = storedStmt.get(owner.teamId, owner.userId) as
        | {
            level: string | null;
            target: string | null;
            tz: string | null;
            tz_checked_at: string | null;
            created_at: string;
            updated_at: string;
          }
        | undefined;
      if (!p) return null;
      return {
        level: p.level,
        target: p.target,
        tz: p.tz,
        tzCheckedAt: p.tz_checked_at,
        createdAt: p.created_at,
        updatedAt: p.updated_at,
      };
    },

    /** `ladder import`: call inside the import's transaction. */
    importRows(owner: Owner, p: StoredProfile | null): void {
      if (p)
        putStmt.run(
          owner.teamId,
          owner.userId,
          p.level,
          p.target,
          p.tz,
          p.tzCheckedAt,
          p.createdAt,
          p.updatedAt,
        );
    },

    countOf: owned.countOf,
    deleteOf: owned.deleteOf,
  };
}

export function createProfileRepository(db: Db) {
  const getStmt = db.prepare(
    'SELECT team_id, user_id, level, target, tz, tz_checked_at FROM profiles WHERE team_id = ? AND user_id = ?',
  );
  const ensureStmt = db.prepare(
    `INSERT INTO profiles (team_id, user_id, created_at, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (team_id, user_id) DO NOTHING`,
  );
  return {
    get(owner: Owner): Profile | undefined {
      const row = getStmt.get(owner.teamId, owner.userId) as Row | undefined;
      return row ? toProfile(row) : undefined;
    },

    /** The profile, or an empty one (not stored) for someone the app has not met. */
    getOrEmpty(owner: Owner): Profile {
      return this.get(owner) ?? { ...owner, level: null, target: null, tz: null, tzCheckedAt: null };
    },

    setLevels(owner: Owner, levels: { level?: string | null; target?: string | null }, now: Date): Profile {
      const iso = now.toISOString();
      const tx = db.transaction(() => {
        ensureStmt.run(owner.teamId, owner.userId, iso, iso);
        if (levels.level !== undefined) {
          db.prepare('UPDATE profiles SET level = ?, updated_at = ? WHERE team_id = ? AND user_id = ?').run(
            levels.level,
            iso,
            owner.teamId,
            owner.userId,
          );
        }
        if (levels.target !== undefined) {
          db.prepare('UPDATE profiles SET target = ?, updated_at = ? WHERE team_id = ? AND user_id = ?').run(
            levels.target,
            iso,
            owner.teamId,
            owner.userId,
          );
        }
      });
      tx.immediate();
      return this.getOrEmpty(owner);
    },

    /** Records the time zone Slack gave (null when it gave none) and when it was read. */
    setTimeZone(owner: Owner, tz: string | null, now: Date): void {
      const iso = now.toISOString();
      db.transaction(() => {
        ensureStmt.run(owner.teamId, owner.userId, iso, iso);
        db.prepare(
          'UPDATE profiles SET tz = ?, tz_checked_at = ?, updated_at = ? WHERE team_id = ? AND user_id = ?',
        ).run(tz, iso, iso, owner.teamId, owner.userId);
      })();
    },

    ...profileAccountRows(db),
  };
}

export type ProfileRepository = ReturnType<typeof createProfileRepository>;
