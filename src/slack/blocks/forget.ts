/** `/ladder forget`: the confirmation with what would be deleted, and the answers after. Pure. */
import { ActionId, BlockId, COMMAND } from '../ids.ts';
import { button, fallback, type SlackMessage, section } from './format.ts';

export interface ForgetCounts {
  entries: number;
  other: Array<{ label: string; count: number }>;
}

function countLines(c: ForgetCounts): string {
  const lines = [`• ${c.entries} evidence ${c.entries === 1 ? 'entry' : 'entries'}`];
  for (const o of c.other) if (o.count > 0) lines.push(`• ${o.count} ${o.label}`);
  return lines.join('\n');
}

export function buildForgetConfirm(c: ForgetCounts): SlackMessage {
  const t =
    '*Delete everything Ladder holds about you?*\nThis removes, for good:\n' +
    `${countLines(c)}\n• your profile (level, target, time zone) and settings\n` +
    `Export first if you want a copy: \`${COMMAND} export json\`.`;
  return {
    text: fallback('Delete everything Ladder holds about you? Confirm or cancel.'),
    blocks: [
      section(t),
      {
        type: 'actions',
        block_id: BlockId.forgetActions,
        elements: [
          {
            ...button({ text: 'Delete everything', actionId: ActionId.forgetConfirm, value: 'forget' }),
            style: 'danger',
          },
          button({ text: 'Cancel', actionId: ActionId.forgetCancel, value: 'cancel' }),
        ],
      },
    ],
  };
}

export function buildForgetDone(c: ForgetCounts): SlackMessage {
  const t = `:wastebasket: *Done. Ladder no longer holds anything about you.* Deleted:\n${countLines(c)}`;
  return { text: fallback(t.replace(/[*]/g, '')), blocks: [section(t)] };
}

export function buildForgetCancelled(): SlackMessage {
  return { text: 'Cancelled: nothing was deleted.', blocks: [section('Cancelled: nothing was deleted.')] };
}
