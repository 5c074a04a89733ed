import {
  DEFAULT_NUDGE_DAY,
  DEFAULT_NUDGE_MINUTE_OF_DAY,
  defaultNudgeSettings,
} from '../domain/nudge-schedule.ts';
import { describeSchedule } from '../domain/nudge-settings.ts';
import { buildNudgeHomeSlot } from './blocks/nudge-home.ts';
import type { HomeExtra } from './home-extras.ts';

/** The App Home's `nudges` slot: one query, no Slack call. */
export const nudgeHomeExtra: HomeExtra = {
  slot: 'nudges',
  blocks: ({ ctx, owner, profile }) => {
    const repo = ctx.repos.nudges;
    const now = ctx.now();
    const stored = repo.getSettings(owner);
    const settings = stored
      ? { ...stored, tz: profile.tz }
      : { ...defaultNudgeSettings(owner, now), enabled: false, tz: profile.tz };
    const statusText = settings.enabled
      ? describeSchedule(settings, now, {
          ledger: repo.ledgerOf(owner),
          lateWindowHours: ctx.config.nudgeLateWindowHours,
        }).text
      : 'Weekly reflection nudges are *off*. Turn them on for one question a week, tied to a Senior → Lead mindset shift.';
    return buildNudgeHomeSlot({
      enabled: settings.enabled,
      statusText,
      day: stored?.day ?? DEFAULT_NUDGE_DAY,
      minuteOfDay: stored?.minuteOfDay ?? DEFAULT_NUDGE_MINUTE_OF_DAY,
    });
  },
};
