import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { buildPacket, chartFromPacket, exportSourceFromRows } from '../../../src/app/export.ts';
import { planImport } from '../../../src/app/import.ts';
import type { UserRows } from '../../../src/db/user-data.ts';
import { buildExport, ExportFormatError, parseExport, renderJson } from '../../../src/domain/export/json.ts';
import { periodRange } from '../../../src/domain/period.ts';
import type { EvidenceEntry } from '../../../src/domain/types.ts';
import { realLadder } from '../../helpers/ladder.ts';

const OWNER = { teamId: 'T0LADDER1', userId: 'U0ADA1234' };
const NOW = new Date('2026-05-31T09:00:00.000Z');
const ladder = realLadder();
const prompt = ladder.prompts[0] as NonNullable<(typeof ladder.prompts)[0]>;

type Stored = EvidenceEntry & {
  originalText: string;
  converted: boolean;
  nudgeWeek: string | null;
  channelId: string | null;
  messageTs: string | null;
};

function entry(id: number, fields: Partial<Stored> = {}): Stored {
  return {
    id,
    ...OWNER,
    text: `Win ${id}`,
    originalText: `Win ${id}`,
    converted: true,
    occurredOn: '2026-05-01',
    axes: ['people'],
    suggestedAxes: [],
    shift: null,
    scope: null,
    link: null,
    source: 'command',
    promptId: null,
    createdAt: '2026-05-01T10:00:00.000Z',
    updatedAt: '2026-05-01T10:00:00.000Z',
    nudgeWeek: null,
    channelId: null,
    messageTs: null,
    ...fields,
  };
}

const range = periodRange({ kind: 'rolling', n: 1, unit: 'y' }, NOW, 'Europe/London');

describe('buildPacket', () => {
  it('takes the ladder’s words for the levels, steps, shifts, scopes and the target’s competencies', () => {
    const packet = buildPacket(ladder, OWNER, NOW, {
      profile: { level: 'tpm4', target: 'tpm5' },
      userName: 'Ada Lovelace',
      range,
      entries: [entry(1), entry(2, { promptId: prompt.id, source: 'reflection' })],
    });
    expect(packet.level).toMatchObject({ id: 'tpm4', code: 'TPM4' });
    expect(packet.target).toMatchObject({ id: 'tpm5', code: 'TPM5' });
    expect(packet.axes.map((a) => a.name)).toEqual([
      'Technology',
      'System',
      'People',
      'Process',
      'Influence',
    ]);
    expect(packet.axes.every((a) => a.currentStep !== null && a.targetStep !== null)).toBe(true);
    expect(packet.competencies).toHaveLength(5);
    expect(packet.reflections).toEqual([
      expect.objectContaining({ entryId: 2, shift: prompt.shift, question: prompt.question }),
    ]);
    expect(packet.shifts.map((s) => s.name)).toContain('Doing → Enabling');
    expect(packet.scopes?.map((s) => s.id)).toContain('multi-team');
    expect(packet.period).toEqual({ label: 'last year', startDate: '2025-06-01', endDate: '2026-05-31' });
  });

  it('reads a role as its comparable position; without a target, none unless the next level is asked for', () => {
    const none = buildPacket(ladder, OWNER, NOW, {
      profile: { level: 'senior-tpm', target: null },
      userName: 'A',
      range,
      entries: [],
    });
    expect(none.level?.code).toBe('TPM4');
    expect(none.target).toBeNull();
    expect(none.competencies).toEqual([]);
    const next = buildPacket(ladder, OWNER, NOW, {
      profile: { level: 'tpm4', target: null },
      userName: 'A',
      range,
      entries: [],
      targetFallback: 'next-level',
    });
    expect(next.target).toMatchObject({ code: 'TPM5' });
    expect(next.target?.title).toContain('next level up; no target set');
  });

  it('names a prompt that left ladder-data instead of inventing its question', () => {
    const packet = buildPacket(ladder, OWNER, NOW, {
      profile: { level: null, target: null },
      userName: 'A',
      range,
      entries: [
        entry(3, { promptId: 'gone-prompt', shift: 'preventing' }),
        entry(4, { promptId: 'gone-too' }),
      ],
    });
    expect(packet.reflections).toEqual([
      expect.objectContaining({
        entryId: 3,
        shift: 'preventing',
        question: 'Reflection prompt "gone-prompt"',
      }),
    ]);
  });
});

describe('chartFromPacket', () => {
  it('draws a PNG of at least 600 px with the numbers as alt text; none without a level or target', () => {
    const packet = buildPacket(ladder, OWNER, NOW, {
      profile: { level: 'tpm4', target: 'tpm5' },
      userName: 'Ada',
      range,
      entries: [entry(1), entry(2), entry(3, { axes: ['system'] })],
    });
    const chart = chartFromPacket(packet, range, { thinThreshold: 3, targetIsNextLevel: false });
    const png = PNG.sync.read(chart?.content as Buffer);
    expect(Math.min(png.width, png.height)).toBeGreaterThanOrEqual(600);
    expect(chart?.altText).toContain('People: current 4, target 5, evidence 3.3/5');
    expect(chart?.filename).toBe('ladder-chart-2026-05-31.png');
    const same = chartFromPacket(packet, range, { thinThreshold: 3, targetIsNextLevel: false });
    expect(same?.fingerprint).toBe(chart?.fingerprint);
    const more = chartFromPacket({ ...packet, entries: [...packet.entries, entry(9)] }, range, {
      thinThreshold: 3,
      targetIsNextLevel: false,
    });
    expect(more?.fingerprint).not.toBe(chart?.fingerprint);
    const empty = buildPacket(ladder, OWNER, NOW, {
      profile: { level: null, target: null },
      userName: 'A',
      range,
      entries: [],
    });
    expect(chartFromPacket(empty, range, { thinThreshold: 3, targetIsNextLevel: false })).toBeNull();
  });
});

const ROWS: UserRows = {
  profile: null,
  nudgeSettings: null,
  digestSettings: null,
  digestLedger: [],
  dmChannel: { channelId: 'D0ADA1234', cachedAt: '2026-05-01T10:00:00.000Z' },
  entries: [
    entry(7, { occurredOn: '2024-01-01' }),
    entry(8, {
      promptId: prompt.id,
      nudgeWeek: '2026-W17',
      channelId: 'D0ADA1234',
      messageTs: '1777000000.000100',
    }),
    entry(9, { occurredOn: '2099-01-01' }),
  ],
  ledger: [],
  history: [],
  files: [],
};

describe('exportSourceFromRows', () => {
  it('derives reflections from the entries that answer a prompt; a range keeps only its entries', () => {
    const all = exportSourceFromRows(ROWS, { owner: OWNER, exportedAt: NOW, prompts: ladder.prompts });
    expect(all.entries.map((e) => e.id)).toEqual([7, 8, 9]);
    expect(all.reflections).toEqual([
      {
        entryId: 8,
        promptId: prompt.id,
        shift: prompt.shift,
        week: '2026-W17',
        reply: { channelId: 'D0ADA1234', ts: '1777000000.000100' },
      },
    ]);
    const year = exportSourceFromRows(ROWS, {
      owner: OWNER,
      exportedAt: NOW,
      prompts: ladder.prompts,
      range,
    });
    expect(year.entries.map((e) => e.id)).toEqual([8]);
    // Renders as a valid export.
    expect(parseExport(renderJson(buildExport(all))).entries).toHaveLength(3);
  });

  it('refuses an entry of anyone else', () => {
    const rows = { ...ROWS, entries: [entry(1, { userId: 'U0SOMEONE' })] };
    expect(() =>
      buildExport(exportSourceFromRows(rows, { owner: OWNER, exportedAt: NOW, prompts: [] })),
    ).toThrow(/does not belong/);
  });
});

describe('planImport', () => {
  const data = parseExport(
    renderJson(
      buildExport(exportSourceFromRows(ROWS, { owner: OWNER, exportedAt: NOW, prompts: ladder.prompts })),
    ),
  );

  it('maps reflections back onto their entries and keeps the DM only for the same account', () => {
    const same = planImport(data, OWNER);
    expect(same.rows.entries[1]).toMatchObject({
      promptId: prompt.id,
      nudgeWeek: '2026-W17',
      channelId: 'D0ADA1234',
      messageTs: '1777000000.000100',
    });
    expect(same.rows.dmChannel).toEqual(ROWS.dmChannel);
    expect(same.notes).toEqual([]);
    const moved = planImport(data, { teamId: 'T0OTHER', userId: 'U0ADA1234' });
    expect(moved.rows.dmChannel).toBeNull();
    expect(moved.notes.join(' ')).toContain('DM channel');
  });

  it('refuses two reflections from one Slack message with a message naming the place', () => {
    const twice = structuredClone(data);
    twice.entries.push({ ...(twice.entries[1] as (typeof twice.entries)[0]), id: 4 });
    twice.reflections.push({ ...(twice.reflections[0] as (typeof twice.reflections)[0]), entryId: 4 });
    expect(() => planImport(twice, OWNER)).toThrow(ExportFormatError);
    expect(() => planImport(twice, OWNER)).toThrow(/reflections\[1\]\.reply/);
  });
});
