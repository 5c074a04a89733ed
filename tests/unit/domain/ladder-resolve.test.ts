import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  comparablePosition,
  compareLevels,
  neighbourLevels,
  nextLevel,
  previousLevel,
  rolesComparableTo,
  toPosition,
} from '../../../src/domain/ladder/compare.ts';
import type { Level } from '../../../src/domain/ladder/model.ts';
import { normaliseLevelQuery } from '../../../src/domain/ladder/normalise.ts';
import {
  getLevel,
  resolveLevel,
  resolveLevelPair,
  suggestLevels,
} from '../../../src/domain/ladder/resolve.ts';
import { realLadder } from '../../helpers/ladder.ts';

const ladder = realLadder();

function idOf(query: string): string {
  const result = resolveLevel(ladder, query);
  return result.kind === 'unknown'
    ? `unknown(${result.suggestions.map((s) => s.level.id).join(',')})`
    : result.id;
}

function level(id: string): Level {
  const found = getLevel(ladder, id);
  if (!found) throw new Error(`no level ${id}`);
  return found;
}

describe('normaliseLevelQuery', () => {
  it('ignores case, spaces, hyphens and punctuation', () => {
    expect(['tpm 5', 'TPM-5', 'tpm5', ' Tpm_5. ', 'ＴＰＭ５'].map(normaliseLevelQuery)).toEqual(
      Array(5).fill('tpm5'),
    );
  });
});

describe('resolveLevel', () => {
  it.each([
    ['tpm 5', 'tpm5'],
    ['TPM-5', 'tpm5'],
    ['tpm5', 'tpm5'],
    ['TPM3', 'tpm3'],
    ['senior staff', 'tpm5'],
    ['Senior Staff Engineer', 'tpm5'],
    ['staff', 'tpm4'],
    ['staff engineer', 'tpm4'],
    ['senior', 'senior-tpm'],
    ['Senior TPM', 'senior-tpm'],
    ['lead', 'lead-tpm'],
    ['LEAD-TPM', 'lead-tpm'],
    ['principal', 'tpm6'],
    ['senior engineer', 'tpm3'],
  ])('%s → %s', (query, expected) => {
    expect(idOf(query)).toBe(expected);
  });

  it('suggests the closest levels for typos, prefixes, upstream codes and numbers', () => {
    expect(idOf('tmp5')).toBe('unknown(tpm5)');
    expect(idOf('seniro')).toBe('unknown(senior-tpm)');
    expect(idOf('prin')).toBe('unknown(tpm6)');
    expect(idOf('5')).toBe('unknown(tpm5)');
    // The upstream numbering is one higher: its TPM7 is our TPM6.
    const tpm7 = resolveLevel(ladder, 'tpm7');
    expect(tpm7.kind === 'unknown' && tpm7.suggestions[0]).toMatchObject({
      reason: 'upstream-code',
      matched: 'TPM7',
    });
    expect(idOf('tpm7')).toBe('unknown(tpm6,tpm5,tpm4)');
    // A known name inside a longer phrase, longest first.
    expect(idOf('the senior staff role')).toMatch(/^unknown\(tpm5/);
  });

  it('gives no suggestions for nonsense, and never throws', () => {
    expect(idOf('banana')).toBe('unknown()');
    expect(idOf('')).toBe('unknown()');
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (query) => {
        const result = resolveLevel(ladder, query);
        expect(['position', 'role', 'unknown']).toContain(result.kind);
        if (result.kind === 'unknown') expect(result.suggestions.length).toBeLessThanOrEqual(3);
      }),
    );
  });

  it('is fast on very long input', () => {
    const started = performance.now();
    suggestLevels(ladder, 'senior '.repeat(600));
    resolveLevelPair(ladder, 'staff '.repeat(2000).split(' '));
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('resolveLevelPair', () => {
  const pair = (text: string) => {
    const result = resolveLevelPair(ladder, text.split(' '));
    if (!result) return null;
    const name = (r: typeof result.a) => (r.kind === 'unknown' ? `?${r.query}` : r.id);
    return [name(result.a), name(result.b)];
  };

  it.each([
    ['senior staff lead', ['tpm5', 'lead-tpm']],
    ['tpm4 tpm5', ['tpm4', 'tpm5']],
    ['senior lead', ['senior-tpm', 'lead-tpm']],
    ['tpm4 lead', ['tpm4', 'lead-tpm']],
    ['senior engineer senior staff engineer', ['tpm3', 'tpm5']],
    ['staff vs principal', ['tpm4', 'tpm6']],
    ['tpm 4 and tpm 5', ['tpm4', 'tpm5']],
    ['tpm4 -> tpm5', ['tpm4', 'tpm5']],
    ['tpm4 tmp5', ['tpm4', '?tmp5']],
    ['foo bar', ['?foo', '?bar']],
  ])('%s → %j', (text, expected) => {
    expect(pair(text)).toEqual(expected);
  });

  it('needs two sides', () => {
    expect(pair('tpm4')).toBeNull();
    expect(pair('vs tpm4')).toBeNull();
  });
});

describe('relations', () => {
  it('maps roles to their comparable position, with the reason from the data', () => {
    const senior = level('senior-tpm');
    const lead = level('lead-tpm');
    if (senior.kind !== 'role' || lead.kind !== 'role') throw new Error('roles expected');
    expect(comparablePosition(ladder, senior).position.id).toBe('tpm4');
    expect(comparablePosition(ladder, lead).position.id).toBe('tpm5');
    expect(comparablePosition(ladder, lead).reason).toBe(lead.comparable.reason);
    expect(toPosition(ladder, lead)).toMatchObject({
      position: { id: 'tpm5' },
      substitutedFrom: { id: 'lead-tpm' },
    });
    expect(toPosition(ladder, level('tpm3'))).toMatchObject({
      position: { id: 'tpm3' },
      substitutedFrom: null,
    });
    expect(rolesComparableTo(ladder, 'tpm3').map((r) => r.id)).toEqual(['senior-tpm']);
    expect(rolesComparableTo(ladder, 'tpm6')).toEqual([]);
  });

  it('knows the next and previous positions', () => {
    expect(nextLevel(ladder, 'tpm4')?.id).toBe('tpm5');
    expect(nextLevel(ladder, 'tpm6')).toBeNull();
    expect(nextLevel(ladder, 'lead-tpm')).toBeNull();
    expect(nextLevel(ladder, 'nope')).toBeNull();
    expect(previousLevel(ladder, 'tpm3')).toBeNull();
    expect(previousLevel(ladder, 'tpm5')?.id).toBe('tpm4');
    expect(neighbourLevels(ladder, level('senior-tpm'))).toMatchObject({
      down: null,
      up: { id: 'lead-tpm' },
    });
  });
});

describe('compareLevels', () => {
  it('TPM4 → TPM5: Designs → Owns, Coordinates → Manages, Multiple Teams → Company, the rest unchanged', () => {
    const comparison = compareLevels(ladder, level('tpm4'), level('tpm5'));
    expect(comparison.kind).toBe('positions');
    if (comparison.kind !== 'positions') return;
    expect(comparison.direction).toBe('up');
    expect(comparison.substitutions).toEqual([]);
    expect(comparison.axes.map((a) => `${a.axis.id}: ${a.from.name} → ${a.to.name} (${a.change})`)).toEqual([
      'technology: Specializes → Specializes (same)',
      'system: Designs → Owns (up)',
      'people: Coordinates → Manages (up)',
      'process: Defines → Defines (same)',
      'influence: Multiple Teams → Company (up)',
    ]);
  });

  it('compares two roles aspect by aspect with the mindset shifts', () => {
    const comparison = compareLevels(ladder, level('senior-tpm'), level('lead-tpm'));
    expect(comparison.kind).toBe('roles');
    if (comparison.kind !== 'roles') return;
    expect(comparison.aspects).toHaveLength(5);
    expect(comparison.shifts.map((s) => s.id)).toEqual(['enabling', 'systems-thinking', 'preventing']);
    expect(comparison.reversed).toBe(false);
    const down = compareLevels(ladder, level('lead-tpm'), level('senior-tpm'));
    expect(down.kind === 'roles' && down.reversed).toBe(true);
  });

  it('uses the comparable position of a role compared with a position, and flags it', () => {
    const comparison = compareLevels(ladder, level('tpm4'), level('lead-tpm'));
    expect(comparison).toMatchObject({
      kind: 'positions',
      from: { id: 'tpm4' },
      to: { id: 'tpm5' },
      substitutions: [{ side: 'b', role: { id: 'lead-tpm' }, position: { id: 'tpm5' } }],
    });
  });

  it('handles every pair of levels', () => {
    for (const a of ladder.levels) {
      for (const b of ladder.levels) {
        const comparison = compareLevels(ladder, a, b);
        if (comparison.kind === 'positions') {
          expect(comparison.axes).toHaveLength(5);
          if (a.id === b.id) expect(comparison.direction).toBe('same');
        }
      }
    }
  });
});
