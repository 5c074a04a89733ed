/**
 * Every table as the query builder sees it: one row type per table, the columns as stored
 * (SQLite types today: TEXT timestamps, INTEGER 0/1 flags, JSON arrays as TEXT). The codecs in
 * columns.ts turn them into the shapes the repositories return, so a second engine changes types
 * here and there only. `schema_migrations` stays the migration runner's own.
 */
import type { ColumnType, Generated } from 'kysely';

/** An instant stored as ISO-8601 text (PostgreSQL: timestamptz, read back as a Date). */
export type Instant = ColumnType<string, string, string>;
/** A 0/1 flag (PostgreSQL: boolean). */
export type Flag = ColumnType<number, number, number>;
/** A JSON array stored as text (PostgreSQL: jsonb). */
export type JsonText = ColumnType<string, string, string>;

export interface WorkspacesTable {
  team_id: string;
  status: 'active' | 'uninstalled' | 'revoked';
  updated_at: Instant;
}

export interface ProfilesTable {
  team_id: string;
  user_id: string;
  level: string | null;
  target: string | null;
  level_role: string | null;
  target_role: string | null;
  tz: string | null;
  tz_checked_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface EvidenceTable {
  id: Generated<number>;
  team_id: string;
  user_id: string;
  /** The Slack text the entry came from. */
  text: string;
  readable_text: string | null;
  occurred_on: string;
  axes: JsonText;
  suggested_axes: JsonText;
  shift: string | null;
  scope: string | null;
  link: string | null;
  source: string;
  prompt_id: string | null;
  nudge_week: string | null;
  channel_id: string | null;
  message_ts: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface DeliveriesTable {
  team_id: string;
  user_id: string;
  delivery_key: string;
  entry_id: number | null;
  created_at: Instant;
}

export interface PendingViewsTable {
  view_id: string;
  team_id: string;
  user_id: string;
  kind: string;
  response_url: string | null;
  entry_id: number | null;
  created_at: Instant;
  message_channel: string | null;
  message_ts: string | null;
  message_text: string | null;
}

export interface ResponseUrlsTable {
  url: string;
  team_id: string;
  user_id: string;
  uses: number;
  created_at: Instant;
}

export interface NudgeSettingsTable {
  team_id: string;
  user_id: string;
  enabled: Flag;
  day: number;
  minute_of_day: number;
  paused_through: string | null;
  skip_week: string | null;
  effective_from: Instant;
  off_reason: string | null;
  created_at: Instant;
  updated_at: Instant;
  /** When the tick may next have a decision to make for this person; null while nudges are off. */
  next_due_at: Instant | null;
}

export interface NudgeLedgerTable {
  team_id: string;
  user_id: string;
  /** 'weekly' (the nudge repository's rows) or 'digest' (the digest repository's; `week_key` is the month). */
  kind: Generated<'weekly' | 'digest'>;
  week_key: string;
  slot_at: Instant;
  state: 'claimed' | 'sending' | 'sent' | 'failed' | 'skipped';
  reason: string | null;
  attempts: Generated<number>;
  next_attempt_at: Instant | null;
  lease_owner: string | null;
  lease_expires_at: Instant | null;
  prompt_id: string | null;
  channel_id: string | null;
  message_ts: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface DigestSettingsTable {
  team_id: string;
  user_id: string;
  enabled: Flag;
  effective_from: Instant;
  created_at: Instant;
  updated_at: Instant;
}

export interface NudgeDmChannelsTable {
  team_id: string;
  user_id: string;
  channel_id: string;
  cached_at: Instant;
}

export interface NudgeHistoryTable {
  id: Generated<number>;
  team_id: string;
  user_id: string;
  prompt_id: string;
  trigger: 'weekly' | 'now';
  week_key: string | null;
  channel_id: string;
  message_ts: string;
  sent_at: Instant;
}

export interface ExportsTable {
  team_id: string;
  user_id: string;
  file_id: string;
  kind: 'markdown' | 'csv' | 'json' | 'chart';
  channel_id: string | null;
  on_home: Flag;
  fingerprint: string | null;
  alt_text: string | null;
  created_at: Instant;
}

export interface DatabaseMetadataTable {
  key: string;
  value: string;
  written_at: Instant;
}

export interface InstallationsTable {
  tenant_id: string;
  team_id: string | null;
  enterprise_id: string | null;
  is_enterprise_install: Flag;
  key_id: string;
  /** AES-256-GCM of the installation's JSON (token-cipher.ts). */
  sealed: string;
  installed_at: Instant;
  updated_at: Instant;
  /** The instance refreshing the installation's rotating token, and until when (0012). */
  refresh_owner: string | null;
  refresh_until: Instant | null;
}

export interface OauthStatesTable {
  state_id: string;
  install_options: string;
  expires_at: Instant;
  created_at: Instant;
}

/** Which instance sends a workspace's scheduled DMs, until when (send-lease-repository.ts). */
export interface SendLeasesTable {
  team_id: string;
  owner: string;
  expires_at: Instant;
}

export interface Schema {
  workspaces: WorkspacesTable;
  profiles: ProfilesTable;
  evidence: EvidenceTable;
  deliveries: DeliveriesTable;
  pending_views: PendingViewsTable;
  response_urls: ResponseUrlsTable;
  nudge_settings: NudgeSettingsTable;
  nudge_ledger: NudgeLedgerTable;
  digest_settings: DigestSettingsTable;
  nudge_dm_channels: NudgeDmChannelsTable;
  nudge_history: NudgeHistoryTable;
  exports: ExportsTable;
  database_metadata: DatabaseMetadataTable;
  installations: InstallationsTable;
  oauth_states: OauthStatesTable;
  send_leases: SendLeasesTable;
}

/** A table holding a person's rows, keyed by (team_id, user_id). */
export type PersonTable = {
  [T in keyof Schema]: Schema[T] extends { team_id: string; user_id: string } ? T : never;
}[keyof Schema];
