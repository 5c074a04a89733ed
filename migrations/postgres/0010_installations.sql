-- Distribution mode: one Slack installation per tenant (the team id, or the enterprise id of an
-- org-wide install). Everything Slack returned for the install, tokens included, is kept only as
-- `sealed`: AES-256-GCM under LADDER_ENCRYPTION_KEY with a random nonce, bound to the tenant id;
-- `key_id` names the key (a short hash of it) so a rotation knows which rows to re-encrypt.
CREATE TABLE installations (
  tenant_id text PRIMARY KEY,
  team_id text,
  enterprise_id text,
  is_enterprise_install integer NOT NULL DEFAULT 0 CHECK (is_enterprise_install IN (0, 1)),
  key_id text NOT NULL,
  sealed text NOT NULL,
  installed_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX installations_key ON installations (key_id);

-- The OAuth `state` of installs under way: single-use (consumed by a DELETE … RETURNING, so two
-- instances cannot both accept it) and valid for ten minutes. Rows past their expiry are swept.
CREATE TABLE oauth_states (
  state_id text PRIMARY KEY,
  install_options text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX oauth_states_expiry ON oauth_states (expires_at);
