/**
 * The nudge repository's whole-account reads and writes (the JSON export, `ladder import`,
 * `/ladder forget`), kept apart from its day-to-day statements in nudge-repository.ts.
 */
import type { NUDGE_STATES } from '../domain/export/json.ts';
import type { LocalDate, Owner } from '../domain/types.ts';
import {
  nudgeDmChannelColumns as D,
  nudgeHistoryColumns as H,
  instantText,
  nudgeSettingsColumns as S,
} from './columns.ts';
import { ownedTables } from './owned-tables.ts';
import type { Store, Tx } from './store.ts';

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

/** The person's nudge rows, for the JSON export. */
function exportRows(store: Store) {
  const settings = store.prepare((qb, p: Owner) =>
    qb
      .selectFrom('nudge_settings')
      .select(['enabled', 'day', 'minute_of_day', 'paused_through', 'skip_week', 'effective_from'])
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId),
  );
  const dm = store.prepare((qb, p: Owner) =>
    qb
      .selectFrom('nudge_dm_channels')
      .select(['channel_id', 'cached_at'])
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId),
  );
  const ledger = store.prepare((qb, p: Owner) =>
    qb
      .selectFrom('nudge_ledger')
      .select([
        'week_key',
        'slot_at',
        'state',
        'attempts',
        'next_attempt_at',
        'prompt_id',
        'channel_id',
        'message_ts',
      ])
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId)
      .where('kind', '=', 'weekly')
      .orderBy('week_key'),
  );
  const history = store.prepare((qb, p: Owner) =>
    qb
      .selectFrom('nudge_history')
      .select(['prompt_id', 'sent_at', 'trigger', 'week_key', 'channel_id', 'message_ts'])
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId)
      .orderBy('sent_at')
      .orderBy('id'),
  );
  return async (owner: Owner, tx?: Tx): Promise<NudgeRows> => {
    const key = { teamId: owner.teamId, userId: owner.userId };
    const s = await settings.first(key, tx);
    const d = await dm.first(key, tx);
    return {
      nudgeSettings: s
        ? {
            enabled: S.enabled.read(s.enabled),
            day: s.day,
            minuteOfDay: s.minute_of_day,
            pausedThrough: s.paused_through,
            skipWeek: s.skip_week,
            effectiveFrom: instantText.read(s.effective_from),
          }
        : null,
      dmChannel: d ? { channelId: d.channel_id, cachedAt: D.cached_at.read(d.cached_at) } : null,
      ledger: (await ledger.all(key, tx)).map((r) => ({
        week: r.week_key,
        slotAt: instantText.read(r.slot_at),
        state: r.state,
        attempts: r.attempts,
        nextAttemptAt: r.next_attempt_at === null ? null : instantText.read(r.next_attempt_at),
        promptId: r.prompt_id,
        channelId: r.channel_id,
        messageTs: r.message_ts,
      })),
      history: (await history.all(key, tx)).map((r) => ({
        promptId: r.prompt_id,
        sentAt: H.sent_at.read(r.sent_at),
        trigger: r.trigger,
        weekKey: r.week_key,
        channelId: r.channel_id,
        messageTs: r.message_ts,
      })),
    };
  };
}

/** The insert statements of `ladder import`; each takes the stored row. */
function importStatements(store: Store) {
  return {
    settings: store.prepare(
      (
        qb,
        p: Owner & {
          enabled: number;
          day: number;
          minute: number;
          paused: string | null;
          skip: string | null;
          from: string;
          next: string | null;
          now: string;
        },
      ) =>
        qb.insertInto('nudge_settings').values({
          team_id: p.teamId,
          user_id: p.userId,
          enabled: p.enabled,
          day: p.day,
          minute_of_day: p.minute,
          paused_through: p.paused,
          skip_week: p.skip,
          effective_from: p.from,
          off_reason: null,
          created_at: p.from,
          updated_at: p.now,
          next_due_at: p.next,
        }),
    ),
    dm: store.prepare((qb, p: Owner & { channelId: string; cachedAt: string }) =>
      qb
        .insertInto('nudge_dm_channels')
        .values({ team_id: p.teamId, user_id: p.userId, channel_id: p.channelId, cached_at: p.cachedAt }),
    ),
    // A claimed row is imported without its lease: the next due-check treats it as abandoned.
    ledger: store.prepare((qb, p: Owner & NudgeRows['ledger'][number] & { now: string }) =>
      qb.insertInto('nudge_ledger').values({
        team_id: p.teamId,
        user_id: p.userId,
        week_key: p.week,
        slot_at: p.slotAt,
        state: p.state,
        reason: null,
        attempts: p.attempts,
        next_attempt_at: p.nextAttemptAt,
        lease_owner: null,
        lease_expires_at: null,
        prompt_id: p.promptId,
        channel_id: p.channelId,
        message_ts: p.messageTs,
        created_at: p.now,
        updated_at: p.now,
      }),
    ),
    history: store.prepare((qb, p: Owner & NudgeRows['history'][number]) =>
      qb.insertInto('nudge_history').values({
        team_id: p.teamId,
        user_id: p.userId,
        prompt_id: p.promptId,
        trigger: p.trigger,
        week_key: p.weekKey,
        channel_id: p.channelId,
        message_ts: p.messageTs,
        sent_at: p.sentAt,
      }),
    ),
  };
}

/** `ladder import`'s writes. `now`: ISO instant of the import. */
function importRows(store: Store) {
  const put = importStatements(store);
  return async (owner: Owner, rows: NudgeRows, now: string, tx?: Tx): Promise<void> => {
    const key = { teamId: owner.teamId, userId: owner.userId };
    const s = rows.nudgeSettings;
    if (s) {
      await put.settings.run(
        {
          ...key,
          enabled: S.enabled.write(s.enabled),
          day: s.day,
          minute: s.minuteOfDay,
          paused: s.pausedThrough,
          skip: s.skipWeek,
          from: s.effectiveFrom,
          // The first tick works out the next nudge (no instant later than this is early enough).
          // Decided here, per call: inside `prepare` the values are only stand-ins.
          next: s.enabled ? s.effectiveFrom : null,
          now,
        },
        tx,
      );
    }
    if (rows.dmChannel) await put.dm.run({ ...key, ...rows.dmChannel }, tx);
    for (const l of rows.ledger) await put.ledger.run({ ...key, ...l, now }, tx);
    for (const h of rows.history) await put.history.run({ ...key, ...h }, tx);
  };
}

export function createNudgeRows(store: Store) {
  const owned = ownedTables(store, NUDGE_TABLES);
  return {
    countOf: owned.countOf,
    deleteOf: owned.deleteOf,
    moveOf: owned.moveOf,
    holdsAnyOf: owned.holdsAnyOf,
    /**
     * Whether the person was already sent this week's nudge under another tenant of the org (a
     * workspace install and the org-wide one), or it is being sent there now (`sending`, whose
     * outcome may be a post): the scheduler never nudges a person twice a week.
     */
    sentInOtherTenant: async (p: { userId: string; weekKey: string; tenants: readonly string[] }) =>
      p.tenants.length > 0 &&
      (await store.first(
        store.qb
          .selectFrom('nudge_ledger')
          .select('team_id')
          .where('team_id', 'in', p.tenants)
          .where('user_id', '=', p.userId)
          .where('kind', '=', 'weekly')
          .where('week_key', '=', p.weekKey)
          .where('state', 'in', ['sent', 'sending']),
      )) !== undefined,
    /** The person's nudge rows, for the JSON export; call inside the export's read transaction. */
    rowsOf: exportRows(store),
    /** `ladder import`: call inside the import's transaction. `now`: ISO instant of the import. */
    importRows: importRows(store),
  };
}
