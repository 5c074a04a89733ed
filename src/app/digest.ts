/**
 * The monthly digest: `/ladder digest on|off|status` (and the Home's toggle), and the content of
 * one digest. Sending is the scheduler's (scheduler/digest-run.ts), through the ledger.
 */
import type { AppContext } from '../context.ts';
import { buildDigest, type Digest } from '../domain/digest.ts';
import {
  type DigestUser,
  defaultDigestMinute,
  monthRange,
  nextDigestSlot,
} from '../domain/digest-schedule.ts';
import { summarise } from '../domain/summary.ts';
import type { Owner } from '../domain/types.ts';
import { resolveTimeZone } from '../domain/zoned-time.ts';
import { pickPrompt } from './nudges.ts';

export type DigestAction = 'on' | 'off' | 'status';

/**
 * The Slack side of a digest, passed in by the composition root: the DM channel with the person
 * and posting one digest there. Both reject with the Slack client's errors.
 */
export interface DigestDm {
  openDm(owner: Owner): Promise<string>;
  postDigest(owner: Owner, channelId: string, digest: Digest): Promise<{ channel?: string; ts?: string }>;
}

/** The person's digest schedule (phrased by `digestStatusText` in slack/blocks/digest.ts). */
export interface DigestStatus {
  enabled: boolean;
  /** The local time of the next digest, `HH:MM`. */
  time: string;
  timeZone: string;
  /** The next digest, local `YYYY-MM-DDTHH:MM`. */
  nextLocal: string;
}

/** The person's digest schedule as it stands (off when never set), in their zone. */
export async function digestStatus(ctx: AppContext, owner: Owner, tz: string | null): Promise<DigestStatus> {
  const stored = await ctx.repos.digests.getDigest(owner);
  const enabled = stored?.enabled ?? false;
  const minute = defaultDigestMinute(
    stored?.minuteOfDay ?? (await ctx.repos.nudges.getSettings(owner))?.minuteOfDay,
  );
  const zone = resolveTimeZone(tz);
  const next = nextDigestSlot({ tz, minuteOfDay: minute }, ctx.now());
  return { enabled, time: next.local.slice(11), timeZone: zone.timeZone, nextLocal: next.local };
}

/** `/ladder digest on|off|status`: stores the switch; the schedule it means now (see `digestCommandText`). */
export async function applyDigestCommand(
  ctx: AppContext,
  owner: Owner,
  action: DigestAction,
  tz: string | null,
): Promise<DigestStatus> {
  if (action !== 'status') await ctx.repos.digests.setDigest(owner, action === 'on', ctx.now());
  return await digestStatus(ctx, owner, tz);
}

/**
 * The digest of one month for one person: every entry dated in that month (their zone), counted
 * against their target as `/ladder summary` counts, and one question to think about.
 */
export async function digestContent(
  ctx: AppContext,
  user: Pick<DigestUser, 'teamId' | 'userId' | 'tz'>,
  month: string,
): Promise<Digest> {
  const owner = { teamId: user.teamId, userId: user.userId };
  const profile = await ctx.repos.profiles.get(owner);
  const { startDate, endDate } = monthRange(month);
  const summary = summarise({
    entries: await ctx.repos.evidence.inRange(owner, startDate, endDate),
    profile: {
      level: profile?.level ?? null,
      target: profile?.target ?? null,
      levelRole: profile?.levelRole ?? null,
      targetRole: profile?.targetRole ?? null,
    },
    ladder: ctx.ladder,
    range: { startDate, endDate, label: month },
    now: ctx.now(),
    tz: user.tz,
  });
  return buildDigest(summary, month, (await pickPrompt(ctx, owner, user.tz))?.question ?? null);
}
