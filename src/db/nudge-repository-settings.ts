/** The nudge repository's per-person settings and DM channel cache (nudge-repository.ts composes them). */

import { sql } from 'kysely';
import type { NudgeSettings } from '../domain/nudge-schedule.ts';
import type { Owner } from '../domain/types.ts';
import { count, nudgeDmChannelColumns } from './columns.ts';
import { type SettingsRow, toSettings } from './nudge-model.ts';
import type { Store } from './store.ts';

/** A person's settings (`s`), without the profile's time zone. */
export const SETTINGS_OF_S = [
  's.team_id',
  's.user_id',
  's.enabled',
  's.day',
  's.minute_of_day',
  's.paused_through',
  's.skip_week',
  's.effective_from',
  's.off_reason',
] as const;

/**
 * The profile's time zone of the person of row `s`, looked up by its key: a subquery per row, so
 * neither engine may join the whole profiles table to a few hundred people (PostgreSQL did).
 */
export const TZ_OF_S = sql<string | null>`(SELECT p.tz FROM profiles AS p
  WHERE p.team_id = s.team_id AND p.user_id = s.user_id)`.as('tz');

/** A person's settings (`s`) and the profile's time zone (`p`): what the due rules read. */
export const SETTINGS_WITH_TZ = [...SETTINGS_OF_S, 'p.tz'] as const;

/** Settings joined with the profile's time zone. */
const settingsWithTz = (qb: Store['qb']) =>
  qb
    .selectFrom('nudge_settings as s')
    .leftJoin('profiles as p', (j) =>
      j.onRef('p.team_id', '=', 's.team_id').onRef('p.user_id', '=', 's.user_id'),
    )
    .select(SETTINGS_WITH_TZ);

type SettingsParams = {
  teamId: string;
  userId: string;
  enabled: number;
  day: number;
  minuteOfDay: number;
  pausedThrough: string | null;
  skipWeek: string | null;
  effectiveFrom: string;
  nextDueAt: string | null;
  now: string;
};

/** The statements on `nudge_settings`, compiled once. */
function settingsStatements(store: Store) {
  const getSettings = store.prepare((qb, p: Owner) =>
    settingsWithTz(qb).where('s.team_id', '=', p.teamId).where('s.user_id', '=', p.userId),
  );
  // Key order on every engine (SQLite's comes from the key; PostgreSQL's from whichever join it plans).
  const enabled = store.prepare((qb) =>
    settingsWithTz(qb).where('s.enabled', '=', 1).orderBy('s.team_id').orderBy('s.user_id'),
  );
  const countEnabled = store.prepare((qb) =>
    qb
      .selectFrom('nudge_settings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('enabled', '=', 1),
  );
  const upsert = store.prepare((qb, p: SettingsParams) =>
    qb
      .insertInto('nudge_settings')
      .values({
        team_id: p.teamId,
        user_id: p.userId,
        enabled: p.enabled,
        day: p.day,
        minute_of_day: p.minuteOfDay,
        paused_through: p.pausedThrough,
        skip_week: p.skipWeek,
        effective_from: p.effectiveFrom,
        off_reason: null,
        created_at: p.now,
        updated_at: p.now,
        next_due_at: p.nextDueAt,
      })
      .onConflict((oc) =>
        oc.columns(['team_id', 'user_id']).doUpdateSet((eb) => ({
          next_due_at: eb.ref('excluded.next_due_at'),
          enabled: eb.ref('excluded.enabled'),
          day: eb.ref('excluded.day'),
          minute_of_day: eb.ref('excluded.minute_of_day'),
          paused_through: eb.ref('excluded.paused_through'),
          skip_week: eb.ref('excluded.skip_week'),
          effective_from: eb.ref('excluded.effective_from'),
          off_reason: null,
          updated_at: eb.ref('excluded.updated_at'),
        })),
      ),
  );
  const switchOff = store.prepare((qb, p: Owner & { reason: string; now: string }) =>
    qb
      .updateTable('nudge_settings')
      .set({ enabled: 0, off_reason: p.reason, updated_at: p.now, next_due_at: null })
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId),
  );
  const staleTz = store.prepare((qb, p: { before: string; limit: number }) =>
    qb
      .selectFrom('nudge_settings as s')
      .leftJoin('profiles as p', (j) =>
        j.onRef('p.team_id', '=', 's.team_id').onRef('p.user_id', '=', 's.user_id'),
      )
      .select(['s.team_id', 's.user_id'])
      .where('s.enabled', '=', 1)
      .where((eb) => eb.or([eb('p.tz_checked_at', 'is', null), eb('p.tz_checked_at', '<', p.before)]))
      .orderBy((eb) => eb('p.tz_checked_at', 'is not', null))
      .orderBy('p.tz_checked_at')
      .limit(p.limit),
  );
  return { getSettings, enabled, countEnabled, upsert, switchOff, staleTz };
}

type ManyParams = { teams: string[]; users: string[]; json: string };

/**
 * The settings of the people listed, as columns (PostgreSQL's arrays) or as rows (SQLite's JSON):
 * one statement text whatever their number, so it is planned once. (A list of key tuples was a new
 * text per length, PostgreSQL planning each: 15–27 ms for 500 people.) Each person by the key.
 */
function settingsOfManyStatement(store: Store) {
  const columns = sql.join(SETTINGS_OF_S.map((c) => sql.ref(c)));
  // LATERAL: each person by the key (a plain join of 500 keys was planned as a scan of everyone).
  const onPostgres = (p: ManyParams) =>
    sql<SettingsRow>`SELECT ${columns}, ${TZ_OF_S}
    FROM unnest(${p.teams}::text[], ${p.users}::text[]) AS o(t, u)
    CROSS JOIN LATERAL (SELECT * FROM nudge_settings WHERE team_id = o.t AND user_id = o.u) AS s`;
  // CROSS JOIN keeps the list the outer loop on SQLite: each person by the primary key.
  const onSqlite = (p: ManyParams) =>
    sql<SettingsRow>`SELECT ${columns}, ${TZ_OF_S}
    FROM json_each(${p.json}) AS o CROSS JOIN nudge_settings AS s
    WHERE s.team_id = json_extract(o.value, '$[0]') AND s.user_id = json_extract(o.value, '$[1]')`;
  return store.prepare((qb, p: ManyParams) => ({
    compile: () => (store.engine === 'postgres' ? onPostgres(p) : onSqlite(p)).compile(qb),
  }));
}

/** Each person's schedule (with the time zone from the profile). */
export function settingsMethods(store: Store) {
  const { getSettings, enabled, countEnabled, upsert, switchOff, staleTz } = settingsStatements(store);
  const many = settingsOfManyStatement(store);
  return {
    async getSettings(owner: Owner): Promise<(NudgeSettings & { offReason: string | null }) | undefined> {
      const r = await getSettings.first({ teamId: owner.teamId, userId: owner.userId });
      return r ? toSettings(r) : undefined;
    },

    /** The settings of many people (those without any are left out; each person once), one statement. */
    async settingsOfMany(
      owners: readonly Owner[],
    ): Promise<Array<NudgeSettings & { offReason: string | null }>> {
      if (owners.length === 0) return [];
      const unique = [...new Map(owners.map((o) => [`${o.teamId}\u0000${o.userId}`, o])).values()];
      const rows = await many.all({
        teams: unique.map((o) => o.teamId),
        users: unique.map((o) => o.userId),
        json: JSON.stringify(unique.map((o) => [o.teamId, o.userId])),
      });
      return rows.map(toSettings);
    },

    /**
     * Stores a person's schedule (the time zone lives in the profile and is not written here) and
     * when the tick should next look at it: `nextDueAt` as the use case computed it, else the
     * instant the schedule took effect (early, never late: the next tick recomputes it).
     */
    async saveSettings(settings: NudgeSettings, now: Date, nextDueAt?: Date | null): Promise<void> {
      const due = settings.enabled ? (nextDueAt === undefined ? settings.createdAt : nextDueAt) : null;
      await upsert.run({
        teamId: settings.teamId,
        userId: settings.userId,
        enabled: settings.enabled ? 1 : 0,
        day: settings.day,
        minuteOfDay: settings.minuteOfDay,
        pausedThrough: settings.pausedThrough,
        skipWeek: settings.skipWeek,
        effectiveFrom: settings.createdAt.toISOString(),
        nextDueAt: due === null ? null : due.toISOString(),
        now: now.toISOString(),
      });
    },

    /** The app switches nudges off (e.g. the Slack account is gone); the person's choices are kept. */
    async switchOff(owner: Owner, reason: string, now: Date): Promise<void> {
      await switchOff.run({ teamId: owner.teamId, userId: owner.userId, reason, now: now.toISOString() });
    },

    async listEnabled(): Promise<NudgeSettings[]> {
      return (await enabled.all({})).map(toSettings);
    },

    async countEnabled(): Promise<number> {
      return count((await countEnabled.first({}))?.n);
    },

    /** Opted-in people whose time zone was last read before `checkedBefore` (never read first). */
    async staleTimeZones(checkedBefore: Date, limit: number): Promise<Owner[]> {
      return (await staleTz.all({ before: checkedBefore.toISOString(), limit })).map((r) => ({
        teamId: r.team_id,
        userId: r.user_id,
      }));
    },
  };
}

/** The cached DM channel of each person. */
export function dmChannelMethods(store: Store) {
  const getDm = store.prepare((qb, p: Owner) =>
    qb
      .selectFrom('nudge_dm_channels')
      .select('channel_id')
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId),
  );
  const putDm = store.prepare((qb, p: Owner & { channelId: string; now: string }) =>
    qb
      .insertInto('nudge_dm_channels')
      .values({ team_id: p.teamId, user_id: p.userId, channel_id: p.channelId, cached_at: p.now })
      .onConflict((oc) =>
        oc.columns(['team_id', 'user_id']).doUpdateSet((eb) => ({
          channel_id: eb.ref('excluded.channel_id'),
          cached_at: eb.ref('excluded.cached_at'),
        })),
      ),
  );
  const dropDm = store.prepare((qb, p: Owner) =>
    qb.deleteFrom('nudge_dm_channels').where('team_id', '=', p.teamId).where('user_id', '=', p.userId),
  );
  const key = (owner: Owner): Owner => ({ teamId: owner.teamId, userId: owner.userId });

  return {
    async dmChannel(owner: Owner): Promise<string | undefined> {
      return (await getDm.first(key(owner)))?.channel_id;
    },

    async cacheDmChannel(owner: Owner, channelId: string, now: Date): Promise<void> {
      await putDm.run({
        ...key(owner),
        channelId,
        now: nudgeDmChannelColumns.cached_at.write(now.toISOString()),
      });
    },

    async dropDmChannel(owner: Owner): Promise<void> {
      await dropDm.run(key(owner));
    },
  };
}
