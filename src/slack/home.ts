import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../context.ts';
import type { EvidenceEntry, Owner } from '../domain/types.ts';
import { tagNames } from './blocks/evidence.ts';
import { buildHome } from './blocks/home.ts';

/** Publishes the user's App Home from their data. */
export async function publishHome(
  ctx: AppContext,
  client: WebClient,
  owner: Owner,
  opts: { justSaved?: EvidenceEntry } = {},
): Promise<void> {
  const { entries, total } = ctx.repos.evidence.list(owner, { limit: 5 });
  const view = buildHome(
    { recent: entries, total, ...(opts.justSaved ? { justSaved: opts.justSaved } : {}) },
    tagNames(ctx.ladder),
  );
  await client.views.publish({ user_id: owner.userId, view });
}
