-- Files the app uploaded to a person's DM (exports and radar charts), so `/ladder forget` can delete
-- them from Slack with files.delete before it deletes these rows. Keyed by (team_id, user_id) like
-- every personal table.
CREATE TABLE exports (
  team_id text NOT NULL,
  user_id text NOT NULL,
  -- Slack's file id (F…).
  file_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('markdown', 'csv', 'json', 'chart')),
  -- The DM it was shared in; null for rows loaded by `ladder import` (another workspace's file).
  channel_id text,
  -- 1 for the chart currently shown on the person's App Home (at most one per person).
  on_home integer NOT NULL DEFAULT 0 CHECK (on_home IN (0, 1)),
  -- For the Home chart: a hash of the chart's content, so an unchanged chart is not uploaded again,
  -- and its numbers in words (the image block's alt_text).
  fingerprint text,
  alt_text text,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (team_id, user_id, file_id)
);
CREATE UNIQUE INDEX exports_home_chart ON exports (team_id, user_id) WHERE on_home = 1;
