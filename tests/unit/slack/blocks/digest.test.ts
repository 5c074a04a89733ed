/**
 * The digest's content (a month's summary in review) and its DM, over the real ladder data: what a
 * person reads, within Slack's block limits.
 */
import { describe, expect, it } from 'vitest';
import { buildDigest, describeLocalSlot } from '../../../../src/domain/digest.ts';
import { monthRange } from '../../../../src/domain/digest-schedule.ts';
import { summarise } from '../../../../src/domain/summary.ts';
import type { AxisId, EvidenceEntry, ShiftId } from '../../../../src/domain/types.ts';
import { checkMessage, checkView } from '../../../../src/local/block-limits.ts';
import { buildDigestHomeSection, buildDigestMessage } from '../../../../src/slack/blocks/digest.ts';
import { realLadder } from '../../../helpers/ladder.ts';

const ladder = realLadder();
let nextId = 1;

function entry(occurredOn: string, axes: AxisId[], shift: ShiftId | null = null): EvidenceEntry {
  const id = nextId++;
  return {
    id,
    teamId: 'T1',
    userId: 'U1',
    text: `entry ${id}`,
    occurredOn,
    axes,
    suggestedAxes: [],
    shift,
    scope: null,
    link: null,
    source: 'command',
    promptId: null,
    createdAt: `${occurredOn}T12:00:00.000Z`,
    updatedAt: `${occurredOn}T12:00:00.000Z`,
  };
}

function digestOf(entries: EvidenceEntry[], question: string | null = 'What did you stop doing yourself?') {
  const range = monthRange('2026-12');
  const summary = summarise({
    entries,
    profile: { level: 'tpm4', target: 'tpm5' },
    ladder,
    range: { ...range, label: 'December 2026' },
    now: new Date('2027-01-04T21:00:00Z'),
    tz: 'America/New_York',
  });
  return buildDigest(summary, '2026-12', question);
}

const text = (m: { text: string; blocks: unknown[] }) => `${m.text}\n${JSON.stringify(m.blocks)}`;

describe('the monthly digest', () => {
  const month = [
    entry('2026-12-01', ['people'], 'enabling'),
    entry('2026-12-02', ['people']),
    entry('2026-12-09', ['process'], 'enabling'),
    entry('2026-12-16', ['people'], 'preventing'),
    entry('2026-12-30', ['system']),
  ];

  it('counts the month per axis against the target step, with weeks, the longest streak and the shifts', () => {
    const d = digestOf(month);
    expect(d.label).toBe('December 2026');
    expect(d.total).toBe(5);
    expect(d.axes.find((a) => a.name === 'People')).toMatchObject({ count: 3 });
    expect(d.axes.every((a) => a.target !== null)).toBe(true);
    // Weeks of 30 Nov, 7 Dec, 14 Dec and 28 Dec have entries; 21 Dec has none.
    expect(d.weeksWithEvidence).toBe(4);
    expect(d.weeksInMonth).toBe(5);
    expect(d.longestStreak).toBe(3);
    expect(d.shifts[0]).toMatchObject({ count: 2 });
    expect(d.shifts.map((s) => s.count)).toEqual([2, 1]);
  });

  it('names the thinnest growth axis and its next step', () => {
    const d = digestOf(month);
    expect(d.thinnest).not.toBeNull();
    const growth = d.axes.filter((a) => a.growth);
    const fewest = Math.min(...growth.map((a) => a.count));
    expect(d.thinnest?.count).toBe(fewest);
    expect(growth.map((a) => a.name)).toContain(d.thinnest?.axis);
    expect(d.thinnest?.to).not.toBe(d.thinnest?.from);
  });

  it('the DM reads as the month in review, within Slack’s limits', () => {
    const m = buildDigestMessage(digestOf(month));
    expect(checkMessage(m)).toEqual([]);
    const shown = text(m);
    expect(m.text).toContain('Monthly digest: December 2026 in review');
    expect(shown).toContain('5 entries');
    expect(shown).toContain('Weeks with evidence: 4 of 5');
    expect(shown).toContain('Longest streak: 3 weeks');
    expect(shown).toContain('What did you stop doing yourself?');
    expect(shown).toContain('Thinnest growth axis');
  });

  it('a month with no entries gets the short, kind version', () => {
    const m = buildDigestMessage(digestOf([], null));
    expect(checkMessage(m)).toEqual([]);
    expect(text(m)).toContain('No evidence was logged in December 2026');
    expect(text(m)).not.toContain('Weeks with evidence');
    expect(text(m)).not.toContain('One question');
  });

  it('the Home slot switches with one button, on or off', () => {
    const on = buildDigestHomeSection({ enabled: true, text: 'Monthly digest: on.' });
    const off = buildDigestHomeSection({ enabled: false, text: 'Monthly digest: off.' });
    expect(checkView({ type: 'home', blocks: on })).toEqual([]);
    expect(JSON.stringify(on)).toContain('"value":"off"');
    expect(JSON.stringify(off)).toContain('"value":"on"');
  });

  it('describes a slot in words', () => {
    expect(describeLocalSlot('2027-01-04T16:00')).toBe('Monday 4 January 2027 at 16:00');
    expect(describeLocalSlot('2027-03-01T09:30')).toBe('Monday 1 March 2027 at 09:30');
  });
});
