-- Files the app uploaded to a person's DM (exports and radar charts), so `/ladder forget` can delete
-- them from Slack with files.delete before it deletes these rows. Keyed by (team_id, user_id) like
-- every personal table.
CREATE TABLE exports (
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  -- Slack's file id (F…).
  file_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('markdown', 'csv', 'json', 'chart')),
  -- The DM it was shared in; null for rows loaded by `ladder import` (another workspace's file).
  channel_id TEXT,
  -- 1 for the chart currently shown on the person's App Home (at most one per person).
  on_home INTEGER NOT NULL DEFAULT 0 CHECK (on_home IN (0, 1)),
  -- For the Home chart: a hash of the chart's content, so an unchanged chart is not uploaded again,
  -- and its numbers in words (the image block's alt_text).
  fingerprint TEXT,
  alt_text TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (team_id, user_id, file_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX exports_home_chart ON exports (team_id, user_id) WHERE on_home = 1;
