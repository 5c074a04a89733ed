import type { Selectable } from 'kysely';
import type { Owner, Profile } from '../domain/types.ts';
import { profileColumns as C } from './columns.ts';
import { ownedTables } from './owned-tables.ts';
import type { ProfilesTable } from './schema.ts';
import { pick, type Store, type Tx } from './store.ts';

/** The tables this repository owns, each keyed by (team_id, user_id). */
export const PROFILE_TABLES = ['profiles'] as const;

/** A profile as stored, for the JSON export and `ladder import`. */
export interface StoredProfile {
  level: string | null;
  target: string | null;
  /** The role chosen for the level / target (role id), or null. */
  levelRole: string | null;
  targetRole: string | null;
  tz: string | null;
  tzCheckedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A profile row as read (the columns of `ProfilesTable` in schema.ts, less the timestamps). */
const toProfile = (r: Omit<Selectable<ProfilesTable>, 'created_at' | 'updated_at'>): Profile => ({
  teamId: r.team_id,
  userId: r.user_id,
  level: r.level,
  target: r.target,
  levelRole: r.level_role,
  targetRole: r.target_role,
  tz: r.tz,
  tzCheckedAt: C.tz_checked_at.read(r.tz_checked_at),
});

const STORED = [
  'team_id',
  'user_id',
  'level',
  'target',
  'level_role',
  'target_role',
  'tz',
  'tz_checked_at',
  'created_at',
  'updated_at',
] as const;
type StoredRow = Record<(typeof STORED)[number], string | null> & {
  team_id: string;
  user_id: string;
  created_at: string;
  updated_at: string;
};

/** The whole-account reads and writes: the JSON export, `ladder import`, `/ladder forget`. */
function profileAccountRows(store: Store) {
  const stored = store.prepare((qb, p: Owner) =>
    qb.selectFrom('profiles').select(STORED).where('team_id', '=', p.teamId).where('user_id', '=', p.userId),
  );
  const put = store.prepare((qb, p: StoredRow) => qb.insertInto('profiles').values(pick(p, STORED)));
  const owned = ownedTables(store, PROFILE_TABLES);
  return {
    /** The profile as stored, for the JSON export. */
    async rowsOf(owner: Owner, tx?: Tx): Promise<StoredProfile | null> {
      const p = await stored.first({ teamId: owner.teamId, userId: owner.userId }, tx);
      if (!p) return null;
      return {
        level: p.level,
        target: p.target,
        levelRole: p.level_role,
        targetRole: p.target_role,
        tz: p.tz,
        tzCheckedAt: C.tz_checked_at.read(p.tz_checked_at),
        createdAt: C.created_at.read(p.created_at),
        updatedAt: C.updated_at.read(p.updated_at),
      };
    },

    /** `ladder import`: call inside the import's transaction. */
    async importRows(owner: Owner, p: StoredProfile | null, tx?: Tx): Promise<void> {
      if (!p) return;
      await put.run(
        {
          team_id: owner.teamId,
          user_id: owner.userId,
          level: p.level,
          target: p.target,
          level_role: p.levelRole,
          target_role: p.targetRole,
          tz: p.tz,
          tz_checked_at: C.tz_checked_at.write(p.tzCheckedAt),
          created_at: C.created_at.write(p.createdAt),
          updated_at: C.updated_at.write(p.updatedAt),
        },
        tx,
      );
    },

    countOf: owned.countOf,
    deleteOf: owned.deleteOf,
    moveOf: owned.moveOf,
    holdsAnyOf: owned.holdsAnyOf,
  };
}

/** The single-row writes of a profile, each one statement. */
function profileWrites(store: Store) {
  const ensure = store.prepare((qb, p: Owner & { now: string }) =>
    qb
      .insertInto('profiles')
      .values({ team_id: p.teamId, user_id: p.userId, created_at: p.now, updated_at: p.now })
      .onConflict((oc) => oc.columns(['team_id', 'user_id']).doNothing()),
  );
  const setLevel = store.prepare(
    (qb, p: Owner & { level: string | null; role: string | null; now: string }) =>
      qb
        .updateTable('profiles')
        .set({ level: p.level, level_role: p.role, updated_at: p.now })
        .where('team_id', '=', p.teamId)
        .where('user_id', '=', p.userId),
  );
  const setTarget = store.prepare(
    (qb, p: Owner & { target: string | null; role: string | null; now: string }) =>
      qb
        .updateTable('profiles')
        .set({ target: p.target, target_role: p.role, updated_at: p.now })
        .where('team_id', '=', p.teamId)
        .where('user_id', '=', p.userId),
  );
  const setTz = store.prepare((qb, p: Owner & { tz: string | null; now: string }) =>
    qb
      .updateTable('profiles')
      .set({ tz: p.tz, tz_checked_at: p.now, updated_at: p.now })
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId),
  );
  return { ensure, setLevel, setTarget, setTz };
}

export function createProfileRepository(store: Store) {
  const getRow = store.prepare((qb, p: Owner) =>
    qb
      .selectFrom('profiles')
      .select(['team_id', 'user_id', 'level', 'target', 'level_role', 'target_role', 'tz', 'tz_checked_at'])
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId),
  );
  const w = profileWrites(store);
  const get = async (owner: Owner): Promise<Profile | undefined> => {
    const row = await getRow.first({ teamId: owner.teamId, userId: owner.userId });
    return row ? toProfile(row) : undefined;
  };
  /** The profile, or an empty one (not stored) for someone the app has not met. */
  const getOrEmpty = async (owner: Owner): Promise<Profile> =>
    (await get(owner)) ?? {
      ...owner,
      level: null,
      target: null,
      levelRole: null,
      targetRole: null,
      tz: null,
      tzCheckedAt: null,
    };
  return {
    get,
    getOrEmpty,

    /**
     * Sets the level and/or the target (position ids). With each, the role chosen for it (a role id)
     * or null when the person chose the position itself; absent means null.
     */
    async setLevels(
      owner: Owner,
      levels: {
        level?: string | null;
        target?: string | null;
        levelRole?: string | null;
        targetRole?: string | null;
      },
      now: Date,
    ): Promise<Profile> {
      const key = { teamId: owner.teamId, userId: owner.userId, now: now.toISOString() };
      await store.transaction(async (tx) => {
        await w.ensure.run(key, tx);
        if (levels.level !== undefined)
          await w.setLevel.run({ ...key, level: levels.level, role: levels.levelRole ?? null }, tx);
        if (levels.target !== undefined)
          await w.setTarget.run({ ...key, target: levels.target, role: levels.targetRole ?? null }, tx);
      });
      return getOrEmpty(owner);
    },

    /** Records the time zone Slack gave (null when it gave none) and when it was read. */
    async setTimeZone(owner: Owner, tz: string | null, now: Date): Promise<void> {
      const key = { teamId: owner.teamId, userId: owner.userId, now: now.toISOString() };
      await store.transaction(async (tx) => {
        await w.ensure.run(key, tx);
        await w.setTz.run({ ...key, tz }, tx);
      });
    },

    ...profileAccountRows(store),
  };
}

export type ProfileRepository = ReturnType<typeof createProfileRepository>;
