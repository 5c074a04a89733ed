/**
 * The JSON export: everything the app keeps about one user, in a documented, versioned format
 * (docs/export-format.md). It is the lossless export and what `cli import` reads.
 *
 * Entries get export-local ids (1…N in date order) instead of database ids, so that an export
 * imported into an empty database and exported again is identical apart from `exportedAt`.
 */
import { z } from 'zod';
import { MAX_EVIDENCE_CHARS } from '../evidence.ts';
import {
  AXIS_IDS,
  EVIDENCE_SOURCES,
  type EvidenceEntry,
  type Profile,
  SCOPE_IDS,
  SHIFT_IDS,
  UserFacingError,
} from '../types.ts';
import { sortEntries } from './packet.ts';

export const EXPORT_FORMAT = 'ladder-export';
/**
 * Version 3 adds each entry's `originalText`; version 4 the profile's `levelRole` and `targetRole`
 * (the role a person chose); version 5 the monthly digest (`digestSettings`, `digestLedger`). Files
 * of versions 1, 3 and 4 (without them) are still read.
 */
export const EXPORT_FORMAT_VERSION = 5;
export const READABLE_EXPORT_VERSIONS = [1, 3, 4, 5] as const;
/** The longest entry text the app accepts, in code points (as on every logging path). */
export const MAX_ENTRY_TEXT_CODE_POINTS = MAX_EVIDENCE_CHARS;

const Instant = z.iso.datetime({
  offset: true,
  error: 'expected an ISO 8601 instant such as 2026-05-31T14:30:00.000Z',
});
const LocalDate = z.iso.date({ error: 'expected a calendar date as YYYY-MM-DD' });
const IsoWeek = z
  .string()
  .regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, { error: 'expected an ISO week such as 2026-W53' });
// Slack ids are upper-case letters and digits; `_` and `-` are allowed for local-mode workspaces.
const SlackId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'expected a Slack id such as U0123ABCD' });
const MessageTs = z
  .string()
  .regex(/^\d{1,12}\.\d{1,9}$/, { error: 'expected a Slack message ts such as 1767225600.000100' });
const Id = z.string().min(1).max(100);

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `expected one of ${values.join(', ')}` });
}

const SlackMessageSchema = z.strictObject({ channelId: SlackId, ts: MessageTs });

export const ExportProfileSchema = z.strictObject({
  level: Id.nullable(),
  /** Version 4: the role chosen as the level (e.g. 'senior-tpm'); `level` is then its comparable position. */
  levelRole: Id.nullable().optional(),
  target: Id.nullable(),
  /** Version 4: the role chosen as the target (e.g. 'lead-tpm'). */
  targetRole: Id.nullable().optional(),
  tz: z.string().min(1).max(100).nullable(),
  tzCheckedAt: Instant.nullable(),
  createdAt: Instant,
  updatedAt: Instant,
});

/** Mirrors the domain's `NudgeSettings` (day 0 = Sunday, as `Date#getDay`); the zone is the profile's. */
export const ExportNudgeSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  day: z.int().min(0, { error: 'expected a day 0 (Sunday) to 6 (Saturday)' }).max(6, {
    error: 'expected a day 0 (Sunday) to 6 (Saturday)',
  }),
  minuteOfDay: z.int().min(0, { error: 'expected minutes after midnight, 0 to 1439' }).max(1439, {
    error: 'expected minutes after midnight, 0 to 1439',
  }),
  pausedThrough: LocalDate.nullable(),
  skipWeek: IsoWeek.nullable(),
  createdAt: Instant,
});

export const ExportDmChannelSchema = z.strictObject({ channelId: SlackId, cachedAt: Instant });

export const ExportEntrySchema = z.strictObject({
  id: z.int().positive(),
  occurredOn: LocalDate,
  text: z
    .string()
    .min(1, { error: 'expected a non-empty text' })
    .refine((text) => codePoints(text) <= MAX_ENTRY_TEXT_CODE_POINTS, {
      error: `expected at most ${MAX_ENTRY_TEXT_CODE_POINTS} characters`,
    }),
  /** Version 3: the Slack text the entry came from (mentions as `<@U…>`); `text` is its readable form. */
  originalText: z
    .string()
    .min(1, { error: 'expected a non-empty text' })
    .max(4 * MAX_ENTRY_TEXT_CODE_POINTS, { error: 'expected a shorter original text' })
    .optional(),
  axes: z.array(oneOf(AXIS_IDS)),
  suggestedAxes: z.array(oneOf(AXIS_IDS)),
  shift: oneOf(SHIFT_IDS).nullable(),
  scope: oneOf(SCOPE_IDS).nullable(),
  link: z.url({ protocol: /^https?$/, error: 'expected an http(s) address' }).nullable(),
  source: oneOf(EVIDENCE_SOURCES),
  promptId: Id.nullable(),
  createdAt: Instant,
  updatedAt: Instant,
});

export const ExportReflectionSchema = z.strictObject({
  entryId: z.int().positive(),
  promptId: Id,
  shift: oneOf(SHIFT_IDS),
  week: IsoWeek.nullable(),
  reply: SlackMessageSchema.nullable(),
});

export const NUDGE_STATES = ['claimed', 'sending', 'sent', 'failed', 'skipped'] as const;

/**
 * One weekly nudge slot (the domain's `LedgerRow`). The claim's lease (which process holds it) is
 * not exported: it means nothing in another instance.
 */
export const ExportNudgeLedgerRowSchema = z.strictObject({
  week: IsoWeek,
  slotAt: Instant,
  state: oneOf(NUDGE_STATES),
  attempts: z.int().nonnegative(),
  nextAttemptAt: Instant.nullable(),
  promptId: Id.nullable(),
  message: SlackMessageSchema.nullable(),
});

export const ExportNudgeHistoryRowSchema = z.strictObject({
  promptId: Id,
  sentAt: Instant,
  trigger: oneOf(['weekly', 'now']),
  message: SlackMessageSchema.nullable(),
});

/** Version 5: the monthly digest's switch; its time and zone are the weekly nudge's and the profile's. */
export const ExportDigestSettingsSchema = z.strictObject({ enabled: z.boolean(), effectiveFrom: Instant });

/** Version 5: one monthly digest slot ('YYYY-MM' in the person's zone); no lease, as for nudges. */
export const ExportDigestLedgerRowSchema = z.strictObject({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'expected a month such as 2026-11' }),
  slotAt: Instant,
  state: oneOf(NUDGE_STATES),
  attempts: z.int().nonnegative(),
  nextAttemptAt: Instant.nullable(),
  message: SlackMessageSchema.nullable(),
});

export const EXPORT_FILE_KINDS = ['markdown', 'csv', 'json', 'chart'] as const;

export const ExportFileSchema = z.strictObject({
  fileId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'expected a Slack file id such as F0123ABCD' }),
  kind: oneOf(EXPORT_FILE_KINDS),
  createdAt: Instant,
});

export const ExportSchema = z
  .strictObject({
    format: z.literal(EXPORT_FORMAT),
    version: z.union(
      READABLE_EXPORT_VERSIONS.map((v) => z.literal(v)),
      {
        error: `expected version ${READABLE_EXPORT_VERSIONS.join(' or ')}`,
      },
    ),
    exportedAt: Instant,
    team_id: SlackId,
    user_id: SlackId,
    profile: ExportProfileSchema.nullable(),
    nudgeSettings: ExportNudgeSettingsSchema.nullable(),
    dmChannel: ExportDmChannelSchema.nullable(),
    entries: z.array(ExportEntrySchema),
    reflections: z.array(ExportReflectionSchema),
    nudgeLedger: z.array(ExportNudgeLedgerRowSchema),
    nudgeHistory: z.array(ExportNudgeHistoryRowSchema),
    /** Version 5; absent in older files: no digest. */
    digestSettings: ExportDigestSettingsSchema.nullable().optional(),
    digestLedger: z.array(ExportDigestLedgerRowSchema).optional(),
    exports: z.array(ExportFileSchema),
  })
  .superRefine((data, ctx) => {
    const ids = new Set<number>();
    data.entries.forEach((entry, i) => {
      if (ids.has(entry.id))
        ctx.addIssue({ code: 'custom', path: ['entries', i, 'id'], message: 'duplicate id' });
      ids.add(entry.id);
    });
    const answered = new Set<number>();
    data.reflections.forEach((r, i) => {
      if (!ids.has(r.entryId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['reflections', i, 'entryId'],
          message: 'no entry has this id',
        });
      } else if (answered.has(r.entryId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['reflections', i, 'entryId'],
          message: 'this entry already answers another reflection',
        });
      }
      answered.add(r.entryId);
    });
    const weeks = new Set<string>();
    data.nudgeLedger.forEach((row, i) => {
      if (weeks.has(row.week)) {
        ctx.addIssue({ code: 'custom', path: ['nudgeLedger', i, 'week'], message: 'duplicate week' });
      }
      weeks.add(row.week);
    });
    const months = new Set<string>();
    (data.digestLedger ?? []).forEach((row, i) => {
      if (months.has(row.month)) {
        ctx.addIssue({ code: 'custom', path: ['digestLedger', i, 'month'], message: 'duplicate month' });
      }
      months.add(row.month);
    });
  });

export type ExportData = z.infer<typeof ExportSchema>;
export type ExportProfile = z.infer<typeof ExportProfileSchema>;
export type ExportNudgeSettings = z.infer<typeof ExportNudgeSettingsSchema>;
export type ExportDmChannel = z.infer<typeof ExportDmChannelSchema>;
export type ExportEntry = z.infer<typeof ExportEntrySchema>;
export type ExportReflection = z.infer<typeof ExportReflectionSchema>;
export type ExportNudgeLedgerRow = z.infer<typeof ExportNudgeLedgerRowSchema>;
export type ExportNudgeHistoryRow = z.infer<typeof ExportNudgeHistoryRowSchema>;
export type ExportFile = z.infer<typeof ExportFileSchema>;
export type ExportDigestSettings = z.infer<typeof ExportDigestSettingsSchema>;
export type ExportDigestLedgerRow = z.infer<typeof ExportDigestLedgerRowSchema>;

/** What the repositories hold about one user, with database ids, for {@link buildExport}. */
export interface ExportSource {
  exportedAt: string;
  teamId: string;
  userId: string;
  profile:
    | (Pick<Profile, 'level' | 'target' | 'tz' | 'tzCheckedAt'> & {
        /** Absent (a file before version 4): no role chosen. */
        levelRole?: string | null;
        targetRole?: string | null;
        createdAt: string;
        updatedAt: string;
      })
    | null;
  nudgeSettings: ExportNudgeSettings | null;
  dmChannel: ExportDmChannel | null;
  entries: readonly EvidenceEntry[];
  /** `entryId` is the database id of the entry. */
  reflections: readonly ExportReflection[];
  nudgeLedger: readonly ExportNudgeLedgerRow[];
  nudgeHistory: readonly ExportNudgeHistoryRow[];
  digestSettings: ExportDigestSettings | null;
  digestLedger: readonly ExportDigestLedgerRow[];
  exports: readonly ExportFile[];
}

/**
 * Assembles the export from repository data: entries in date order numbered 1…N, reflections
 * pointing at those numbers, every list in a stable order. Throws if any entry belongs to someone
 * else (an export only ever holds the requesting user's data).
 */
export function buildExport(source: ExportSource): ExportData {
  const entries = sortEntries(source.entries);
  const localId = new Map<number, number>();
  const exported: ExportEntry[] = entries.map((entry, i) => {
    if (entry.teamId !== source.teamId || entry.userId !== source.userId) {
      throw new Error(`entry ${entry.id} does not belong to the exported user`);
    }
    localId.set(entry.id, i + 1);
    return {
      id: i + 1,
      occurredOn: entry.occurredOn,
      text: entry.text,
      originalText: entry.originalText ?? entry.text,
      axes: entry.axes,
      suggestedAxes: entry.suggestedAxes,
      shift: entry.shift,
      scope: entry.scope,
      link: entry.link,
      source: entry.source,
      promptId: entry.promptId,
      createdAt: entry.createdAt,
      updatedAt: entry.updatedAt,
    };
  });
  const reflections = source.reflections
    .flatMap((r) => {
      const id = localId.get(r.entryId);
      return id === undefined ? [] : [{ ...r, entryId: id }];
    })
    .sort((a, b) => a.entryId - b.entryId);
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_FORMAT_VERSION,
    exportedAt: source.exportedAt,
    team_id: source.teamId,
    user_id: source.userId,
    profile:
      source.profile === null
        ? null
        : {
            level: source.profile.level,
            levelRole: source.profile.levelRole ?? null,
            target: source.profile.target,
            targetRole: source.profile.targetRole ?? null,
            tz: source.profile.tz,
            tzCheckedAt: source.profile.tzCheckedAt,
            createdAt: source.profile.createdAt,
            updatedAt: source.profile.updatedAt,
          },
    nudgeSettings: source.nudgeSettings,
    dmChannel: source.dmChannel,
    entries: exported,
    reflections,
    nudgeLedger: [...source.nudgeLedger].sort((a, b) => compareStrings(a.week, b.week)),
    nudgeHistory: [...source.nudgeHistory].sort(
      (a, b) => compareStrings(a.sentAt, b.sentAt) || compareStrings(a.promptId, b.promptId),
    ),
    digestSettings: source.digestSettings,
    digestLedger: [...source.digestLedger].sort((a, b) => compareStrings(a.month, b.month)),
    exports: [...source.exports].sort(
      (a, b) => compareStrings(a.createdAt, b.createdAt) || compareStrings(a.fileId, b.fileId),
    ),
  };
}

/**
 * Renders the export: keys in the schema's order whatever the input's order, 2-space indent,
 * trailing newline. Throws if the data does not match the schema (a bug in the caller: the app's
 * own data always does).
 */
export function renderJson(data: ExportData): string {
  const result = ExportSchema.safeParse(data);
  if (!result.success) {
    throw new Error(`export data does not match the format: ${describeIssues(result.error.issues)}`);
  }
  return `${JSON.stringify(result.data, null, 2)}\n`;
}

/** A file that is not a valid export; the message names where and is safe to show. */
export class ExportFormatError extends UserFacingError {
  constructor(
    message: string,
    /** Where the first problem is, e.g. `entries[3].occurredOn`; empty for the whole file. */
    readonly path: string,
  ) {
    super(message);
    this.name = 'ExportFormatError';
  }
}

/** The error for an export whose content breaks a rule: `details` names where and what. */
export function invalidExport(details: string, path: string): ExportFormatError {
  return new ExportFormatError(`This export is not valid: ${details}.`, path);
}

/** Reads an export file's text: the validated data, or an {@link ExportFormatError}. */
export function parseExport(text: string): ExportData {
  let raw: unknown;
  try {
    raw = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ExportFormatError(`This file is not valid JSON (${detail}).`, '');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ExportFormatError('This file is not a Ladder export: expected a JSON object.', '');
  }
  const header = raw as { format?: unknown; version?: unknown };
  if (header.format !== EXPORT_FORMAT) {
    throw new ExportFormatError(
      `This file is not a Ladder export: "format" should be "${EXPORT_FORMAT}".`,
      'format',
    );
  }
  if (typeof header.version === 'number' && header.version > EXPORT_FORMAT_VERSION) {
    throw new ExportFormatError(
      `This export is format version ${header.version}, made by a newer Ladder; this one reads version ${EXPORT_FORMAT_VERSION}.`,
      'version',
    );
  }
  const result = ExportSchema.safeParse(raw);
  if (!result.success) {
    const [first] = result.error.issues;
    throw invalidExport(
      describeIssues(result.error.issues),
      first === undefined ? '' : formatPath(first.path),
    );
  }
  return result.data;
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 3).map((issue) => {
    const path = formatPath(issue.path);
    return `${path === '' ? 'the file' : path}: ${issue.message}`;
  });
  const more = issues.length - shown.length;
  return more > 0 ? `${shown.join('; ')} (and ${more} more)` : shown.join('; ');
}

/** `['entries', 3, 'occurredOn']` → `entries[3].occurredOn`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
