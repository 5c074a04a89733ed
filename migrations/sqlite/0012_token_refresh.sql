-- Token rotation: the lease of an installation's token refresh, so that of every instance on this
-- database only one exchanges the refresh token (Slack invalidates the old one on use). The
-- instance named by `refresh_owner` may refresh until `refresh_until` (wall clock); another takes
-- the lease once that has passed. The refresh token and expiry themselves stay inside `sealed`.
ALTER TABLE installations ADD COLUMN refresh_owner TEXT;
ALTER TABLE installations ADD COLUMN refresh_until TEXT;
