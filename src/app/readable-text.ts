import type { AppContext } from '../context.ts';
import type { UnconvertedEvidence } from '../db/evidence-repository.ts';
import { slackTextToReadable } from '../domain/slack-text.ts';

/**
 * The port that names people: the display names of the people a Slack text mentions without a
 * label, looked up in the tenant's Slack (slack/user-names.ts). `incomplete`: a lookup failed for a
 * reason that may pass (rate limit, timeout), so it is worth trying again later.
 */
export type NameLookup = (
  teamId: string,
  slackText: string,
) => Promise<{ names: Map<string, string>; incomplete: boolean }>;

/** Rows per committed batch, and at most this many batches per pass (one pass per tick). */
const BATCH = 50;
const MAX_BATCHES_PER_PASS = 4;

export interface ConversionPass {
  converted: number;
  /** Rows left for a later pass (a lookup that may pass failed, or the pass was full). */
  remaining: number;
}

/**
 * Makes the readable text of entries stored without one (written before it existed, or imported
 * naming people only Slack can name), in committed batches: a stop anywhere loses nothing and the
 * next pass resumes with the rows still NULL. The original text is never touched. A person Slack
 * cannot name reads `@someone`; a lookup that may pass (rate limit, timeout) leaves the row for a
 * later pass. Runs in the app, on the scheduler's tick, because it needs Slack to name people.
 */
export async function convertUnreadableEntries(
  ctx: AppContext,
  lookupNames: NameLookup,
): Promise<ConversionPass> {
  const repo = ctx.repos.evidence;
  let afterId = 0;
  let converted = 0;
  let retryLater = false;
  for (let batch = 0; batch < MAX_BATCHES_PER_PASS; batch++) {
    const rows = await repo.unconverted(afterId, BATCH);
    if (rows.length === 0) break;
    const done: Array<{ entry: UnconvertedEvidence; readableText: string }> = [];
    for (const entry of rows) {
      afterId = entry.id;
      // Rows written before readable text existed: replies kept Slack's &lt; escapes then.
      const decodeEntities = entry.source === 'reflection';
      const active = await ctx.repos.workspaces.isWorkspaceActive(entry.owner.teamId);
      // An uninstalled workspace cannot be asked: its people read @someone.
      const lookup = active
        ? await lookupNames(entry.owner.teamId, entry.originalText)
        : { names: new Map<string, string>(), incomplete: false };
      const readable = slackTextToReadable(entry.originalText, { names: lookup.names, decodeEntities });
      if (lookup.incomplete && readable.unresolved.length > 0) {
        retryLater = true;
        continue;
      }
      done.push({ entry, readableText: readable.text });
    }
    if (!ctx.repos.connection.isOpen()) break;
    converted += await repo.setReadable(done);
    if (retryLater) break;
  }
  if (!ctx.repos.connection.isOpen()) return { converted, remaining: -1 };
  const remaining = await repo.unconvertedCount();
  if (converted > 0 || remaining > 0) ctx.logger.info('readable text conversion', { converted, remaining });
  return { converted, remaining };
}
