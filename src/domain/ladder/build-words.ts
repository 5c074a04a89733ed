import { COMMAND_KEYWORDS } from '../command.ts';
import {
  checkSuggestionRules,
  compileSuggestionRules,
  DEFAULT_THIN_THRESHOLD,
  type GrowthSuggestions,
  NO_SUGGESTION_RULES,
  NO_WORD_FORMS,
  type SuggestionRules,
} from '../suggest.ts';
import { compileSuggestionModel, type SuggestionModel } from '../suggest-model.ts';
import { normaliseTag, type TagDefinition } from '../tags.ts';
import { AXIS_IDS, SCOPE_IDS, SHIFT_IDS } from '../types.ts';
import { ALL_FILES, type Parsed, type Problems } from './build-problems.ts';
import type { AliasEntry, Level, RoleFamily, Track } from './model.ts';
import { COMPARE_SEPARATORS, normaliseLevelQuery } from './normalise.ts';
import type { SuggestionModelFile, SuggestionsFile, TagsFile } from './schema.ts';

export function buildTags(tagFiles: Parsed<TagsFile>[], problems: Problems): TagDefinition[] {
  if (tagFiles.length === 0) {
    problems.add(ALL_FILES, [], 'no file has "kind: tags"; the evidence tag table is required');
    return [];
  }
  for (const extra of tagFiles.slice(1)) {
    problems.add(
      extra.file,
      ['kind'],
      `only one tags file is allowed (already defined in ${tagFiles[0]?.file})`,
    );
  }
  const { file, data } = tagFiles[0] as Parsed<TagsFile>;
  const definitions: TagDefinition[] = [
    ...AXIS_IDS.map((id) => ({ tag: id, target: { kind: 'axis', id } as const, aliases: data.axes[id] })),
    ...SHIFT_IDS.map((id) => ({ tag: id, target: { kind: 'shift', id } as const, aliases: data.shifts[id] })),
    ...SCOPE_IDS.map((id) => ({ tag: id, target: { kind: 'scope', id } as const, aliases: data.scopes[id] })),
  ];
  const owners = new Map<string, string>();
  for (const definition of definitions) owners.set(normaliseTag(definition.tag), definition.tag);
  for (const definition of definitions) {
    const group = `${definition.target.kind === 'axis' ? 'axes' : definition.target.kind === 'shift' ? 'shifts' : 'scopes'}`;
    definition.aliases.forEach((alias, i) => {
      const key = normaliseTag(alias);
      const owner = owners.get(key);
      if (owner !== undefined) {
        const what = owner === definition.tag ? 'already matches this tag' : `is already used by #${owner}`;
        problems.add(
          file,
          [group, definition.tag, i],
          `alias #${alias} ${what} (tags match ignoring case, "-" and "_")`,
        );
      } else {
        owners.set(key, definition.tag);
      }
    });
  }
  return definitions;
}

export interface BuiltSuggestions {
  rules: SuggestionRules;
  thinThreshold: number;
  growth: GrowthSuggestions;
}

/** The suggestions file is optional: without it nothing is suggested and the threshold is 3. */
export function buildSuggestions(
  files: Parsed<SuggestionsFile>[],
  models: Parsed<SuggestionModelFile>[],
  problems: Problems,
): BuiltSuggestions {
  for (const extra of models.slice(files.length === 0 ? 0 : 1)) {
    const why =
      files.length === 0
        ? 'it weighs the suggestion rules, and no file has "kind: suggestions"'
        : `only one is allowed (already defined in ${models[0]?.file})`;
    problems.add(extra.file, ['kind'], `this suggestion model cannot be used: ${why}`);
  }
  if (files.length === 0) {
    return {
      rules: NO_SUGGESTION_RULES,
      thinThreshold: DEFAULT_THIN_THRESHOLD,
      growth: { axes: {}, shifts: {} },
    };
  }
  for (const extra of files.slice(1)) {
    problems.add(
      extra.file,
      ['kind'],
      `only one suggestions file is allowed (already defined in ${files[0]?.file})`,
    );
  }
  const { file, data } = files[0] as Parsed<SuggestionsFile>;
  const rules = data.rules.map((rule) => ({
    id: rule.id,
    axes: AXIS_IDS.filter((id) => rule.axes.includes(id)),
    scope: rule.scope ?? null,
    shift: rule.shift ?? null,
    words: rule.words,
    except: rule.except,
    weight: rule.weight,
    ...(rule.chore ? { chore: true } : {}),
    ...(rule.shift_weight === undefined ? {} : { shiftWeight: rule.shift_weight }),
  }));
  const forms = data.normalise ?? NO_WORD_FORMS;
  for (const problem of checkSuggestionRules(rules, forms))
    problems.add(file, problem.segments, problem.message);
  const model = models[0] ? checkedModel(models[0], rules, problems) : null;
  return {
    rules: compileSuggestionRules(rules, forms, model),
    thinThreshold: data.thin_threshold,
    growth: { axes: data.growth.axes ?? {}, shifts: data.growth.shifts },
  };
}

const RESERVED_WORDS: ReadonlySet<string> = new Set(
  [...COMMAND_KEYWORDS, ...COMPARE_SEPARATORS].map(normaliseLevelQuery).filter((key) => key !== ''),
);

export function buildAliases(
  tracks: readonly { track: Track; file: string }[],
  families: readonly RoleFamily[],
  problems: Problems,
): AliasEntry[] {
  const index = new Map<string, { entry: AliasEntry; file: string }>();
  const add = (level: Level, file: string, alias: string, segments: (string | number)[]): void => {
    const key = normaliseLevelQuery(alias);
    if (key === '') {
      problems.add(file, segments, `alias ${JSON.stringify(alias)} has no letters or digits`);
      return;
    }
    if (RESERVED_WORDS.has(key)) {
      problems.add(file, segments, `"${alias}" is a command word of /ladder and cannot name a level`);
      return;
    }
    const existing = index.get(key);
    if (existing && existing.entry.levelId !== level.id) {
      problems.add(
        file,
        segments,
        `alias "${alias}" is already used by ${existing.entry.levelId} in ${existing.file} ` +
          '(aliases must be unique ignoring case, spaces and hyphens)',
      );
      return;
    }
    if (!existing) index.set(key, { entry: { key, alias, levelId: level.id }, file });
  };
  for (const { track, file } of tracks) {
    track.positions.forEach((position, i) => {
      const extra = position.aliases.slice(3);
      add(position, file, position.id, ['positions', i, 'id']);
      add(position, file, position.code, ['positions', i, 'code']);
      add(position, file, position.title, ['positions', i, 'title']);
      extra.forEach((alias, j) => {
        add(position, file, alias, ['positions', i, 'aliases', j]);
      });
    });
  }
  for (const family of families) {
    family.roles.forEach((role, i) => {
      add(role, family.file, role.id, ['roles', i, 'id']);
      add(role, family.file, role.name, ['roles', i, 'name']);
      role.aliases.slice(2).forEach((alias, j) => {
        add(role, family.file, alias, ['roles', i, 'aliases', j]);
      });
    });
  }
  return [...index.values()]
    .map(({ entry }) => entry)
    .sort((a, b) => b.key.length - a.key.length || a.key.localeCompare(b.key));
}

/** The model's weights, when every rule it weighs is still in the suggestions file. */
function checkedModel(
  { file, data }: Parsed<SuggestionModelFile>,
  rules: readonly { id: string }[],
  problems: Problems,
): SuggestionModel | null {
  const t = data.thresholds;
  const model = compileSuggestionModel({
    thresholds: {
      axis: t.axis,
      secondAxis: t.second_axis,
      shift: t.shift,
      withoutRules: t.without_rules,
      nothing: t.nothing,
    },
    weights: data.weights,
  });
  const ids = new Set(rules.map((rule) => rule.id));
  const gone = [...model.rules.keys()].filter((id) => !ids.has(id));
  if (gone.length === 0) return model;
  problems.add(
    file,
    ['weights'],
    `weighs rules the suggestions file no longer has (${gone.join(', ')}): run "npm run train:suggestions" after changing the rules`,
  );
  return null;
}
