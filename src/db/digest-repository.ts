/**
 * The monthly digest: who wants it (digest_settings) and its rows in the nudge ledger (kind
 * 'digest', `week_key` = the month). The same machinery as the weekly nudge: every state change is
 * a compare-and-set on the row's state and lease owner, so racing processes send each digest once.
 */

import type { DigestDecision, DigestUser } from '../domain/digest-schedule.ts';
import type { LedgerRow, LedgerState } from '../domain/nudge-schedule.ts';
import type { Owner } from '../domain/types.ts';
import { digestSettingsColumns as D, nudgeLedgerColumns as L } from './columns.ts';
import {
  claimStatements,
  heldInOf,
  LEDGER_COLUMNS,
  type Leased,
  leased,
  outcomeStatements,
} from './ledger-statements.ts';
import { type ClaimedNudge, type LedgerEntry, toLedger } from './nudge-model.ts';
import { ownedTables } from './owned-tables.ts';
import type { Store, Tx } from './store.ts';

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

/** The digest rows (`weekKey` is the month). */
const heldIn = heldInOf('digest');

export function createDigestRepository(store: Store) {
  const owned = ownedTables(store, DIGEST_TABLES);
  return {
    countOf: owned.countOf,
    deleteOf: owned.deleteOf,
    moveOf: owned.moveOf,
    holdsAnyOf: owned.holdsAnyOf,
    ...settingsMethods(store),
    ...ledgerMethods(store),
    ...claimMethods(store),
    ...outcomeMethods(store),
    ...exportMethods(store),
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
  enabled: D.enabled.read(r.enabled),
  tz: r.tz,
  minuteOfDay: r.minute_of_day ?? 16 * 60,
  effectiveFrom: new Date(D.effective_from.read(r.effective_from)),
});

/** Digest settings with the profile's zone and the weekly nudge's time. */
const digestUsers = (qb: Store['qb']) =>
  qb
    .selectFrom('digest_settings as d')
    .leftJoin('profiles as p', (j) =>
      j.onRef('p.team_id', '=', 'd.team_id').onRef('p.user_id', '=', 'd.user_id'),
    )
    .leftJoin('nudge_settings as n', (j) =>
      j.onRef('n.team_id', '=', 'd.team_id').onRef('n.user_id', '=', 'd.user_id'),
    )
    .select(['d.team_id', 'd.user_id', 'd.enabled', 'd.effective_from', 'p.tz', 'n.minute_of_day']);

function settingsMethods(store: Store) {
  const get = store.prepare((qb, p: Owner) =>
    digestUsers(qb).where('d.team_id', '=', p.teamId).where('d.user_id', '=', p.userId),
  );
  // Opted-in people by key: PostgreSQL gives rows in no set order unless asked (the run's lines and sends follow it).
  const enabled = store.prepare((qb) =>
    digestUsers(qb).where('d.enabled', '=', 1).orderBy('d.team_id').orderBy('d.user_id'),
  );
  const upsert = store.prepare((qb, p: Owner & { enabled: number; now: string }) =>
    qb
      .insertInto('digest_settings')
      .values({
        team_id: p.teamId,
        user_id: p.userId,
        enabled: p.enabled,
        effective_from: p.now,
        created_at: p.now,
        updated_at: p.now,
      })
      .onConflict((oc) =>
        oc.columns(['team_id', 'user_id']).doUpdateSet((eb) => ({
          enabled: eb.ref('excluded.enabled'),
          // Switching on again starts from now; staying on keeps when it started.
          effective_from: eb
            .case()
            .when(eb.and([eb('digest_settings.enabled', '=', 0), eb('excluded.enabled', '=', 1)]))
            .then(eb.ref('excluded.effective_from'))
            .else(eb.ref('digest_settings.effective_from'))
            .end(),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      ),
  );
  return {
    /** The person's digest settings with their zone and weekly time; undefined when never set. */
    async getDigest(owner: Owner): Promise<DigestUser | undefined> {
      const r = await get.first({ teamId: owner.teamId, userId: owner.userId });
      return r ? toUser(r) : undefined;
    },
    /** On or off; switching on (again) starts from `now`: earlier months are not caught up. */
    async setDigest(owner: Owner, on: boolean, now: Date): Promise<void> {
      await upsert.run({
        teamId: owner.teamId,
        userId: owner.userId,
        enabled: D.enabled.write(on),
        now: now.toISOString(),
      });
    },
    async listDigestUsers(): Promise<DigestUser[]> {
      return (await enabled.all({})).map(toUser);
    },
  };
}

function ledgerMethods(store: Store) {
  const since = store.prepare((qb, p: { monthKey: string }) =>
    qb
      .selectFrom('nudge_ledger')
      .select(LEDGER_COLUMNS)
      .where('kind', '=', 'digest')
      .where('week_key', '>=', p.monthKey)
      .orderBy('week_key')
      .orderBy('team_id')
      .orderBy('user_id'),
  );
  const of = store.prepare((qb, p: Owner) =>
    qb
      .selectFrom('nudge_ledger')
      .select(LEDGER_COLUMNS)
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId)
      .where('kind', '=', 'digest')
      .orderBy('week_key'),
  );
  return {
    /** Every digest row from this month on ('YYYY-MM' sorts as text). */
    async digestLedgerSince(monthKey: string): Promise<LedgerEntry[]> {
      return (await since.all({ monthKey })).map(toLedger);
    },
    async digestLedgerOf(owner: Owner): Promise<LedgerEntry[]> {
      return (await of.all({ teamId: owner.teamId, userId: owner.userId })).map(toLedger);
    },
  };
}

type Lease = { owner: string; expiresAt: Date };
function claimMethods(store: Store) {
  const { insertClaim, reclaim } = claimStatements(store, 'digest');
  return {
    /** In one transaction: claims (or skipped rows) for the decisions and the retries taken over. */
    claimDigests(
      decisions: readonly DigestDecision[],
      retries: readonly LedgerRow[],
      lease: Lease,
      at: Date,
      now: Date,
    ): Promise<ClaimedDigest[]> {
      const leaseExpiresAt = L.lease_expires_at.write(lease.expiresAt) as string;
      const iso = now.toISOString();
      return store.transaction(async (tx) => {
        const claimed: ClaimedDigest[] = [];
        for (const d of decisions) {
          const send = d.action === 'send';
          const key = { teamId: d.teamId, userId: d.userId, weekKey: d.monthKey };
          const inserted = await insertClaim.run(
            {
              ...key,
              slotAt: L.slot_at.write(d.slotAt),
              state: send ? 'claimed' : 'skipped',
              reason: send ? null : (d.reason ?? null),
              leaseOwner: send ? lease.owner : null,
              leaseExpiresAt: send ? leaseExpiresAt : null,
              now: iso,
            },
            tx,
          );
          if (inserted > 0 && send)
            claimed.push({ ...key, slotAt: d.slotAt, leaseOwner: lease.owner, tickAt: at, attempts: 0 });
        }
        for (const row of retries) {
          const key = { teamId: row.teamId, userId: row.userId, weekKey: row.weekKey };
          const r = await reclaim.first(
            { ...key, leaseOwner: lease.owner, leaseExpiresAt, now: iso, at: at.toISOString() },
            tx,
          );
          if (r) {
            const slotAt = L.slot_at.read(r.slot_at);
            claimed.push({ ...key, slotAt, leaseOwner: lease.owner, tickAt: at, attempts: r.attempts });
          }
        }
        return claimed;
      });
    },
  };
}

/** The compare-and-set statements that end a digest claim. */
function digestOutcomeStatements(store: Store) {
  return {
    ...outcomeStatements(store, 'digest'),
    sending: store.prepare((qb, p: Leased & { channelId: string; now: string }) =>
      qb
        .updateTable('nudge_ledger')
        .set({ state: 'sending', channel_id: p.channelId, updated_at: p.now })
        .where(heldIn(p, ['claimed'])),
    ),
    release: store.prepare((qb, p: { leaseOwner: string; now: string }) =>
      qb
        .updateTable('nudge_ledger')
        .set({ lease_expires_at: null, updated_at: p.now })
        .where('kind', '=', 'digest')
        .where('state', '=', 'claimed')
        .where('lease_owner', '=', p.leaseOwner),
    ),
  };
}

function outcomeMethods(store: Store) {
  const s = digestOutcomeStatements(store);
  const iso = (d: Date) => d.toISOString();
  return {
    /** On shutdown: this process' unsent digest claims may be taken over at once by the next run. */
    releaseDigestClaims: (leaseOwner: string, now: Date): Promise<number> =>
      s.release.run({ leaseOwner, now: iso(now) }),
    /** claimed → sending, just before the Slack call; false when the claim is no longer ours. */
    markDigestSending: async (c: ClaimedDigest, channelId: string, now: Date): Promise<boolean> =>
      (await s.sending.run({ ...leased(c), channelId, now: iso(now) })) > 0,
    markDigestSent: async (
      c: ClaimedDigest,
      m: { channelId: string; messageTs: string },
      now: Date,
    ): Promise<boolean> =>
      (await s.sent.run({ ...leased(c), channelId: m.channelId, messageTs: m.messageTs, now: iso(now) })) > 0,
    markDigestFailed: async (
      c: ClaimedDigest,
      reason: string,
      nextAttemptAt: Date,
      now: Date,
    ): Promise<boolean> =>
      (await s.failed.run({ ...leased(c), reason, nextAttemptAt: iso(nextAttemptAt), now: iso(now) })) > 0,
    markDigestSkipped: async (c: ClaimedDigest, reason: string, now: Date): Promise<boolean> =>
      (await s.skipped.run({ ...leased(c), reason, now: iso(now) })) > 0,
    /** The post may or may not have gone out: the row stays 'sending', never resent. */
    noteDigestUnconfirmed: async (c: ClaimedDigest, reason: string, now: Date): Promise<void> => {
      await s.unconfirmed.run({ ...leased(c), reason, now: iso(now) });
    },
  };
}

function exportMethods(store: Store) {
  const settings = store.prepare((qb, p: Owner) =>
    qb
      .selectFrom('digest_settings')
      .select(['enabled', 'effective_from'])
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId),
  );
  const ledger = store.prepare((qb, p: Owner) =>
    qb
      .selectFrom('nudge_ledger')
      .select(['week_key', 'slot_at', 'state', 'attempts', 'next_attempt_at', 'channel_id', 'message_ts'])
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId)
      .where('kind', '=', 'digest')
      .orderBy('week_key'),
  );
  const putSettings = store.prepare((qb, p: Owner & { enabled: number; from: string; now: string }) =>
    qb.insertInto('digest_settings').values({
      team_id: p.teamId,
      user_id: p.userId,
      enabled: p.enabled,
      effective_from: p.from,
      created_at: p.from,
      updated_at: p.now,
    }),
  );
  // A claimed row is imported without its lease: the next due-check treats it as abandoned.
  const putLedger = store.prepare((qb, p: Owner & DigestRows['digestLedger'][number] & { now: string }) =>
    qb.insertInto('nudge_ledger').values({
      team_id: p.teamId,
      user_id: p.userId,
      kind: 'digest',
      week_key: p.month,
      slot_at: p.slotAt,
      state: p.state,
      attempts: p.attempts,
      next_attempt_at: p.nextAttemptAt,
      channel_id: p.channelId,
      message_ts: p.messageTs,
      created_at: p.now,
      updated_at: p.now,
    }),
  );
  return {
    /** The person's digest rows, for the JSON export; call inside the export's read transaction. */
    async digestRowsOf(owner: Owner, tx?: Tx): Promise<DigestRows> {
      const key = { teamId: owner.teamId, userId: owner.userId };
      const s = await settings.first(key, tx);
      return {
        digestSettings: s
          ? { enabled: D.enabled.read(s.enabled), effectiveFrom: D.effective_from.read(s.effective_from) }
          : null,
        digestLedger: (await ledger.all(key, tx)).map((r) => ({
          month: r.week_key,
          slotAt: L.created_at.read(r.slot_at),
          state: r.state,
          attempts: r.attempts,
          nextAttemptAt: r.next_attempt_at === null ? null : L.created_at.read(r.next_attempt_at),
          channelId: r.channel_id,
          messageTs: r.message_ts,
        })),
      };
    },
    /** `ladder import`: call inside the import's transaction. `now`: ISO instant of the import. */
    async importDigestRows(owner: Owner, rows: DigestRows, now: string, tx?: Tx): Promise<void> {
      const key = { teamId: owner.teamId, userId: owner.userId };
      const s = rows.digestSettings;
      if (s)
        await putSettings.run(
          { ...key, enabled: D.enabled.write(s.enabled), from: s.effectiveFrom, now },
          tx,
        );
      for (const l of rows.digestLedger) await putLedger.run({ ...key, ...l, now }, tx);
    },
  };
}

export type DigestRepository = ReturnType<typeof createDigestRepository>;
