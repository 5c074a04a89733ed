import { instant } from './columns.ts';
import type { Store } from './store.ts';

/**
 * The send lease of each workspace: one instance at a time sends a workspace's scheduled DMs, so
 * NUDGE_SEND_RATE holds for the workspace across every instance on the database. A lease is taken
 * when it is free or has run out, kept by renewing it, and taken over by another instance once it
 * has run out (its instance died or stalled). Each call is one atomic statement on both engines.
 * The scheduler's one-instance jobs use the same rows under `job:<name>` keys (scheduler.ts).
 *
 * The table holds no personal data (a workspace id and an instance id), so `forget` and the JSON
 * export leave it alone (user-data.ts lists it as non-personal).
 */
export function createSendLeaseRepository(store: Store) {
  type Claim = { teamId: string; owner: string; now: string; until: string };
  // Inserted when the workspace has no row; else updated only when ours already or run out.
  const take = store.prepare((qb, p: Claim) =>
    qb
      .insertInto('send_leases')
      .values({ team_id: p.teamId, owner: p.owner, expires_at: p.until })
      .onConflict((oc) =>
        oc
          .column('team_id')
          .doUpdateSet((eb) => ({
            owner: eb.ref('excluded.owner'),
            expires_at: eb.ref('excluded.expires_at'),
          }))
          .where((eb) =>
            eb.or([
              eb('send_leases.owner', '=', eb.ref('excluded.owner')),
              eb('send_leases.expires_at', '<=', p.now),
            ]),
          ),
      )
      .returning('owner'),
  );
  const setExpiry = store.prepare((qb, p: { teamId: string; owner: string; until: string }) =>
    qb
      .updateTable('send_leases')
      .set({ expires_at: p.until })
      .where('team_id', '=', p.teamId)
      .where('owner', '=', p.owner)
      .returning('owner'),
  );
  const expireAll = store.prepare((qb, p: { owner: string; until: string }) =>
    qb
      .updateTable('send_leases')
      .set({ expires_at: p.until })
      .where('owner', '=', p.owner)
      .where('expires_at', '>', p.until),
  );
  const read = store.prepare((qb, p: { teamId: string }) =>
    qb.selectFrom('send_leases').select(['owner', 'expires_at']).where('team_id', '=', p.teamId),
  );

  return {
    /**
     * Takes the workspace's lease until `until`, or renews it when `owner` holds it already.
     * True when `owner` holds it now; false while another owner's lease runs (at `now`).
     */
    async acquire(teamId: string, owner: string, now: Date, until: Date): Promise<boolean> {
      const row = await take.first({ teamId, owner, now: now.toISOString(), until: until.toISOString() });
      return row?.owner === owner;
    },

    /** Moves the end of `owner`'s lease to `until`; false when the lease is not `owner`'s any more. */
    async extend(teamId: string, owner: string, until: Date): Promise<boolean> {
      const row = await setExpiry.first({ teamId, owner, until: until.toISOString() });
      return row?.owner === owner;
    },

    /**
     * Ends every lease of `owner` at `until` at the latest (a stopping instance: the others may
     * take its workspaces from then on).
     */
    async releaseAll(owner: string, until: Date): Promise<void> {
      await expireAll.run({ owner, until: until.toISOString() });
    },

    /** Who holds the workspace's lease, and until when (an expired lease is still returned). */
    async holder(teamId: string): Promise<{ owner: string; expiresAt: Date } | undefined> {
      const row = await read.first({ teamId });
      return row ? { owner: row.owner, expiresAt: instant.read(row.expires_at) } : undefined;
    },
  };
}

export type SendLeaseRepository = ReturnType<typeof createSendLeaseRepository>;
