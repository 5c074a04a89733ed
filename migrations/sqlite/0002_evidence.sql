-- Evidence: wins and reflections a person logs, tagged to the ladder. Private to (team_id, user_id).
CREATE TABLE evidence (
  id INTEGER PRIMARY KEY,
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  text TEXT NOT NULL,
  -- The day it happened, in the user's time zone (YYYY-MM-DD).
  occurred_on TEXT NOT NULL,
  -- JSON arrays of axis ids: confirmed by the user, and suggested by keyword rules.
  axes TEXT NOT NULL DEFAULT '[]',
  suggested_axes TEXT NOT NULL DEFAULT '[]',
  shift TEXT,
  scope TEXT,
  link TEXT,
  source TEXT NOT NULL,
  -- Reflections: the prompt answered and the nudge's week.
  prompt_id TEXT,
  nudge_week TEXT,
  -- Thread replies to a nudge: the Slack message the entry came from, so edits and deletes follow it.
  channel_id TEXT,
  message_ts TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX evidence_by_owner ON evidence (team_id, user_id, occurred_on DESC, id DESC);
CREATE UNIQUE INDEX evidence_by_message ON evidence (team_id, user_id, channel_id, message_ts)
  WHERE message_ts IS NOT NULL;

-- Retried Slack deliveries (same event_id, same interaction) are recorded here so they never
-- create a second entry. Keyed by the owner so /ladder forget removes them.
CREATE TABLE deliveries (
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  delivery_key TEXT NOT NULL,
  entry_id INTEGER,
  created_at TEXT NOT NULL,
  PRIMARY KEY (team_id, delivery_key)
) WITHOUT ROWID;

-- Modals opened from a command or shortcut confirm through that request's response URL, kept
-- here by view id (never read back from private_metadata).
CREATE TABLE pending_views (
  view_id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  response_url TEXT,
  entry_id INTEGER,
  created_at TEXT NOT NULL
) WITHOUT ROWID;

-- How often each response URL was used (Slack allows 5 within 30 minutes).
CREATE TABLE response_urls (
  url TEXT PRIMARY KEY,
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  uses INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
) WITHOUT ROWID;
