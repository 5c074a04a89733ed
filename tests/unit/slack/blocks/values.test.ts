import { describe, expect, it } from 'vitest';
import { decodeLevelValue, encodeLevelPair, encodeLevelValue } from '../../../../src/slack/blocks/values.ts';
import { actionIdPattern, nthActionId } from '../../../../src/slack/ids.ts';

describe('button values', () => {
  it('round-trips a level and a pair', () => {
    expect(decodeLevelValue(encodeLevelValue('tpm5'))).toEqual({ kind: 'level', id: 'tpm5' });
    expect(decodeLevelValue(encodeLevelPair('senior-tpm', 'lead-tpm'))).toEqual({
      kind: 'pair',
      a: 'senior-tpm',
      b: 'lead-tpm',
    });
  });

  it('carries the words a person typed, reduced to plain words, and reads them back', () => {
    expect(encodeLevelValue('lead-tpm', 'Lead')).toBe('lead-tpm~lead');
    expect(decodeLevelValue(encodeLevelValue('lead-tpm', '  Lead <@U1> '))).toEqual({
      kind: 'level',
      id: 'lead-tpm',
      typed: 'lead u1',
    });
    expect(decodeLevelValue(encodeLevelPair('senior-tpm', 'lead-tpm', 'senior  lead'))).toEqual({
      kind: 'pair',
      a: 'senior-tpm',
      b: 'lead-tpm',
      typed: 'senior lead',
    });
    for (const value of ['tpm5~', 'tpm5~Lead', 'tpm5~a~b', 'tpm5~<b>', 'tpm5~a  b']) {
      expect(decodeLevelValue(value)).toBeNull();
    }
  });

  it('rejects anything else', () => {
    for (const value of ['', 'TPM5', 'a:b:c', 'tpm5:', '<@U1>', 'x'.repeat(200), 42, null, undefined]) {
      expect(decodeLevelValue(value)).toBeNull();
    }
  });
});

describe('nthActionId', () => {
  it('keeps the plain id first and matches every variant', () => {
    expect(nthActionId('ladder_show_level', 0)).toBe('ladder_show_level');
    expect(nthActionId('ladder_show_level', 3)).toBe('ladder_show_level.3');
    const pattern = actionIdPattern('ladder_show_level');
    expect(['ladder_show_level', 'ladder_show_level.3'].every((id) => pattern.test(id))).toBe(true);
    expect(
      ['ladder_show_levels', 'ladder_show_level.x', 'xladder_show_level'].some((id) => pattern.test(id)),
    ).toBe(false);
  });
});
