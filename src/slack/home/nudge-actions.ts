import type { App, BlockAction, BlockButtonAction, StaticSelectAction } from '@slack/bolt';
import { applyNudgeCommand, type SettingsCommand } from '../../app/nudges.ts';
import type { AppContext } from '../../context.ts';
import { DEFAULT_NUDGE_DAY, DEFAULT_NUDGE_MINUTE_OF_DAY } from '../../domain/nudge-schedule.ts';
import { nudgeCommandText, nudgeNowText } from '../blocks/nudge.ts';
import { sendNudgeNow } from '../dm.ts';
import { ActionId } from '../ids.ts';
import { otherTenantOfInteraction, ownerOfInteraction } from '../owner.ts';
import { ensureTimeZone } from '../time-zone.ts';
import { publishHome } from './publish.ts';

/**
 * Nudge controls on the App Home. Values are settings (on/off, a day, a time), never ids: each
 * changes only the clicking user's own settings, through the same rules as `/ladder nudge`.
 */
export function registerNudgeHomeActions(app: App, ctx: AppContext): void {
  const apply = async (
    body: BlockAction,
    client: Parameters<typeof publishHome>[1],
    args: SettingsCommand | 'now',
  ) => {
    const owner = ownerOfInteraction(body);
    const profile = await ensureTimeZone(ctx, client, owner);
    let notice: string;
    if (args === 'now') {
      const sent = await sendNudgeNow(ctx, client, owner, profile.tz);
      notice = nudgeNowText(sent !== null, 'home');
    } else {
      notice = nudgeCommandText(
        await applyNudgeCommand(ctx, owner, args, profile.tz, otherTenantOfInteraction(body)),
      );
    }
    await publishHome(ctx, client, owner, { notice });
  };

  app.action<BlockButtonAction>(ActionId.homeNudgeToggle, async ({ ack, body, action, client }) => {
    await ack();
    await apply(body, client, { kind: action.value === 'off' ? 'off' : 'on' });
  });
  app.action<BlockButtonAction>(ActionId.homeNudgeSkip, async ({ ack, body, client }) => {
    await ack();
    await apply(body, client, { kind: 'skip' });
  });
  app.action<BlockButtonAction>(ActionId.homeNudgePause, async ({ ack, body, client }) => {
    await ack();
    await apply(body, client, { kind: 'pause-weeks', weeks: 2 });
  });
  app.action<BlockButtonAction>(ActionId.homeNudgeNow, async ({ ack, body, client }) => {
    await ack();
    await apply(body, client, 'now');
  });

  // Day and time: the other half comes from the stored schedule (or the default Friday 16:00).
  const setSchedule = async (
    body: BlockAction,
    client: Parameters<typeof publishHome>[1],
    part: { day?: number; minuteOfDay?: number },
  ) => {
    const stored = await ctx.repos.nudges.getSettings(ownerOfInteraction(body));
    const day = part.day ?? stored?.day ?? DEFAULT_NUDGE_DAY;
    const minuteOfDay = part.minuteOfDay ?? stored?.minuteOfDay ?? DEFAULT_NUDGE_MINUTE_OF_DAY;
    await apply(body, client, { kind: 'set', day, minuteOfDay });
  };
  app.action<BlockAction<StaticSelectAction>>(
    ActionId.homeNudgeDay,
    async ({ ack, body, action, client }) => {
      await ack();
      const day = Number(action.selected_option?.value);
      if (!Number.isInteger(day) || day < 0 || day > 6) return;
      await setSchedule(body, client, { day });
    },
  );
  app.action<BlockAction<StaticSelectAction>>(
    ActionId.homeNudgeTime,
    async ({ ack, body, action, client }) => {
      await ack();
      const minuteOfDay = Number(action.selected_option?.value);
      if (!Number.isInteger(minuteOfDay) || minuteOfDay < 0 || minuteOfDay >= 24 * 60) return;
      await setSchedule(body, client, { minuteOfDay });
    },
  );
}
