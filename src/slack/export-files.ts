/**
 * Files in the user's DM: exports and radar charts go up through files.uploadV2 (three steps:
 * getUploadURLExternal → the bytes → completeUploadExternal) to the DM the app opened with the
 * requesting user, their ids are kept so `/ladder forget` can delete them, and the chart is shown
 * in image blocks by `slack_file` id.
 *
 * Privacy: the owner always comes from the verified request; the DM is opened with that user id
 * (conversations.open), never a channel a client named. files.completeUploadExternal refuses a
 * user id as channel_id, which is why the DM is opened first.
 */
import type { WebClient } from '@slack/web-api';
import { buildChart, type ChartImage, type RenderedFile, renderExport } from '../app/export.ts';
import type { AppContext } from '../context.ts';
import type { UploadedFileKind } from '../db/export-repository.ts';
import type { ExportFormat } from '../domain/command.ts';
import type { Period } from '../domain/period.ts';
import type { Owner, Profile } from '../domain/types.ts';
import { describeError } from '../log.ts';
import {
  buildChartNeedsLevel,
  buildChartReply,
  buildExportEmpty,
  buildExportSent,
  type ChartShown,
  chartFileTitle,
  chartInitialComment,
  EXPORT_DESCRIPTION,
  exportFileTitle,
  exportInitialComment,
} from './blocks/export.ts';
import type { SlackMessage } from './blocks/format.ts';
import { openDmChannel } from './dm.ts';
import { type ResponseTarget, replyToUser } from './reply.ts';

/** How long to wait before showing a just-uploaded image again (Slack may not have processed it). */
export const CHART_RETRY_DELAY_MS = 1_500;
/** Errors that mean the cached DM channel id is no longer usable: open the DM again. */
const STALE_CHANNEL_ERRORS = new Set([
  'channel_not_found',
  'is_archived',
  'not_in_channel',
  'invalid_channel',
]);
/** files.delete errors after which there is nothing left to delete (or nothing we ever can). */
const GONE_FILE_ERRORS = new Set(['file_not_found', 'file_deleted', 'cant_delete_file']);

/** The `error` of a Slack Web API failure (`invalid_blocks`, `channel_not_found` …), if it is one. */
export function slackErrorCode(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface UploadItem {
  file: RenderedFile;
  /** What Slack shows as the file's title. */
  title: string;
  kind: UploadedFileKind;
  /** Images: what a screen reader says. */
  altText?: string;
}

export interface UploadedItem {
  fileId: string;
  kind: UploadedFileKind;
  filename: string;
  permalink: string | undefined;
}

interface CompletedFile {
  id?: string;
  name?: string;
  title?: string;
  permalink?: string;
}

async function uploadOnce(
  client: WebClient,
  channelId: string,
  items: readonly UploadItem[],
  initialComment: string,
): Promise<CompletedFile[]> {
  const result = await client.filesUploadV2({
    channel_id: channelId,
    initial_comment: initialComment,
    file_uploads: items.map((item) => ({
      file: item.file.content,
      filename: item.file.filename,
      title: item.title,
      ...(item.altText ? { alt_text: item.altText } : {}),
    })),
  });
  // The result is nested: one completion per message, each with its files.
  const completions = (result as { files?: Array<{ files?: CompletedFile[] }> }).files ?? [];
  return completions.flatMap((c) => c.files ?? []);
}

/**
 * Uploads files to the owner's DM in one message with a one-line comment, and records each file
 * id (before anything else can fail) so `/ladder forget` finds it. `home` marks a chart as the
 * one the App Home shows.
 */
export async function uploadToDm(
  ctx: AppContext,
  client: WebClient,
  owner: Owner,
  items: readonly UploadItem[],
  opts: { initialComment: string; home?: { fingerprint: string; altText: string } },
): Promise<{ channelId: string; files: UploadedItem[] }> {
  let channelId = await openDmChannel(ctx, client, owner);
  let completed: CompletedFile[];
  try {
    completed = await uploadOnce(client, channelId, items, opts.initialComment);
  } catch (err) {
    if (!STALE_CHANNEL_ERRORS.has(slackErrorCode(err) ?? '')) throw err;
    ctx.logger.warn('cached DM channel refused an upload; opening the DM again', {
      error: slackErrorCode(err),
    });
    await ctx.repos.nudges.dropDmChannel(owner);
    channelId = await openDmChannel(ctx, client, owner);
    completed = await uploadOnce(client, channelId, items, opts.initialComment);
  }
  const files: UploadedItem[] = [];
  for (const [i, item] of items.entries()) {
    const match =
      completed.find((f) => f.name === item.file.filename || f.title === item.title) ??
      (completed.length === items.length ? completed[i] : undefined);
    if (!match?.id) throw new Error(`files.uploadV2 returned no id for ${item.kind}`);
    const home = item.kind === 'chart' ? opts.home : undefined;
    await ctx.repos.exports.recordFile(
      owner,
      {
        fileId: match.id,
        kind: item.kind,
        channelId,
        ...(home ? { onHome: true, fingerprint: home.fingerprint, altText: home.altText } : {}),
        ...(!home && item.altText ? { altText: item.altText } : {}),
      },
      ctx.now(),
    );
    files.push({
      fileId: match.id,
      kind: item.kind,
      filename: item.file.filename,
      permalink: match.permalink,
    });
  }
  return { channelId, files };
}

/**
 * `/ladder forget`, first step: deletes every file the app uploaded for the user from Slack, each
 * row going once its file is gone. A file Slack no longer has (or never will let us delete) is
 * dropped too; any other failure stops here with the rest kept, so forget can be retried.
 */
export async function deleteUploadedFiles(ctx: AppContext, client: WebClient, owner: Owner): Promise<number> {
  let deleted = 0;
  for (const file of await ctx.repos.exports.files(owner)) {
    try {
      await client.files.delete({ file: file.fileId });
      deleted += 1;
    } catch (err) {
      const code = slackErrorCode(err);
      if (!code || !GONE_FILE_ERRORS.has(code)) throw err;
    }
    await ctx.repos.exports.removeFile(owner, file.fileId);
  }
  return deleted;
}

/** The user's name for the packet's title: Slack's real name, else the user id. */
export async function userDisplayName(ctx: AppContext, client: WebClient, owner: Owner): Promise<string> {
  try {
    const res = await client.users.info({ user: owner.userId });
    const u = res.user;
    const name = u?.real_name || u?.profile?.real_name || u?.profile?.display_name || u?.name;
    return typeof name === 'string' && name.trim() !== '' ? name.trim() : owner.userId;
  } catch (err) {
    ctx.logger.warn('users.info failed; the export is titled with the user id', {
      error: describeError(err),
    });
    return owner.userId;
  }
}

export type ExportOutcome =
  | { kind: 'sent'; message: SlackMessage; files: UploadedItem[] }
  | { kind: 'empty'; message: SlackMessage };

/**
 * Renders one export for the owner and uploads it to their DM (Markdown with its radar chart
 * alongside). Nothing is uploaded when the period has no entries.
 */
export async function sendExport(
  ctx: AppContext,
  client: WebClient,
  owner: Owner,
  req: { format: ExportFormat; period: Period; profile: Profile },
): Promise<ExportOutcome> {
  const userName = req.format === 'md' ? await userDisplayName(ctx, client, owner) : owner.userId;
  const rendered = await renderExport(ctx, owner, { ...req, userName });
  if (rendered.empty) {
    return {
      kind: 'empty',
      message: buildExportEmpty({
        format: req.format,
        range: rendered.range,
        periodIsAll: req.period.kind === 'all',
      }),
    };
  }
  const items: UploadItem[] = [
    { file: rendered, title: exportFileTitle(req.format, rendered.range.label), kind: rendered.kind },
  ];
  if (rendered.chart)
    items.push({
      file: rendered.chart,
      title: chartFileTitle(rendered.chart.range.label),
      kind: 'chart',
      altText: rendered.chart.altText,
    });
  const summary = {
    description: EXPORT_DESCRIPTION[req.format],
    filename: rendered.filename,
    entries: rendered.entries,
    range: rendered.range,
    chartAttached: rendered.chart !== null,
  };
  const { files } = await uploadToDm(ctx, client, owner, items, {
    initialComment: exportInitialComment(summary),
  });
  return { kind: 'sent', files, message: buildExportSent({ ...summary, permalink: files[0]?.permalink }) };
}

export type ChartOutcome =
  | { kind: 'uploaded'; chart: ChartImage; shown: ChartShown }
  | { kind: 'needs-level'; message: SlackMessage };

/**
 * Draws the owner's radar chart (the summary's 90 days) and uploads it to their DM; it becomes
 * the chart their App Home shows. `reuseUnchanged`: when the Home already shows this very
 * picture, nothing is uploaded (the Home button), so the DM does not fill with copies.
 */
export async function uploadChart(
  ctx: AppContext,
  client: WebClient,
  owner: Owner,
  opts: { profile: Profile; reuseUnchanged?: boolean; period?: Period },
): Promise<ChartOutcome> {
  const userName = await userDisplayName(ctx, client, owner);
  const chart = await buildChart(ctx, owner, {
    profile: opts.profile,
    userName,
    ...(opts.period ? { period: opts.period } : {}),
  });
  if (chart === null) return { kind: 'needs-level', message: buildChartNeedsLevel() };
  const current = await ctx.repos.exports.homeChart(owner);
  if (opts.reuseUnchanged && !opts.period && current && current.fingerprint === chart.fingerprint) {
    return {
      kind: 'uploaded',
      chart,
      shown: { fileId: current.fileId, altText: chart.altText, periodLabel: chart.range.label },
    };
  }
  const { files } = await uploadToDm(
    ctx,
    client,
    owner,
    [{ file: chart, title: chartFileTitle(chart.range.label), kind: 'chart', altText: chart.altText }],
    {
      initialComment: chartInitialComment(chart.range.label),
      // A chart of another period (a summary's) is the reply's, not the Home's.
      ...(opts.period ? {} : { home: { fingerprint: chart.fingerprint, altText: chart.altText } }),
    },
  );
  const fileId = files[0]?.fileId as string;
  return {
    kind: 'uploaded',
    chart,
    shown: { fileId, altText: chart.altText, periodLabel: chart.range.label },
  };
}

/**
 * For the App Home (and `/ladder summary`): makes sure the owner's current chart is uploaded to
 * their DM and returns what an image block needs (`chartImageBlock` in blocks/export.ts), or null
 * without a level. Slack calls only when the chart changed since the last upload. A just-uploaded
 * file may not be processed yet: on `invalid_blocks`, wait {@link CHART_RETRY_DELAY_MS} and
 * publish once more.
 */
export async function ensureHomeChart(
  ctx: AppContext,
  client: WebClient,
  owner: Owner,
  profile: Profile,
): Promise<ChartShown | null> {
  const outcome = await uploadChart(ctx, client, owner, { profile, reuseUnchanged: true });
  return outcome.kind === 'uploaded' ? outcome.shown : null;
}

/** Posts to the response URL; 'ok', 'unavailable' (used up or expired), or Slack's error. */
async function postToResponseUrl(
  ctx: AppContext,
  target: ResponseTarget,
  message: SlackMessage,
): Promise<string> {
  const { owner, responseUrl } = target;
  if (!responseUrl || !(await ctx.repos.slackState.claimResponseUrl(owner, responseUrl, ctx.now())))
    return 'unavailable';
  try {
    const res = await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, ...message }),
      signal: AbortSignal.timeout(5_000),
    });
    const body = await res.text();
    let error: string | undefined;
    try {
      const json = JSON.parse(body) as { ok?: boolean; error?: string };
      if (json.ok === false) error = json.error ?? 'error';
    } catch {
      if (!res.ok) error = body.trim() || `http_${res.status}`;
    }
    if (!res.ok && error === undefined) error = `http_${res.status}`;
    return error ?? 'ok';
  } catch (err) {
    ctx.logger.warn('response url failed', { error: describeError(err) });
    return 'failed';
  }
}

/**
 * The chart reply with the picture. Slack refuses an image block (invalid_blocks) until it has
 * processed the upload: retry once after a pause, then say it in words and point to the DM.
 */
export async function replyWithChart(
  ctx: AppContext,
  client: WebClient,
  target: ResponseTarget,
  shown: ChartShown,
  opts: { retryDelayMs?: number } = {},
): Promise<'image' | 'text'> {
  const withImage = buildChartReply({ ...shown, withImage: true });
  let result = await postToResponseUrl(ctx, target, withImage);
  if (result === 'invalid_blocks') {
    await sleep(opts.retryDelayMs ?? CHART_RETRY_DELAY_MS);
    result = await postToResponseUrl(ctx, target, withImage);
  }
  if (result === 'ok') return 'image';
  ctx.logger.warn('chart image not shown in the reply; answering in words', { error: result });
  await replyToUser(ctx, client, target, buildChartReply({ ...shown, withImage: false }));
  return 'text';
}
