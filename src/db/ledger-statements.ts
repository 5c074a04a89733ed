/**
 * The parts of the nudge ledger's statements that the weekly nudge (nudge-repository.ts) and the
 * monthly digest (digest-repository.ts) share: the same table, told apart by `kind`. Each
 * repository binds them to its own kind, so neither can touch the other's rows.
 */
import type { ExpressionBuilder } from 'kysely';
import type { NudgeKey } from './nudge-model.ts';
import type { Schema } from './schema.ts';
import type { Store } from './store.ts';

export type LedgerKind = 'weekly' | 'digest';

export const LEDGER_COLUMNS = [
  'team_id',
  'user_id',
  'week_key',
  'slot_at',
  'state',
  'reason',
  'attempts',
  'next_attempt_at',
  'lease_owner',
  'lease_expires_at',
  'prompt_id',
  'channel_id',
  'message_ts',
] as const;

/** A ledger row's key and the lease a state change must still hold. */
export type Leased = NudgeKey & { leaseOwner: string };

export function leased(c: Leased): Leased {
  return { teamId: c.teamId, userId: c.userId, weekKey: c.weekKey, leaseOwner: c.leaseOwner };
}

type LedgerEb = ExpressionBuilder<Schema, 'nudge_ledger'>;

/** The row of `p` of this kind (`weekKey` is the week, or for a digest the month). */
export const ledgerKeyOf = (kind: LedgerKind) => (eb: LedgerEb, p: NudgeKey) =>
  eb.and([
    eb('team_id', '=', p.teamId),
    eb('user_id', '=', p.userId),
    eb('kind', '=', kind),
    eb('week_key', '=', p.weekKey),
  ]);

/** The row of `p` of this kind, in one of `states`, still leased to `p.leaseOwner`. */
export const heldInOf = (kind: LedgerKind) => {
  const key = ledgerKeyOf(kind);
  return (p: Leased, states: ReadonlyArray<'claimed' | 'sending'>) => (eb: LedgerEb) =>
    eb.and([key(eb, p), eb('state', 'in', states), eb('lease_owner', '=', p.leaseOwner)]);
};

export type ClaimRow = NudgeKey & {
  slotAt: string;
  state: 'claimed' | 'skipped';
  reason: string | null;
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
  now: string;
};

/** The statements of a claim: a new row of this kind, or a failed or abandoned one taken over. */
export function claimStatements(store: Store, kind: LedgerKind) {
  const key = ledgerKeyOf(kind);
  const insertClaim = store.prepare((qb, p: ClaimRow) =>
    qb
      .insertInto('nudge_ledger')
      .values({
        team_id: p.teamId,
        user_id: p.userId,
        kind,
        week_key: p.weekKey,
        slot_at: p.slotAt,
        state: p.state,
        reason: p.reason,
        lease_owner: p.leaseOwner,
        lease_expires_at: p.leaseExpiresAt,
        created_at: p.now,
        updated_at: p.now,
      })
      .onConflict((oc) => oc.columns(['team_id', 'user_id', 'kind', 'week_key']).doNothing()),
  );
  const reclaim = store.prepare((qb, p: Leased & { leaseExpiresAt: string; now: string; at: string }) =>
    qb
      .updateTable('nudge_ledger')
      .set({
        state: 'claimed',
        lease_owner: p.leaseOwner,
        lease_expires_at: p.leaseExpiresAt,
        updated_at: p.now,
      })
      .where((eb) =>
        eb.and([
          key(eb, p),
          eb.or([
            eb.and([
              eb('state', '=', 'failed'),
              eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', p.at)]),
            ]),
            eb.and([
              eb('state', '=', 'claimed'),
              eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', p.at)]),
            ]),
          ]),
        ]),
      )
      .returning(['slot_at', 'attempts']),
  );
  return { insertClaim, reclaim };
}

/**
 * The compare-and-set steps after a send, for rows of this kind: each holds only while the row is
 * still in the expected state and leased to the caller, so of two racing processes one wins.
 */
export function outcomeStatements(store: Store, kind: LedgerKind) {
  const heldIn = heldInOf(kind);
  return {
    sent: store.prepare((qb, p: Leased & { channelId: string; messageTs: string; now: string }) =>
      qb
        .updateTable('nudge_ledger')
        .set({
          state: 'sent',
          message_ts: p.messageTs,
          channel_id: p.channelId,
          reason: null,
          next_attempt_at: null,
          lease_expires_at: null,
          updated_at: p.now,
        })
        .where(heldIn(p, ['sending'])),
    ),
    failed: store.prepare((qb, p: Leased & { reason: string; nextAttemptAt: string; now: string }) =>
      qb
        .updateTable('nudge_ledger')
        .set((eb) => ({
          state: 'failed',
          attempts: eb('attempts', '+', 1),
          reason: p.reason,
          next_attempt_at: p.nextAttemptAt,
          lease_owner: null,
          lease_expires_at: null,
          updated_at: p.now,
        }))
        .where(heldIn(p, ['claimed', 'sending'])),
    ),
    skipped: store.prepare((qb, p: Leased & { reason: string; now: string }) =>
      qb
        .updateTable('nudge_ledger')
        .set({
          state: 'skipped',
          reason: p.reason,
          lease_owner: null,
          lease_expires_at: null,
          updated_at: p.now,
        })
        .where(heldIn(p, ['claimed', 'sending'])),
    ),
    unconfirmed: store.prepare((qb, p: Leased & { reason: string; now: string }) =>
      qb
        .updateTable('nudge_ledger')
        .set({ reason: p.reason, updated_at: p.now })
        .where(heldIn(p, ['sending'])),
    ),
  };
}
