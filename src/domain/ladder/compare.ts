/**
 * Relations between levels: the next one up, the position a role maps to, and what changes
 * between two levels.
 */
import type {
  Aspect,
  Axis,
  Ladder,
  Level,
  Position,
  Role,
  RoleFamily,
  Shift,
  Step,
  Transition,
} from './model.ts';

export interface ComparablePosition {
  position: Position;
  /** Why the role maps to this position, from the data; shown to the user. */
  reason: string;
}

/** The position a role stands for wherever a position is needed (senior → TPM4, lead → TPM5). */
export function comparablePosition(ladder: Ladder, role: Role): ComparablePosition {
  const level = ladder.levelsById.get(role.comparable.positionId);
  // buildLadder guarantees the reference; a hand-made Ladder that breaks it is a programming error.
  if (level?.kind !== 'position') throw new Error(`role ${role.id}: comparable position missing`);
  return { position: level, reason: role.comparable.reason };
}

/** A level as a position: a role becomes its comparable position, with the reason. */
export function toPosition(
  ladder: Ladder,
  level: Level,
): { position: Position; substitutedFrom: Role | null; reason: string | null } {
  if (level.kind === 'position') return { position: level, substitutedFrom: null, reason: null };
  const { position, reason } = comparablePosition(ladder, level);
  return { position, substitutedFrom: level, reason };
}

/** The roles comparable to a position (TPM3 and TPM4 → Senior TPM). */
export function rolesComparableTo(ladder: Ladder, positionId: string): Role[] {
  return ladder.levels.filter(
    (level): level is Role => level.kind === 'role' && level.comparable.positionIds.includes(positionId),
  );
}

function trackPositions(ladder: Ladder, position: Position): readonly Position[] {
  return ladder.tracks.find((track) => track.id === position.trackId)?.positions ?? [];
}

/** The next position up in the same track, or null at the top (or for an unknown id). */
export function nextLevel(ladder: Ladder, positionId: string): Position | null {
  const position = ladder.levelsById.get(positionId);
  if (position?.kind !== 'position') return null;
  return trackPositions(ladder, position)[position.rank + 1] ?? null;
}

/** The position below in the same track, or null at the bottom. */
export function previousLevel(ladder: Ladder, positionId: string): Position | null {
  const position = ladder.levelsById.get(positionId);
  if (position?.kind !== 'position') return null;
  return position.rank === 0 ? null : (trackPositions(ladder, position)[position.rank - 1] ?? null);
}

export function roleFamilyOf(ladder: Ladder, role: Role): RoleFamily | undefined {
  return ladder.roleFamilies.find((family) => family.id === role.familyId);
}

/** The levels just below and above: positions in the same track, roles in the same family. */
export function neighbourLevels(ladder: Ladder, level: Level): { down: Level | null; up: Level | null } {
  if (level.kind === 'position') {
    return { down: previousLevel(ladder, level.id), up: nextLevel(ladder, level.id) };
  }
  const roles = roleFamilyOf(ladder, level)?.roles ?? [];
  return { down: roles[level.rank - 1] ?? null, up: roles[level.rank + 1] ?? null };
}

/** Transitions a role takes part in: moving up from it, or arriving at it. */
export function transitionsOf(ladder: Ladder, role: Role): { from: Transition[]; to: Transition[] } {
  const transitions = roleFamilyOf(ladder, role)?.transitions ?? [];
  return {
    from: transitions.filter((t) => t.fromRoleId === role.id),
    to: transitions.filter((t) => t.toRoleId === role.id),
  };
}

export function shiftsOf(ladder: Ladder, transition: Transition): Shift[] {
  return transition.shiftIds
    .map((id) => ladder.shifts.find((shift) => shift.id === id))
    .filter((shift): shift is Shift => shift !== undefined);
}

export type StepChange = 'up' | 'down' | 'same';

export interface AxisChange {
  axis: Axis;
  from: Step;
  to: Step;
  change: StepChange;
}

export interface Substitution {
  side: 'a' | 'b';
  role: Role;
  position: Position;
  reason: string;
}

export interface PositionComparison {
  kind: 'positions';
  from: Position;
  to: Position;
  /** Same track: by rank; different tracks: 'across'. */
  direction: 'up' | 'down' | 'same' | 'across';
  axes: AxisChange[];
  /** Roles replaced by their comparable position; the reply must say so. */
  substitutions: Substitution[];
}

export interface AspectChange {
  aspect: Aspect;
  from: string;
  to: string;
}

export interface RoleComparison {
  kind: 'roles';
  from: Role;
  to: Role;
  family: RoleFamily;
  aspects: AspectChange[];
  /** The transition between the two roles in either direction, if the data has one. */
  transition: Transition | null;
  /** True when the transition runs from `to` to `from` (a comparison looking down). */
  reversed: boolean;
  shifts: Shift[];
}

export type LevelComparison = PositionComparison | RoleComparison;

function comparePositions(
  ladder: Ladder,
  from: Position,
  to: Position,
  substitutions: Substitution[],
): PositionComparison {
  const direction =
    from.trackId !== to.trackId
      ? 'across'
      : from.rank === to.rank
        ? 'same'
        : from.rank < to.rank
          ? 'up'
          : 'down';
  const axes = ladder.axes.map((axis): AxisChange => {
    const a = from.steps[axis.id];
    const b = to.steps[axis.id];
    const change: StepChange = a.number === b.number ? 'same' : a.number < b.number ? 'up' : 'down';
    return { axis, from: a, to: b, change };
  });
  return { kind: 'positions', from, to, direction, axes, substitutions };
}

/**
 * What changes from `a` to `b`. Two positions: axis by axis. Two roles of one family: the aspects
 * side by side and the mindset shifts between them. A role and a position (or roles of different
 * families): each role is replaced by its comparable position and `substitutions` says so.
 */
export function compareLevels(ladder: Ladder, a: Level, b: Level): LevelComparison {
  if (a.kind === 'role' && b.kind === 'role' && a.familyId === b.familyId) {
    const family = roleFamilyOf(ladder, a);
    if (family) {
      const forward = family.transitions.find((t) => t.fromRoleId === a.id && t.toRoleId === b.id);
      const backward = family.transitions.find((t) => t.fromRoleId === b.id && t.toRoleId === a.id);
      const transition = forward ?? backward ?? null;
      return {
        kind: 'roles',
        from: a,
        to: b,
        family,
        aspects: family.aspects.map((aspect) => ({
          aspect,
          from: a.aspects[aspect.id] ?? '',
          to: b.aspects[aspect.id] ?? '',
        })),
        transition,
        reversed: !forward && backward !== undefined,
        shifts: transition ? shiftsOf(ladder, transition) : [],
      };
    }
  }
  const substitutions: Substitution[] = [];
  const side = (level: Level, name: 'a' | 'b'): Position => {
    const { position, substitutedFrom, reason } = toPosition(ladder, level);
    if (substitutedFrom)
      substitutions.push({ side: name, role: substitutedFrom, position, reason: reason ?? '' });
    return position;
  };
  const from = side(a, 'a');
  const to = side(b, 'b');
  return comparePositions(ladder, from, to, substitutions);
}
