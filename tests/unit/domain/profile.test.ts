import { describe, expect, it } from 'vitest';
import { resolveProfileLevels } from '../../../src/domain/profile.ts';
import { realLadder } from '../../helpers/ladder.ts';

const ladder = realLadder();

describe('resolveProfileLevels', () => {
  it('keeps positions as they are', () => {
    const r = resolveProfileLevels(ladder, { level: 'TPM 4', target: 'senior staff' });
    expect(r.ok && [r.level?.position.id, r.level?.substitutedFrom, r.target?.position.id]).toEqual([
      'tpm4',
      null,
      'tpm5',
    ]);
  });

  it('turns a role into its comparable position, with the reason', () => {
    const r = resolveProfileLevels(ladder, { level: 'senior', target: 'lead' });
    if (!r.ok) throw new Error('expected ok');
    expect(r.level?.position.id).toBe('tpm4');
    expect(r.level?.substitutedFrom?.id).toBe('senior-tpm');
    expect(r.target?.position.id).toBe('tpm5');
    expect(r.target?.substitutedFrom?.name).toBe('Lead TPM');
    expect(r.target?.reason).toMatch(/TPM5/);
    expect(r.warning).toBeNull();
  });

  it('either part alone works; the warning looks at what the profile will hold', () => {
    const r = resolveProfileLevels(ladder, { level: null, target: 'tpm3' }, { level: 'tpm4', target: null });
    expect(r.ok && r.level).toBeNull();
    expect(r.ok && r.target?.position.id).toBe('tpm3');
    expect(r.ok && r.warning).toMatch(/below your level TPM4/);
    const same = resolveProfileLevels(ladder, { level: 'tpm5', target: 'lead' });
    expect(same.ok && same.warning).toMatch(/is your current level/);
  });

  it('names every unknown part with suggestions, and sets nothing', () => {
    const r = resolveProfileLevels(ladder, { level: 'tmp4', target: 'zzzz' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.unknown.map((u) => u.slot)).toEqual(['level', 'target']);
    expect(r.unknown[0]?.unknown.suggestions[0]?.level.id).toBe('tpm4');
  });
});
