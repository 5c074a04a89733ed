/**
 * Validation of the ladder files and of the references between them. Each case takes the real
 * data, breaks one thing, and checks the problem names the file, the path and what is wrong.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildLadder, type LadderFileInput, validateLadderFiles } from '../../../src/domain/ladder/build.ts';
import { formatProblem } from '../../../src/domain/ladder/model.ts';
import { LADDER_DIR } from '../../helpers/ladder.ts';

// biome-ignore lint/suspicious/noExplicitAny: each test breaks one value deep inside the parsed YAML
type Yaml = any;

interface Files {
  axes: Yaml;
  tpm: Yaml;
  roles: Yaml;
  tags: Yaml;
}

function realFiles(): Files {
  const read = (name: string): Yaml => parse(readFileSync(path.join(LADDER_DIR, `${name}.yaml`), 'utf8'));
  return { axes: read('axes'), tpm: read('tpm'), roles: read('roles'), tags: read('tags') };
}

/** Keys are file names; `tpm` stands for `tpm.yaml`. */
function inputs(files: object): LadderFileInput[] {
  return Object.entries(files).map(([name, data]) => ({
    file: name.includes('.') ? name : `${name}.yaml`,
    data,
  }));
}

/** The formatted problems after `change` edits a copy of the real files. */
function problemsAfter(change: (files: Files) => void): string[] {
  const files = realFiles();
  change(files);
  return validateLadderFiles(inputs(files)).map(formatProblem);
}

describe('buildLadder', () => {
  it('accepts the shipped data', () => {
    const result = buildLadder(inputs(realFiles()));
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('names an unknown step, the file and the path, with the steps it expected', () => {
    expect(
      problemsAfter((f) => {
        f.tpm.positions[2].steps.system = 'Ownz';
      }),
    ).toEqual([
      'tpm.yaml: positions[2].steps.system: unknown step "Ownz" (expected one of Enhances, Designs, Owns, Evolves, Leads)',
    ]);
  });

  it('hints at a step written in the wrong case', () => {
    expect(
      problemsAfter((f) => {
        f.tpm.positions[0].steps.people = 'coordinates';
      }),
    ).toEqual([
      'tpm.yaml: positions[0].steps.people: unknown step "coordinates" (expected one of Learns, Supports, Mentors, Coordinates, Manages); did you mean "Coordinates"?',
    ]);
  });

  it('accepts step numbers and rejects numbers that do not exist', () => {
    expect(
      problemsAfter((f) => {
        f.tpm.positions[0].steps.system = 2;
      }),
    ).toEqual([]);
    expect(
      problemsAfter((f) => {
        f.tpm.positions[0].steps.system = 7;
      }),
    ).toEqual(['tpm.yaml: positions[0].steps.system: step 7 does not exist (System has steps 1–5)']);
  });

  it('requires exactly one step per axis', () => {
    expect(
      problemsAfter((f) => {
        delete f.tpm.positions[1].steps.people;
        f.tpm.positions[1].steps.charisma = 'High';
      }),
    ).toEqual([
      'tpm.yaml: positions[1].steps.charisma: unknown axis "charisma" (expected one of technology, system, people, process, influence)',
      'tpm.yaml: positions[1].steps: no step for axis "people" (each position needs exactly one per axis)',
    ]);
  });

  it('rejects aliases that collide after normalisation', () => {
    expect(
      problemsAfter((f) => {
        f.tpm.positions[0].aliases = ['Lead'];
        f.roles.roles[0].aliases.push('TPM-4');
      }),
    ).toEqual([
      'roles.yaml: roles[0].aliases[3]: alias "TPM-4" is already used by tpm4 in tpm.yaml (aliases must be unique ignoring case, spaces and hyphens)',
      'roles.yaml: roles[1].aliases[0]: alias "lead" is already used by tpm3 in tpm.yaml (aliases must be unique ignoring case, spaces and hyphens)',
    ]);
  });

  it('rejects aliases that are command words', () => {
    expect(
      problemsAfter((f) => {
        f.tpm.positions[0].aliases = ['Levels', 'vs'];
      }),
    ).toEqual([
      'tpm.yaml: positions[0].aliases[0]: "Levels" is a command word of /ladder and cannot name a level',
      'tpm.yaml: positions[0].aliases[1]: "vs" is a command word of /ladder and cannot name a level',
    ]);
  });

  it('checks references from roles to positions, aspects and shifts', () => {
    expect(
      problemsAfter((f) => {
        const roles = f.roles;
        roles.roles[1].comparable.position = 'tpm9';
        delete roles.roles[0].aspects.success;
        roles.roles[0].aspects.vibes = 'Good ones.';
        roles.transitions[0].to = 'boss';
      }),
    ).toEqual([
      'roles.yaml: roles[0].aspects: no text for aspect "success"',
      'roles.yaml: roles[0].aspects.vibes: unknown aspect "vibes" (expected one of scope, decisions, stakeholders, people, success)',
      'roles.yaml: roles[1].comparable.position: unknown position "tpm9"',
      'roles.yaml: roles[1].comparable.positions: must include the comparable position "tpm9"',
      'roles.yaml: transitions[0].to: unknown role "boss" (expected one of senior-tpm, lead-tpm)',
    ]);
  });

  it('reports schema problems with their path', () => {
    expect(
      problemsAfter((f) => {
        f.axes.axes[1].steps[0].meaning = '';
        f.tpm.positions[0].colour = 'orange';
        f.tags.shifts.enabling = ['not a tag!'];
      }),
    ).toEqual([
      'axes.yaml: axes[1].steps[0].meaning: must not be empty',
      'tpm.yaml: positions[0]: Unrecognized key: "colour"',
      'tags.yaml: shifts.enabling[0]: a tag starts with a letter and has letters, digits, "_" or single "-"',
    ]);
  });

  it('rejects tag aliases used twice', () => {
    expect(
      problemsAfter((f) => {
        f.tags.scopes.company.push('Multi_Team');
      }),
    ).toEqual([
      'tags.yaml: scopes.company[4]: alias #Multi_Team is already used by #multi-team (tags match ignoring case, "-" and "_")',
    ]);
  });

  it('needs a kind, and exactly one axes and one tags file', () => {
    expect(validateLadderFiles(inputs({ 'x.yaml': { hello: 1 } })).map(formatProblem)).toEqual([
      'x.yaml: kind: missing (expected one of axes, track, roles, tags, suggestions, suggestion-model, coaching)',
    ]);
    expect(validateLadderFiles(inputs({ 'x.yaml': [1, 2] })).map(formatProblem)).toEqual([
      'x.yaml: expected a mapping with a "kind" field at the top',
    ]);
    const { axes: _axes, tags, ...rest } = realFiles();
    expect(validateLadderFiles(inputs({ ...rest, tags, 'tags2.yaml': tags })).map(formatProblem)).toEqual([
      '(ladder data): no file has "kind: axes"; the axes and their steps are required',
      'tags2.yaml: kind: only one tags file is allowed (already defined in tags.yaml)',
    ]);
  });

  it('takes another track as just another file', () => {
    const files = realFiles();
    const developer = {
      kind: 'track',
      id: 'developer',
      name: 'Developer',
      summary: 'Builds and runs the product.',
      sources: [
        {
          name: 'Engineering Ladders',
          url: 'https://github.com/jorgef/engineeringladders',
          licence: 'Apache-2.0',
        },
      ],
      positions: [
        {
          id: 'd1',
          code: 'D1',
          title: 'Junior Developer',
          aliases: ['junior'],
          steps: {
            technology: 'Adopts',
            system: 'Enhances',
            people: 'Learns',
            process: 'Follows',
            influence: 'Subsystem',
          },
        },
        {
          id: 'd2',
          code: 'D2',
          title: 'Developer',
          steps: {
            technology: 2,
            system: 'Enhances',
            people: 'Supports',
            process: 'Follows',
            influence: 'Team',
          },
        },
      ],
    };
    const result = buildLadder(inputs({ ...files, 'developer.yaml': developer }));
    expect(result.ok ? [] : result.problems).toEqual([]);
    if (!result.ok) return;
    expect(result.ladder.tracks.map((t) => t.id)).toEqual(['tpm', 'developer']);
    expect(result.ladder.aliasIndex.get('junior')?.levelId).toBe('d1');
    expect(result.ladder.levelsById.get('d2')?.kind).toBe('position');
  });
});
