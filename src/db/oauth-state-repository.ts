import { instant } from './columns.ts';
import type { Store } from './store.ts';

/** How long an install started on the "Add to Slack" page may take. */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;
/** Expired states are kept this long, so a late redirect is told "expired" rather than "used". */
const KEEP_EXPIRED_MS = 24 * 3600 * 1000;

export type ConsumedState = { found: false } | { found: true; expired: boolean; installOptions: string };

/**
 * The OAuth `state` of installs under way, shared by every instance: each one is taken at most
 * once (the DELETE … RETURNING that takes it is atomic on both engines) and only within ten
 * minutes of being issued.
 */
export function createOauthStateRepository(store: Store) {
  const insert = store.prepare(
    (qb, p: { stateId: string; installOptions: string; expiresAt: string; now: string }) =>
      qb.insertInto('oauth_states').values({
        state_id: p.stateId,
        install_options: p.installOptions,
        expires_at: p.expiresAt,
        created_at: p.now,
      }),
  );
  const sweep = store.prepare((qb, p: { before: string }) =>
    qb.deleteFrom('oauth_states').where('expires_at', '<', p.before),
  );
  const take = store.prepare((qb, p: { stateId: string }) =>
    qb
      .deleteFrom('oauth_states')
      .where('state_id', '=', p.stateId)
      .returning(['install_options', 'expires_at']),
  );
  return {
    async issue(stateId: string, installOptions: string, now: Date): Promise<void> {
      await sweep.run({ before: new Date(now.getTime() - KEEP_EXPIRED_MS).toISOString() });
      await insert.run({
        stateId,
        installOptions,
        expiresAt: new Date(now.getTime() + OAUTH_STATE_TTL_MS).toISOString(),
        now: now.toISOString(),
      });
    },

    /** Takes the state: a second call with the same id, here or on another instance, finds nothing. */
    async consume(stateId: string, now: Date): Promise<ConsumedState> {
      const row = await take.first({ stateId });
      if (!row) return { found: false };
      return {
        found: true,
        expired: instant.read(row.expires_at).getTime() <= now.getTime(),
        installOptions: row.install_options,
      };
    },
  };
}

export type OauthStateRepository = ReturnType<typeof createOauthStateRepository>;
