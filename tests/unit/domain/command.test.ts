import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMAND_KEYWORDS, parseLadderCommand } from '../../../src/domain/command.ts';
import { HANDLERS } from '../../../src/slack/listeners/commands/index.ts';

describe('parseLadderCommand', () => {
  it.each([
    ['', { kind: 'help' }],
    ['   \n ', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['HELP me please', { kind: 'help' }],
    ['levels', { kind: 'levels' }],
    ['Levels', { kind: 'levels' }],
    ['next', { kind: 'next', from: null }],
    ['next tpm4', { kind: 'next', from: 'tpm4' }],
    ['chart', { kind: 'chart' }],
    ['forget', { kind: 'forget' }],
  ])('%j → %j', (text, expected) => {
    expect(parseLadderCommand(text)).toEqual(expected);
  });

  it('reads anything that is not a subcommand as a level query', () => {
    expect(parseLadderCommand('lead')).toEqual({ kind: 'level', query: 'lead' });
    expect(parseLadderCommand('  senior staff ')).toEqual({ kind: 'level', query: 'senior staff' });
    expect(parseLadderCommand('TPM-5')).toEqual({ kind: 'level', query: 'TPM-5' });
    expect(parseLadderCommand('tmp5')).toEqual({ kind: 'level', query: 'tmp5' });
    expect(parseLadderCommand('comapre tpm4 tpm5')).toEqual({ kind: 'level', query: 'comapre tpm4 tpm5' });
    expect(parseLadderCommand('levelz')).toEqual({ kind: 'level', query: 'levelz' });
  });

  it('keeps the words of compare for the resolver to split', () => {
    expect(parseLadderCommand('compare tpm4 tpm5')).toEqual({ kind: 'compare', words: ['tpm4', 'tpm5'] });
    expect(parseLadderCommand('Compare senior staff lead')).toEqual({
      kind: 'compare',
      words: ['senior', 'staff', 'lead'],
    });
    expect(parseLadderCommand('compare senior lead')).toEqual({ kind: 'compare', words: ['senior', 'lead'] });
    expect(parseLadderCommand('compare tpm4->tpm5')).toEqual({
      kind: 'compare',
      words: ['tpm4', '->', 'tpm5'],
    });
    expect(parseLadderCommand('compare tpm4,tpm5')).toEqual({
      kind: 'compare',
      words: ['tpm4', ',', 'tpm5'],
    });
    expect(parseLadderCommand('compare tpm4')).toMatchObject({ kind: 'usage', command: 'compare' });
    expect(parseLadderCommand('compare')).toMatchObject({ kind: 'usage', command: 'compare' });
  });

  it('reads me with level and target in any order, several words each', () => {
    expect(parseLadderCommand('me')).toEqual({ kind: 'me', level: null, target: null });
    expect(parseLadderCommand('me level tpm4 target lead')).toEqual({
      kind: 'me',
      level: 'tpm4',
      target: 'lead',
    });
    expect(parseLadderCommand('me target senior staff')).toEqual({
      kind: 'me',
      level: null,
      target: 'senior staff',
    });
    expect(parseLadderCommand('me TARGET lead Level tpm 4')).toEqual({
      kind: 'me',
      level: 'tpm 4',
      target: 'lead',
    });
    expect(parseLadderCommand('me tpm4')).toMatchObject({ kind: 'usage', command: 'me' });
    expect(parseLadderCommand('me level')).toMatchObject({ kind: 'usage', command: 'me' });
    expect(parseLadderCommand('me level tpm3 level tpm4')).toMatchObject({ kind: 'usage', command: 'me' });
  });

  it('keeps log text verbatim: newlines, emoji, quotes, mentions', () => {
    const text = 'Shipped the *launch* 🚀\n\n"quoted" <@U123> #people\t#multi-team';
    expect(parseLadderCommand(`log ${text}`)).toEqual({ kind: 'log', text });
    expect(parseLadderCommand(`LOG\n${text}\n`)).toEqual({ kind: 'log', text });
    expect(parseLadderCommand('log')).toEqual({ kind: 'log', text: null });
    expect(parseLadderCommand('log   ')).toEqual({ kind: 'log', text: null });
    expect(parseLadderCommand("log Robert'); DROP TABLE evidence;--")).toEqual({
      kind: 'log',
      text: "Robert'); DROP TABLE evidence;--",
    });
  });

  it('reads evidence N or search words', () => {
    expect(parseLadderCommand('evidence')).toEqual({ kind: 'evidence', limit: null, query: null });
    expect(parseLadderCommand('evidence 20')).toEqual({ kind: 'evidence', limit: 20, query: null });
    expect(parseLadderCommand('evidence 0')).toEqual({ kind: 'evidence', limit: null, query: '0' });
    expect(parseLadderCommand('evidence 2024')).toEqual({ kind: 'evidence', limit: null, query: '2024' });
    expect(parseLadderCommand('evidence launch review')).toEqual({
      kind: 'evidence',
      limit: null,
      query: 'launch review',
    });
  });

  it('reads summary and export with optional format and period', () => {
    expect(parseLadderCommand('summary')).toEqual({ kind: 'summary', period: null });
    expect(parseLadderCommand('summary 90d')).toEqual({ kind: 'summary', period: '90d' });
    expect(parseLadderCommand('summary since 2026-01-01')).toEqual({
      kind: 'summary',
      period: 'since 2026-01-01',
    });
    expect(parseLadderCommand('export')).toEqual({ kind: 'export', format: null, period: null });
    expect(parseLadderCommand('export CSV')).toEqual({ kind: 'export', format: 'csv', period: null });
    expect(parseLadderCommand('export markdown quarter')).toEqual({
      kind: 'export',
      format: 'md',
      period: 'quarter',
    });
    expect(parseLadderCommand('export json since 2026-01-01')).toEqual({
      kind: 'export',
      format: 'json',
      period: 'since 2026-01-01',
    });
    expect(parseLadderCommand('export 90d')).toEqual({ kind: 'export', format: null, period: '90d' });
  });

  it('passes the rest of nudge through', () => {
    expect(parseLadderCommand('nudge fri 15:30')).toEqual({ kind: 'nudge', args: 'fri 15:30' });
    expect(parseLadderCommand('nudge')).toEqual({ kind: 'nudge', args: '' });
    expect(parseLadderCommand('Nudge  pause 2027-01-05 ')).toEqual({
      kind: 'nudge',
      args: 'pause 2027-01-05',
    });
  });

  it('reads digest on | off | status (status alone too), and explains anything else', () => {
    expect(parseLadderCommand('digest on')).toEqual({ kind: 'digest', action: 'on' });
    expect(parseLadderCommand('Digest OFF')).toEqual({ kind: 'digest', action: 'off' });
    expect(parseLadderCommand('digest')).toEqual({ kind: 'digest', action: 'status' });
    expect(parseLadderCommand('digest status')).toEqual({ kind: 'digest', action: 'status' });
    for (const text of ['digest weekly', 'digest on now']) {
      expect(parseLadderCommand(text)).toMatchObject({
        kind: 'usage',
        command: 'digest',
        example: 'digest on',
      });
    }
  });

  it('recognises every keyword', () => {
    for (const keyword of COMMAND_KEYWORDS) {
      expect(parseLadderCommand(keyword).kind).not.toBe('level');
    }
  });

  it('never throws and always returns a known kind (property)', () => {
    const pieces = fc.constantFrom(
      ...COMMAND_KEYWORDS,
      'level',
      'target',
      'tpm4',
      'senior staff',
      '->',
      ',',
      '#people',
      '\n',
      ' ',
      '🚀',
      'md',
    );
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'grapheme', maxLength: 100 }),
      fc
        .array(fc.oneof(pieces, fc.string({ maxLength: 5 })), { maxLength: 12 })
        .map((parts) => parts.join(' ')),
    );
    fc.assert(
      fc.property(text, (input) => {
        const command = parseLadderCommand(input);
        expect(Object.keys(HANDLERS)).toContain(command.kind);
        if (command.kind === 'log' && command.text !== null) expect(input).toContain(command.text);
        if (command.kind === 'compare') expect(command.words.length).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 2000 },
    );
  });

  it('does not throw on values that are not strings', () => {
    for (const value of [undefined, null, 42, {}, []]) {
      expect(parseLadderCommand(value as unknown as string)).toEqual({ kind: 'help' });
    }
  });
});
