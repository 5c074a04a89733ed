import type { types } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../context.ts';
import type { Owner, Profile } from '../domain/types.ts';
import type { HomeSlot } from './blocks/home.ts';
import { exportHomeExtra } from './export-home.ts';
import { nudgeHomeExtra } from './nudge-home.ts';

export interface HomeExtraInput {
  ctx: AppContext;
  client: WebClient;
  owner: Owner;
  profile: Profile;
}

/**
 * A feature's section of the App Home: the blocks for its slot (at most `HOME_SLOT_MAX_BLOCKS`;
 * more are cut). Built on every publish, so keep it to a query or two and no Slack calls.
 */
export interface HomeExtra {
  slot: HomeSlot;
  blocks(input: HomeExtraInput): readonly types.KnownBlock[] | Promise<readonly types.KnownBlock[]>;
}

/**
 * The features that fill a Home slot, one line each (like help-entries.ts): weekly nudge settings
 * in `nudges`, export buttons in `export`. A slot nobody fills shows its placeholder.
 */
const FEATURE_EXTRAS: readonly HomeExtra[] = [nudgeHomeExtra, exportHomeExtra];

export function homeExtras(): readonly HomeExtra[] {
  return FEATURE_EXTRAS;
}
