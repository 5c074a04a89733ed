import fc from 'fast-check';
import { marked, type Token, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import {
  escapeMarkdownInline,
  markdownLink,
  renderMarkdown,
} from '../../../../src/domain/export/markdown.ts';
import type { PacketInput } from '../../../../src/domain/export/packet.ts';
import type { EvidenceEntry } from '../../../../src/domain/types.ts';
import { expectGolden } from '../../../helpers/golden.ts';
import { ENTRIES, PACKET, USER } from './packet-fixture.ts';

function tokensOfType(tokens: readonly Token[], type: string): Token[] {
  const out: Token[] = [];
  marked.walkTokens(tokens as Token[], (t) => {
    if (t.type === type) out.push(t);
  });
  return out;
}

function decodeHtml(html: string): string {
  return html
    .replace(/<br>|<\/?(p|li|ul|ol|h\d|table|tr|td|th|thead|tbody)\b[^>]*>/g, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** What a reader sees: whitespace collapsed, control characters (dropped by the renderer) removed. */
function normalise(text: string): string {
  return text
    .replace(/[^\P{Cc}\t\n\r]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function untaggedPacket(entries: EvidenceEntry[], name = 'Ada'): PacketInput {
  // Without the gap section's example lists, the only list is the entry's.
  return { ...PACKET, user: { ...PACKET.user, name }, entries, reflections: [], gaps: [] };
}

function plainEntry(text: string): EvidenceEntry {
  return {
    ...(ENTRIES[0] as EvidenceEntry),
    id: 1,
    text,
    axes: [],
    suggestedAxes: [],
    shift: null,
    scope: null,
    link: null,
  };
}

describe('renderMarkdown', () => {
  const md = renderMarkdown(PACKET);
  const tokens = marked.lexer(md);

  it('matches the reviewed golden file', () => {
    expectGolden('packet.md', md);
  });

  it('is organised by what the level expects: only its own headings, in order', () => {
    const headings = tokensOfType(tokens, 'heading').map(
      (t) => `${'#'.repeat((t as Tokens.Heading).depth)} ${(t as Tokens.Heading).text}`,
    );
    expect(headings).toEqual([
      '# Review packet: Ada Lovelace',
      '## At a glance',
      '## Where to grow (TPM4 → TPM5)',
      '### System: Designs → Owns',
      '### People: Coordinates → Manages',
      '### Influence: Multiple Teams → Company',
      '## Evidence by axis',
      '### Technology',
      '### System',
      '### People',
      '### Process',
      '### Influence',
      '## Reflections by mindset shift',
      '### Doing → enabling',
      '### Managing tasks → managing systems',
      '### Solving problems → preventing them',
      '## Untagged entries',
      '## Appendix: TPM5 Senior Staff Engineer competencies',
    ]);
  });

  it('lets no entry become a quote, code, HTML, a table or a link of its own', () => {
    for (const type of ['blockquote', 'code', 'codespan', 'html', 'del', 'hr']) {
      expect(tokensOfType(tokens, type), type).toEqual([]);
    }
    // The only emphasis is the packet's own notes, e.g. "No entries on this axis in this period."
    for (const em of tokensOfType(tokens, 'em') as Tokens.Em[]) expect(em.text).toMatch(/^No(ne)? /);
    const tables = tokensOfType(tokens, 'table') as Tokens.Table[];
    expect(tables.map((t) => [t.rows.length, t.header.length])).toEqual([
      [5, 5],
      [5, 3],
    ]);
    const hrefs = (tokensOfType(tokens, 'link') as Tokens.Link[]).map((l) => l.href);
    expect(hrefs).toEqual(expect.arrayContaining(['https://wiki.example.com/lunch-and-learn?a=1&b=(2)']));
    for (const href of hrefs) expect(href).toMatch(/^https?:\/\//);
  });

  it('shows the at-a-glance numbers per axis (entries, suggested, months)', () => {
    const [glance] = tokensOfType(tokens, 'table') as Tokens.Table[];
    const rows = glance?.rows.map((r) => r.map((c) => c.text)) ?? [];
    expect(rows).toEqual([
      ['Technology', 'Specializes (2)', 'Specializes (2)', '3', '3'],
      ['System', 'Designs (2)', 'Owns (3)', '2', '2'],
      ['People', 'Coordinates (4)', 'Manages (5)', '2', '2'],
      ['Process', 'Defines (5)', 'Defines (5)', '5 (2 suggested)', '5'],
      ['Influence', 'Multiple Teams (3)', 'Company (4)', '3 (1 suggested)', '3'],
    ]);
  });

  it('shows every entry exactly as typed, dated, at least once', () => {
    const html = decodeHtml(marked.parse(md, { async: false }));
    const seen = normalise(html);
    for (const entry of ENTRIES) {
      expect(seen).toContain(`${entry.occurredOn} — ${normalise(entry.text)}`);
    }
  });

  it('keeps line breaks inside an entry as hard breaks in the same list item', () => {
    const html = marked.parse(md, { async: false });
    expect(html).toContain(
      'Coached Sam through their first QBR 🙌<br>Feedback: &quot;clear, calm, well prepared&quot;',
    );
    expect(html).toContain('Mentored two new TPMs:<br>- weekly 1:1s<br>- shadowing on planning');
  });

  it('marks suggested axes and links Slack messages', () => {
    expect(md).toContain('Axes: System, Process (suggested)');
    expect(md).toContain('[Slack message](<https://acme.slack.com/archives/C0PROGRAM1/p1764688000000300>)');
  });

  it('is the same whatever order the entries come in', () => {
    expect(renderMarkdown({ ...PACKET, entries: [...ENTRIES] })).toBe(md);
  });

  it('says so when there is no target and no entry', () => {
    const empty = renderMarkdown({ ...PACKET, target: null, competencies: [], entries: [], reflections: [] });
    expect(empty).toContain('**TPM4 Staff Engineer → target not set**');
    expect(empty).toContain('Period: last 12 months (2025-06-01 to 2026-05-31) · 0 entries');
    expect(empty).toContain('_No entries on this axis in this period._');
    expect(empty).toContain('_No target level set._');
  });

  it('user text can never add a heading, quote, code, HTML, table, list or link (property)', () => {
    const special = fc.constantFrom(
      ...'#>-+*_`[]()<>|\\~$&!=:.1 \n\t\r'.split(''),
      '&amp;',
      '```',
      '---',
      '===',
      '1. ',
      '- ',
      '    ',
      'http://x.io',
      '<b>',
      'é',
      '🙌',
    );
    const count = (doc: string, type: string) => tokensOfType(marked.lexer(doc), type).length;
    const baseline = renderMarkdown(untaggedPacket([plainEntry('plain text')]));
    fc.assert(
      fc.property(
        fc.string({ unit: fc.oneof(special, fc.string({ maxLength: 2 })), maxLength: 40 }),
        (text) => {
          fc.pre(normalise(text) !== '');
          const doc = renderMarkdown(untaggedPacket([plainEntry(text)]));
          const docTokens = marked.lexer(doc);
          for (const type of ['blockquote', 'code', 'codespan', 'html', 'del', 'hr']) {
            expect(tokensOfType(docTokens, type), type).toEqual([]);
          }
          for (const type of ['heading', 'table', 'strong', 'em', 'list', 'list_item']) {
            expect(count(doc, type), type).toBe(count(baseline, type));
          }
          for (const link of tokensOfType(docTokens, 'link') as Tokens.Link[]) {
            expect(link.href).toMatch(/^(https?|mailto):/);
          }
          const lists = tokensOfType(docTokens, 'list') as Tokens.List[];
          const itemHtml = decodeHtml(marked.parser(lists as Token[]));
          expect(normalise(itemHtml)).toBe(`${ENTRIES[0]?.occurredOn} — ${normalise(text)}`);
        },
      ),
      { numRuns: Number(process.env.MD_RUNS ?? 400) },
    );
  });

  it('a user name can never break the title (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (name) => {
        fc.pre(normalise(name) !== '');
        const docTokens = marked.lexer(renderMarkdown(untaggedPacket([], name)));
        const [title] = tokensOfType(docTokens, 'heading') as Tokens.Heading[];
        expect(title?.depth).toBe(1);
        expect(normalise(decodeHtml(marked.parseInline(title?.text ?? '', { async: false })))).toBe(
          normalise(`Review packet: ${name}`),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('escapeMarkdownInline', () => {
  it('escapes what would change the text, and leaves ordinary prose alone', () => {
    expect(escapeMarkdownInline('snake_case and R&D, e.g. 3.5 -> done!')).toBe(
      'snake_case and R&D, e.g. 3.5 -> done!',
    );
    expect(escapeMarkdownInline('a|b `c` [d](e) <f> *g* _h_ ~i~ $j$ &amp;')).toBe(
      'a\\|b \\`c\\` \\[d\\](e) \\<f> \\*g\\* \\_h\\_ \\~i\\~ \\$j\\$ \\&amp;',
    );
    expect(escapeMarkdownInline('Release ##2 #', { heading: true })).toBe('Release \\#\\#2 \\#');
    expect(escapeMarkdownInline('two\nlines')).toBe('two lines');
  });
});

describe('markdownLink', () => {
  it('links only web addresses, with a destination that cannot be broken out of', () => {
    expect(markdownLink('https://acme.slack.com/archives/C1/p1')).toBe(
      '[Slack message](<https://acme.slack.com/archives/C1/p1>)',
    );
    expect(markdownLink('https://example.com/a b<c>\\d')).toBe(
      '[link](<https://example.com/a%20b%3Cc%3E%5Cd>)',
    );
    expect(markdownLink('https://slack.com.evil.example/x')).toBe(
      '[link](<https://slack.com.evil.example/x>)',
    );
    expect(markdownLink('javascript:alert(1)')).toBeNull();
  });

  it('shows a non-web link as text instead of a link', () => {
    const doc = renderMarkdown(untaggedPacket([{ ...plainEntry('x'), link: 'javascript:alert(1)' }]));
    expect(doc).toContain('Link: javascript:alert(1)');
    expect(tokensOfType(marked.lexer(doc), 'link')).toEqual([]);
  });
});

it('the fixture belongs to one user', () => {
  expect(new Set(ENTRIES.map((e) => e.userId))).toEqual(new Set([USER]));
});
