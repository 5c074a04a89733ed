/** The nudge repository's types and how its rows map to them (nudge-repository.ts queries). */
import type { LedgerRow, LedgerState, NudgeSettings } from '../domain/nudge-schedule.ts';
import { nudgeHistoryColumns, nudgeLedgerColumns, nudgeSettingsColumns } from './columns.ts';

/** A ledger row with what the sender recorded on it. */
export interface LedgerEntry extends LedgerRow {
  /** Skip reason, or the last failure. */
  reason: string | null;
  promptId: string | null;
  channelId: string | null;
  messageTs: string | null;
}

export interface NudgeKey {
  teamId: string;
  userId: string;
  weekKey: string;
}

/** A ledger row this process now owns (state 'claimed', lease_owner = owner): one send to make. */
export interface ClaimedNudge extends NudgeKey {
  slotAt: Date;
  leaseOwner: string;
  /** The instant of the run that claimed it: retry backoff is computed from it. */
  tickAt: Date;
  /** Failed attempts before this one. */
  attempts: number;
}

export interface ClaimResult {
  claimed: ClaimedNudge[];
  /** Rows written as 'skipped' by this claim (paused, skipped by the user, too late). */
  skipped: NudgeKey[];
}

export type NudgeTrigger = 'weekly' | 'now';

export interface NudgeMessage {
  id: number;
  promptId: string;
  trigger: NudgeTrigger;
  weekKey: string | null;
  channelId: string;
  messageTs: string;
  sentAt: string;
}

export interface SettingsRow {
  team_id: string;
  user_id: string;
  enabled: number;
  day: number;
  minute_of_day: number;
  paused_through: string | null;
  skip_week: string | null;
  effective_from: string;
  off_reason: string | null;
  tz: string | null;
}

export interface LedgerDbRow {
  team_id: string;
  user_id: string;
  week_key: string;
  slot_at: string;
  state: LedgerState;
  reason: string | null;
  attempts: number;
  next_attempt_at: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
  prompt_id: string | null;
  channel_id: string | null;
  message_ts: string | null;
}

export interface HistoryRow {
  id: number;
  prompt_id: string;
  trigger: NudgeTrigger;
  week_key: string | null;
  channel_id: string;
  message_ts: string;
  sent_at: string;
}

export const toSettings = (r: SettingsRow): NudgeSettings & { offReason: string | null } => ({
  teamId: r.team_id,
  userId: r.user_id,
  enabled: nudgeSettingsColumns.enabled.read(r.enabled),
  day: r.day,
  minuteOfDay: r.minute_of_day,
  tz: r.tz,
  pausedThrough: r.paused_through,
  skipWeek: r.skip_week,
  createdAt: nudgeSettingsColumns.effective_from.read(r.effective_from),
  offReason: r.off_reason,
});

export const toLedger = (r: LedgerDbRow): LedgerEntry => ({
  teamId: r.team_id,
  userId: r.user_id,
  weekKey: r.week_key,
  slotAt: nudgeLedgerColumns.slot_at.read(r.slot_at),
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: nudgeLedgerColumns.next_attempt_at.read(r.next_attempt_at),
  leaseOwner: r.lease_owner,
  leaseExpiresAt: nudgeLedgerColumns.lease_expires_at.read(r.lease_expires_at),
  reason: r.reason,
  promptId: r.prompt_id,
  channelId: r.channel_id,
  messageTs: r.message_ts,
});

export const toMessage = (r: HistoryRow): NudgeMessage => ({
  id: r.id,
  promptId: r.prompt_id,
  trigger: r.trigger,
  weekKey: r.week_key,
  channelId: r.channel_id,
  messageTs: r.message_ts,
  sentAt: nudgeHistoryColumns.sent_at.read(r.sent_at),
});
