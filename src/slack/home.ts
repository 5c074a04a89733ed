import type { types } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { DEFAULT_SUMMARY_PERIOD, summaryFor } from '../app/progress.ts';
import type { AppContext } from '../context.ts';
import { parsePeriod } from '../domain/period.ts';
import type { EvidenceEntry, Owner, Profile } from '../domain/types.ts';
import { describeError } from '../log.ts';
import { tagNames } from './blocks/evidence.ts';
import { buildHome, HOME_RECENT_ENTRIES, type HomeSlot } from './blocks/home.ts';
import { type HomeExtra, homeExtras } from './home-extras.ts';
import { ensureTimeZone } from './time-zone.ts';

export interface PublishHomeOptions {
  justSaved?: EvidenceEntry;
  /** One line at the top, e.g. "Level set to TPM4." */
  notice?: string;
  /**
   * Build from what is stored without asking Slack for the time zone (which would store a profile
   * row): after `/ladder forget`, the Home must not bring the user's data back.
   */
  readOnly?: boolean;
  /** Default: the features' extras from home-extras.ts. */
  extras?: readonly HomeExtra[];
}

async function slotBlocks(
  ctx: AppContext,
  client: WebClient,
  owner: Owner,
  profile: Profile,
  extras: readonly HomeExtra[],
): Promise<Partial<Record<HomeSlot, types.KnownBlock[]>>> {
  const slots: Partial<Record<HomeSlot, types.KnownBlock[]>> = {};
  for (const extra of extras) {
    try {
      const blocks = await extra.blocks({ ctx, client, owner, profile });
      slots[extra.slot] = [...(slots[extra.slot] ?? []), ...blocks];
    } catch (err) {
      // One feature's section failing leaves its placeholder; the rest of the Home still publishes.
      ctx.logger.warn('a Home section failed; showing its placeholder', {
        slot: extra.slot,
        error: describeError(err),
      });
    }
  }
  return slots;
}

/**
 * Publishes the user's App Home from their data: profile, the 90-day summary at a glance, recent
 * entries and the features' slots. Everything about time is in the user's zone.
 */
export async function publishHome(
  ctx: AppContext,
  client: WebClient,
  owner: Owner,
  opts: PublishHomeOptions = {},
): Promise<void> {
  const profile = opts.readOnly
    ? ctx.repos.profiles.getOrEmpty(owner)
    : await ensureTimeZone(ctx, client, owner);
  const period = parsePeriod(DEFAULT_SUMMARY_PERIOD, DEFAULT_SUMMARY_PERIOD);
  if (period.kind === 'invalid') throw new Error(`bad default period: ${period.message}`);
  const summary = summaryFor(ctx, owner, profile, period);
  const { entries, total } = ctx.repos.evidence.list(owner, { limit: HOME_RECENT_ENTRIES });
  const build = async () =>
    buildHome(
      {
        ladder: ctx.ladder,
        profile,
        summary,
        recent: entries,
        total,
        slots: await slotBlocks(ctx, client, owner, profile, opts.extras ?? homeExtras()),
        ...(opts.justSaved ? { justSaved: opts.justSaved } : {}),
        ...(opts.notice ? { notice: opts.notice } : {}),
      },
      tagNames(ctx.ladder),
    );
  try {
    await client.views.publish({ user_id: owner.userId, view: await build() });
  } catch (err) {
    // The chart shown on the Home may have been deleted in Slack: forget it and publish without it.
    if ((err as { data?: { error?: string } }).data?.error !== 'invalid_blocks' || opts.readOnly) throw err;
    ctx.logger.warn('Home refused (invalid_blocks); publishing again without the stored chart');
    ctx.repos.exports.clearHomeChart(owner);
    await client.views.publish({ user_id: owner.userId, view: await build() });
  }
}
