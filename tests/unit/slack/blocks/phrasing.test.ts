/**
 * The replies the use cases used to phrase themselves (issue 13: all user text in builders), word
 * for word: the use cases now return what they did and these builders say it.
 */
import { describe, expect, it } from 'vitest';
import { digestCommandText, digestStatusText } from '../../../../src/slack/blocks/digest.ts';
import {
  chartFileTitle,
  chartInitialComment,
  EXPORT_DESCRIPTION,
  exportFileTitle,
} from '../../../../src/slack/blocks/export.ts';
import { nudgeCommandText, skipThisWeekText } from '../../../../src/slack/blocks/nudge.ts';

const schedule = 'Next nudge: Monday 8 Dec at 09:00 (Europe/Paris).';

describe('the use cases’ results in words', () => {
  it('nudge commands and Skip this week', () => {
    expect(nudgeCommandText({ ok: true, kind: 'status', schedule })).toBe(schedule);
    expect(nudgeCommandText({ ok: true, kind: 'on', schedule })).toBe(
      `Weekly reflection nudges are on. ${schedule}`,
    );
    expect(nudgeCommandText({ ok: true, kind: 'pause-weeks', schedule })).toBe(`Paused. ${schedule}`);
    expect(nudgeCommandText({ ok: true, kind: 'off', schedule })).toBe(
      'Weekly nudges are off. Your answers so far stay in your evidence. `nudge on` turns them back on.',
    );
    expect(nudgeCommandText({ ok: false, problem: 'That date is in the past.' })).toBe(
      'That date is in the past.',
    );
    expect(skipThisWeekText(schedule)).toBe(`No answer needed this week. ${schedule}`);
    expect(skipThisWeekText(null)).toBe('No answer needed this week. Weekly nudges are off.');
  });

  it('the digest switch', () => {
    const status = { enabled: true, time: '09:00', timeZone: 'Europe/Paris', nextLocal: '2027-01-04T09:00' };
    const when = 'the first Monday of each month at the time of your weekly nudge (09:00, Europe/Paris)';
    expect(digestStatusText(status)).toMatch(
      new RegExp(
        `^Monthly digest: on, ${when.replace(/[()]/g, '\\$&')}\\. Next: .+, with last month in review\\.$`,
      ),
    );
    expect(digestCommandText('on', status)).toMatch(/^Monthly digest is on: the first Monday/);
    expect(digestCommandText('off', { ...status, enabled: false })).toBe(
      'Monthly digest is off. `digest on` turns it back on.',
    );
    expect(digestStatusText({ ...status, enabled: false })).toBe(
      `Monthly digest: off. \`digest on\` sends ${when} a DM with the month in review.`,
    );
  });

  it('export files and the chart', () => {
    expect(exportFileTitle('md', 'last 12 months')).toBe('Review packet (last 12 months)');
    expect(exportFileTitle('csv', 'last 12 months')).toBe('Ladder evidence (last 12 months)');
    expect(exportFileTitle('json', 'everything')).toBe('Ladder export (everything)');
    expect(EXPORT_DESCRIPTION.md).toBe('Markdown review packet');
    expect(chartFileTitle('last 90 days')).toBe('Ladder radar chart (last 90 days)');
    expect(chartInitialComment('last 90 days')).toBe(
      'Your radar chart: level, target and evidence per axis (evidence: last 90 days).',
    );
  });
});
