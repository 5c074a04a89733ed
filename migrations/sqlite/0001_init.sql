-- Ladder's first schema. Every row that belongs to a person is keyed by (team_id, user_id), where
-- team_id holds the tenant: the enterprise id for org-wide installs, else the workspace's team id.
-- Both come from the verified request, never from a value a client sent back.

-- One row per tenant the app has heard from; status stops all sending after an uninstall.
CREATE TABLE workspaces (
  team_id TEXT PRIMARY KEY,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'uninstalled', 'revoked')),
  updated_at TEXT NOT NULL
) WITHOUT ROWID;

-- A person's profile: level and target (position ids from ladder-data) and the Slack time zone.
CREATE TABLE profiles (
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  level TEXT,
  target TEXT,
  tz TEXT,
  tz_checked_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (team_id, user_id)
) WITHOUT ROWID;
