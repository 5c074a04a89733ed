import { describe, expect, it } from 'vitest';
import { checkMessage } from '../../../../src/local/block-limits.ts';
import { buildHelp, buildUsageHelp, HELP_ENTRIES } from '../../../../src/slack/blocks/help.ts';
import { blockText } from './helpers.ts';

describe('buildHelp', () => {
  it('lists every subcommand of the list, escaped, within limits', () => {
    const message = buildHelp();
    expect(checkMessage(message)).toEqual([]);
    const text = blockText(message);
    for (const entry of HELP_ENTRIES) expect(text).toContain(entry.description);
    expect(text).toContain('`/ladder compare &lt;a&gt; &lt;b&gt;`');
    expect(message.text).toBe(
      'Ladder commands: /ladder help, /ladder levels, /ladder &lt;level&gt;, /ladder compare &lt;a&gt; &lt;b&gt;.',
    );
  });

  it('takes more entries as data, splitting long lists over sections', () => {
    const entries = [
      ...HELP_ENTRIES,
      ...Array.from({ length: 60 }, (_, i) => ({
        usage: `thing${i} <x>`,
        description: 'Does a thing. '.repeat(5),
      })),
    ];
    const message = buildHelp(entries);
    expect(checkMessage(message)).toEqual([]);
    expect(blockText(message)).toContain('/ladder thing59 &lt;x&gt;');
  });

  it('explains a usage problem with an example first', () => {
    const message = buildUsageHelp({ problem: 'Compare needs two levels.', example: 'compare tpm4 tpm5' });
    expect(checkMessage(message)).toEqual([]);
    expect(
      blockText(message).startsWith('Compare needs two levels. For example: `/ladder compare tpm4 tpm5`'),
    ).toBe(true);
  });
});
