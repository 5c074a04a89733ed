-- PostgreSQL twin of migrations/sqlite: same file names, tables, columns, keys and index names.
-- Types: ISO-8601 UTC instants are timestamptz (the store reads them back as ISO text); pure local
-- dates are date (read back as 'YYYY-MM-DD'); week and month keys and every other string stay text,
-- JSON lists included; INTEGER PRIMARY KEY ids are bigint identities (read back as numbers); other
-- integers stay integer, 0/1 flags keep their CHECK. WITHOUT ROWID has no PostgreSQL meaning.

-- Ladder's first schema. Every row that belongs to a person is keyed by (team_id, user_id), where
-- team_id holds the tenant: the enterprise id for org-wide installs, else the workspace's team id.
-- Both come from the verified request, never from a value a client sent back.

-- One row per tenant the app has heard from; status stops all sending after an uninstall.
CREATE TABLE workspaces (
  team_id text PRIMARY KEY,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'uninstalled', 'revoked')),
  updated_at timestamptz NOT NULL
);

-- A person's profile: level and target (position ids from ladder-data) and the Slack time zone.
CREATE TABLE profiles (
  team_id text NOT NULL,
  user_id text NOT NULL,
  level text,
  target text,
  tz text,
  tz_checked_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (team_id, user_id)
);
