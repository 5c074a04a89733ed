-- A person's rows in these three tables are found by (team_id, user_id): `/ladder forget`, the JSON
-- export, and the check on every request from an org-wide install whether a workspace tenant of
-- the org still holds anything of the person (src/app/person-follow.ts). Without these, each of
-- those reads scans the table.
CREATE INDEX deliveries_by_owner ON deliveries (team_id, user_id);
CREATE INDEX pending_views_by_owner ON pending_views (team_id, user_id);
CREATE INDEX response_urls_by_owner ON response_urls (team_id, user_id);
