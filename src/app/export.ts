/**
 * Exports and the radar chart: the user's data from the repositories, the ladder's words for it,
 * and the pure renderers. No Slack here: `src/slack/export-files.ts` uploads what this builds, and
 * the CLI writes it to a file.
 *
 * Privacy: every read is scoped by the owner passed in (from the verified request or the
 * operator's --team/--user), and the JSON builder refuses an entry of anyone else.
 */

import { createHash } from 'node:crypto';
import type { AppContext } from '../context.ts';
import type { UploadedFileKind } from '../db/export-repository.ts';
import type { UserRows } from '../db/user-data.ts';
import { buildRadarSvg, type RadarInput, radarAltText, radarInputFromPacket } from '../domain/chart/radar.ts';
import { growthAdvice } from '../domain/coaching.ts';
import type { ExportFormat } from '../domain/command.ts';
import { renderCsv } from '../domain/export/csv.ts';
import { buildExport, type ExportReflection, type ExportSource, renderJson } from '../domain/export/json.ts';
import { renderMarkdown } from '../domain/export/markdown.ts';
import type {
  PacketGap,
  PacketInput,
  PacketLevel,
  PacketReflection,
  PacketStep,
} from '../domain/export/packet.ts';
import { nextLevel, toPosition } from '../domain/ladder/compare.ts';
import type { Ladder, Position, Role, Step } from '../domain/ladder/model.ts';
import {
  type ParsedPeriod,
  type Period,
  type PeriodRange,
  parsePeriod,
  periodRange,
} from '../domain/period.ts';
import { chosenLevel } from '../domain/profile.ts';
import type { Prompt } from '../domain/prompts.ts';
import type { EvidenceEntry, Owner, Profile } from '../domain/types.ts';
import { renderSvgToPng } from './png.ts';
import { DEFAULT_SUMMARY_PERIOD } from './progress.ts';

/** What the export service needs: the CLI builds these without Slack, the app passes its context. */
export type ExportDeps = Pick<AppContext, 'repos' | 'ladder' | 'now'>;

/** `/ladder export` without a period: a year for the documents people read, everything for JSON. */
export const DEFAULT_EXPORT_PERIOD: Readonly<Record<ExportFormat, string>> = {
  md: '1y',
  csv: '1y',
  json: 'all',
};
/** `ladder export` (the CLI) without --period. */
export const CLI_DEFAULT_PERIOD = 'all';
/** `/ladder chart` and the Home chart: the same window as the summary. */
export const CHART_PERIOD = DEFAULT_SUMMARY_PERIOD;
/** Output width of the chart PNG in pixels. */
export const CHART_SIZE = 800;

export const FORMAT_KIND: Readonly<Record<ExportFormat, UploadedFileKind>> = {
  md: 'markdown',
  csv: 'csv',
  json: 'json',
};

/** The period an export covers: the user's words, else the format's default. Never throws. */
export function exportPeriod(format: ExportFormat, text: string | null | undefined): ParsedPeriod {
  return parsePeriod(text ?? undefined, DEFAULT_EXPORT_PERIOD[format]);
}

/** A file to upload or write; its title in Slack is phrased in slack/blocks/export.ts. */
export interface RenderedFile {
  filename: string;
  content: Buffer;
}

export interface RenderedExport extends RenderedFile {
  format: ExportFormat;
  kind: UploadedFileKind;
  /** Entries in the file. */
  entries: number;
  range: PeriodRange;
  /** Nothing to export: no entries in the period (JSON: nothing stored at all). */
  empty: boolean;
}

export interface ChartImage extends RenderedFile {
  svg: string;
  /** The chart's numbers in words, for the image block and the file (Slack's alt_text). */
  altText: string;
  /** Changes whenever the picture does: the Home reuses an uploaded chart while it is the same. */
  fingerprint: string;
  range: PeriodRange;
}

export interface ExportOptions {
  format: ExportFormat;
  period: Period;
  profile: Profile;
  /** The user's name for the packet's title (Slack's real name; the CLI uses the user id). */
  userName: string;
  /** Markdown: also draw the radar chart to attach (default true; the CLI writes one file). */
  withChart?: boolean;
}

function positionOf(ladder: Ladder, id: string | null): Position | null {
  if (id === null) return null;
  const level = ladder.levelsById.get(id);
  return level ? toPosition(ladder, level).position : null;
}

function packetLevel(p: Position | null, role: Role | null = null): PacketLevel | null {
  return p === null ? null : { id: p.id, code: p.code, title: p.title, role: role?.name ?? null };
}

function packetStep(step: Step | undefined): PacketStep | null {
  return step === undefined ? null : { number: step.number, name: step.name, meaning: step.meaning };
}

function shiftName(ladder: Ladder, id: string): string {
  const shift = ladder.shifts.find((s) => s.id === id);
  return shift ? `${shift.from} → ${shift.to}` : id;
}

export interface PacketOptions {
  profile: Pick<Profile, 'level' | 'target' | 'levelRole' | 'targetRole'>;
  userName: string;
  range: PeriodRange;
  entries: readonly EvidenceEntry[];
  /**
   * Without a target in the profile, measure against the next level up (as the summary does); its
   * title then says so ("next level up; no target set"), so nothing reads as the user's choice.
   */
  targetFallback?: 'next-level' | 'none';
}

/** The renderers' input from the user's data and the ladder's words for it. Pure. */
export function buildPacket(ladder: Ladder, owner: Owner, now: Date, opts: PacketOptions): PacketInput {
  const levelChoice = chosenLevel(ladder, opts.profile.level, opts.profile.levelRole);
  const targetChoice = chosenLevel(ladder, opts.profile.target, opts.profile.targetRole);
  const level = levelChoice?.position ?? null;
  const chosen = targetChoice?.position ?? null;
  const fallback =
    chosen === null && opts.targetFallback === 'next-level' && level !== null
      ? nextLevel(ladder, level.id)
      : null;
  const target = chosen ?? fallback;
  const prompts = new Map(ladder.prompts.map((p) => [p.id, p]));
  const reflections: PacketReflection[] = [];
  for (const entry of opts.entries) {
    if (entry.promptId === null) continue;
    const prompt = prompts.get(entry.promptId);
    const shift = prompt?.shift ?? entry.shift;
    if (shift === null) continue;
    reflections.push({
      entryId: entry.id,
      shift,
      shiftName: shiftName(ladder, shift),
      // A prompt removed from ladder-data since: say which one rather than invent its words.
      question: prompt?.question ?? `Reflection prompt "${entry.promptId}"`,
    });
  }
  const scopes = ladder.axes.flatMap((axis) =>
    axis.steps.flatMap((step) => (step.scope === null ? [] : [{ id: step.scope, name: step.name }])),
  );
  const gaps: PacketGap[] =
    level === null || target === null
      ? []
      : growthAdvice(ladder, level, target).map((g) => ({
          axis: g.axis.id,
          axisName: g.axis.name,
          from: packetStep(g.from) as PacketStep,
          to: packetStep(g.to) as PacketStep,
          via: g.via.map((s) => s.name),
          advice: g.advice,
          examples: [...g.examples],
        }));
  return {
    user: { name: opts.userName, teamId: owner.teamId, userId: owner.userId },
    level: packetLevel(level, levelChoice?.role ?? null),
    target:
      fallback === null
        ? packetLevel(target, targetChoice?.role ?? null)
        : { id: fallback.id, code: fallback.code, title: `${fallback.title} (next level up; no target set)` },
    period: { label: opts.range.label, startDate: opts.range.startDate, endDate: opts.range.endDate },
    generatedAt: now.toISOString(),
    axes: ladder.axes.map((axis) => ({
      id: axis.id,
      name: axis.name,
      currentStep: packetStep(level?.steps[axis.id]),
      targetStep: packetStep(target?.steps[axis.id]),
    })),
    entries: [...opts.entries],
    reflections,
    shifts: ladder.shifts.map((s) => ({ id: s.id, name: shiftName(ladder, s.id) })),
    scopes,
    gaps,
    competencies:
      target === null
        ? []
        : ladder.axes.flatMap((axis) => {
            const step = target.steps[axis.id];
            return step ? [{ axis: axis.name, step: step.name, meaning: step.meaning }] : [];
          }),
  };
}

async function entriesIn(deps: ExportDeps, owner: Owner, range: PeriodRange): Promise<EvidenceEntry[]> {
  // All time means every entry, even one dated after today.
  if (range.startDate === null) return await deps.repos.evidence.inRange(owner, null, '9999-12-31');
  // A `since` date in the future: the start is after today, nothing is in the period.
  if (range.startDate > range.endDate) return [];
  return await deps.repos.evidence.inRange(owner, range.startDate, range.endDate);
}

/** The chart of a packet, or null when neither a level nor a target is known (nothing to draw). */
export function chartFromPacket(
  packet: PacketInput,
  range: PeriodRange,
  opts: { thinThreshold: number; targetIsNextLevel: boolean },
): ChartImage | null {
  if (packet.level === null && packet.target === null) return null;
  const input: RadarInput = radarInputFromPacket(packet, {
    thinThreshold: opts.thinThreshold,
    title: `Ladder progress: ${packet.user.name}`,
    size: CHART_SIZE,
  });
  if (opts.targetIsNextLevel && packet.target !== null && input.legend) {
    input.legend.target = `Target level: ${packet.target.code} (next level up)`;
  }
  const svg = buildRadarSvg(input);
  const png = renderSvgToPng(svg, { background: '#FFFFFF' });
  return {
    filename: `ladder-chart-${packet.period.endDate}.png`,
    content: png,
    svg,
    altText: radarAltText(input),
    fingerprint: createHash('sha256').update(svg).digest('hex').slice(0, 32),
    range,
  };
}

/**
 * The radar chart for the user over a period (default: the summary's 90 days), in their time
 * zone; null when they have set neither a level nor a target.
 */
export async function buildChart(
  deps: ExportDeps,
  owner: Owner,
  opts: { profile: Profile; userName: string; period?: Period },
): Promise<ChartImage | null> {
  const now = deps.now();
  const period = opts.period ?? defaultChartPeriod();
  const range = periodRange(period, now, opts.profile.tz);
  const packet = buildPacket(deps.ladder, owner, now, {
    profile: opts.profile,
    userName: opts.userName,
    range,
    entries: await entriesIn(deps, owner, range),
    targetFallback: 'next-level',
  });
  return chartFromPacket(packet, range, {
    thinThreshold: deps.ladder.thinThreshold,
    targetIsNextLevel: positionOf(deps.ladder, opts.profile.target) === null,
  });
}

function defaultChartPeriod(): Period {
  const parsed = parsePeriod(CHART_PERIOD, CHART_PERIOD);
  if (parsed.kind === 'invalid') throw new Error(`bad chart period: ${parsed.message}`);
  return parsed;
}

/**
 * One export file. Markdown also returns its chart (null without a level or target), to attach.
 * `empty` is set when there is nothing to export; the content is still rendered (the CLI writes it).
 */
export async function renderExport(
  deps: ExportDeps,
  owner: Owner,
  opts: ExportOptions,
): Promise<RenderedExport & { chart: ChartImage | null }> {
  const now = deps.now();
  const range = periodRange(opts.period, now, opts.profile.tz);
  const date = range.endDate;
  const base = {
    format: opts.format,
    kind: FORMAT_KIND[opts.format],
    range,
  };
  if (opts.format === 'json') {
    const rows = await deps.repos.userData.rows(owner);
    const source = exportSourceFromRows(rows, {
      owner,
      exportedAt: now,
      prompts: deps.ladder.prompts,
      // `all` is the lossless export: every entry, even one dated after today.
      ...(opts.period.kind === 'all' ? {} : { range }),
    });
    const text = renderJson(buildExport(source));
    return {
      ...base,
      filename: `ladder-export-${date}.json`,
      content: Buffer.from(text, 'utf8'),
      entries: source.entries.length,
      empty: isEmptyAccount(rows),
      chart: null,
    };
  }
  const entries = await entriesIn(deps, owner, range);
  const packet = buildPacket(deps.ladder, owner, now, {
    profile: opts.profile,
    userName: opts.userName,
    range,
    entries,
    targetFallback: 'next-level',
  });
  if (opts.format === 'csv') {
    return {
      ...base,
      filename: `ladder-evidence-${date}.csv`,
      content: Buffer.from(renderCsv(packet), 'utf8'),
      entries: entries.length,
      empty: entries.length === 0,
      chart: null,
    };
  }
  const empty = entries.length === 0;
  let chart: ChartImage | null = null;
  if (!empty && opts.withChart !== false) {
    chart = chartFromPacket(packet, range, {
      thinThreshold: deps.ladder.thinThreshold,
      targetIsNextLevel: positionOf(deps.ladder, opts.profile.target) === null,
    });
  }
  return {
    ...base,
    filename: `ladder-review-packet-${date}.md`,
    content: Buffer.from(renderMarkdown(packet), 'utf8'),
    entries: entries.length,
    empty,
    chart,
  };
}

function isEmptyAccount(rows: UserRows): boolean {
  return (
    rows.profile === null &&
    rows.nudgeSettings === null &&
    rows.digestSettings === null &&
    rows.entries.length === 0 &&
    rows.ledger.length === 0 &&
    rows.history.length === 0 &&
    rows.files.length === 0
  );
}

/**
 * The JSON export's source from the stored rows. Reflections are the entries that answer a prompt:
 * the prompt's shift from ladder-data (the entry's own tag when the prompt is gone), the week and
 * the thread reply as stored. With a range, only its entries (and their reflections) are included.
 */
export function exportSourceFromRows(
  rows: UserRows,
  opts: {
    owner: Owner;
    exportedAt: Date;
    prompts: readonly Prompt[];
    range?: Pick<PeriodRange, 'startDate' | 'endDate'>;
  },
): ExportSource {
  const prompts = new Map(opts.prompts.map((p) => [p.id, p]));
  const range = opts.range;
  const entries =
    range === undefined
      ? rows.entries
      : rows.entries.filter(
          (e) =>
            (range.startDate === null || e.occurredOn >= range.startDate) && e.occurredOn <= range.endDate,
        );
  const reflections: ExportReflection[] = [];
  for (const e of entries) {
    if (e.promptId === null) continue;
    const shift = prompts.get(e.promptId)?.shift ?? e.shift;
    if (shift === null) continue;
    reflections.push({
      entryId: e.id,
      promptId: e.promptId,
      shift,
      week: e.nudgeWeek,
      reply:
        e.channelId !== null && e.messageTs !== null ? { channelId: e.channelId, ts: e.messageTs } : null,
    });
  }
  const message = (channelId: string | null, ts: string | null) =>
    channelId !== null && ts !== null ? { channelId, ts } : null;
  return {
    exportedAt: opts.exportedAt.toISOString(),
    teamId: opts.owner.teamId,
    userId: opts.owner.userId,
    profile: rows.profile,
    nudgeSettings:
      rows.nudgeSettings === null
        ? null
        : {
            enabled: rows.nudgeSettings.enabled,
            day: rows.nudgeSettings.day,
            minuteOfDay: rows.nudgeSettings.minuteOfDay,
            pausedThrough: rows.nudgeSettings.pausedThrough,
            skipWeek: rows.nudgeSettings.skipWeek,
            createdAt: rows.nudgeSettings.effectiveFrom,
          },
    dmChannel: rows.dmChannel,
    entries,
    reflections,
    nudgeLedger: rows.ledger.map((l) => ({
      week: l.week,
      slotAt: l.slotAt,
      state: l.state,
      attempts: l.attempts,
      nextAttemptAt: l.nextAttemptAt,
      promptId: l.promptId,
      message: message(l.channelId, l.messageTs),
    })),
    nudgeHistory: rows.history.map((h) => ({
      promptId: h.promptId,
      sentAt: h.sentAt,
      trigger: h.trigger,
      message: message(h.channelId, h.messageTs),
    })),
    digestSettings: rows.digestSettings,
    digestLedger: rows.digestLedger.map((l) => ({
      month: l.month,
      slotAt: l.slotAt,
      state: l.state,
      attempts: l.attempts,
      nextAttemptAt: l.nextAttemptAt,
      message: message(l.channelId, l.messageTs),
    })),
    exports: rows.files.map((f) => ({ fileId: f.fileId, kind: f.kind, createdAt: f.createdAt })),
  };
}
