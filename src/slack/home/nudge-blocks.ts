/** The App Home's weekly-nudge section: the schedule in words and the same controls as `/ladder nudge`. Pure. */
import type { types } from '@slack/bolt';
import { formatMinuteOfDay } from '../../domain/zoned-time.ts';
import { button, context, option, section } from '../blocks/format.ts';
import { ActionId, BlockId, COMMAND } from '../ids.ts';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export interface NudgeHomeInput {
  enabled: boolean;
  /** The schedule in the user's words and zone, from describeSchedule. */
  statusText: string;
  day: number;
  minuteOfDay: number;
}

/** The Home's nudge status while nudges are off. */
export const NUDGES_OFF_HOME_TEXT =
  'Weekly reflection nudges are *off*. Turn them on for one question a week, tied to a Senior → Lead mindset shift.';

export function buildNudgeHomeSection(input: NudgeHomeInput): types.KnownBlock[] {
  const dayOptions = DAYS.map((d, i) => option(d, String(i)));
  // Half-hour steps: 48 options, within a select's 100.
  const timeOptions = Array.from({ length: 48 }, (_, i) => option(formatMinuteOfDay(i * 30), String(i * 30)));
  const dayNow = dayOptions[input.day];
  const timeNow = timeOptions.find((o) => o.value === String(input.minuteOfDay));
  const buttons: types.Button[] = input.enabled
    ? [
        button({ text: 'Skip the next one', actionId: ActionId.homeNudgeSkip, value: 'skip' }),
        button({ text: 'Pause 2 weeks', actionId: ActionId.homeNudgePause, value: '2' }),
        button({ text: 'Send one now', actionId: ActionId.homeNudgeNow, value: 'now' }),
        {
          ...button({ text: 'Turn off', actionId: ActionId.homeNudgeToggle, value: 'off' }),
          style: 'danger',
        },
      ]
    : [
        button({
          text: 'Turn on weekly nudges',
          actionId: ActionId.homeNudgeToggle,
          value: 'on',
          style: 'primary',
        }),
        button({ text: 'Send one now', actionId: ActionId.homeNudgeNow, value: 'now' }),
      ];
  return [
    section(input.statusText),
    {
      type: 'actions',
      block_id: BlockId.homeNudgeSchedule,
      elements: [
        {
          type: 'static_select',
          action_id: ActionId.homeNudgeDay,
          placeholder: { type: 'plain_text', text: 'Day' },
          options: dayOptions,
          ...(dayNow ? { initial_option: dayNow } : {}),
        },
        {
          type: 'static_select',
          action_id: ActionId.homeNudgeTime,
          placeholder: { type: 'plain_text', text: 'Time' },
          options: timeOptions,
          ...(timeNow ? { initial_option: timeNow } : {}),
        },
      ],
    },
    { type: 'actions', block_id: BlockId.homeNudgeActions, elements: buttons },
    context(
      `Times are in your Slack time zone. Other times: \`${COMMAND} nudge fri 15:45\`, \`${COMMAND} nudge pause 2027-01-05\`.`,
    ),
  ];
}
