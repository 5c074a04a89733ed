import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEvidenceText, renderEvidenceText } from '../../../src/domain/tags.ts';
import { AXIS_IDS, SCOPE_IDS, SHIFT_IDS } from '../../../src/domain/types.ts';
import { realLadder } from '../../helpers/ladder.ts';

const table = realLadder().tags;
const parse = (text: string) => parseEvidenceText(text, table);

describe('parseEvidenceText', () => {
  it.each([
    [
      'Ran the launch review #process #multi-team',
      { text: 'Ran the launch review', axes: ['process'], shift: null, scope: 'multi-team', unknownTags: [] },
    ],
    [
      'Helped the #team ship the migration',
      { text: 'Helped the team ship the migration', axes: [], shift: null, scope: 'team', unknownTags: [] },
    ],
    [
      'Coached two TPMs on planning #people #enabling #org',
      {
        text: 'Coached two TPMs on planning',
        axes: ['people'],
        shift: 'enabling',
        scope: 'company',
        unknownTags: [],
      },
    ],
    [
      'Wrote the #oncall runbook #process #q3',
      {
        text: 'Wrote the #oncall runbook #q3',
        axes: ['process'],
        shift: null,
        scope: null,
        unknownTags: ['#oncall', '#q3'],
      },
    ],
    [
      'Only unknown at the end #q3 #wins',
      {
        text: 'Only unknown at the end #q3 #wins',
        axes: [],
        shift: null,
        scope: null,
        unknownTags: ['#q3', '#wins'],
      },
    ],
    [
      '#tech talk on tracing #MultiTeam #Systems_Thinking',
      {
        text: 'tech talk on tracing',
        axes: ['technology'],
        shift: 'systems-thinking',
        scope: 'multi-team',
        unknownTags: [],
      },
    ],
    [
      'Aliases: #multiteam #cross-team #prevent',
      { text: 'Aliases:', axes: [], shift: 'preventing', scope: 'multi-team', unknownTags: [] },
    ],
    ['#people', { text: '', axes: ['people'], shift: null, scope: null, unknownTags: [] }],
    [
      'Kept the first shift #enabling #preventing',
      { text: 'Kept the first shift', axes: [], shift: 'enabling', scope: null, unknownTags: [] },
    ],
    [
      'Not tags: page#people &#39; <#C123|general> #1 priority',
      {
        text: 'Not tags: page#people &#39; <#C123|general> #1 priority',
        axes: [],
        shift: null,
        scope: null,
        unknownTags: [],
      },
    ],
    [
      '#systems is ambiguous, so it stays #process',
      {
        text: '#systems is ambiguous, so it stays',
        axes: ['process'],
        shift: null,
        scope: null,
        unknownTags: ['#systems'],
      },
    ],
  ])('%j', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it('keeps newlines, emoji and mentions in the text', () => {
    expect(parse('Shipped 🚀\n\nwith <@U123> (#people)\n#process')).toEqual({
      text: 'Shipped 🚀\n\nwith <@U123> (people)',
      axes: ['people', 'process'],
      shift: null,
      scope: null,
      unknownTags: [],
    });
  });

  it('lists axes in the framework order without duplicates', () => {
    expect(parse('x #process #tech #technology #people').axes).toEqual(['technology', 'people', 'process']);
  });
});

describe('renderEvidenceText', () => {
  it('appends the canonical tags', () => {
    expect(
      renderEvidenceText({
        text: 'Ran the review',
        axes: ['people', 'process'],
        shift: 'enabling',
        scope: 'multi-team',
      }),
    ).toBe('Ran the review #people #process #enabling #multi-team');
    expect(renderEvidenceText({ text: 'Plain', axes: [], shift: null, scope: null })).toBe('Plain');
    expect(renderEvidenceText({ text: '', axes: ['system'], shift: null, scope: null })).toBe('#system');
  });
});

describe('properties', () => {
  const fragments = fc.constantFrom(
    '#people',
    '#Tech',
    '#process',
    '#enabling',
    '#systems-thinking',
    '#multi-team',
    '#multiteam',
    '#org',
    '#foo',
    '#q3',
    '#systems',
    '#',
    '##people',
    '#people#foo',
    '(#team)',
    '#people.',
    '#people-',
    'people',
    'word',
    ' ',
    '  ',
    '\n',
    '\t',
    '🚀',
    'é',
    'e\u0301',
    '<@U1>',
    '&#39;',
    ',',
    '"',
    '\u00a0',
  );
  const text = fc.oneof(
    fc.array(fragments, { maxLength: 20 }).map((parts) => parts.join('')),
    fc
      .array(fc.oneof(fragments, fc.string({ maxLength: 4 })), { maxLength: 15 })
      .map((parts) => parts.join(' ')),
    fc.string({ maxLength: 100 }),
    fc.string({ unit: 'grapheme', maxLength: 60 }),
  );

  it('never throws and returns only tags from the table', () => {
    fc.assert(
      fc.property(text, (input) => {
        const parsed = parse(input);
        for (const axis of parsed.axes) expect(AXIS_IDS).toContain(axis);
        if (parsed.shift !== null) expect(SHIFT_IDS).toContain(parsed.shift);
        if (parsed.scope !== null) expect(SCOPE_IDS).toContain(parsed.scope);
        for (const tag of parsed.unknownTags) {
          expect(tag.startsWith('#')).toBe(true);
          expect(table.lookup.has(tag.slice(1).toLowerCase().replace(/[-_]/g, ''))).toBe(false);
        }
        expect(parsed.text).toBe(parsed.text.trim());
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips: parse(render(parse(t))) equals parse(t)', () => {
    fc.assert(
      fc.property(text, (input) => {
        const parsed = parse(input);
        expect(parse(renderEvidenceText(parsed))).toEqual(parsed);
      }),
      { numRuns: 3000 },
    );
  });
});
