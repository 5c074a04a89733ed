import type { NudgeDecision, RetryCandidate } from '../domain/nudge-schedule.ts';
import type { PromptHistoryItem } from '../domain/prompts.ts';
import type { Owner } from '../domain/types.ts';
import { nudgeLedgerColumns as L, nudgeHistoryColumns } from './columns.ts';
import {
  heldInOf,
  insertManyOf,
  LEDGER_COLUMNS,
  type Leased,
  leased,
  ledgerKeyOf,
  outcomeStatements,
  reclaimManyOf,
} from './ledger-statements.ts';
import {
  type ClaimedNudge,
  type ClaimResult,
  type LedgerEntry,
  type NudgeKey,
  type NudgeMessage,
  toLedger,
  toMessage,
} from './nudge-model.ts';
import { dueMethods, type NextDue } from './nudge-repository-due.ts';
import { createNudgeRows } from './nudge-repository-rows.ts';
import { dmChannelMethods, settingsMethods } from './nudge-repository-settings.ts';
import type { Store, Tx } from './store.ts';

/** The weekly rows (the monthly digest's rows, kind 'digest', are the digest repository's). */
const ledgerKey = ledgerKeyOf('weekly');
const heldIn = heldInOf('weekly');

/**
 * Nudge settings, the weekly ledger, the DM channel cache and the prompt history. Every state
 * change of a ledger row is a compare-and-set on its state and lease owner: two processes (the app's
 * scheduler and `nudges run`) can race for a row, and exactly one wins each step.
 */
export function createNudgeRepository(store: Store) {
  return {
    ...createNudgeRows(store),
    ...settingsMethods(store),
    ...dueMethods(store),
    ...ledgerReads(store),
    ...claimMethods(store),
    ...sendMethods(store),
    ...outcomeMethods(store),
    ...dmChannelMethods(store),
    ...historyMethods(store),
  };
}

/** The weekly ledger as it stands. */
function ledgerReads(store: Store) {
  const since = store.prepare((qb, p: { weekKey: string }) =>
    qb
      .selectFrom('nudge_ledger')
      .select(LEDGER_COLUMNS)
      .where('kind', '=', 'weekly')
      .where('week_key', '>=', p.weekKey)
      // One order on every engine (SQLite happens to return key order; PostgreSQL promises none).
      .orderBy('week_key')
      .orderBy('team_id')
      .orderBy('user_id'),
  );
  const row = store.prepare((qb, p: NudgeKey) =>
    qb
      .selectFrom('nudge_ledger')
      .select(LEDGER_COLUMNS)
      .where((eb) => ledgerKey(eb, p)),
  );
  const ofOwner = store.prepare((qb, p: Owner) =>
    qb
      .selectFrom('nudge_ledger')
      .select(LEDGER_COLUMNS)
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId)
      .where('kind', '=', 'weekly')
      .orderBy('week_key'),
  );

  return {
    /** Every ledger row of every person from this ISO week on ('YYYY-Www' sorts as text). */
    async ledgerSince(weekKey: string): Promise<LedgerEntry[]> {
      return (await since.all({ weekKey })).map(toLedger);
    },

    async ledgerRow(key: NudgeKey): Promise<LedgerEntry | undefined> {
      const r = await row.first({ teamId: key.teamId, userId: key.userId, weekKey: key.weekKey });
      return r ? toLedger(r) : undefined;
    },

    async ledgerOf(owner: Owner): Promise<LedgerEntry[]> {
      return (await ofOwner.all({ teamId: owner.teamId, userId: owner.userId })).map(toLedger);
    },
  };
}

/**
 * The decisions' new rows in one statement ('claimed' under the lease for a send, 'skipped' with
 * its reason); a row another process wrote first is left alone. Returns the keys written.
 */
async function insertDecisions(
  insertMany: ReturnType<typeof insertManyOf>,
  decisions: readonly NudgeDecision[],
  lease: { owner: string; leaseExpiresAt: string; iso: string },
  tx: Tx,
): Promise<Set<string>> {
  const written = new Set<string>();
  if (decisions.length === 0) return written;
  const slots = decisions.map((d) => L.slot_at.write(d.slotAt));
  const states = decisions.map((d) => (d.action === 'send' ? ('claimed' as const) : ('skipped' as const)));
  const reasons = decisions.map((d) => (d.action === 'send' ? null : (d.reason ?? null)));
  const rows = decisions.map((d, i) => [d.teamId, d.userId, d.weekKey, slots[i], states[i], reasons[i]]);
  const params = {
    teams: decisions.map((d) => d.teamId),
    users: decisions.map((d) => d.userId),
    weeks: decisions.map((d) => d.weekKey),
    slots,
    states,
    reasons,
    json: JSON.stringify(rows),
    leaseOwner: lease.owner,
    leaseExpiresAt: lease.leaseExpiresAt,
    now: lease.iso,
  };
  for (const r of await insertMany.all(params, tx))
    written.add(`${r.team_id}\u0000${r.user_id}\u0000${r.week_key}`);
  return written;
}

/** Claiming the week's nudges (and the retries) under a lease, racing other processes row by row. */
function claimMethods(store: Store) {
  const reclaimMany = reclaimManyOf(store, 'weekly');
  const insertMany = insertManyOf(store, 'weekly');
  const { advanceNextDue } = dueMethods(store);
  /** The retry candidates taken over in one statement: those no other process got first. */
  const reclaimAll = async (
    retries: readonly RetryCandidate[],
    lease: { owner: string; leaseExpiresAt: string; iso: string },
    at: Date,
    tx: Tx,
  ): Promise<ClaimedNudge[]> => {
    if (retries.length === 0) return [];
    const keys = retries.map(({ row }) => [row.teamId, row.userId, row.weekKey] as const);
    const rows = await reclaimMany.all(
      {
        teams: keys.map((k) => k[0]),
        users: keys.map((k) => k[1]),
        weeks: keys.map((k) => k[2]),
        json: JSON.stringify(keys),
        leaseOwner: lease.owner,
        leaseExpiresAt: lease.leaseExpiresAt,
        now: lease.iso,
        at: at.toISOString(),
      },
      tx,
    );
    const got = new Map(rows.map((r) => [`${r.team_id}\u0000${r.user_id}\u0000${r.week_key}`, r]));
    // In the candidates' order, as the row-by-row takeover returned them.
    return keys.flatMap(([teamId, userId, weekKey]) => {
      const r = got.get(`${teamId}\u0000${userId}\u0000${weekKey}`);
      if (!r) return [];
      const slotAt = L.slot_at.read(r.slot_at);
      return [{ teamId, userId, weekKey, slotAt, leaseOwner: lease.owner, tickAt: at, attempts: r.attempts }];
    });
  };

  return {
    /**
     * In one transaction: a 'claimed' row (with this lease) for every 'send' decision, a 'skipped'
     * row for every skip, and the retry candidates taken over, each only if no other process got
     * there first; and the people decided on move to their next due instant (`advance`). Returns
     * what this process now owns.
     */
    claim(
      decisions: readonly NudgeDecision[],
      retries: readonly RetryCandidate[],
      lease: { owner: string; expiresAt: Date },
      at: Date,
      now: Date,
      advance: readonly NextDue[] = [],
    ): Promise<ClaimResult> {
      const leaseExpiresAt = L.lease_expires_at.write(lease.expiresAt) as string;
      const iso = now.toISOString();
      return store.transaction(async (tx) => {
        const claimed: ClaimedNudge[] = [];
        const skipped: NudgeKey[] = [];
        const inserted = await insertDecisions(insertMany, decisions, { ...lease, leaseExpiresAt, iso }, tx);
        for (const d of decisions) {
          const key = { teamId: d.teamId, userId: d.userId, weekKey: d.weekKey };
          if (!inserted.has(`${d.teamId}\u0000${d.userId}\u0000${d.weekKey}`)) continue;
          if (d.action === 'send')
            claimed.push({ ...key, slotAt: d.slotAt, leaseOwner: lease.owner, tickAt: at, attempts: 0 });
          else skipped.push(key);
        }
        claimed.push(...(await reclaimAll(retries, { ...lease, leaseExpiresAt, iso }, at, tx)));
        await advanceNextDue(advance, tx);
        return { claimed, skipped };
      });
    },
  };
}

type HistoryParams = Owner & {
  promptId: string;
  trigger: 'weekly' | 'now';
  weekKey: string | null;
  channelId: string;
  messageTs: string;
  sentAt: string;
};

/** A sent prompt into the history (a replayed message is kept once). */
function historyInsert(store: Store) {
  return store.prepare((qb, p: HistoryParams) =>
    qb
      .insertInto('nudge_history')
      .values({
        team_id: p.teamId,
        user_id: p.userId,
        prompt_id: p.promptId,
        trigger: p.trigger,
        week_key: p.weekKey,
        channel_id: p.channelId,
        message_ts: p.messageTs,
        sent_at: p.sentAt,
      })
      .onConflict((oc) => oc.columns(['team_id', 'user_id', 'channel_id', 'message_ts']).doNothing()),
  );
}

/** claimed → sending → sent, the sent prompt into the history. */
function sendMethods(store: Store) {
  const markSending = store.prepare((qb, p: Leased & { promptId: string; channelId: string; now: string }) =>
    qb
      .updateTable('nudge_ledger')
      .set({ state: 'sending', prompt_id: p.promptId, channel_id: p.channelId, updated_at: p.now })
      .where(heldIn(p, ['claimed'])),
  );
  const { sent: markSent } = outcomeStatements(store, 'weekly');
  const insertHistory = historyInsert(store);

  return {
    /** claimed → sending, just before the Slack call; false when the claim is no longer ours. */
    async markSending(c: ClaimedNudge, promptId: string, channelId: string, now: Date): Promise<boolean> {
      return (await markSending.run({ ...leased(c), promptId, channelId, now: now.toISOString() })) > 0;
    },

    /** sending → sent, with the message, and the prompt into the history, in one transaction. */
    markSent(
      c: ClaimedNudge,
      sent: { channelId: string; messageTs: string; promptId: string },
      now: Date,
    ): Promise<boolean> {
      const iso = now.toISOString();
      return store.transaction(async (tx) => {
        const changed = await markSent.run(
          {
            ...leased(c),
            channelId: sent.channelId,
            messageTs: sent.messageTs,
            now: iso,
          },
          tx,
        );
        // The person was forgotten (or the claim taken over) between the post and now: write nothing.
        if (changed === 0) return false;
        await insertHistory.run(
          {
            teamId: c.teamId,
            userId: c.userId,
            promptId: sent.promptId,
            trigger: 'weekly',
            weekKey: c.weekKey,
            channelId: sent.channelId,
            messageTs: sent.messageTs,
            sentAt: nudgeHistoryColumns.sent_at.write(iso),
          },
          tx,
        );
        return true;
      });
    },
  };
}

/** The other ends of a claim: failed (to retry), skipped, unconfirmed, or released on shutdown. */
function outcomeMethods(store: Store) {
  const {
    failed: markFailed,
    skipped: markSkipped,
    unconfirmed: noteUnconfirmed,
  } = outcomeStatements(store, 'weekly');
  const release = store.prepare((qb, p: { leaseOwner: string; now: string }) =>
    qb
      .updateTable('nudge_ledger')
      .set({ lease_expires_at: null, updated_at: p.now })
      .where('state', '=', 'claimed')
      .where('lease_owner', '=', p.leaseOwner),
  );

  return {
    async markFailed(c: ClaimedNudge, reason: string, nextAttemptAt: Date, now: Date): Promise<boolean> {
      const next = L.next_attempt_at.write(nextAttemptAt) as string;
      return (
        (await markFailed.run({ ...leased(c), reason, nextAttemptAt: next, now: now.toISOString() })) > 0
      );
    },

    async markSkipped(c: ClaimedNudge, reason: string, now: Date): Promise<boolean> {
      return (await markSkipped.run({ ...leased(c), reason, now: now.toISOString() })) > 0;
    },

    /** The Slack call may or may not have gone out (a timeout): the row stays 'sending', never resent. */
    async noteUnconfirmed(c: ClaimedNudge, reason: string, now: Date): Promise<void> {
      await noteUnconfirmed.run({ ...leased(c), reason, now: now.toISOString() });
    },

    /** On shutdown: this process' queued claims may be taken over at once by the next run. */
    releaseClaims(leaseOwner: string, now: Date): Promise<number> {
      return release.run({ leaseOwner, now: now.toISOString() });
    },
  };
}

const MESSAGE_COLUMNS = [
  'id',
  'prompt_id',
  'trigger',
  'week_key',
  'channel_id',
  'message_ts',
  'sent_at',
] as const;

/** The prompts sent to each person, weekly or on demand, and the DM messages they were. */
function historyMethods(store: Store) {
  const insertHistory = historyInsert(store);
  const history = store.prepare((qb, p: Owner) =>
    qb
      .selectFrom('nudge_history')
      .select(['prompt_id', 'sent_at'])
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId)
      .orderBy('sent_at')
      .orderBy('id'),
  );
  const message = store.prepare((qb, p: Owner & { channelId: string; messageTs: string }) =>
    qb
      .selectFrom('nudge_history')
      .select(MESSAGE_COLUMNS)
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId)
      .where('channel_id', '=', p.channelId)
      .where('message_ts', '=', p.messageTs),
  );
  const messageById = store.prepare((qb, p: Owner & { id: number }) =>
    qb
      .selectFrom('nudge_history')
      .select(MESSAGE_COLUMNS)
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId)
      .where('id', '=', p.id),
  );
  const key = (owner: Owner): Owner => ({ teamId: owner.teamId, userId: owner.userId });

  return {
    /** A prompt sent outside the weekly ledger (`nudge now`). */
    async recordOnDemand(
      owner: Owner,
      sent: { promptId: string; channelId: string; messageTs: string },
      now: Date,
    ): Promise<void> {
      await insertHistory.run({
        ...key(owner),
        promptId: sent.promptId,
        trigger: 'now',
        weekKey: null,
        channelId: sent.channelId,
        messageTs: sent.messageTs,
        sentAt: nudgeHistoryColumns.sent_at.write(now.toISOString()),
      });
    },

    async promptHistory(owner: Owner): Promise<PromptHistoryItem[]> {
      return (await history.all(key(owner))).map((r) => ({
        promptId: r.prompt_id,
        sentAt: nudgeHistoryColumns.sent_at.read(r.sent_at),
      }));
    },

    /** The nudge a DM message is, if it is one of this person's. */
    async findMessage(owner: Owner, channelId: string, messageTs: string): Promise<NudgeMessage | undefined> {
      const r = await message.first({ ...key(owner), channelId, messageTs });
      return r ? toMessage(r) : undefined;
    },

    async messageById(owner: Owner, id: number): Promise<NudgeMessage | undefined> {
      const r = await messageById.first({ ...key(owner), id });
      return r ? toMessage(r) : undefined;
    },
  };
}

export type NudgeRepository = ReturnType<typeof createNudgeRepository>;
