import type { AppContext } from '../context.ts';
import { localDate } from '../domain/evidence.ts';
import type { Shift } from '../domain/ladder/model.ts';
import type { NudgeArgs } from '../domain/nudge-args.ts';
import {
  defaultNudgeSettings,
  type LedgerRow,
  type NudgeSettings,
  nextDueAt,
  weekKeyAt,
} from '../domain/nudge-schedule.ts';
import { applyNudgeChange, describeSchedule, nextNudge } from '../domain/nudge-settings.ts';
import { choosePrompt, type Prompt, variantFor } from '../domain/prompts.ts';
import type { Owner } from '../domain/types.ts';
import { addDaysToLocalDate } from '../domain/zoned-time.ts';

/** "The last four weeks" of evidence that prompt choice weighs: today and the 27 days before. */
const EVIDENCE_WINDOW_DAYS = 28;

/**
 * The person's next prompt, from the variant their level picks: least-evidenced shift first, none
 * of the last 26 sent, all before repeats.
 */
export async function pickPrompt(ctx: AppContext, owner: Owner, tz: string | null): Promise<Prompt | null> {
  const since = addDaysToLocalDate(localDate(ctx.now(), tz), -(EVIDENCE_WINDOW_DAYS - 1));
  const level = (await ctx.repos.profiles.get(owner))?.level ?? null;
  return choosePrompt({
    prompts: ctx.ladder.prompts,
    variant: variantFor(ctx.ladder.promptVariants, level)?.id ?? null,
    history: await ctx.repos.nudges.promptHistory(owner),
    evidenceByShift: await ctx.repos.evidence.countByShiftSince(owner, since),
  });
}

export function shiftOf(ctx: AppContext, prompt: Prompt): Shift | undefined {
  return ctx.ladder.shifts.find((s) => s.id === prompt.shift);
}

/** What a prompt practises: its preparation action and its ladder step (axis "People", step "Manages"). */
export interface PromptPractice {
  action: string | null;
  step: { axis: string; step: string } | null;
}

/** What a prompt practises, from the ladder (phrased in slack/blocks/nudge.ts). */
export function promptPractice(ctx: AppContext, prompt: Prompt): PromptPractice {
  const action =
    prompt.action === undefined
      ? null
      : (ctx.ladder.roleFamilies
          .flatMap((f) => f.transitions.flatMap((t) => t.preparation))
          .find((a) => a.id === prompt.action)?.text ?? null);
  const axis = ctx.ladder.axes.find((a) => a.id === prompt.axis);
  return { action, step: axis && prompt.step ? { axis: axis.name, step: prompt.step } : null };
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
  postPrompt(owner: Owner, channelId: string, prompt: Prompt): Promise<{ channel?: string; ts?: string }>;
}

export type SettingsCommand = Exclude<NudgeArgs, { kind: 'invalid' | 'now' }>;

/** What a nudge command did (phrased by `nudgeCommandText` in slack/blocks/nudge.ts). */
export type NudgeCommandResult =
  | { ok: true; kind: SettingsCommand['kind']; schedule: string }
  | { ok: false; problem: string };

/**
 * `/ladder nudge on|off|status|skip|pause …|<day> <time>`: applies the change to the stored
 * settings (pure rules in the domain) and says what the schedule is now, in the person's zone.
 * `others`: the person's other tenant in the same org (slack/owner.ts). Asking for quiet (`off`,
 * Stop, `skip`, `pause`) holds there too, so no tenant of the org nudges them meanwhile; a schedule
 * or `on` changes only this tenant (the scheduler sends one nudge a week across the org anyway).
 */
export async function applyNudgeCommand(
  ctx: AppContext,
  owner: Owner,
  args: SettingsCommand,
  tz: string | null,
  others: readonly Owner[] = [],
): Promise<NudgeCommandResult> {
  const repo = ctx.repos.nudges;
  const stored = await repo.getSettings(owner);
  // Quiet asked for here holds under the org's other tenant too; a skip, for the week skipped here
  // (below), or for the next nudge there when nudges are not on here.
  const elsewhere: NudgeCommandResult[] = [];
  if (isQuiet(args) && (args.kind !== 'skip' || !stored?.enabled))
    for (const other of others) elsewhere.push(await applyElsewhere(ctx, other, args));
  const now = ctx.now();
  const current: NudgeSettings | null = stored ? { ...stored, tz } : null;
  const options = { ledger: await repo.ledgerOf(owner), lateWindowHours: ctx.config.nudgeLateWindowHours };
  if (args.kind === 'status') {
    const settings = current ?? { ...defaultNudgeSettings(owner, now), enabled: false, tz };
    return { ok: true, kind: 'status', schedule: describeSchedule(settings, now, options).text };
  }
  const result = applyNudgeChange(current, args, { ...owner, now, tz, ...options });
  // Nothing to change here, but the person's nudges under the org's other tenant went quiet: say so.
  if (!result.ok) return elsewhere.find((r) => r.ok) ?? { ok: false, problem: result.message };
  await repo.saveSettings(result.settings, now, nextDueFor(ctx, result.settings, options.ledger, now));
  const skipped = args.kind === 'skip' ? result.settings.skipWeek : null;
  if (skipped) for (const other of others) await skipWeekElsewhere(ctx, other, skipped);
  return { ok: true, kind: args.kind, schedule: describeSchedule(result.settings, now, options).text };
}

/** The commands that ask for quiet: they reach the person's other tenant of the org too. */
type QuietCommand = Extract<SettingsCommand, { kind: 'off' | 'skip' | 'pause' | 'pause-weeks' }>;
const isQuiet = (args: SettingsCommand): args is QuietCommand =>
  args.kind === 'off' || args.kind === 'skip' || args.kind === 'pause' || args.kind === 'pause-weeks';

/**
 * `skip` reached the other tenant: the week skipped here is skipped there too, when the nudge
 * pending there falls in it and has not gone out (never a later week the person did not mean).
 */
async function skipWeekElsewhere(ctx: AppContext, other: Owner, week: string): Promise<void> {
  const repo = ctx.repos.nudges;
  const stored = await repo.getSettings(other);
  if (!stored?.enabled || stored.skipWeek === week) return;
  if (await repo.ledgerRow({ ...other, weekKey: week })) return;
  const now = ctx.now();
  const ledger = await repo.ledgerOf(other);
  const options = { ledger, lateWindowHours: ctx.config.nudgeLateWindowHours, ignoreSkip: true };
  if (nextNudge(stored, now, options)?.weekKey !== week) return;
  const settings = { ...stored, skipWeek: week };
  await repo.saveSettings(settings, now, nextDueFor(ctx, settings, ledger, now));
}

/** A quiet command for the person under another tenant of the org, when nudges are on there. */
async function applyElsewhere(
  ctx: AppContext,
  other: Owner,
  args: QuietCommand,
): Promise<NudgeCommandResult> {
  const repo = ctx.repos.nudges;
  const stored = await repo.getSettings(other);
  if (!stored?.enabled) return { ok: false, problem: '' };
  const now = ctx.now();
  const ledger = await repo.ledgerOf(other);
  const options = { now, tz: stored.tz, ledger, lateWindowHours: ctx.config.nudgeLateWindowHours };
  const result = applyNudgeChange(stored, args, { ...other, ...options });
  if (!result.ok) return { ok: false, problem: result.message };
  await repo.saveSettings(result.settings, now, nextDueFor(ctx, result.settings, ledger, now));
  return { ok: true, kind: args.kind, schedule: describeSchedule(result.settings, now, options).text };
}

/** When the scheduler should next look at these settings: the weeks in the ledger are handled. */
function nextDueFor(ctx: AppContext, settings: NudgeSettings, ledger: readonly LedgerRow[], now: Date) {
  return nextDueAt(settings, new Set(ledger.map((r) => r.weekKey)), now, ctx.config.nudgeLateWindowHours);
}

/**
 * The DM's "Skip this week": no answer is expected this week. When this week's weekly nudge has
 * not gone out yet (the DM was a `nudge now`), that nudge is skipped too. The schedule now, in
 * words, or null when weekly nudges are off (phrased by `skipThisWeekText`).
 */
export async function skipThisWeek(
  ctx: AppContext,
  owner: Owner,
  tz: string | null,
  others: readonly Owner[] = [],
): Promise<string | null> {
  for (const other of others) await skipWeekElsewhere(ctx, other, weekKeyAt(ctx.now(), tz));
  const repo = ctx.repos.nudges;
  const now = ctx.now();
  const stored = await repo.getSettings(owner);
  const options = { ledger: await repo.ledgerOf(owner), lateWindowHours: ctx.config.nudgeLateWindowHours };
  if (!stored?.enabled) return null;
  let settings: NudgeSettings = { ...stored, tz };
  const week = weekKeyAt(now, tz);
  const pending = nextNudge(settings, now, { ...options, ignoreSkip: true });
  if (pending?.weekKey === week && !(await repo.ledgerRow({ ...owner, weekKey: week }))) {
    settings = { ...settings, skipWeek: week };
    await repo.saveSettings(settings, now, nextDueFor(ctx, settings, options.ledger, now));
  }
  return describeSchedule(settings, now, options).text;
}

/**
 * Stores the person's zone from Slack. A zone that changed moves their slots: the scheduler works
 * out their next nudge again on its next tick.
 */
export async function recordTimeZone(
  ctx: AppContext,
  owner: Owner,
  tz: string | null,
  now: Date,
): Promise<void> {
  const before = (await ctx.repos.profiles.get(owner))?.tz ?? null;
  await ctx.repos.profiles.setTimeZone(owner, tz, now);
  if (before !== tz) await ctx.repos.nudges.invalidateNextDue(owner, now);
}
