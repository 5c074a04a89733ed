import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../context.ts';
import { localDate } from '../domain/evidence.ts';
import type { Shift } from '../domain/ladder/model.ts';
import { defaultNudgeSettings, type NudgeSettings, weekKeyAt } from '../domain/nudge-schedule.ts';
import {
  applyNudgeChange,
  describeSchedule,
  type NudgeArgs,
  type NudgeChange,
  nextNudge,
} from '../domain/nudge-settings.ts';
import { choosePrompt, type Prompt } from '../domain/prompts.ts';
import type { Owner } from '../domain/types.ts';
import { addDaysToLocalDate } from '../domain/zoned-time.ts';
import { buildNudgeMessage } from '../slack/blocks/nudge.ts';

/** "The last four weeks" of evidence that prompt choice weighs: today and the 27 days before. */
const EVIDENCE_WINDOW_DAYS = 28;

/** The person's next prompt: least-evidenced shift first, never the previous one, all before repeats. */
export function pickPrompt(ctx: AppContext, owner: Owner, tz: string | null): Prompt | null {
  const since = addDaysToLocalDate(localDate(ctx.now(), tz), -(EVIDENCE_WINDOW_DAYS - 1));
  return choosePrompt({
    prompts: ctx.ladder.prompts,
    history: ctx.repos.nudges.promptHistory(owner),
    evidenceByShift: ctx.repos.nudges.evidenceByShiftSince(owner, since),
  });
}

export function shiftOf(ctx: AppContext, prompt: Prompt): Shift | undefined {
  return ctx.ladder.shifts.find((s) => s.id === prompt.shift);
}

export function promptById(ctx: AppContext, id: string): Prompt | undefined {
  return ctx.ladder.prompts.find((p) => p.id === id);
}

/**
 * The DM channel with the bot: from the cache, else `conversations.open` (then cached). Weekly
 * sends would otherwise cost two calls each, and conversations.open is only Tier 3.
 */
export async function openDmChannel(ctx: AppContext, client: WebClient, owner: Owner): Promise<string> {
  const cached = ctx.repos.nudges.dmChannel(owner);
  if (cached) return cached;
  const res = await client.conversations.open({ users: owner.userId });
  const id = res.channel?.id;
  if (!id) throw new Error('conversations.open returned no channel id');
  ctx.repos.nudges.cacheDmChannel(owner, id, ctx.now());
  return id;
}

export interface OnDemandResult {
  prompt: Prompt;
  channelId: string;
  messageTs: string;
}

/**
 * `nudge now`: one prompt at once, through the client that answers the person. Recorded in the
 * prompt history (so the next weekly prompt differs) but not in the weekly ledger: it does not
 * count as the week's nudge. Null when the ladder has no prompts.
 */
export async function sendNudgeNow(
  ctx: AppContext,
  client: WebClient,
  owner: Owner,
  tz: string | null,
): Promise<OnDemandResult | null> {
  const prompt = pickPrompt(ctx, owner, tz);
  if (!prompt) return null;
  const channelId = await openDmChannel(ctx, client, owner);
  const res = await client.chat.postMessage({
    channel: channelId,
    ...buildNudgeMessage(prompt, shiftOf(ctx, prompt)),
  });
  const messageTs = res.ts;
  if (!messageTs) throw new Error('chat.postMessage returned no ts');
  const sentIn = res.channel ?? channelId;
  ctx.repos.nudges.recordOnDemand(owner, { promptId: prompt.id, channelId: sentIn, messageTs }, ctx.now());
  return { prompt, channelId: sentIn, messageTs };
}

export type SettingsCommand = Exclude<NudgeArgs, { kind: 'invalid' | 'now' }>;

const CHANGE_PREFIX: Record<NudgeChange['kind'], string> = {
  on: 'Weekly reflection nudges are on.',
  off: 'Weekly nudges are off. Your answers so far stay in your evidence.',
  set: 'Schedule saved.',
  pause: 'Paused.',
  'pause-weeks': 'Paused.',
  skip: 'Your next nudge will be skipped.',
};

/**
 * `/ladder nudge on|off|status|skip|pause …|<day> <time>`: applies the change to the stored
 * settings (pure rules in the domain) and says what the schedule is now, in the person's zone.
 */
export function applyNudgeCommand(
  ctx: AppContext,
  owner: Owner,
  args: SettingsCommand,
  tz: string | null,
): { ok: boolean; text: string } {
  const repo = ctx.repos.nudges;
  const now = ctx.now();
  const stored = repo.getSettings(owner);
  const current: NudgeSettings | null = stored ? { ...stored, tz } : null;
  const options = { ledger: repo.ledgerOf(owner), lateWindowHours: ctx.config.nudgeLateWindowHours };
  if (args.kind === 'status') {
    const settings = current ?? { ...defaultNudgeSettings(owner, now), enabled: false, tz };
    return { ok: true, text: describeSchedule(settings, now, options).text };
  }
  const result = applyNudgeChange(current, args, { ...owner, now, tz, ...options });
  if (!result.ok) return { ok: false, text: result.message };
  repo.saveSettings(result.settings, now);
  const described = describeSchedule(result.settings, now, options).text;
  return {
    ok: true,
    text:
      args.kind === 'off'
        ? `${CHANGE_PREFIX.off} \`nudge on\` turns them back on.`
        : `${CHANGE_PREFIX[args.kind]} ${described}`,
  };
}

/**
 * The DM's "Skip this week": no answer is expected this week. When this week's weekly nudge has
 * not gone out yet (the DM was a `nudge now`), that nudge is skipped too.
 */
export function skipThisWeek(ctx: AppContext, owner: Owner, tz: string | null): string {
  const repo = ctx.repos.nudges;
  const now = ctx.now();
  const stored = repo.getSettings(owner);
  const options = { ledger: repo.ledgerOf(owner), lateWindowHours: ctx.config.nudgeLateWindowHours };
  if (!stored?.enabled) return 'No answer needed this week. Weekly nudges are off.';
  let settings: NudgeSettings = { ...stored, tz };
  const week = weekKeyAt(now, tz);
  const pending = nextNudge(settings, now, { ...options, ignoreSkip: true });
  if (pending?.weekKey === week && !repo.ledgerRow({ ...owner, weekKey: week })) {
    settings = { ...settings, skipWeek: week };
    repo.saveSettings(settings, now);
  }
  return `No answer needed this week. ${describeSchedule(settings, now, options).text}`;
}
