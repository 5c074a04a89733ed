/**
 * What `nudges run` prints: one line per opted-in person whose slot this week is at or before the
 * run's instant, plus any earlier week the run acted on (a slot missed across a week boundary):
 * `<team> <user> <sent|due|failed|skipped> <YYYY-MM-DDTHH:mm local> [reason]`. Pure.
 */
import {
  type LedgerRow,
  type NudgeDecision,
  type NudgeSettings,
  slotInWeek,
  weekKeyAt,
} from './nudge-schedule.ts';
import { formatLocalDateTime, resolveTimeZone } from './zoned-time.ts';

/**
 * The reason of a nudge whose post may have reached Slack though no clear answer came back (a
 * timeout, a 5xx, a body that is not Slack's JSON, a process killed mid-call). At most once: it
 * is never sent again, and `nudges run` reports it as failed.
 */
export const UNKNOWN_OUTCOME = 'unknown-outcome';

export type RunStatus = 'sent' | 'due' | 'failed' | 'skipped';

export interface RunLine {
  teamId: string;
  userId: string;
  weekKey: string;
  status: RunStatus;
  /** 'YYYY-MM-DDTHH:mm' in the person's zone. */
  localSlot: string;
  reason?: string;
  /** Set on the monthly digest's lines only (`digest`); a weekly line names no kind. */
  kind?: 'digest';
}

export interface ReportRow extends LedgerRow {
  reason: string | null;
}

export interface RunReportInput {
  /** Settings of the people to report on (opted-in ones, and anyone the run acted on). */
  users: readonly NudgeSettings[];
  /** Ledger rows as they stand after the run (the current and previous weeks at least). */
  ledger: readonly ReportRow[];
  /** The decisions of the due-check (with --dry-run nothing was written, so they say what would happen). */
  decisions: readonly NudgeDecision[];
  /** Rows the run took over to retry (failed, or claimed by a process that died). */
  retried?: readonly LedgerRow[];
  at: Date;
}

const key = (teamId: string, userId: string, weekKey: string) => `${teamId}\u0000${userId}\u0000${weekKey}`;

/** A ledger row as a line: 'claimed' and in-flight 'sending' rows are still due; an unknown outcome is failed, never resent. */
export function fromRow(row: ReportRow, at: Date): Pick<RunLine, 'status' | 'reason'> {
  switch (row.state) {
    case 'sent':
      return { status: 'sent' };
    case 'failed':
      return { status: 'failed', ...(row.reason ? { reason: row.reason } : {}) };
    case 'skipped':
      return { status: 'skipped', ...(row.reason ? { reason: row.reason } : {}) };
    case 'claimed':
      return { status: 'due', reason: 'claimed' };
    case 'sending': {
      // Slack may or may not have posted it (an answer lost, a process killed mid-call): never resent.
      if (row.reason === UNKNOWN_OUTCOME) return { status: 'failed', reason: UNKNOWN_OUTCOME };
      const live = row.leaseExpiresAt !== null && row.leaseExpiresAt.getTime() > at.getTime();
      return live ? { status: 'due', reason: 'sending' } : { status: 'failed', reason: UNKNOWN_OUTCOME };
    }
  }
}

export function buildRunReport({ users, ledger, decisions, retried = [], at }: RunReportInput): RunLine[] {
  const rows = new Map(ledger.map((r) => [key(r.teamId, r.userId, r.weekKey), r]));
  const decided = new Map(decisions.map((d) => [key(d.teamId, d.userId, d.weekKey), d]));
  const lines: RunLine[] = [];
  const seen = new Set<string>();
  const push = (user: NudgeSettings, weekKey: string, slotAt: Date) => {
    const k = key(user.teamId, user.userId, weekKey);
    if (seen.has(k)) return;
    seen.add(k);
    const localSlot = formatLocalDateTime(slotAt, resolveTimeZone(user.tz).timeZone);
    const row = rows.get(k);
    const decision = decided.get(k);
    let result: Pick<RunLine, 'status' | 'reason'>;
    if (row) result = fromRow(row, at);
    else if (decision?.action === 'send') result = { status: 'due' };
    else if (decision)
      result = { status: 'skipped', ...(decision.reason ? { reason: decision.reason } : {}) };
    else result = { status: 'skipped', reason: 'before-schedule' };
    lines.push({ teamId: user.teamId, userId: user.userId, weekKey, localSlot, ...result });
  };
  const byUser = new Map(users.map((u) => [`${u.teamId}\u0000${u.userId}`, u]));
  // Everything the run acted on (a slot missed across a week boundary included), then this week's.
  for (const d of [...decisions, ...retried]) {
    const user = byUser.get(`${d.teamId}\u0000${d.userId}`);
    if (user) push(user, d.weekKey, d.slotAt);
  }
  for (const user of users) {
    if (!user.enabled) continue;
    const weekKey = weekKeyAt(at, user.tz);
    const row = rows.get(key(user.teamId, user.userId, weekKey));
    const slotAt = row?.slotAt ?? slotInWeek(user, weekKey);
    if (slotAt.getTime() > at.getTime()) continue;
    push(user, weekKey, slotAt);
  }
  return lines.sort(
    (a, b) => compare(a.teamId, b.teamId) || compare(a.userId, b.userId) || compare(a.weekKey, b.weekKey),
  );
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function formatRunLine(line: RunLine): string {
  const kind = line.kind ? ` ${line.kind}` : '';
  return `${line.teamId} ${line.userId} ${line.status} ${line.localSlot}${kind}${line.reason ? ` ${line.reason}` : ''}`;
}
