/**
 * The App Home, published from the person's data: profile, the 90-day summary at a glance, recent
 * entries, and the weekly-nudge and export sections. Builders: ./blocks.ts, ./nudge-blocks.ts;
 * listeners: ./profile-actions.ts, ./nudge-actions.ts.
 */
import type { WebClient } from '@slack/web-api';
import { digestStatus } from '../../app/digest.ts';
import { DEFAULT_SUMMARY_PERIOD, summaryFor } from '../../app/progress.ts';
import type { AppContext } from '../../context.ts';
import {
  DEFAULT_NUDGE_DAY,
  DEFAULT_NUDGE_MINUTE_OF_DAY,
  defaultNudgeSettings,
} from '../../domain/nudge-schedule.ts';
import { describeSchedule } from '../../domain/nudge-settings.ts';
import { parsePeriod } from '../../domain/period.ts';
import type { EvidenceEntry, Owner, Profile } from '../../domain/types.ts';
import { describeError } from '../../log.ts';
import { digestHomeInput } from '../blocks/digest.ts';
import { tagNames } from '../blocks/evidence.ts';
import type { HomeChart } from '../blocks/export.ts';
import { ensureTimeZone } from '../time-zone.ts';
import { buildHome, HOME_RECENT_ENTRIES, type HomeSections } from './blocks.ts';
import { NUDGES_OFF_HOME_TEXT, type NudgeHomeInput } from './nudge-blocks.ts';

export interface PublishHomeOptions {
  justSaved?: EvidenceEntry;
  /** One line at the top, e.g. "Level set to TPM4." */
  notice?: string;
  /**
   * Build from what is stored without asking Slack for the time zone (which would store a profile
   * row): after `/ladder forget`, the Home must not bring the user's data back.
   */
  readOnly?: boolean;
}

/** The weekly-nudge section: the schedule in words and its controls. One query, no Slack call. */
async function nudgeSection(ctx: AppContext, owner: Owner, profile: Profile): Promise<NudgeHomeInput> {
  const repo = ctx.repos.nudges;
  const now = ctx.now();
  const stored = await repo.getSettings(owner);
  const settings = stored
    ? { ...stored, tz: profile.tz }
    : { ...defaultNudgeSettings(owner, now), enabled: false, tz: profile.tz };
  const statusText = settings.enabled
    ? describeSchedule(settings, now, {
        ledger: await repo.ledgerOf(owner),
        lateWindowHours: ctx.config.nudgeLateWindowHours,
      }).text
    : NUDGES_OFF_HOME_TEXT;
  return {
    enabled: settings.enabled,
    statusText,
    day: stored?.day ?? DEFAULT_NUDGE_DAY,
    minuteOfDay: stored?.minuteOfDay ?? DEFAULT_NUDGE_MINUTE_OF_DAY,
  };
}

/**
 * The export section: the radar chart last uploaded for the Home (one query, no Slack call; the
 * chart button uploads a fresh one).
 */
async function exportSection(ctx: AppContext, owner: Owner): Promise<{ chart: HomeChart | null }> {
  const chart = await ctx.repos.exports.homeChart(owner);
  return { chart: chart?.altText ? { fileId: chart.fileId, altText: chart.altText } : null };
}

/** One section failing leaves its placeholder; the rest of the Home still publishes. */
async function sectionOrPlaceholder<T>(
  ctx: AppContext,
  section: keyof HomeSections,
  read: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    ctx.logger.warn('a Home section failed; showing its placeholder', { section, error: describeError(err) });
    return undefined;
  }
}

/** Publishes the user's App Home. Everything about time is in the user's zone. */
export async function publishHome(
  ctx: AppContext,
  client: WebClient,
  owner: Owner,
  opts: PublishHomeOptions = {},
): Promise<void> {
  const profile = opts.readOnly
    ? await ctx.repos.profiles.getOrEmpty(owner)
    : await ensureTimeZone(ctx, client, owner);
  const period = parsePeriod(DEFAULT_SUMMARY_PERIOD, DEFAULT_SUMMARY_PERIOD);
  if (period.kind === 'invalid') throw new Error(`bad default period: ${period.message}`);
  const summary = await summaryFor(ctx, owner, profile, period);
  const { entries, total } = await ctx.repos.evidence.list(owner, { limit: HOME_RECENT_ENTRIES });
  // Built again after a refusal: the export section reads the Home chart, which may be gone then.
  const build = async () =>
    buildHome(
      {
        ladder: ctx.ladder,
        profile,
        summary,
        recent: entries,
        total,
        sections: {
          nudges: await sectionOrPlaceholder(ctx, 'nudges', () => nudgeSection(ctx, owner, profile)),
          digest: await sectionOrPlaceholder(ctx, 'digest', async () =>
            digestHomeInput(await digestStatus(ctx, owner, profile.tz)),
          ),
          export: await sectionOrPlaceholder(ctx, 'export', () => exportSection(ctx, owner)),
        },
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
    await ctx.repos.exports.clearHomeChart(owner);
    await client.views.publish({ user_id: owner.userId, view: await build() });
  }
}
