import { describe, expect, it } from 'vitest';
import {
  appendAll,
  mergeLedger,
  mergeSettings,
  unionByKey,
  yieldsTo,
} from '../../../src/domain/tenant-move.ts';

const EARLY = '2026-11-30T09:00:00.000Z';
const LATE = '2026-12-01T09:00:00.000Z';

interface Settings {
  updated_at: string;
  hour: number | null;
  weekday: number | null;
}

describe('mergeSettings: the most recently updated wins field by field', () => {
  const cases: Array<[string, Settings | undefined, Settings | undefined, Settings | undefined]> = [
    [
      'only the source',
      undefined,
      { updated_at: EARLY, hour: 9, weekday: 1 },
      { updated_at: EARLY, hour: 9, weekday: 1 },
    ],
    [
      'only the target',
      { updated_at: EARLY, hour: 9, weekday: 1 },
      undefined,
      { updated_at: EARLY, hour: 9, weekday: 1 },
    ],
    ['neither', undefined, undefined, undefined],
    [
      'source newer',
      { updated_at: EARLY, hour: 9, weekday: 1 },
      { updated_at: LATE, hour: 14, weekday: 3 },
      { updated_at: LATE, hour: 14, weekday: 3 },
    ],
    [
      'target newer',
      { updated_at: LATE, hour: 14, weekday: 3 },
      { updated_at: EARLY, hour: 9, weekday: 1 },
      { updated_at: LATE, hour: 14, weekday: 3 },
    ],
    [
      'newer leaves a field empty: the older value stays',
      { updated_at: EARLY, hour: 9, weekday: 1 },
      { updated_at: LATE, hour: 14, weekday: null },
      { updated_at: LATE, hour: 14, weekday: 1 },
    ],
    [
      'a tie keeps the target',
      { updated_at: LATE, hour: 9, weekday: 1 },
      { updated_at: LATE, hour: 14, weekday: 3 },
      { updated_at: LATE, hour: 9, weekday: 1 },
    ],
  ];
  it.each(cases)('%s', (_name, target, source, expected) => {
    expect(mergeSettings(target, source)).toEqual(expected);
  });

  it('is idempotent: merging the result again changes nothing', () => {
    const once = mergeSettings(
      { updated_at: EARLY, hour: 9, weekday: 1 },
      { updated_at: LATE, hour: 14, weekday: null },
    );
    expect(mergeSettings(once, undefined)).toEqual(once);
    expect(mergeSettings(once, once)).toEqual(once);
  });
});

interface Slot {
  id: string;
  kind: string;
  week_key: string;
  state: string;
  updated_at: string;
}

const slot = (id: string, week: string, state: string, at = EARLY, kind = 'weekly'): Slot => ({
  id,
  kind,
  week_key: week,
  state,
  updated_at: at,
});

describe('mergeLedger: per slot keep the row that was sent, never a second send', () => {
  const cases: Array<[string, Slot[], Slot[], string[], string[]]> = [
    [
      'disjoint weeks move as they are',
      [slot('t1', 'W48', 'sent')],
      [slot('s1', 'W49', 'sent')],
      ['t1', 's1'],
      [],
    ],
    [
      'source sent, target skipped',
      [slot('t1', 'W49', 'skipped')],
      [slot('s1', 'W49', 'sent')],
      ['s1'],
      ['t1'],
    ],
    [
      'target sent, source failed',
      [slot('t1', 'W49', 'sent')],
      [slot('s1', 'W49', 'failed', LATE)],
      ['t1'],
      ['s1'],
    ],
    [
      'both sent: the target stays',
      [slot('t1', 'W49', 'sent')],
      [slot('s1', 'W49', 'sent', LATE)],
      ['t1'],
      ['s1'],
    ],
    [
      'neither sent: the further state',
      [slot('t1', 'W49', 'failed')],
      [slot('s1', 'W49', 'claimed')],
      ['s1'],
      ['t1'],
    ],
    [
      'same state: the newer',
      [slot('t1', 'W49', 'failed', LATE)],
      [slot('s1', 'W49', 'failed')],
      ['t1'],
      ['s1'],
    ],
    [
      'a digest and a weekly row for one key are two slots',
      [slot('t1', '2026-12', 'sent', EARLY, 'digest')],
      [slot('s1', '2026-12', 'sent', EARLY, 'weekly')],
      ['t1', 's1'],
      [],
    ],
  ];
  it.each(cases)('%s', (_name, target, source, keep, dropped) => {
    const out = mergeLedger(target, source);
    expect(out.keep.map((r) => r.id).sort()).toEqual([...keep].sort());
    expect(out.dropped.map((r) => r.id)).toEqual(dropped);
    const sentPerSlot = new Map<string, number>();
    for (const r of out.keep.filter((r) => r.state === 'sent')) {
      const k = `${r.kind}/${r.week_key}`;
      sentPerSlot.set(k, (sentPerSlot.get(k) ?? 0) + 1);
    }
    for (const n of sentPerSlot.values()) expect(n).toBe(1);
  });

  it('is idempotent: a second move with an empty source keeps the rows', () => {
    const once = mergeLedger([slot('t1', 'W49', 'skipped')], [slot('s1', 'W49', 'sent')]);
    expect(mergeLedger(once.keep, []).keep).toEqual(once.keep);
    expect(mergeLedger(once.keep, once.keep).keep).toEqual(once.keep);
  });
});

describe('de-duplication keys and evidence', () => {
  const key = (r: { key: string }) => r.key;
  const cases: Array<[string, string[], string[], string[]]> = [
    ['disjoint: all', ['a'], ['b'], ['a', 'b']],
    ['overlap: each once', ['a', 'b'], ['b', 'c'], ['a', 'b', 'c']],
    ['empty source', ['a'], [], ['a']],
  ];
  it.each(cases)('unionByKey %s', (_n, target, source, expected) => {
    const rows = unionByKey(
      target.map((k) => ({ key: k })),
      source.map((k) => ({ key: k })),
      key,
    );
    expect(rows.map(key)).toEqual(expected);
  });

  it('evidence and history move as they are, every row of both sides', () => {
    expect(appendAll([1, 2], [2, 3])).toEqual([1, 2, 2, 3]);
  });
});

describe('yieldsTo: which tenant sends a nudge due under two tenants of one org', () => {
  const ORG = 'E0ORG';
  it.each([
    { tenant: 'T0B', other: ORG, enterprise: ORG, yields: true, why: 'a workspace gives way to the org' },
    { tenant: ORG, other: 'T0B', enterprise: ORG, yields: false, why: 'the org never gives way' },
    { tenant: 'T0B', other: 'T0A', enterprise: ORG, yields: true, why: 'between workspaces, the lower id' },
    { tenant: 'T0A', other: 'T0B', enterprise: ORG, yields: false, why: 'the lower id sends' },
    { tenant: 'T0A', other: 'T0A', enterprise: ORG, yields: false, why: 'never to itself' },
    { tenant: 'T0B', other: 'T0A', enterprise: null, yields: true, why: 'no enterprise known: by id' },
  ])('$why', ({ tenant, other, enterprise, yields }) => {
    expect(yieldsTo(tenant, other, enterprise)).toBe(yields);
  });

  it('of any two tenants exactly one gives way, so two claims at once never both send', () => {
    const tenants = [ORG, 'T0A', 'T0B', 'T0C'];
    for (const a of tenants)
      for (const b of tenants.filter((t) => t !== a))
        expect(yieldsTo(a, b, ORG) !== yieldsTo(b, a, ORG), `${a} ${b}`).toBe(true);
  });
});
