/**
 * Merge rules for moving one person's rows from a workspace tenant to the enterprise tenant of
 * its org (an org-wide install). Pure: the repositories read both sides, call these, and write
 * the result in one transaction. Every rule is idempotent: merging a result with itself, or
 * merging again after the source side is empty, changes nothing.
 */

/** A settings row (profile, nudge settings, digest settings) with its last change. */
export interface Stamped {
  readonly updated_at: string;
}

function instantOf(row: Stamped): number {
  const t = Date.parse(row.updated_at);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/**
 * Settings: the most recently updated row wins field by field. A field the newer row leaves
 * empty (null or absent) keeps the older row's value, so nothing set on either side is lost.
 * A tie keeps the target's (enterprise) row, so a second move is a no-op.
 */
export function mergeSettings<T extends Stamped>(
  target: T | undefined,
  source: T | undefined,
): T | undefined {
  if (!target) return source;
  if (!source) return target;
  const [newer, older] = instantOf(source) > instantOf(target) ? [source, target] : [target, source];
  const out: Record<string, unknown> = { ...(older as object) };
  for (const [field, value] of Object.entries(newer)) {
    if (value !== null && value !== undefined) out[field] = value;
  }
  return out as T;
}

/** A nudge ledger row: one per (kind, week) slot. */
export interface LedgerSlot extends Stamped {
  readonly kind: string;
  readonly week_key: string;
  readonly state: string;
}

const STATE_RANK: Record<string, number> = { sent: 4, sending: 3, claimed: 2, failed: 1, skipped: 0 };

function rankOf(row: LedgerSlot): number {
  return STATE_RANK[row.state] ?? -1;
}

/** Which of two rows for the same slot to keep: a sent row first, then the further state, then the newer. */
function keepOf<T extends LedgerSlot>(target: T, source: T): T {
  const byState = rankOf(source) - rankOf(target);
  if (byState !== 0) return byState > 0 ? source : target;
  if (target.state === 'sent') return target;
  return instantOf(source) > instantOf(target) ? source : target;
}

export interface LedgerMerge<T> {
  /** Rows for the enterprise tenant after the move. */
  readonly keep: readonly T[];
  /** Source rows dropped because the slot already had a row that wins. */
  readonly dropped: readonly T[];
}

/**
 * Ledger: per slot (kind, week) keep one row, the one that was sent if either was. Never two
 * sends for one slot: when both sides sent, the target's row stays (it is the earlier record of
 * the enterprise side) and the source's is dropped; the person was nudged once per side at most.
 */
export function mergeLedger<T extends LedgerSlot>(
  target: readonly T[],
  source: readonly T[],
): LedgerMerge<T> {
  const slots = new Map<string, T>();
  for (const row of target) slots.set(slotKey(row), row);
  const dropped: T[] = [];
  for (const row of source) {
    const key = slotKey(row);
    const there = slots.get(key);
    if (!there) {
      slots.set(key, row);
      continue;
    }
    const kept = keepOf(there, row);
    slots.set(key, kept);
    dropped.push(kept === row ? there : row);
  }
  return { keep: [...slots.values()], dropped };
}

function slotKey(row: LedgerSlot): string {
  return `${row.kind}\u0000${row.week_key}`;
}

/** De-duplication keys (delivery keys, response urls, pending views): the union, each key once. */
export function unionByKey<T>(target: readonly T[], source: readonly T[], keyOf: (row: T) => string): T[] {
  const out = new Map<string, T>();
  for (const row of target) out.set(keyOf(row), row);
  for (const row of source) if (!out.has(keyOf(row))) out.set(keyOf(row), row);
  return [...out.values()];
}

/** Evidence and history move as they are: every row of both sides, in order. */
export function appendAll<T>(target: readonly T[], source: readonly T[]): T[] {
  return [...target, ...source];
}

/**
 * Which of an org's tenants sends a person's weekly nudge when it is due under more than one
 * (their workspace rows have not moved to the org yet): the enterprise's first, where their rows
 * end up, then the workspaces by id. True when `tenant` gives way to `other`. A fixed order, so two
 * claims running at once agree on which of them sends without seeing each other's state.
 */
export function yieldsTo(tenant: string, other: string, enterpriseId: string | null): boolean {
  if (tenant === other) return false;
  if (other === enterpriseId) return true;
  if (tenant === enterpriseId) return false;
  return other < tenant;
}
