/**
 * Messages of `/ladder export`, `/ladder chart` and the App Home's export section. Pure.
 */
import type { types } from '@slack/bolt';
import { EXPORT_FORMATS, type ExportFormat } from '../../domain/command.ts';
import { SLACK_LIMITS } from '../../slack-limits.ts';
import { ActionId, COMMAND, nthActionId } from '../ids.ts';
import {
  actions,
  type Block,
  button,
  context,
  escapeMrkdwn,
  fallback,
  type SlackMessage,
  section,
  truncate,
} from './format.ts';

/** What each export is, in words ("Markdown review packet"). */
export const EXPORT_DESCRIPTION: Readonly<Record<ExportFormat, string>> = {
  md: 'Markdown review packet',
  csv: 'CSV of your evidence',
  json: 'JSON export of your data',
};

const FILE_TITLE: Readonly<Record<ExportFormat, string>> = {
  md: 'Review packet',
  csv: 'Ladder evidence',
  json: 'Ladder export',
};

/** What Slack shows as an export's title, e.g. "Review packet (last 12 months)". */
export function exportFileTitle(format: ExportFormat, periodLabel: string): string {
  return `${FILE_TITLE[format]} (${periodLabel})`;
}

/** What Slack shows as the radar chart PNG's title. */
export function chartFileTitle(periodLabel: string): string {
  return `Ladder radar chart (${periodLabel})`;
}

/** The one line posted with a radar chart in the DM (files.uploadV2 `initial_comment`). */
export function chartInitialComment(periodLabel: string): string {
  return `Your radar chart: level, target and evidence per axis (evidence: ${periodLabel}).`;
}

function entriesText(n: number): string {
  return n === 1 ? '1 entry' : `${n.toLocaleString('en-US')} entries`;
}

function dates(range: { startDate: string | null; endDate: string }): string {
  return range.startDate === null ? `up to ${range.endDate}` : `${range.startDate} to ${range.endDate}`;
}

export interface ExportSummary {
  /** "Markdown review packet". */
  description: string;
  filename: string;
  entries: number;
  range: { label: string; startDate: string | null; endDate: string };
  /** A radar chart PNG travels with the file. */
  chartAttached?: boolean;
}

/** The one line posted with the file in the DM (files.uploadV2 `initial_comment`). */
export function exportInitialComment(s: ExportSummary): string {
  const chart = s.chartAttached ? ', with your radar chart' : '';
  return escapeMrkdwn(
    `Your ${s.description}: ${entriesText(s.entries)}, ${s.range.label} (${dates(s.range)})${chart}.`,
  );
}

/** The slash reply once the file is in the DM. */
export function buildExportSent(s: ExportSummary & { permalink?: string | undefined }): SlackMessage {
  const name = escapeMrkdwn(s.filename).replace(/\|/g, '');
  const file =
    s.permalink && /^https?:\/\//.test(s.permalink) && !/[<>|\s]/.test(s.permalink)
      ? `<${s.permalink}|${name}>`
      : `*${name}*`;
  const chart = s.chartAttached ? ' Your radar chart is attached too.' : '';
  const text =
    `:inbox_tray: Your ${escapeMrkdwn(s.description)} (${entriesText(s.entries)}, ${escapeMrkdwn(s.range.label)}) ` +
    `is in our DM: ${file}.${chart} Only you can see it.`;
  return {
    text: fallback(`Your ${s.description} (${entriesText(s.entries)}, ${s.range.label}) is in our DM.`),
    blocks: [section(text)],
  };
}

/** No entries in the period: nothing is uploaded. */
export function buildExportEmpty(o: {
  format: ExportFormat;
  range: { label: string };
  /** The period was already all time (no longer one to suggest). */
  periodIsAll: boolean;
}): SlackMessage {
  const longer = o.periodIsAll ? '' : ` or a longer period, e.g. \`${COMMAND} export ${o.format} all\``;
  const text =
    o.format === 'json'
      ? 'I hold no data about you yet, so there is nothing to export.'
      : `You have no evidence in the period (${escapeMrkdwn(o.range.label)}), so there is nothing to export. ` +
        `Log a win with \`${COMMAND} log <what you did>\`${longer}.`;
  return { text: fallback(text.replace(/`/g, '')), blocks: [section(text)] };
}

/** An invalid period: the parser's message and an example. */
export function buildExportPeriodProblem(message: string): SlackMessage {
  const text = `${escapeMrkdwn(message)} For example: \`${COMMAND} export md 6m\` or \`${COMMAND} export csv since 2026-01-01\`.`;
  return { text: fallback(text.replace(/`/g, '')), blocks: [section(text)] };
}

/** `/ladder export pdf`: a word that is neither a format nor a period. */
export function buildUnknownExportFormat(word: string): SlackMessage {
  const text =
    `I can't export \`${word.slice(0, 40)}\`: the formats are \`md\` (a review packet in Markdown), ` +
    `\`csv\` (a spreadsheet) and \`json\` (all your data). For example: \`${COMMAND} export md\` or ` +
    `\`${COMMAND} export csv 6m\`.`;
  return { text: fallback(text.replace(/`/g, '')), blocks: [section(text)] };
}

/** `/ladder chart` without a level or a target: nothing to draw. */
export function buildChartNeedsLevel(): SlackMessage {
  const text =
    `The radar chart compares your level with your target, so I need at least your level: ` +
    `\`${COMMAND} me level tpm4 target tpm5\`.`;
  return { text: fallback(text.replace(/`/g, '')), blocks: [section(text)] };
}

export interface ChartShown {
  fileId: string;
  altText: string;
  periodLabel: string;
}

/** An image block showing an uploaded file (the viewer must be able to see it: upload to their DM first). */
export function chartImageBlock(c: { fileId: string; altText: string; title?: string }): Block {
  return {
    type: 'image',
    slack_file: { id: c.fileId },
    alt_text: truncate(c.altText, SLACK_LIMITS.imageAltText),
    ...(c.title
      ? { title: { type: 'plain_text', text: truncate(c.title, SLACK_LIMITS.imageTitle), emoji: false } }
      : {}),
  } as Block;
}

const CHART_IN_DM = 'Your radar chart is in our DM.';

/** The Home's notice when Slack has not yet made the uploaded chart showable. */
export const CHART_NOT_READY_NOTICE = `${CHART_IN_DM} Slack is still preparing it: press the chart button again in a moment to show it here.`;

/**
 * The reply to `/ladder chart`: the picture (when `withImage`) and where the file is. Without the
 * image (Slack could not show it yet) the words still say what the chart shows.
 */
export function buildChartReply(c: ChartShown & { withImage: boolean }): SlackMessage {
  const intro =
    `:bar_chart: Your radar chart (evidence: ${escapeMrkdwn(c.periodLabel)}): your level, your target, ` +
    'and how well your evidence covers each axis. The PNG is in our DM.';
  const blocks: Block[] = [section(intro)];
  if (c.withImage)
    blocks.push(chartImageBlock({ fileId: c.fileId, altText: c.altText, title: 'Ladder radar chart' }));
  else blocks.push(context(escapeMrkdwn(truncate(c.altText, 2900))));
  return { text: fallback(`${CHART_IN_DM} ${c.altText}`), blocks };
}

const FORMAT_BUTTONS: Record<ExportFormat, string> = {
  md: 'Review packet (Markdown)',
  csv: 'Spreadsheet (CSV)',
  json: 'All my data (JSON)',
};

/**
 * The App Home's export section: one button per format, one to put a fresh chart on the Home,
 * and the chart itself once there is one. Values carry only the format, never an id.
 */
export interface HomeChart {
  fileId: string;
  altText: string;
}

export function buildExportHomeSection(chart: HomeChart | null): Block[] {
  const buttons: types.Button[] = EXPORT_FORMATS.map((format, i) =>
    button({ text: FORMAT_BUTTONS[format], actionId: nthActionId(ActionId.exportFile, i), value: format }),
  );
  buttons.push(
    button({
      text: chart ? 'Update my chart' : 'Show my radar chart',
      actionId: ActionId.exportChart,
      value: 'chart',
    }),
  );
  const blocks: Block[] = [
    section(
      'Files go to our DM, only for you: the review packet covers the last 12 months, the CSV too, ' +
        `the JSON everything I hold. Other periods: \`${COMMAND} export md 6m\`.`,
    ),
    ...actions(buttons),
  ];
  if (chart)
    blocks.push(chartImageBlock({ fileId: chart.fileId, altText: chart.altText, title: 'Your radar chart' }));
  return blocks;
}
