-- Weekly reflection nudges. Every row belongs to a person, keyed by (team_id, user_id); all four
-- tables are covered by /ladder forget. Instants are ISO-8601 UTC strings (they sort as text).

-- A person's schedule. The time zone is the profile's (profiles.tz, from Slack's users.info).
CREATE TABLE nudge_settings (
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  -- 0 = Sunday … 6 = Saturday; minutes after local midnight.
  day INTEGER NOT NULL CHECK (day BETWEEN 0 AND 6),
  minute_of_day INTEGER NOT NULL CHECK (minute_of_day BETWEEN 0 AND 1439),
  -- No nudges for slots on or before this local date (inclusive).
  paused_through TEXT,
  -- ISO week key ('YYYY-Www') of one upcoming nudge the person chose to skip.
  skip_week TEXT,
  -- When the current schedule took effect: slots before it are never caught up.
  effective_from TEXT NOT NULL,
  -- Set when the app, not the person, switched nudges off (e.g. 'account-gone').
  off_reason TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (team_id, user_id)
) WITHOUT ROWID;
CREATE INDEX nudge_settings_enabled ON nudge_settings (enabled);

-- One row per person per ISO week of the slot's local date: the "never two in one week" guarantee.
-- claimed (owned by lease_owner until lease_expires_at) → sending (written just before the Slack
-- call; never sent again) → sent | failed (retried after next_attempt_at) ; or skipped.
CREATE TABLE nudge_ledger (
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  week_key TEXT NOT NULL,
  slot_at TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('claimed', 'sending', 'sent', 'failed', 'skipped')),
  -- Why it was skipped, or the last failure (a Slack error code, 'http_500', 'ratelimited' …).
  reason TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  lease_owner TEXT,
  lease_expires_at TEXT,
  prompt_id TEXT,
  -- The DM and the sent message: thread replies to it become evidence.
  channel_id TEXT,
  message_ts TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (team_id, user_id, week_key)
) WITHOUT ROWID;
CREATE INDEX nudge_ledger_by_week ON nudge_ledger (week_key);
CREATE INDEX nudge_ledger_open ON nudge_ledger (state, week_key)
  WHERE state IN ('claimed', 'sending', 'failed');

-- The DM channel id of each person with the bot, so a weekly send costs one call, not two.
CREATE TABLE nudge_dm_channels (
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  cached_at TEXT NOT NULL,
  PRIMARY KEY (team_id, user_id)
) WITHOUT ROWID;

-- Every prompt sent (weekly, or on demand with `nudge now`): prompt choice reads it, and thread
-- replies are matched to their prompt through it.
CREATE TABLE nudge_history (
  id INTEGER PRIMARY KEY,
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  prompt_id TEXT NOT NULL,
  trigger TEXT NOT NULL CHECK (trigger IN ('weekly', 'now')),
  week_key TEXT,
  channel_id TEXT NOT NULL,
  message_ts TEXT NOT NULL,
  sent_at TEXT NOT NULL
);
CREATE INDEX nudge_history_by_owner ON nudge_history (team_id, user_id, sent_at);
CREATE UNIQUE INDEX nudge_history_by_message ON nudge_history (team_id, user_id, channel_id, message_ts);
