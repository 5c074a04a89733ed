import { describe, expect, it } from 'vitest';
import { checkBlocks, checkMessage } from '../../../../src/local/block-limits.ts';
import {
  buildChartNeedsLevel,
  buildChartReply,
  buildExportEmpty,
  buildExportHomeSection,
  buildExportPeriodProblem,
  buildExportSent,
  exportInitialComment,
} from '../../../../src/slack/blocks/export.ts';
import { ActionId, actionIdPattern } from '../../../../src/slack/ids.ts';

const RANGE = { label: 'last year', startDate: '2025-11-20', endDate: '2026-11-19' };
const SUMMARY = {
  description: 'Markdown review packet',
  filename: 'ladder-review-packet-2026-11-19.md',
  entries: 1234,
  range: RANGE,
};

describe('export messages', () => {
  it('the DM line says what, how many and which period, on one line', () => {
    const line = exportInitialComment({ ...SUMMARY, chartAttached: true });
    expect(line).toBe(
      'Your Markdown review packet: 1,234 entries, last year (2025-11-20 to 2026-11-19), with your radar chart.',
    );
    expect(line).not.toContain('\n');
    expect(
      exportInitialComment({
        ...SUMMARY,
        entries: 1,
        range: { ...RANGE, startDate: null, label: 'all time' },
      }),
    ).toContain('1 entry, all time (up to 2026-11-19)');
  });

  it('the reply links the file only when the permalink is a plain web address', () => {
    const linked = buildExportSent({ ...SUMMARY, permalink: 'https://acme.slack.com/files/U1/F1/x.md' });
    expect(JSON.stringify(linked.blocks)).toContain(
      '<https://acme.slack.com/files/U1/F1/x.md|ladder-review-packet-2026-11-19.md>',
    );
    const odd = buildExportSent({ ...SUMMARY, permalink: 'javascript:alert(1)|<x>' });
    expect(JSON.stringify(odd.blocks)).not.toContain('javascript');
    for (const m of [linked, odd]) expect(checkMessage(m)).toEqual([]);
  });

  it('empty and invalid periods explain what to do, escaping what the user typed', () => {
    const empty = buildExportEmpty({ format: 'csv', range: { label: 'last 7 days' }, periodIsAll: false });
    expect(empty.text).toContain('no evidence in the period (last 7 days)');
    expect(JSON.stringify(empty.blocks)).toContain('export csv all');
    expect(
      JSON.stringify(
        buildExportEmpty({ format: 'md', range: { label: 'all time' }, periodIsAll: true }).blocks,
      ),
    ).not.toContain('longer period');
    const bad = buildExportPeriodProblem("I don't know the period `<!channel>`.");
    expect(JSON.stringify(bad.blocks)).toContain('&lt;!channel&gt;');
    for (const m of [empty, bad, buildChartNeedsLevel()]) expect(checkMessage(m)).toEqual([]);
  });

  it('the chart reply shows the file by id with the numbers as alt text, or the numbers in words', () => {
    const altText = `Radar chart (steps out of 5). ${'Technology: current 2, target 3, evidence 1.5/3; '.repeat(60)}`;
    const shown = buildChartReply({
      fileId: 'F0CHART1',
      altText,
      periodLabel: 'last 90 days',
      withImage: true,
    });
    const image = shown.blocks.find((b) => b.type === 'image') as {
      slack_file: { id: string };
      alt_text: string;
    };
    expect(image.slack_file).toEqual({ id: 'F0CHART1' });
    expect(image.alt_text.length).toBeLessThanOrEqual(2000);
    const words = buildChartReply({
      fileId: 'F0CHART1',
      altText,
      periodLabel: 'last 90 days',
      withImage: false,
    });
    expect(words.blocks.some((b) => b.type === 'image')).toBe(false);
    expect(JSON.stringify(words.blocks)).toContain('Technology: current 2');
    for (const m of [shown, words]) expect(checkMessage(m)).toEqual([]);
  });

  it('the Home section: a button per format (values are formats only), the chart button, the chart', () => {
    const blocks = buildExportHomeSection({ fileId: 'F0CHART1', altText: 'Radar chart: …' });
    expect(blocks.length).toBeLessThanOrEqual(12);
    expect(checkBlocks('home', blocks)).toEqual([]);
    const buttons = blocks.flatMap((b) => (b.type === 'actions' ? b.elements : [])) as Array<{
      action_id: string;
      value: string;
    }>;
    expect(
      buttons.filter((b) => actionIdPattern(ActionId.exportFile).test(b.action_id)).map((b) => b.value),
    ).toEqual(['md', 'csv', 'json']);
    expect(new Set(buttons.map((b) => b.action_id)).size).toBe(buttons.length);
    expect(buttons.some((b) => b.action_id === ActionId.exportChart)).toBe(true);
    expect(blocks.some((b) => b.type === 'image')).toBe(true);
    expect(buildExportHomeSection(null).some((b) => b.type === 'image')).toBe(false);
  });
});
