/**
 * `/ladder summary [period]` and the App Home's "at a glance": where the user stands against their
 * target level. Pure builders over a `Summary` (src/domain/summary.ts).
 */
import type { Axis, Position } from '../../domain/ladder/model.ts';
import type { GrowthAxis, Summary } from '../../domain/summary.ts';
import { MONTH_NAMES } from '../../domain/zoned-time.ts';
import { COMMAND } from '../ids.ts';
import { describeTags, quoteEntry, slackDate, type TagNames } from './evidence.ts';
import {
  type Block,
  capBlocks,
  context,
  divider,
  escapeMrkdwn,
  fallback,
  header,
  type SlackMessage,
  section,
} from './format.ts';

/** How many months the month line lists (the newest); the count covers them all. */
const MAX_MONTHS_SHOWN = 12;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function stepText(axis: Axis, step: { name: string; number: number }): string {
  return `${step.name} ${step.number}/${axis.steps.length}`;
}

function positionText(position: Position): string {
  return `${position.code} · ${position.title}`;
}

function countText(count: number, suggested: number): string {
  return suggested > 0 ? `${count} (${suggested} suggested)` : `${count}`;
}

/** "TPM4 · Staff Engineer → TPM5 · Senior Staff Engineer", or how to set them. */
export function levelsLine(summary: Summary): string {
  const { level, target } = summary;
  if (!level) {
    return `No level set yet: \`${COMMAND} me level tpm4 target lead\` shows where to grow.`;
  }
  const to = target
    ? ` → target *${escapeMrkdwn(positionText(target))}*${summary.targetIsNextLevel ? ' (the next level up)' : ''}`
    : ' (the top of the track)';
  return `Level *${escapeMrkdwn(positionText(level))}*${to}`;
}

/** One line per axis: entries, and the steps the current and target levels expect. */
export function axesLines(summary: Summary): string {
  return summary.axes
    .map(({ axis, count, suggested, current, target, growth }) => {
      let steps = '';
      if (current && target && target.number !== current.number) {
        steps = `  ·  ${stepText(axis, current)} → ${stepText(axis, target)}${growth ? '  :arrow_up:' : ''}`;
      } else if (current) {
        steps = `  ·  ${stepText(axis, current)}${target ? ' (same at target)' : ''}`;
      }
      return `*${escapeMrkdwn(axis.name)}*: ${countText(count, suggested)}${steps}`;
    })
    .join('\n');
}

function growthLine(g: GrowthAxis, threshold: number, withSuggestion: boolean): string {
  const state = g.thin
    ? `:warning: *${escapeMrkdwn(g.axis.name)}* ${g.from.name} → ${g.to.name}: ${plural(g.count, 'entry', 'entries')}, thin (under ${threshold})`
    : `:white_check_mark: *${escapeMrkdwn(g.axis.name)}* ${g.from.name} → ${g.to.name}: ${plural(g.count, 'entry', 'entries')}`;
  return withSuggestion && g.suggestion ? `${state}\n      _Next:_ ${escapeMrkdwn(g.suggestion)}` : state;
}

/** The growth axes with their entries and thin flags; suggestions for every one, or only the thin. */
export function growthText(summary: Summary, opts: { suggestions: 'all' | 'thin' }): string {
  if (!summary.level)
    return `Set your level and target to see where to grow: \`${COMMAND} me level tpm4 target lead\`.`;
  if (!summary.target) return 'You are at the top of the track: no level above to grow towards.';
  if (summary.growth.length === 0) {
    return `Your target ${summary.target.code} expects no higher step than ${summary.level.code} on any axis.`;
  }
  const lines = summary.growth.map((g) =>
    growthLine(g, summary.thinThreshold, opts.suggestions === 'all' || g.thin),
  );
  return `*Where to grow (${summary.level.code} → ${summary.target.code})*\n${lines.join('\n')}`;
}

function shortMonth(key: string): string {
  return `${MONTH_NAMES[Number(key.slice(5, 7)) - 1]?.slice(0, 3) ?? key} ${key.slice(0, 4)}`;
}

/** Months with an entry on every growth axis, and the newest months one by one. */
export function monthsText(summary: Summary): string | null {
  if (summary.sustainedMonths === null || summary.months.length === 0) return null;
  const shown = summary.months.slice(-MAX_MONTHS_SHOWN).map((m) => {
    const mark = m.covered ? ':white_check_mark:' : ':heavy_minus_sign:';
    return `${shortMonth(m.month)}${m.partial ? ' (part)' : ''} ${mark}`;
  });
  const more = summary.months.length > MAX_MONTHS_SHOWN ? '… ' : '';
  return (
    `*Sustained over months:* ${summary.sustainedMonths} of ${plural(summary.months.length, 'month')} ` +
    `had an entry on every growth axis.\n${more}${shown.join('  ·  ')}`
  );
}

/** Weeks with an entry and the current streak. */
export function weeksText(summary: Summary): string {
  const { weeks } = summary;
  const streak =
    weeks.streak === 0
      ? 'no current streak: log a win this week to start one'
      : `current streak ${plural(weeks.streak, 'week')}${weeks.thisWeekHasEntry ? '' : ' (log a win this week to keep it)'}`;
  const longest =
    weeks.longestStreak > weeks.streak ? `, longest ${plural(weeks.longestStreak, 'week')}` : '';
  return `*Weeks with evidence:* ${weeks.withEntries} of ${weeks.total}  ·  ${streak}${longest}`;
}

/** Entries per mindset shift; a next step for shifts with none. */
export function shiftsText(summary: Summary, opts: { suggestions: boolean }): string {
  const counts = summary.shifts
    .map((s) => `${escapeMrkdwn(`${s.shift.from} → ${s.shift.to}`)}: ${s.count}`)
    .join('  ·  ');
  const next = opts.suggestions
    ? summary.shifts
        .filter((s) => s.count === 0 && s.suggestion)
        .map((s) => `\n      _Next for ${escapeMrkdwn(s.shift.to)}:_ ${escapeMrkdwn(s.suggestion ?? '')}`)
        .join('')
    : '';
  return `*Mindset shifts:* ${counts}${next}`;
}

function zoneNote(summary: Summary): string {
  return summary.timeZoneFallback
    ? 'Weeks and months are in UTC: Slack did not give me your time zone.'
    : `Weeks and months are in your time zone (${escapeMrkdwn(summary.timeZone)}).`;
}

export function buildSummary(summary: Summary, names: TagNames): SlackMessage {
  const blocks: Block[] = [
    header(`Your progress: ${summary.period.label}`),
    context(`${levelsLine(summary)}  ·  ${plural(summary.total, 'entry', 'entries')} in the period`),
  ];
  if (summary.total === 0) {
    blocks.push(
      section(
        `No evidence in this period yet. Log a win with \`${COMMAND} log <what you did>\`, ` +
          `or try a longer period, e.g. \`${COMMAND} summary 1y\`.`,
      ),
    );
  }
  blocks.push(section(`*Entries per axis*\n${axesLines(summary)}`));
  blocks.push(section(growthText(summary, { suggestions: 'all' })));
  const months = monthsText(summary);
  if (months) blocks.push(section(months));
  blocks.push(section(weeksText(summary)));
  blocks.push(section(shiftsText(summary, { suggestions: true })));
  if (summary.recent.length > 0) {
    blocks.push(divider(), section('*Most recent*'));
    for (const entry of summary.recent) {
      blocks.push(
        section(`${slackDate(entry.occurredOn)}\n${quoteEntry(entry.text, 300)}`),
        context(describeTags(entry, names)),
      );
    }
  }
  const notes = [zoneNote(summary)];
  if (summary.untagged > 0) {
    notes.push(
      `${plural(summary.untagged, 'entry', 'entries')} without tags ${summary.untagged === 1 ? 'counts' : 'count'} on no axis.`,
    );
  }
  notes.push('Counts include tags marked (suggested).');
  blocks.push(context(notes.join(' ')));
  const thin = summary.growth.filter((g) => g.thin).map((g) => g.axis.name);
  const text =
    `Your progress, ${summary.period.label}: ${summary.total} entries.` +
    (thin.length > 0 ? ` Thin growth axes: ${thin.join(', ')}.` : '');
  return { text: fallback(text), blocks: capBlocks(blocks) };
}

/** The summary at a glance, for the App Home: at most 5 blocks. */
export function summaryGlance(summary: Summary): Block[] {
  const blocks: Block[] = [
    section(`*Entries per axis* (${escapeMrkdwn(summary.period.label)})\n${axesLines(summary)}`),
    section(growthText(summary, { suggestions: 'thin' })),
  ];
  const months = monthsText(summary);
  blocks.push(context(weeksText(summary), ...(months ? [months] : [])));
  blocks.push(context(shiftsText(summary, { suggestions: false })));
  blocks.push(context(`${zoneNote(summary)} More: \`${COMMAND} summary\`, \`${COMMAND} summary 1y\`.`));
  return blocks;
}

export function buildPeriodProblem(message: string): SlackMessage {
  const t = `${message} For example: \`${COMMAND} summary 30d\`.`;
  return { text: fallback(t), blocks: [section(t)] };
}
