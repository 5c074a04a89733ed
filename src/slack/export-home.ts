import { buildExportHomeSlot } from './blocks/export.ts';
import type { HomeExtra } from './home-extras.ts';

/**
 * The App Home's `export` slot: the export buttons and the radar chart last uploaded for the Home
 * (one query, no Slack call; the chart button uploads a fresh one).
 */
export const exportHomeExtra: HomeExtra = {
  slot: 'export',
  blocks: ({ ctx, owner }) => {
    const chart = ctx.repos.exports.homeChart(owner);
    return buildExportHomeSlot(chart?.altText ? { fileId: chart.fileId, altText: chart.altText } : null);
  },
};
