import type { Owner } from '../domain/types.ts';
import { SLACK_LIMITS } from '../slack-limits.ts';
import { slackStateColumns as C } from './columns.ts';
import { ownedTables } from './owned-tables.ts';
import { pick, type Store } from './store.ts';

/** The tables this repository owns, each keyed by (team_id, user_id). */
export const SLACK_STATE_TABLES = ['pending_views', 'response_urls'] as const;

export interface PendingView {
  viewId: string;
  kind: string;
  responseUrl: string | null;
  entryId: number | null;
  /** "Save as evidence": the message the modal came from, and its Slack text. */
  message?: { channelId: string; ts: string; text: string } | null;
}

/**
 * Server-side state tied to Slack surfaces: which modal belongs to whom (and where to confirm),
 * and how often a response URL was used. Values are never read back from the client.
 */
export function createSlackStateRepository(store: Store) {
  const owned = ownedTables(store, SLACK_STATE_TABLES);
  // Pruning is one method for both tables, so each group's own prune stays inside.
  const { pruneViewsBefore, ...views } = pendingViewMethods(store);
  const { pruneUrlsBefore, ...urls } = responseUrlMethods(store);
  return {
    countOf: owned.countOf,
    deleteOf: owned.deleteOf,
    moveOf: owned.moveOf,
    holdsAnyOf: owned.holdsAnyOf,
    ...views,
    ...urls,

    /** Drops state older than a day: modals and response URLs are long dead by then. */
    async prune(now: Date): Promise<void> {
      const cutoff = new Date(now.getTime() - 24 * 3600 * 1000).toISOString();
      await pruneViewsBefore(cutoff);
      await pruneUrlsBefore(cutoff);
    },
  };
}

const VIEW_COLUMNS = [
  'view_id',
  'team_id',
  'user_id',
  'kind',
  'response_url',
  'entry_id',
  'created_at',
  'message_channel',
  'message_ts',
  'message_text',
] as const;
type ViewRow = {
  view_id: string;
  team_id: string;
  user_id: string;
  kind: string;
  response_url: string | null;
  entry_id: number | null;
  created_at: string;
  message_channel: string | null;
  message_ts: string | null;
  message_text: string | null;
};

/** A modal's row: inserted, or updated when the same owner opens it again. */
function putViewStatement(store: Store) {
  return store.prepare((qb, p: ViewRow) =>
    qb
      .insertInto('pending_views')
      .values(pick(p, VIEW_COLUMNS))
      .onConflict((oc) =>
        oc
          .column('view_id')
          .doUpdateSet((eb) => ({
            kind: eb.ref('excluded.kind'),
            response_url: eb.ref('excluded.response_url'),
            entry_id: eb.ref('excluded.entry_id'),
            message_channel: eb.ref('excluded.message_channel'),
            message_ts: eb.ref('excluded.message_ts'),
            message_text: eb.ref('excluded.message_text'),
          }))
          .where((eb) =>
            eb.and([
              eb('pending_views.team_id', '=', eb.ref('excluded.team_id')),
              eb('pending_views.user_id', '=', eb.ref('excluded.user_id')),
            ]),
          ),
      ),
  );
}

/** Open modals: whose each is, where to confirm, which entry or message it is about. */
function pendingViewMethods(store: Store) {
  const putView = putViewStatement(store);
  const getView = store.prepare((qb, p: Owner & { viewId: string }) =>
    qb
      .selectFrom('pending_views')
      .select([
        'view_id',
        'kind',
        'response_url',
        'entry_id',
        'message_channel',
        'message_ts',
        'message_text',
      ])
      .where('view_id', '=', p.viewId)
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId),
  );
  const dropView = store.prepare((qb, p: Owner & { viewId: string }) =>
    qb
      .deleteFrom('pending_views')
      .where('view_id', '=', p.viewId)
      .where('team_id', '=', p.teamId)
      .where('user_id', '=', p.userId),
  );
  const pruneViews = store.prepare((qb, p: { cutoff: string }) =>
    qb.deleteFrom('pending_views').where('created_at', '<', p.cutoff),
  );

  return {
    async rememberView(owner: Owner, v: PendingView, now: Date): Promise<void> {
      await putView.run({
        view_id: v.viewId,
        team_id: owner.teamId,
        user_id: owner.userId,
        kind: v.kind,
        response_url: v.responseUrl,
        entry_id: v.entryId,
        created_at: C.created_at.write(now.toISOString()),
        message_channel: v.message?.channelId ?? null,
        message_ts: v.message?.ts ?? null,
        message_text: v.message?.text ?? null,
      });
    },

    /** The pending view, only if it belongs to this owner. */
    async findView(owner: Owner, viewId: string): Promise<PendingView | undefined> {
      const r = await getView.first({ teamId: owner.teamId, userId: owner.userId, viewId });
      if (!r) return undefined;
      return {
        viewId: r.view_id,
        kind: r.kind,
        responseUrl: r.response_url,
        entryId: r.entry_id,
        message:
          r.message_channel && r.message_ts
            ? { channelId: r.message_channel, ts: r.message_ts, text: r.message_text ?? '' }
            : null,
      };
    },

    async forgetView(owner: Owner, viewId: string): Promise<void> {
      await dropView.run({ teamId: owner.teamId, userId: owner.userId, viewId });
    },

    async pruneViewsBefore(cutoff: string): Promise<void> {
      await pruneViews.run({ cutoff });
    },
  };
}

/** Response URLs: when Slack handed each out and how often it was used. */
function responseUrlMethods(store: Store) {
  type UrlParams = Owner & { url: string; now: string };
  const values = (p: UrlParams, uses: number) => ({
    url: p.url,
    team_id: p.teamId,
    user_id: p.userId,
    uses,
    created_at: p.now,
  });
  const claimUse = store.prepare((qb, p: UrlParams) =>
    qb
      .insertInto('response_urls')
      .values(values(p, 1))
      .onConflict((oc) =>
        oc
          .column('url')
          .doUpdateSet((eb) => ({ uses: eb('response_urls.uses', '+', 1) }))
          .where((eb) =>
            eb.and([
              eb('response_urls.team_id', '=', eb.ref('excluded.team_id')),
              eb('response_urls.user_id', '=', eb.ref('excluded.user_id')),
            ]),
          ),
      )
      .returning(['uses', 'created_at']),
  );
  const noteUrl = store.prepare((qb, p: UrlParams) =>
    qb
      .insertInto('response_urls')
      .values(values(p, 0))
      .onConflict((oc) => oc.column('url').doNothing()),
  );
  const pruneUrls = store.prepare((qb, p: { cutoff: string }) =>
    qb.deleteFrom('response_urls').where('created_at', '<', p.cutoff),
  );

  return {
    /** Records when Slack handed out a response URL (its 30 minutes start then). */
    async noteResponseUrl(owner: Owner, url: string, now: Date): Promise<void> {
      await noteUrl.run({ teamId: owner.teamId, userId: owner.userId, url, now: now.toISOString() });
    },

    /**
     * Counts one use of a response URL; false when Slack would refuse it (used 5 times, or older
     * than 30 minutes), so the caller can fall back instead of failing.
     */
    async claimResponseUrl(owner: Owner, url: string, now: Date): Promise<boolean> {
      const r = await claimUse.first({
        teamId: owner.teamId,
        userId: owner.userId,
        url,
        now: now.toISOString(),
      });
      if (!r) return false;
      return (
        r.uses <= SLACK_LIMITS.responseUrlUses &&
        now.getTime() - Date.parse(C.created_at.read(r.created_at)) < SLACK_LIMITS.responseUrlTtlMs
      );
    },

    async pruneUrlsBefore(cutoff: string): Promise<void> {
      await pruneUrls.run({ cutoff });
    },
  };
}

export type SlackStateRepository = ReturnType<typeof createSlackStateRepository>;
