/**
 * `/ladder me level tpm4 target lead`: from what the user typed to the positions the profile
 * stores. A role resolves to its comparable position (lead → TPM5), and the result says so, with
 * the reason from the data. Pure.
 */
import { toPosition } from './ladder/compare.ts';
import type { Ladder, Level, Position, Role } from './ladder/model.ts';
import { normaliseLevelQuery } from './ladder/normalise.ts';
import { resolveLevel, type UnknownLevel } from './ladder/resolve.ts';

export interface ProfileChoice {
  /** What the user typed. */
  typed: string;
  position: Position;
  /** Set when the user named a role: the position stands in for it. */
  substitutedFrom: Role | null;
  reason: string | null;
  /** The word also names another level (`senior`: TPM3 is titled Senior Engineer): offer it. */
  clash: LevelClash | null;
}

/** A word that named a role but also reads as another level. */
export interface LevelClash {
  typed: string;
  /** What it was read as. */
  meant: Level;
  /** The other reading, offered in the reply. */
  other: Level;
  note: string;
}

/**
 * When what the user typed named a role through a word the data marks as clashing (`senior` is the
 * Senior TPM role, but TPM3's public title is Senior Engineer), the other reading; else null.
 */
export function clashOf(ladder: Ladder, typed: string, level: Level): LevelClash | null {
  if (level.kind !== 'role') return null;
  const key = normaliseLevelQuery(typed);
  const clash = level.clashes.find((c) => normaliseLevelQuery(c.alias) === key);
  const other = clash ? ladder.levelsById.get(clash.levelId) : undefined;
  return clash && other ? { typed: typed.trim(), meant: level, other, note: clash.note } : null;
}

/** A level as the person chose it: the position used for every calculation, and the role if they named one. */
export interface ChosenLevel {
  position: Position;
  role: Role | null;
}

/**
 * The stored profile level or target (position id + role id) as a chosen level. A role is kept
 * only while it still maps to that position (the data may have changed); null without a position.
 */
export function chosenLevel(
  ladder: Ladder,
  positionId: string | null,
  roleId?: string | null,
): ChosenLevel | null {
  if (positionId === null) return null;
  const level = ladder.levelsById.get(positionId);
  if (!level) return null;
  if (level.kind === 'role') return { position: toPosition(ladder, level).position, role: level };
  const role = roleId ? ladder.levelsById.get(roleId) : undefined;
  return {
    position: level,
    role: role?.kind === 'role' && role.comparable.positionId === level.id ? role : null,
  };
}

export type ProfileLevelsResolution =
  | { ok: true; level: ProfileChoice | null; target: ProfileChoice | null; warning: string | null }
  | { ok: false; unknown: Array<{ slot: 'level' | 'target'; unknown: UnknownLevel }> };

function choose(ladder: Ladder, typed: string): ProfileChoice | UnknownLevel {
  const resolved = resolveLevel(ladder, typed);
  if (resolved.kind === 'unknown') return resolved;
  const { position, substitutedFrom, reason } = toPosition(ladder, resolved);
  return { typed: typed.trim(), position, substitutedFrom, reason, clash: clashOf(ladder, typed, resolved) };
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
