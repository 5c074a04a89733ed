import { describe, expect, it } from 'vitest';
import {
  defaultNudgeSettings,
  dueNudges,
  type NudgeSettings,
  nextDueAt,
} from '../../../src/domain/nudge-schedule.ts';

/** Fridays 16:00 in New York: 21:00Z in January. */
const NY: NudgeSettings = {
  ...defaultNudgeSettings({ teamId: 'T1', userId: 'U1' }, new Date('2026-12-01T00:00:00Z')),
  tz: 'America/New_York',
};
const W01_SLOT = new Date('2027-01-08T21:00:00Z');
const W02_SLOT = new Date('2027-01-15T21:00:00Z');
const none = new Set<string>();
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('nextDueAt: when the scheduler should next look at a person', () => {
  it('is the coming slot; once its week is handled, the one after', () => {
    const at = new Date('2027-01-06T12:00:00Z');
    expect(iso(nextDueAt(NY, none, at, 24))).toBe(W01_SLOT.toISOString());
    expect(iso(nextDueAt(NY, new Set(['2027-W01']), at, 24))).toBe(W02_SLOT.toISOString());
  });

  it('is at or before now while a slot waits for its decision, and never so once decided', () => {
    const at = new Date('2027-01-08T23:00:00Z');
    expect(iso(nextDueAt(NY, none, at, 24))).toBe(W01_SLOT.toISOString());
    const decided = dueNudges({ users: [NY], ledger: [], now: at, lateWindowHours: 24 });
    expect(decided.map((d) => d.weekKey)).toEqual(['2027-W01']);
    expect(iso(nextDueAt(NY, new Set(['2027-W01']), at, 24))).toBe(W02_SLOT.toISOString());
  });

  it("passes over an earlier week's slot beyond the late window, as the due rules do", () => {
    // Monday of W02: W01's Friday slot is 2.5 days old with no row; the rules never decide it.
    const at = new Date('2027-01-11T09:00:00Z');
    expect(dueNudges({ users: [NY], ledger: [], now: at, lateWindowHours: 24 })).toEqual([]);
    expect(iso(nextDueAt(NY, none, at, 24))).toBe(W02_SLOT.toISOString());
    // With a 72-hour window the same slot is still due.
    expect(iso(nextDueAt(NY, none, at, 72))).toBe(W01_SLOT.toISOString());
  });

  it('skips slots before the schedule took effect; paused weeks still count (their skip is written at the slot)', () => {
    const at = new Date('2027-01-08T22:00:00Z');
    expect(iso(nextDueAt({ ...NY, createdAt: new Date('2027-01-08T21:30:00Z') }, none, at, 24))).toBe(
      W02_SLOT.toISOString(),
    );
    expect(
      iso(nextDueAt({ ...NY, pausedThrough: '2027-01-31' }, none, new Date('2027-01-06T00:00:00Z'), 24)),
    ).toBe(W01_SLOT.toISOString());
  });

  it('is null while nudges are off', () => {
    expect(nextDueAt({ ...NY, enabled: false }, none, W01_SLOT, 24)).toBeNull();
  });
});
