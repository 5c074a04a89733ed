import type { AppContext } from '../context.ts';
import type { NewEvidence } from '../db/evidence-repository.ts';
import { checkEvidenceText, localDate } from '../domain/evidence.ts';
import { parseEvidenceText } from '../domain/tags.ts';
import {
  AXIS_IDS,
  type AxisId,
  type EvidenceEntry,
  type EvidenceSource,
  type Owner,
  SCOPE_IDS,
  type ScopeId,
  SHIFT_IDS,
  type ShiftId,
} from '../domain/types.ts';

export type SaveResult =
  | { ok: true; entry: EvidenceEntry; duplicate: boolean; unknownTags: string[] }
  | { ok: false; reason: 'empty' }
  | { ok: false; reason: 'too-long'; length: number; limit: number };

export interface EvidenceInput {
  /** As typed: hashtags are read from it (explicit selects are merged in). */
  text: string;
  source: EvidenceSource;
  tz: string | null;
  occurredOn?: string;
  axes?: readonly AxisId[];
  shift?: ShiftId | null;
  scope?: ScopeId | null;
  link?: string | null;
  promptId?: string | null;
  nudgeWeek?: string | null;
  channelId?: string | null;
  messageTs?: string | null;
}

/** Keeps only known ids, in the framework's order, without duplicates (values from Slack are untrusted). */
export function cleanAxes(values: readonly unknown[]): AxisId[] {
  return AXIS_IDS.filter((id) => values.includes(id));
}
export function cleanShift(v: unknown): ShiftId | null {
  return (SHIFT_IDS as readonly unknown[]).includes(v) ? (v as ShiftId) : null;
}
export function cleanScope(v: unknown): ScopeId | null {
  return (SCOPE_IDS as readonly unknown[]).includes(v) ? (v as ScopeId) : null;
}

/**
 * Tags the text (hashtags first, then explicit selects), validates it, and stores it in one
 * transaction with its delivery key. Returns after the commit: what it returns may be confirmed.
 */
export function prepareEvidence(
  ctx: AppContext,
  input: EvidenceInput,
): { ok: true; entry: NewEvidence; unknownTags: string[] } | Extract<SaveResult, { ok: false }> {
  const parsed = parseEvidenceText(input.text, ctx.ladder.tags);
  const checked = checkEvidenceText(parsed.text);
  if (!checked.ok) return checked;
  const axes = cleanAxes([...(input.axes ?? []), ...parsed.axes]);
  return {
    ok: true,
    unknownTags: parsed.unknownTags,
    entry: {
      text: checked.text,
      occurredOn: input.occurredOn ?? localDate(ctx.now(), input.tz),
      axes,
      suggestedAxes: [],
      shift: input.shift ?? parsed.shift,
      scope: input.scope ?? parsed.scope,
      link: input.link ?? null,
      source: input.source,
      promptId: input.promptId ?? null,
      nudgeWeek: input.nudgeWeek ?? null,
      channelId: input.channelId ?? null,
      messageTs: input.messageTs ?? null,
    },
  };
}

export function saveEvidence(
  ctx: AppContext,
  owner: Owner,
  input: EvidenceInput,
  deliveryKey?: string,
): SaveResult {
  const prepared = prepareEvidence(ctx, input);
  if (!prepared.ok) return prepared;
  const { entry, duplicate } = ctx.repos.evidence.insert(owner, prepared.entry, ctx.now(), deliveryKey);
  return { ok: true, entry, duplicate, unknownTags: prepared.unknownTags };
}
