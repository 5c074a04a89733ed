/**
 * `/ladder me level tpm4 target lead`: from what the user typed to the positions the profile
 * stores. A role resolves to its comparable position (lead → TPM5), and the result says so, with
 * the reason from the data. Pure.
 */
import { toPosition } from './ladder/compare.ts';
import type { Ladder, Position, Role } from './ladder/model.ts';
import { resolveLevel, type UnknownLevel } from './ladder/resolve.ts';

export interface ProfileChoice {
  /** What the user typed. */
  typed: string;
  position: Position;
  /** Set when the user named a role: the position stands in for it. */
  substitutedFrom: Role | null;
  reason: string | null;
}

export type ProfileLevelsResolution =
  | { ok: true; level: ProfileChoice | null; target: ProfileChoice | null; warning: string | null }
  | { ok: false; unknown: Array<{ slot: 'level' | 'target'; unknown: UnknownLevel }> };

function choose(ladder: Ladder, typed: string): ProfileChoice | UnknownLevel {
  const resolved = resolveLevel(ladder, typed);
  if (resolved.kind === 'unknown') return resolved;
  const { position, substitutedFrom, reason } = toPosition(ladder, resolved);
  return { typed: typed.trim(), position, substitutedFrom, reason };
}

/**
 * Resolves the level and target the user typed (either may be absent). Nothing is set unless both
 * are known; a target that is not above the level is allowed, with a warning to show.
 */
export function resolveProfileLevels(
  ladder: Ladder,
  typed: { level: string | null; target: string | null },
  current: { level: string | null; target: string | null } = { level: null, target: null },
): ProfileLevelsResolution {
  const level = typed.level === null ? null : choose(ladder, typed.level);
  const target = typed.target === null ? null : choose(ladder, typed.target);
  const unknown: Array<{ slot: 'level' | 'target'; unknown: UnknownLevel }> = [];
  if (level && 'kind' in level) unknown.push({ slot: 'level', unknown: level });
  if (target && 'kind' in target) unknown.push({ slot: 'target', unknown: target });
  if (unknown.length > 0) return { ok: false, unknown };
  const levelChoice = level as ProfileChoice | null;
  const targetChoice = target as ProfileChoice | null;

  // Compare with what the profile will hold afterwards, so `me target tpm3` alone is checked too.
  const levelAfter =
    levelChoice?.position ?? (current.level ? ladder.levelsById.get(current.level) : undefined);
  const targetAfter =
    targetChoice?.position ?? (current.target ? ladder.levelsById.get(current.target) : undefined);
  let warning: string | null = null;
  if (
    (levelChoice || targetChoice) &&
    levelAfter?.kind === 'position' &&
    targetAfter?.kind === 'position' &&
    levelAfter.trackId === targetAfter.trackId &&
    targetAfter.rank <= levelAfter.rank
  ) {
    warning =
      targetAfter.id === levelAfter.id
        ? `Your target is your current level (${levelAfter.code}): set a higher one to see what to grow.`
        : `Your target ${targetAfter.code} is below your level ${levelAfter.code}: summaries will show no growth axes.`;
  }
  return { ok: true, level: levelChoice, target: targetChoice, warning };
}
