/** The evidence repository's types and how its rows map to them (evidence-repository.ts queries). */
import type { Selectable } from 'kysely';
import { slackTextToReadable } from '../domain/slack-text.ts';
import type {
  AxisId,
  EvidenceEntry,
  EvidenceSource,
  LocalDate,
  Owner,
  ScopeId,
  ShiftId,
} from '../domain/types.ts';
import { evidenceColumns as C } from './columns.ts';
import type { EvidenceTable } from './schema.ts';

export interface NewEvidence {
  /** What every surface shows: the readable text (see domain/slack-text.ts). */
  text: string;
  /**
   * The Slack text the entry came from, kept as it was (default: `text`). Null `readable` below
   * means the readable text still has to be made from it.
   */
  originalText?: string;
  /** False when names could not be looked up yet: the conversion job finishes the readable text. */
  readable?: boolean;
  occurredOn: LocalDate;
  axes: AxisId[];
  suggestedAxes?: AxisId[];
  shift: ShiftId | null;
  scope: ScopeId | null;
  link: string | null;
  source: EvidenceSource;
  promptId?: string | null;
  nudgeWeek?: string | null;
  channelId?: string | null;
  messageTs?: string | null;
}

export type EvidencePatch = Partial<
  Pick<
    NewEvidence,
    'text' | 'originalText' | 'occurredOn' | 'axes' | 'suggestedAxes' | 'shift' | 'scope' | 'link'
  >
>;

/** An entry the conversion job still has to make readable (any owner). */
export interface UnconvertedEvidence {
  owner: Owner;
  id: number;
  originalText: string;
  source: EvidenceSource;
}

export interface InsertResult {
  entry: EvidenceEntry;
  /** True when this delivery was seen before: the earlier entry is returned, nothing is written. */
  duplicate: boolean;
}

/** An entry as `ladder import` writes it; the database assigns the new id. */
export interface ImportedEvidence {
  /** As in the file: the readable text (version 3) or the Slack text (version 1). */
  text: string;
  /** Kept as the entry's original (the `text` column). */
  originalText: string;
  /** Null: made by the running app's conversion job (it names people through Slack). */
  readableText: string | null;
  occurredOn: LocalDate;
  axes: AxisId[];
  suggestedAxes: AxisId[];
  shift: ShiftId | null;
  scope: ScopeId | null;
  link: string | null;
  source: EvidenceSource;
  promptId: string | null;
  nudgeWeek: string | null;
  channelId: string | null;
  messageTs: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StoredEvidence extends EvidenceEntry {
  /** The Slack text the entry came from, never rewritten by the conversion. */
  originalText: string;
  /** False until the readable text is stored (until then `text` names unlabelled people `@someone`). */
  converted: boolean;
  nudgeWeek: string | null;
  channelId: string | null;
  messageTs: string | null;
}

export type Row = Selectable<EvidenceTable>;

export function toEntry(r: Row): StoredEvidence {
  return {
    id: r.id,
    teamId: r.team_id,
    userId: r.user_id,
    // Not converted yet: shown readable anyway, people it cannot name as @someone, never a raw mention.
    text: r.readable_text ?? slackTextToReadable(r.text, { decodeEntities: r.source === 'reflection' }).text,
    originalText: r.text,
    converted: r.readable_text !== null,
    occurredOn: r.occurred_on,
    axes: C.axes.read(r.axes) as AxisId[],
    suggestedAxes: C.suggested_axes.read(r.suggested_axes) as AxisId[],
    shift: r.shift as ShiftId | null,
    scope: r.scope as ScopeId | null,
    link: r.link,
    source: r.source as EvidenceSource,
    promptId: r.prompt_id,
    nudgeWeek: r.nudge_week,
    channelId: r.channel_id,
    messageTs: r.message_ts,
    createdAt: C.created_at.read(r.created_at),
    updatedAt: C.updated_at.read(r.updated_at),
  };
}

export const COLUMNS = [
  'id',
  'team_id',
  'user_id',
  'text',
  'readable_text',
  'occurred_on',
  'axes',
  'suggested_axes',
  'shift',
  'scope',
  'link',
  'source',
  'prompt_id',
  'nudge_week',
  'channel_id',
  'message_ts',
  'created_at',
  'updated_at',
] as const;

/** The row an entry is stored as (everything but the id). */
export type Insertable = Omit<Row, 'id'>;
export const STORED = COLUMNS.filter((c): c is Exclude<(typeof COLUMNS)[number], 'id'> => c !== 'id');

export function toInsertable(owner: Owner, e: ImportedEvidence): Insertable {
  return {
    team_id: owner.teamId,
    user_id: owner.userId,
    text: e.originalText,
    readable_text: e.readableText,
    occurred_on: e.occurredOn,
    axes: C.axes.write(e.axes),
    suggested_axes: C.suggested_axes.write(e.suggestedAxes),
    shift: e.shift,
    scope: e.scope,
    link: e.link,
    source: e.source,
    prompt_id: e.promptId,
    nudge_week: e.nudgeWeek,
    channel_id: e.channelId,
    message_ts: e.messageTs,
    created_at: C.created_at.write(e.createdAt),
    updated_at: C.updated_at.write(e.updatedAt),
  };
}

/** A new entry's stored row (built directly: this is the hot path of `/ladder log`). */
export function newRow(owner: Owner, e: NewEvidence, now: string): Insertable {
  return {
    team_id: owner.teamId,
    user_id: owner.userId,
    text: e.originalText ?? e.text,
    readable_text: e.readable === false ? null : e.text,
    occurred_on: e.occurredOn,
    axes: C.axes.write(e.axes),
    suggested_axes: C.suggested_axes.write(e.suggestedAxes ?? []),
    shift: e.shift,
    scope: e.scope,
    link: e.link,
    source: e.source,
    prompt_id: e.promptId ?? null,
    nudge_week: e.nudgeWeek ?? null,
    channel_id: e.channelId ?? null,
    message_ts: e.messageTs ?? null,
    created_at: C.created_at.write(now),
    updated_at: C.updated_at.write(now),
  };
}

export type OwnerKey = Owner & { id: number };
