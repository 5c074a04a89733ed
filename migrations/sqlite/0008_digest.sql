-- The monthly digest shares the weekly nudge's ledger (claims, owner and lease, at most once on an
-- unknown outcome): the ledger gains a `kind`. SQLite cannot change a primary key in place, so the
-- table is rebuilt; every existing row is a weekly one. For a digest, `week_key` holds the month of
-- its slot ('YYYY-MM', the person's zone): one digest per person per month.
CREATE TABLE nudge_ledger_rebuilt (
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'weekly' CHECK (kind IN ('weekly', 'digest')),
  week_key TEXT NOT NULL,
  slot_at TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('claimed', 'sending', 'sent', 'failed', 'skipped')),
  reason TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  lease_owner TEXT,
  lease_expires_at TEXT,
  prompt_id TEXT,
  channel_id TEXT,
  message_ts TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (team_id, user_id, kind, week_key)
) WITHOUT ROWID;
INSERT INTO nudge_ledger_rebuilt (team_id, user_id, kind, week_key, slot_at, state, reason, attempts,
  next_attempt_at, lease_owner, lease_expires_at, prompt_id, channel_id, message_ts, created_at, updated_at)
SELECT team_id, user_id, 'weekly', week_key, slot_at, state, reason, attempts, next_attempt_at, lease_owner,
  lease_expires_at, prompt_id, channel_id, message_ts, created_at, updated_at
FROM nudge_ledger;
DROP TABLE nudge_ledger;
ALTER TABLE nudge_ledger_rebuilt RENAME TO nudge_ledger;
CREATE INDEX nudge_ledger_by_week ON nudge_ledger (kind, week_key);
CREATE INDEX nudge_ledger_open ON nudge_ledger (kind, state, week_key)
  WHERE state IN ('claimed', 'sending', 'failed');

-- Who wants the monthly digest. Its time is the weekly nudge's (nudge_settings.minute_of_day, else
-- 16:00 local) whether or not weekly nudges are on; its zone is the profile's.
CREATE TABLE digest_settings (
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  -- When the digest was last switched on: a month whose slot came before it is not caught up.
  effective_from TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (team_id, user_id)
) WITHOUT ROWID;
CREATE INDEX digest_settings_enabled ON digest_settings (enabled);
