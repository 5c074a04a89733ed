import type { Owner } from '../domain/types.ts';
import { SLACK_LIMITS } from '../slack-limits.ts';
import type { Db } from './connection.ts';
import { ownedTables } from './owned-tables.ts';

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

interface ViewRow {
  view_id: string;
  kind: string;
  response_url: string | null;
  entry_id: number | null;
  message_channel: string | null;
  message_ts: string | null;
  message_text: string | null;
}

/**
 * Server-side state tied to Slack surfaces: which modal belongs to whom (and where to confirm),
 * and how often a response URL was used. Values are never read back from the client.
 */
export function createSlackStateRepository(db: Db) {
  const owned = ownedTables(db, SLACK_STATE_TABLES);
  // Pruning is one method for both tables, so each group's own prune stays inside.
  const { pruneViewsBefore, ...views } = pendingViewMethods(db);
  const { pruneUrlsBefore, ...urls } = responseUrlMethods(db);
  return {
    countOf: owned.countOf,
    deleteOf: owned.deleteOf,
    ...views,
    ...urls,

    /** Drops state older than a day: modals and response URLs are long dead by then. */
    prune(now: Date): void {
      const cutoff = new Date(now.getTime() - 24 * 3600 * 1000).toISOString();
      pruneViewsBefore(cutoff);
      pruneUrlsBefore(cutoff);
    },
  };
}

/** Open modals: whose each is, where to confirm, which entry or message it is about. */
function pendingViewMethods(db: Db) {
  const putView = db.prepare(
    `INSERT INTO pending_views (view_id, team_id, user_id, kind, response_url, entry_id, created_at,
       message_channel, message_ts, message_text)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (view_id) DO UPDATE SET kind = excluded.kind, response_url = excluded.response_url,
       entry_id = excluded.entry_id, message_channel = excluded.message_channel,
       message_ts = excluded.message_ts, message_text = excluded.message_text
     WHERE pending_views.team_id = excluded.team_id AND pending_views.user_id = excluded.user_id`,
  );
  const getView = db.prepare(
    `SELECT view_id, kind, response_url, entry_id, message_channel, message_ts, message_text FROM pending_views
     WHERE view_id = ? AND team_id = ? AND user_id = ?`,
  );
  const dropView = db.prepare('DELETE FROM pending_views WHERE view_id = ? AND team_id = ? AND user_id = ?');
  const pruneViews = db.prepare('DELETE FROM pending_views WHERE created_at < ?');

  return {
    rememberView(owner: Owner, v: PendingView, now: Date): void {
      putView.run(
        v.viewId,
        owner.teamId,
        owner.userId,
        v.kind,
        v.responseUrl,
        v.entryId,
        now.toISOString(),
        v.message?.channelId ?? null,
        v.message?.ts ?? null,
        v.message?.text ?? null,
      );
    },

    /** The pending view, only if it belongs to this owner. */
    findView(owner: Owner, viewId: string): PendingView | undefined {
      const r = getView.get(viewId, owner.teamId, owner.userId) as ViewRow | undefined;
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

    forgetView(owner: Owner, viewId: string): void {
      dropView.run(viewId, owner.teamId, owner.userId);
    },

    pruneViewsBefore(cutoff: string): void {
      pruneViews.run(cutoff);
    },
  };
}

/** Response URLs: when Slack handed each out and how often it was used. */
function responseUrlMethods(db: Db) {
  const claimUse = db.prepare(
    `INSERT INTO response_urls (url, team_id, user_id, uses, created_at) VALUES (?, ?, ?, 1, ?)
     ON CONFLICT (url) DO UPDATE SET uses = uses + 1
     WHERE response_urls.team_id = excluded.team_id AND response_urls.user_id = excluded.user_id
     RETURNING uses, created_at`,
  );
  const noteUrl = db.prepare(
    `INSERT INTO response_urls (url, team_id, user_id, uses, created_at) VALUES (?, ?, ?, 0, ?)
     ON CONFLICT (url) DO NOTHING`,
  );
  const pruneUrls = db.prepare('DELETE FROM response_urls WHERE created_at < ?');

  return {
    /** Records when Slack handed out a response URL (its 30 minutes start then). */
    noteResponseUrl(owner: Owner, url: string, now: Date): void {
      noteUrl.run(url, owner.teamId, owner.userId, now.toISOString());
    },

    /**
     * Counts one use of a response URL; false when Slack would refuse it (used 5 times, or older
     * than 30 minutes), so the caller can fall back instead of failing.
     */
    claimResponseUrl(owner: Owner, url: string, now: Date): boolean {
      const r = claimUse.get(url, owner.teamId, owner.userId, now.toISOString()) as
        | { uses: number; created_at: string }
        | undefined;
      if (!r) return false;
      return (
        r.uses <= SLACK_LIMITS.responseUrlUses &&
        now.getTime() - Date.parse(r.created_at) < SLACK_LIMITS.responseUrlTtlMs
      );
    },

    pruneUrlsBefore(cutoff: string): void {
      pruneUrls.run(cutoff);
    },
  };
}

export type SlackStateRepository = ReturnType<typeof createSlackStateRepository>;
