import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasSlackMarkup, slackTextToReadable, unlabelledUserIds } from '../../../src/domain/slack-text.ts';

const names = new Map([
  ['U0DEMO1', 'Ada Lovelace'],
  ['W0GRID1', 'Grace'],
]);
const readable = (text: string, decodeEntities = false) =>
  slackTextToReadable(text, { names, decodeEntities }).text;

describe('slackTextToReadable', () => {
  it.each([
    ['Thanks <@U0DEMO1> for the review', 'Thanks @Ada Lovelace for the review'],
    ['Thanks <@U0DEMO1|ada> for it', 'Thanks @ada for it'],
    ['ping <@W0GRID1>', 'ping @Grace'],
    ['ask <@U0NOBODY>', 'ask @someone'],
    ['in <#C0GENERAL|general> today', 'in #general today'],
    ['in <#C0PRIVATE> today', 'in #channel today'],
    ['<!subteam^S0TPMS|@tpm-leads> please', '@tpm-leads please'],
    ['<!subteam^S0TPMS|tpm-leads> please', '@tpm-leads please'],
    ['<!subteam^S0TPMS> please', '@group please'],
    ['<!here> the doc is up', '@here the doc is up'],
    ['<!here|here> and <!channel> and <!everyone>', '@here and @channel and @everyone'],
    ['due <!date^1392734382^{date_short}|Feb 18, 2014> ok', 'due Feb 18, 2014 ok'],
    ['due <!date^1392734382^{date_short}>', 'due 2014-02-18'],
    ['see <https://example.com/doc|the launch doc>', 'see the launch doc (https://example.com/doc)'],
    ['see <https://example.com/doc>', 'see https://example.com/doc'],
    ['see <https://example.com/doc|https://example.com/doc>', 'see https://example.com/doc'],
    ['see <https://example.com|example.com>', 'see https://example.com'],
    ['mail <mailto:ada@example.com|ada@example.com>', 'mail ada@example.com'],
    ['latency < 200 ms && p99 > 1 s', 'latency < 200 ms && p99 > 1 s'],
    ['a <b> c <@lower> d', 'a <b> c <@lower> d'],
    ['no markup at all 🚀', 'no markup at all 🚀'],
  ])('%s', (input, expected) => {
    expect(readable(input)).toBe(expected);
  });

  it("decodes Slack's escapes in a message event's text, and only around the tokens", () => {
    expect(readable('R&amp;D &lt;@U0DEMO1&gt; &amp;lt; <@U0DEMO1>', true)).toBe(
      'R&D <@U0DEMO1> &lt; @Ada Lovelace',
    );
    expect(readable('<https://example.com/?a=1&amp;b=2|Q&amp;A>', true)).toBe(
      'Q&A (https://example.com/?a=1&b=2)',
    );
  });

  it('reports the people it could not name', () => {
    expect(slackTextToReadable('<@U0AAA> <@U0BBB|bee> <@U0DEMO1>', { names }).unresolved).toEqual(['U0AAA']);
  });

  it('lists the people to look up: unlabelled mentions, once each', () => {
    expect(unlabelledUserIds('<@U0AAA> <@U0BBB|bee> <@U0AAA> <#C0X|x> <!here>')).toEqual(['U0AAA']);
  });

  it('leaves no token behind and is idempotent on its own output (property)', () => {
    const piece = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '<@U0DEMO1>',
        '<@U0ZZZ|zed>',
        '<#C0ABC|general>',
        '<!here>',
        '<!channel>',
        '<!subteam^S0X|@team>',
        '<!date^1700000000^{date}|Nov 14>',
        '<https://example.com|doc>',
        '<https://example.com>',
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (parts) => {
        const once = readable(parts.join(' '));
        expect(hasSlackMarkup(once)).toBe(false);
        expect(readable(once)).toBe(once);
      }),
    );
  });

  it('hasSlackMarkup tells raw Slack text from readable text', () => {
    expect(hasSlackMarkup('hi <@U0DEMO1>')).toBe(true);
    expect(hasSlackMarkup('hi @Ada, latency < 2 > 1')).toBe(false);
  });
});
