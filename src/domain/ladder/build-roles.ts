/**
 * The roles files' part of `buildLadder`: the mindset shifts they define, and each role family
 * with its roles and transitions, checked against the positions and shifts of the other files.
 * Pure.
 */
import { type ClaimLevelId, type Parsed, type Problems, quoteList } from './build-problems.ts';
import type { Role, RoleFamily, Shift } from './model.ts';
import { normaliseLevelQuery } from './normalise.ts';
import type { RolesFile } from './schema.ts';

type RoleInput = RolesFile['roles'][number];

/** The shifts of every roles file, in file order; a shift id may be defined in one place only. */
export function collectShifts(rolesFiles: readonly Parsed<RolesFile>[], problems: Problems): Shift[] {
  const shifts: Shift[] = [];
  const shiftFiles = new Map<string, string>();
  for (const parsed of rolesFiles) {
    parsed.data.shifts.forEach((shift, i) => {
      const owner = shiftFiles.get(shift.id);
      if (owner !== undefined) {
        problems.add(parsed.file, ['shifts', i, 'id'], `shift "${shift.id}" is already defined in ${owner}`);
        return;
      }
      shiftFiles.set(shift.id, parsed.file);
      shifts.push(shift);
    });
  }
  return shifts;
}

/** One family per roles file; family ids and role ids (shared with positions) must be unique. */
export function buildRoleFamilies(
  rolesFiles: readonly Parsed<RolesFile>[],
  refs: { positionIds: ReadonlySet<string>; shiftIds: ReadonlySet<string>; claimLevelId: ClaimLevelId },
  problems: Problems,
): RoleFamily[] {
  const familyIds = new Map<string, string>();
  const families: RoleFamily[] = [];
  for (const parsed of rolesFiles) {
    const owner = familyIds.get(parsed.data.id);
    if (owner !== undefined)
      problems.add(parsed.file, ['id'], `roles id "${parsed.data.id}" is already used in ${owner}`);
    familyIds.set(parsed.data.id, parsed.file);
    parsed.data.roles.forEach((role, i) => {
      refs.claimLevelId(role.id, parsed.file, ['roles', i, 'id']);
    });
    families.push(buildRoleFamily(parsed, refs.positionIds, refs.shiftIds, problems));
  }
  return families;
}

function buildRoleFamily(
  parsed: Parsed<RolesFile>,
  positionIds: ReadonlySet<string>,
  shiftIds: ReadonlySet<string>,
  problems: Problems,
): RoleFamily {
  const { file, data } = parsed;
  const aspectIds = checkAspectIds(parsed, problems);
  const roles: Role[] = data.roles.map((input, i) => {
    const at = (...segments: (string | number)[]) => ['roles', i, ...segments];
    checkRoleAspects(input, data.aspects, aspectIds, (segments, message) =>
      problems.add(file, at(...segments), message),
    );
    checkRoleReferences(input, positionIds, (segments, message) =>
      problems.add(file, at(...segments), message),
    );
    return toRole(input, data.id, i);
  });
  checkTransitions(parsed, shiftIds, problems);
  return {
    id: data.id,
    name: data.name,
    file,
    sources: data.sources,
    aspects: data.aspects,
    roles,
    transitions: data.transitions.map((t) => ({
      fromRoleId: t.from,
      toRoleId: t.to,
      shiftIds: t.shifts,
      note: t.note ?? null,
      promotion: t.promotion ?? null,
      preparation: t.preparation,
    })),
  };
}

/** A problem inside one role, at a path below `roles[i]`. */
type RoleProblem = (segments: (string | number)[], message: string) => void;

function checkAspectIds(parsed: Parsed<RolesFile>, problems: Problems): Set<string> {
  const aspectIds = new Set<string>();
  parsed.data.aspects.forEach((aspect, i) => {
    if (aspectIds.has(aspect.id))
      problems.add(parsed.file, ['aspects', i, 'id'], `aspect "${aspect.id}" is defined twice`);
    aspectIds.add(aspect.id);
  });
  return aspectIds;
}

/** Every aspect of the family has a text for the role, and the role names no other. */
function checkRoleAspects(
  input: RoleInput,
  aspects: RolesFile['aspects'],
  aspectIds: ReadonlySet<string>,
  problem: RoleProblem,
): void {
  for (const aspect of aspects) {
    if (!(aspect.id in input.aspects)) problem(['aspects'], `no text for aspect "${aspect.id}"`);
  }
  for (const key of Object.keys(input.aspects)) {
    if (!aspectIds.has(key)) {
      problem(
        ['aspects', key],
        `unknown aspect ${JSON.stringify(key)} (expected one of ${quoteList([...aspectIds])})`,
      );
    }
  }
}

/** The role's clashes and comparable positions name positions that exist, and its own names. */
function checkRoleReferences(input: RoleInput, positionIds: ReadonlySet<string>, problem: RoleProblem): void {
  input.clashes.forEach((clash, j) => {
    if (!positionIds.has(clash.level)) problem(['clashes', j, 'level'], `unknown position "${clash.level}"`);
    const names = [input.id, input.name, ...input.aliases].map(normaliseLevelQuery);
    if (!names.includes(normaliseLevelQuery(clash.alias)))
      problem(['clashes', j, 'alias'], `"${clash.alias}" is not a name of this role`);
  });
  const { comparable } = input;
  if (!positionIds.has(comparable.position)) {
    problem(['comparable', 'position'], `unknown position "${comparable.position}"`);
  }
  comparable.positions.forEach((id, j) => {
    if (!positionIds.has(id)) problem(['comparable', 'positions', j], `unknown position "${id}"`);
  });
  if (!comparable.positions.includes(comparable.position)) {
    problem(['comparable', 'positions'], `must include the comparable position "${comparable.position}"`);
  }
}

function toRole(input: RoleInput, familyId: string, rank: number): Role {
  const { comparable } = input;
  return {
    kind: 'role',
    id: input.id,
    name: input.name,
    familyId,
    rank,
    aliases: [input.id, input.name, ...input.aliases],
    core: input.core,
    question: input.question,
    contribution: input.contribution ?? null,
    proves: input.proves ?? null,
    clashes: input.clashes.map((c) => ({ alias: c.alias, levelId: c.level, note: c.note })),
    aspects: input.aspects,
    comparable: {
      positionId: comparable.position,
      positionIds: comparable.positions,
      reason: comparable.reason,
    },
  };
}

/** Each transition joins two roles of the family through shifts that are defined. */
function checkTransitions(
  parsed: Parsed<RolesFile>,
  shiftIds: ReadonlySet<string>,
  problems: Problems,
): void {
  const { file, data } = parsed;
  const roleIds = new Set(data.roles.map((role) => role.id));
  data.transitions.forEach((transition, i) => {
    for (const end of ['from', 'to'] as const) {
      if (!roleIds.has(transition[end])) {
        problems.add(
          file,
          ['transitions', i, end],
          `unknown role "${transition[end]}" (expected one of ${quoteList([...roleIds])})`,
        );
      }
    }
    transition.shifts.forEach((shift, j) => {
      if (!shiftIds.has(shift))
        problems.add(file, ['transitions', i, 'shifts', j], `shift "${shift}" is not defined`);
    });
  });
}
