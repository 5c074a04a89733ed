import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderCsv } from '../../../../src/domain/export/csv.ts';
import type { EvidenceEntry } from '../../../../src/domain/types.ts';
import { expectGolden } from '../../../helpers/golden.ts';
import { ENTRIES, PACKET } from './packet-fixture.ts';

/** An independent RFC 4180 reader: csv-parse, strict about quotes, CRLF records, BOM skipped. */
function readCsv(text: string): string[][] {
  return parse(text, { bom: true, record_delimiter: '\r\n', relax_quotes: false, relax_column_count: false });
}

/** The documented neutralisation, restated here rather than imported. */
function asSpreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r＝＋－＠]/.test(value) ? `'${value}` : value;
}

function expectedRow(e: EvidenceEntry): string[] {
  return [
    e.occurredOn,
    e.text,
    e.axes.join(';'),
    e.suggestedAxes.filter((a) => !e.axes.includes(a)).join(';'),
    e.shift ?? '',
    e.scope ?? '',
    e.source,
    e.link ?? '',
    e.createdAt,
  ].map(asSpreadsheetSafe);
}

const HEADER = ['date', 'text', 'axes', 'suggested_axes', 'shift', 'scope', 'source', 'link', 'created_at'];

describe('renderCsv', () => {
  const csv = renderCsv(PACKET);

  it('matches the reviewed golden file', () => {
    expectGolden('packet.csv', csv);
  });

  it('parses back with an independent RFC 4180 parser to the data, oldest first', () => {
    const sorted = [...ENTRIES].sort(
      (a, b) =>
        a.occurredOn.localeCompare(b.occurredOn) || a.createdAt.localeCompare(b.createdAt) || a.id - b.id,
    );
    expect(readCsv(csv)).toEqual([HEADER, ...sorted.map(expectedRow)]);
  });

  it('neutralises formula-looking cells and keeps everything else exact', () => {
    const rows = readCsv(csv);
    const texts = rows.map((r) => r[1]);
    expect(texts).toContain('\'=HYPERLINK("http://evil.example","click me")');
    expect(texts).toContain('\'+1 from the VP: "prevented the Q4 outage" <@U0123ABCD>');
    expect(texts).toContain("'-5% incident rate after the new post-mortem cadence");
    expect(texts).toContain("'@channel heads-up: shipped the planning template, v1.2");
    expect(texts).toContain("'\tTab-started note about snake_case_names and a|b pipes");
    expect(texts).toContain(
      'Coached Sam through their first QBR 🙌\r\nFeedback: "clear, calm, well prepared"',
    );
    expect(texts).toContain('# heading-looking entry about the 2026 roadmap');
  });

  it('is UTF-8 with a BOM for Excel, CRLF line ends, and a BOM-less variant', () => {
    expect(csv.startsWith('\uFEFFdate,text,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const plain = renderCsv(PACKET, { bom: false });
    expect(plain).toBe(csv.slice(1));
    expect(Buffer.from(plain, 'utf8').toString('utf8')).toBe(plain);
  });

  it('takes a bare list of entries too, in any order', () => {
    expect(renderCsv([...ENTRIES])).toBe(csv);
    expect(renderCsv([])).toBe(`\uFEFF${HEADER.join(',')}\r\n`);
  });

  it('any text survives the round trip, modulo the formula prefix (property)', () => {
    const awkward = fc.constantFrom(
      ',',
      '"',
      '\r',
      '\n',
      '\r\n',
      '=',
      '+',
      '-',
      '@',
      '\t',
      "'",
      ' ',
      '🙌',
      'é',
      '＝',
    );
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.oneof(awkward, fc.string({ maxLength: 2 })) }), { maxLength: 5 }),
        (texts) => {
          const entries = texts.map((text, i) => ({
            ...(ENTRIES[0] as EvidenceEntry),
            id: i + 1,
            text,
            link: null,
          }));
          const rows = readCsv(renderCsv(entries));
          expect(rows.slice(1).map((r) => r[1])).toEqual(texts.map(asSpreadsheetSafe));
        },
      ),
      { numRuns: 300 },
    );
  });
});
