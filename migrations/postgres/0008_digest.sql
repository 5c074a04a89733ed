-- The monthly digest shares the weekly nudge's ledger (claims, owner and lease, at most once on an
-- unknown outcome): the ledger gains a `kind`, part of the primary key. PostgreSQL changes the key
-- in place (SQLite rebuilt the table); every existing row becomes a weekly one through the default.
-- For a digest, `week_key` holds the month of its slot ('YYYY-MM', the person's zone): one digest
-- per person per month.
ALTER TABLE nudge_ledger
  ADD COLUMN kind text NOT NULL DEFAULT 'weekly' CHECK (kind IN ('weekly', 'digest')),
  DROP CONSTRAINT nudge_ledger_pkey,
  ADD PRIMARY KEY (team_id, user_id, kind, week_key);
DROP INDEX nudge_ledger_by_week;
DROP INDEX nudge_ledger_open;
CREATE INDEX nudge_ledger_by_week ON nudge_ledger (kind, week_key);
CREATE INDEX nudge_ledger_open ON nudge_ledger (kind, state, week_key)
  WHERE state IN ('claimed', 'sending', 'failed');

-- Who wants the monthly digest. Its time is the weekly nudge's (nudge_settings.minute_of_day, else
-- 16:00 local) whether or not weekly nudges are on; its zone is the profile's.
CREATE TABLE digest_settings (
  team_id text NOT NULL,
  user_id text NOT NULL,
  enabled integer NOT NULL CHECK (enabled IN (0, 1)),
  -- When the digest was last switched on: a month whose slot came before it is not caught up.
  effective_from timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX digest_settings_enabled ON digest_settings (enabled);
