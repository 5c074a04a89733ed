/**
 * `ladder import`: a JSON export (validated by domain/export/json) re-keyed to the target owner
 * and written in one transaction into an account with no data yet.
 */
import type { ImportCounts, ImportRows } from '../db/user-data.ts';
import { type ExportData, invalidExport } from '../domain/export/json.ts';
import { slackTextToReadable } from '../domain/slack-text.ts';
import type { Owner } from '../domain/types.ts';
import type { ExportDeps } from './export.ts';

export interface ImportPlan {
  rows: ImportRows;
  /** What the import leaves out, in words for the operator. */
  notes: string[];
}

/**
 * Maps a validated export onto the rows of `owner` (re-keyed: the file's team and user are not
 * used). Pure. Throws {@link ExportFormatError} for a file the database would refuse (two entries
 * from the same Slack message). The cached DM channel is kept only for the same workspace and
 * user: another workspace's channel id means nothing here.
 */
export function planImport(data: ExportData, owner: Owner): ImportPlan {
  const notes: string[] = [];
  const entries = importedEntries(data);
  const history = importedHistory(data, notes);
  const sameAccount = data.team_id === owner.teamId && data.user_id === owner.userId;
  if (data.dmChannel !== null && !sameAccount) {
    notes.push(
      'The cached DM channel belongs to the exported account and was left out (it is looked up again).',
    );
  }
  const settings = data.nudgeSettings;
  return {
    rows: {
      // Files before version 4 knew positions only: nobody had chosen a role.
      profile:
        data.profile === null
          ? null
          : {
              ...data.profile,
              levelRole: data.profile.levelRole ?? null,
              targetRole: data.profile.targetRole ?? null,
            },
      nudgeSettings:
        settings === null
          ? null
          : {
              enabled: settings.enabled,
              day: settings.day,
              minuteOfDay: settings.minuteOfDay,
              pausedThrough: settings.pausedThrough,
              skipWeek: settings.skipWeek,
              effectiveFrom: settings.createdAt,
            },
      dmChannel: sameAccount ? data.dmChannel : null,
      entries,
      ledger: data.nudgeLedger.map((l) => ({
        week: l.week,
        slotAt: l.slotAt,
        state: l.state,
        attempts: l.attempts,
        nextAttemptAt: l.nextAttemptAt,
        promptId: l.promptId,
        channelId: l.message?.channelId ?? null,
        messageTs: l.message?.ts ?? null,
      })),
      history,
      // Files before version 5 knew no digest.
      digestSettings: data.digestSettings ?? null,
      digestLedger: (data.digestLedger ?? []).map((l) => ({
        month: l.month,
        slotAt: l.slotAt,
        state: l.state,
        attempts: l.attempts,
        nextAttemptAt: l.nextAttemptAt,
        channelId: l.message?.channelId ?? null,
        messageTs: l.message?.ts ?? null,
      })),
      files: data.exports.map((f) => ({ fileId: f.fileId, kind: f.kind, createdAt: f.createdAt })),
    },
    notes,
  };
}

/** The entries with what their reflection adds; two reflections from one message are refused. */
function importedEntries(data: ExportData): ImportRows['entries'] {
  const byEntry = new Map(data.reflections.map((r) => [r.entryId, r]));
  const replies = new Set<string>();
  data.reflections.forEach((r, i) => {
    if (r.reply === null) return;
    const key = `${r.reply.channelId}/${r.reply.ts}`;
    if (replies.has(key)) {
      throw invalidExport(
        `reflections[${i}].reply: another reflection comes from the same message`,
        `reflections[${i}].reply`,
      );
    }
    replies.add(key);
  });
  return data.entries.map((e) => {
    const r = byEntry.get(e.id);
    // The same conversion as at saving: a version 1 file holds Slack text only. A person only Slack
    // can name leaves the readable text to the running app's conversion job.
    const readable = slackTextToReadable(e.text, {
      decodeEntities: e.originalText === undefined && e.source === 'reflection',
    });
    return {
      ref: e.id,
      text: e.text,
      originalText: e.originalText ?? e.text,
      readableText: readable.unresolved.length > 0 ? null : readable.text,
      occurredOn: e.occurredOn,
      axes: e.axes,
      suggestedAxes: e.suggestedAxes,
      shift: e.shift,
      scope: e.scope,
      link: e.link,
      source: e.source,
      promptId: e.promptId ?? r?.promptId ?? null,
      nudgeWeek: r?.week ?? null,
      channelId: r?.reply?.channelId ?? null,
      messageTs: r?.reply?.ts ?? null,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
  });
}

/** The prompts sent; one without its message is left out with a note, two with one are refused. */
function importedHistory(data: ExportData, notes: string[]): ImportRows['history'] {
  const weekOfMessage = new Map<string, string>();
  for (const l of data.nudgeLedger) {
    if (l.message !== null) weekOfMessage.set(`${l.message.channelId}/${l.message.ts}`, l.week);
  }
  const sent = new Set<string>();
  const history: ImportRows['history'] = [];
  data.nudgeHistory.forEach((h, i) => {
    if (h.message === null) {
      notes.push(
        `nudgeHistory[${i}] has no message and was left out (the database keeps only delivered prompts).`,
      );
      return;
    }
    const key = `${h.message.channelId}/${h.message.ts}`;
    if (sent.has(key)) {
      throw invalidExport(
        `nudgeHistory[${i}].message: another prompt has the same message`,
        `nudgeHistory[${i}].message`,
      );
    }
    sent.add(key);
    history.push({
      promptId: h.promptId,
      sentAt: h.sentAt,
      trigger: h.trigger,
      weekKey: h.trigger === 'weekly' ? (weekOfMessage.get(key) ?? null) : null,
      channelId: h.message.channelId,
      messageTs: h.message.ts,
    });
  });
  return history;
}

/** `ladder import`: the whole account in one transaction, into an account with no data yet. */
export async function importAccount(
  deps: Pick<ExportDeps, 'repos' | 'now'>,
  owner: Owner,
  data: ExportData,
): Promise<ImportCounts & { notes: string[] }> {
  const plan = planImport(data, owner);
  return { ...(await deps.repos.userData.importAll(owner, plan.rows, deps.now())), notes: plan.notes };
}
