import type { AppContext } from '../context.ts';
import { localDate } from '../domain/evidence.ts';
import type { Shift } from '../domain/ladder/model.ts';
import type { NudgeArgs } from '../domain/nudge-args.ts';
import { defaultNudgeSettings, type NudgeSettings, weekKeyAt } from '../domain/nudge-schedule.ts';
import { applyNudgeChange, describeSchedule, type NudgeChange, nextNudge } from '../domain/nudge-settings.ts';
import { choosePrompt, type Prompt } from '../domain/prompts.ts';
import type { Owner } from '../domain/types.ts';
import { addDaysToLocalDate } from '../domain/zoned-time.ts';

/** "The last four weeks" of evidence that prompt choice weighs: today and the 27 days before. */
const EVIDENCE_WINDOW_DAYS = 28;

/** The person's next prompt: least-evidenced shift first, never the previous one, all before repeats. */
export function pickPrompt(ctx: AppContext, owner: Owner, tz: string | null): Prompt | null {
  const since = addDaysToLocalDate(localDate(ctx.now(), tz), -(EVIDENCE_WINDOW_DAYS - 1));
  return choosePrompt({
    prompts: ctx.ladder.prompts,
    history: ctx.repos.nudges.promptHistory(owner),
    evidenceByShift: ctx.repos.evidence.countByShiftSince(owner, since),
  });
}

export function shiftOf(ctx: AppContext, prompt: Prompt): Shift | undefined {
  return ctx.ladder.shifts.find((s) => s.id === prompt.shift);
}

export function promptById(ctx: AppContext, id: string): Prompt | undefined {
  return ctx.ladder.prompts.find((p) => p.id === id);
}

/**
 * The Slack side of a nudge, passed in by the composition root: the DM channel with the person
 * and posting one prompt there. Both reject with the Slack client's errors.
 */
export interface NudgeDm {
  openDm(owner: Owner): Promise<string>;
  postPrompt(channelId: string, prompt: Prompt): Promise<{ channel?: string; ts?: string }>;
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
