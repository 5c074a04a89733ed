import type { App, BlockButtonAction } from '@slack/bolt';
import { exportPeriod } from '../../../app/export.ts';
import type { AppContext } from '../../../context.ts';
import { EXPORT_FORMATS, type ExportFormat } from '../../../domain/command.ts';
import { CHART_NOT_READY_NOTICE } from '../../blocks/export.ts';
import { openDmChannel } from '../../dm.ts';
import { CHART_RETRY_DELAY_MS, sendExport, slackErrorCode, uploadChart } from '../../export-files.ts';
import { publishHome } from '../../home/publish.ts';
import { ActionId, actionIdPattern } from '../../ids.ts';
import { ownerOfInteraction } from '../../owner.ts';
import { ensureTimeZone } from '../../time-zone.ts';

/**
 * The App Home's export section. A button's value is only a format; the data exported and the DM
 * it goes to are always the clicking user's own (from the signed payload). There is no response
 * URL on the Home: the file's own message in the DM is the confirmation.
 */
export function registerExportActions(app: App, ctx: AppContext): void {
  app.action<BlockButtonAction>(
    actionIdPattern(ActionId.exportFile),
    async ({ ack, body, action, client }) => {
      await ack();
      const owner = ownerOfInteraction(body);
      const format: ExportFormat = (EXPORT_FORMATS as readonly string[]).includes(action.value ?? '')
        ? (action.value as ExportFormat)
        : 'md';
      const period = exportPeriod(format, null);
      if (period.kind === 'invalid') throw new Error(`bad default export period: ${period.message}`);
      const profile = await ensureTimeZone(ctx, client, owner);
      const outcome = await sendExport(ctx, client, owner, { format, period, profile });
      if (outcome.kind === 'empty') {
        const channel = await openDmChannel(ctx, client, owner);
        await client.chat.postMessage({ channel, ...outcome.message });
      }
    },
  );

  app.action<BlockButtonAction>(ActionId.exportChart, async ({ ack, body, client }) => {
    await ack();
    const owner = ownerOfInteraction(body);
    const profile = await ensureTimeZone(ctx, client, owner);
    const outcome = await uploadChart(ctx, client, owner, { profile, reuseUnchanged: true });
    if (outcome.kind === 'needs-level') {
      await publishHome(ctx, client, owner, { notice: outcome.message.text });
      return;
    }
    await publishHomeWithChart(ctx, client, owner);
  });
}

/**
 * Publishes the Home right after its chart was uploaded. Slack refuses an image it has not
 * processed yet (invalid_blocks): wait and try once more, then publish without the chart.
 */
async function publishHomeWithChart(
  ctx: AppContext,
  client: Parameters<typeof publishHome>[1],
  owner: Parameters<typeof publishHome>[2],
): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await publishHome(ctx, client, owner);
      return;
    } catch (err) {
      if (slackErrorCode(err) !== 'invalid_blocks') throw err;
      await new Promise((resolve) => setTimeout(resolve, CHART_RETRY_DELAY_MS));
    }
  }
  await ctx.repos.exports.clearHomeChart(owner);
  await publishHome(ctx, client, owner, { notice: CHART_NOT_READY_NOTICE });
}
