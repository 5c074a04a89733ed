/** The App Home tab. Pure; published within the Home's 100-block limit whatever the data. */
import type { types } from '@slack/bolt';
import type { EvidenceEntry } from '../../domain/types.ts';
import { ActionId } from '../ids.ts';
import { describeTags, quoteEntry, slackDate, type TagNames } from './evidence.ts';
import { button, context, divider, header, section } from './format.ts';

export interface HomeInput {
  recent: readonly EvidenceEntry[];
  total: number;
  justSaved?: EvidenceEntry;
}

export function buildHome(input: HomeInput, names: TagNames): types.HomeView {
  const blocks: types.KnownBlock[] = [
    header('Ladder'),
    section('Your private career evidence, tagged to the TPM ladder.'),
  ];
  if (input.justSaved) {
    blocks.push(
      section(`:white_check_mark: *Saved to your evidence.*\n${quoteEntry(input.justSaved.text, 500)}`),
    );
  }
  blocks.push({
    type: 'actions',
    elements: [
      { ...button({ text: 'Log a win', actionId: ActionId.logWin, value: 'home' }), style: 'primary' },
    ],
  });
  blocks.push(divider(), header(`Recent evidence (${input.total})`));
  if (input.recent.length === 0) {
    blocks.push(
      section('Nothing logged yet. Press *Log a win*, or type `/ladder log <what you did>` anywhere.'),
    );
  }
  for (const entry of input.recent.slice(0, 10)) {
    blocks.push(
      section(`${slackDate(entry.occurredOn)}\n${quoteEntry(entry.text, 400)}`),
      context(describeTags(entry, names)),
    );
  }
  return { type: 'home', blocks: blocks.slice(0, 100) };
}
