-- Facts about the database itself, not about any person. Local mode writes `created-by = local-mode`
-- when it creates its own database, and refuses to open any database without that row, so a
-- local workspace can never run its scheduler against real people's data.
CREATE TABLE database_metadata (
  key text PRIMARY KEY,
  value text NOT NULL,
  written_at timestamptz NOT NULL
);
