import { describe, expect, it } from 'vitest';
import { buildRunReport, formatRunLine, type ReportRow } from '../../../src/domain/nudge-report.ts';
import { defaultNudgeSettings, dueNudges, type NudgeSettings } from '../../../src/domain/nudge-schedule.ts';

const T = 'T1';
const created = new Date('2027-01-01T00:00:00Z');
const user = (userId: string, tz: string | null, extra: Partial<NudgeSettings> = {}): NudgeSettings => ({
  ...defaultNudgeSettings({ teamId: T, userId }, created),
  tz,
  ...extra,
});
const row = (userId: string, state: ReportRow['state'], extra: Partial<ReportRow> = {}): ReportRow => ({
  teamId: T,
  userId,
  weekKey: '2027-W01',
  slotAt: new Date('2027-01-08T21:00:00Z'),
  state,
  attempts: 0,
  nextAttemptAt: null,
  leaseOwner: null,
  leaseExpiresAt: null,
  reason: null,
  ...extra,
});
// Friday 2027-01-08 21:30Z: 16:30 in New York, Saturday 06:30 in Tokyo.
const at = new Date('2027-01-08T21:30:00Z');

describe('nudges run report', () => {
  it('formats `<team> <user> <status> <local slot> [reason]`', () => {
    expect(
      formatRunLine({
        teamId: T,
        userId: 'U1',
        weekKey: '2027-W01',
        status: 'skipped',
        localSlot: '2027-01-08T16:00',
        reason: 'paused',
      }),
    ).toBe('T1 U1 skipped 2027-01-08T16:00 paused');
    expect(
      formatRunLine({
        teamId: T,
        userId: 'U1',
        weekKey: '2027-W01',
        status: 'sent',
        localSlot: '2027-01-08T16:00',
      }),
    ).toBe('T1 U1 sent 2027-01-08T16:00');
  });

  it('one line per opted-in person whose slot this week has passed, in their own local time', () => {
    const users = [
      user('U1', 'America/New_York'),
      user('U2', 'Asia/Tokyo'),
      user('U3', 'America/Los_Angeles'), // 16:00 there is 00:00Z Saturday: not yet
      user('U4', 'America/New_York', { enabled: false }),
    ];
    const ledger = [
      row('U1', 'sent'),
      row('U2', 'failed', { slotAt: new Date('2027-01-08T07:00:00Z'), reason: 'http_500' }),
    ];
    const lines = buildRunReport({ users, ledger, decisions: [], at }).map(formatRunLine);
    expect(lines).toEqual(['T1 U1 sent 2027-01-08T16:00', 'T1 U2 failed 2027-01-08T16:00 http_500']);
  });

  it('dry run: what would happen, from the decisions', () => {
    const users = [
      user('U1', 'America/New_York'),
      user('U2', 'America/New_York', { pausedThrough: '2027-01-10' }),
    ];
    const decisions = dueNudges({ users, ledger: [], now: at, lateWindowHours: 24 });
    const lines = buildRunReport({ users, ledger: [], decisions, at }).map(formatRunLine);
    expect(lines).toEqual(['T1 U1 due 2027-01-08T16:00', 'T1 U2 skipped 2027-01-08T16:00 paused']);
  });

  it('in-flight claims are due; a send left by a dead process is never resent', () => {
    const users = [
      user('U1', 'America/New_York'),
      user('U2', 'America/New_York'),
      user('U3', 'America/New_York'),
      user('U4', 'America/New_York'),
    ];
    const live = new Date(at.getTime() + 60_000);
    const ledger = [
      row('U1', 'claimed', { leaseOwner: 'app:x', leaseExpiresAt: live }),
      row('U2', 'sending', { leaseOwner: 'app:x', leaseExpiresAt: live }),
      row('U3', 'sending', { leaseOwner: 'cli:y', leaseExpiresAt: new Date(at.getTime() - 1) }),
      row('U4', 'sending', { leaseOwner: 'app:x', leaseExpiresAt: live, reason: 'unknown-outcome' }),
    ];
    expect(buildRunReport({ users, ledger, decisions: [], at }).map(formatRunLine)).toEqual([
      'T1 U1 due 2027-01-08T16:00 claimed',
      'T1 U2 due 2027-01-08T16:00 sending',
      'T1 U3 failed 2027-01-08T16:00 unknown-outcome',
      'T1 U4 failed 2027-01-08T16:00 unknown-outcome',
    ]);
  });

  it('a slot before the schedule took effect is reported, not caught up', () => {
    const users = [user('U1', 'America/New_York', { createdAt: new Date('2027-01-08T22:00:00Z') })];
    const late = new Date('2027-01-09T01:00:00Z');
    const decisions = dueNudges({ users, ledger: [], now: late, lateWindowHours: 24 });
    expect(decisions).toEqual([]);
    expect(buildRunReport({ users, ledger: [], decisions, at: late }).map(formatRunLine)).toEqual([
      'T1 U1 skipped 2027-01-08T16:00 before-schedule',
    ]);
  });

  it('a Sunday-evening slot missed across the week boundary is reported with its own week', () => {
    const users = [user('U1', 'Europe/London', { day: 0, minuteOfDay: 23 * 60 })];
    const monday = new Date('2027-01-11T01:00:00Z');
    const decisions = dueNudges({ users, ledger: [], now: monday, lateWindowHours: 24 });
    expect(decisions.map((d) => d.weekKey)).toEqual(['2027-W01']);
    expect(buildRunReport({ users, ledger: [], decisions, at: monday }).map(formatRunLine)).toEqual([
      'T1 U1 due 2027-01-10T23:00',
    ]);
  });
});
