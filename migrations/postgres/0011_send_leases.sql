-- One sender per workspace across every instance on this database, so NUDGE_SEND_RATE holds for
-- the workspace as a whole: the instance named by `owner` may send the workspace's scheduled DMs
-- until `expires_at` (wall clock), and renews that while it sends. Another instance takes the row
-- over once `expires_at` has passed. The scheduler's one-instance jobs (the time-zone refresh, the
-- digest pass) hold rows of their own, keyed `job:<name>`. No personal data: a workspace id (or a
-- job's name) and an instance id.
CREATE TABLE send_leases (
  team_id text PRIMARY KEY,
  owner text NOT NULL,
  expires_at timestamptz NOT NULL
);
