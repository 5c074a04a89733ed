/**
 * The shipped ladder-data/ says what ladder-sources.md §1–3 says: the framework's axes and steps,
 * the TPM levels, the roles and their mapping. The expected tables are written out here on purpose.
 */
import { describe, expect, it } from 'vitest';
import { normaliseLevelQuery } from '../../../src/domain/ladder/normalise.ts';
import { normaliseTag } from '../../../src/domain/tags.ts';
import { AXIS_IDS, SCOPE_IDS, SHIFT_IDS } from '../../../src/domain/types.ts';
import { realLadder } from '../../helpers/ladder.ts';

const ladder = realLadder();

describe('the framework (ladder-sources.md §1)', () => {
  const expected: Record<string, { name: string; steps: string[] }> = {
    technology: { name: 'Technology', steps: ['Adopts', 'Specializes', 'Evangelizes', 'Masters', 'Creates'] },
    system: { name: 'System', steps: ['Enhances', 'Designs', 'Owns', 'Evolves', 'Leads'] },
    people: { name: 'People', steps: ['Learns', 'Supports', 'Mentors', 'Coordinates', 'Manages'] },
    process: { name: 'Process', steps: ['Follows', 'Enforces', 'Challenges', 'Adjusts', 'Defines'] },
    influence: { name: 'Influence', steps: ['Subsystem', 'Team', 'Multiple Teams', 'Company', 'Community'] },
  };

  it('has the five axes in the source order, each with its five steps in order', () => {
    expect(ladder.axes.map((axis) => axis.id)).toEqual([...AXIS_IDS]);
    for (const axis of ladder.axes) {
      expect(axis.name).toBe(expected[axis.id]?.name);
      expect(axis.steps.map((step) => step.name)).toEqual(expected[axis.id]?.steps);
      expect(axis.steps.map((step) => step.number)).toEqual([1, 2, 3, 4, 5]);
      for (const step of axis.steps) expect(step.meaning.length).toBeGreaterThan(10);
    }
  });

  it('maps the Influence steps to the scope ids', () => {
    const influence = ladder.axes.find((axis) => axis.id === 'influence');
    expect(influence?.steps.map((step) => step.scope)).toEqual([...SCOPE_IDS]);
  });
});

describe('the TPM track (ladder-sources.md §2)', () => {
  // position, title, upstream code, then the step (and its number) per axis.
  const table = [
    [
      'tpm3',
      'TPM3',
      'Senior Engineer',
      'TPM4',
      'Specializes 2',
      'Designs 2',
      'Coordinates 4',
      'Adjusts 4',
      'Multiple Teams 3',
    ],
    [
      'tpm4',
      'TPM4',
      'Staff Engineer',
      'TPM5',
      'Specializes 2',
      'Designs 2',
      'Coordinates 4',
      'Defines 5',
      'Multiple Teams 3',
    ],
    [
      'tpm5',
      'TPM5',
      'Senior Staff Engineer',
      'TPM6',
      'Specializes 2',
      'Owns 3',
      'Manages 5',
      'Defines 5',
      'Company 4',
    ],
    [
      'tpm6',
      'TPM6',
      'Principal Engineer',
      'TPM7',
      'Specializes 2',
      'Evolves 4',
      'Manages 5',
      'Defines 5',
      'Community 5',
    ],
  ];

  it('has exactly the four positions of the table, lowest first', () => {
    const track = ladder.tracks.find((t) => t.id === 'tpm');
    expect(track?.positions.map((p) => p.id)).toEqual(['tpm3', 'tpm4', 'tpm5', 'tpm6']);
    expect(track?.colour).toBe('#ED7D31');
  });

  it.each(table)('%s matches the table', (id, code, title, upstream, ...steps) => {
    const position = ladder.levelsById.get(id as string);
    expect(position?.kind).toBe('position');
    if (position?.kind !== 'position') return;
    expect(position.code).toBe(code);
    expect(position.title).toBe(title);
    expect(position.upstreamCode).toBe(upstream);
    expect(AXIS_IDS.map((axis) => `${position.steps[axis].name} ${position.steps[axis].number}`)).toEqual(
      steps,
    );
  });

  it('gives every position exactly one step per axis, each a step of that axis', () => {
    for (const track of ladder.tracks) {
      for (const position of track.positions) {
        expect(Object.keys(position.steps).sort()).toEqual([...AXIS_IDS].sort());
        for (const axis of ladder.axes) {
          const step = position.steps[axis.id];
          expect(step.axisId).toBe(axis.id);
          expect(axis.steps[step.number - 1]).toEqual(step);
        }
      }
    }
  });

  it('keeps the role line without the seed typo', () => {
    const track = ladder.tracks.find((t) => t.id === 'tpm');
    expect(track?.summary).not.toMatch(/expand/i);
  });
});

describe('the roles (ladder-sources.md §3)', () => {
  it('has Senior TPM and Lead TPM with the five aspects', () => {
    const [family] = ladder.roleFamilies;
    expect(family?.aspects.map((a) => a.name)).toEqual([
      'Scope of ownership',
      'Decision making',
      'Stakeholders',
      'People leadership',
      'Success signals',
    ]);
    expect(family?.roles.map((r) => r.name)).toEqual(['Senior TPM', 'Lead TPM']);
    for (const role of family?.roles ?? []) {
      for (const aspect of family?.aspects ?? []) expect(role.aspects[aspect.id]?.length).toBeGreaterThan(20);
      expect(role.question).toMatch(/\?$/);
    }
  });

  it('maps senior to TPM4 (spanning TPM3–TPM4) and lead to TPM5, with reasons', () => {
    const senior = ladder.levelsById.get('senior-tpm');
    const lead = ladder.levelsById.get('lead-tpm');
    expect(senior?.kind === 'role' && senior.comparable).toMatchObject({
      positionId: 'tpm4',
      positionIds: ['tpm3', 'tpm4'],
    });
    expect(lead?.kind === 'role' && lead.comparable).toMatchObject({
      positionId: 'tpm5',
      positionIds: ['tpm5'],
    });
  });

  it('has the three mindset shifts in order and five preparation actions', () => {
    expect(ladder.shifts.map((s) => [s.id, s.from, s.to])).toEqual([
      ['enabling', 'Doing', 'Enabling'],
      ['systems-thinking', 'Managing tasks', 'Managing systems'],
      ['preventing', 'Solving problems', 'Preventing problems'],
    ]);
    const [transition] = ladder.roleFamilies[0]?.transitions ?? [];
    expect(transition).toMatchObject({
      fromRoleId: 'senior-tpm',
      toRoleId: 'lead-tpm',
      shiftIds: [...SHIFT_IDS],
    });
    expect(transition?.preparation.map((p) => p.id)).toEqual([
      'ownership-beyond-program',
      'mentor-tpms',
      'speak-in-outcomes',
      'surface-dependencies',
      'credibility-with-leadership',
    ]);
  });
});

describe('aliases and tags', () => {
  it('are unique after normalisation', () => {
    const seen = new Map<string, string>();
    for (const level of ladder.levels) {
      for (const key of new Set(level.aliases.map(normaliseLevelQuery))) {
        expect(seen.get(key), `alias ${key} of ${level.id}`).toBeUndefined();
        seen.set(key, level.id);
      }
    }
    const tags = new Map<string, string>();
    for (const definition of ladder.tags.definitions) {
      for (const spelling of [definition.tag, ...definition.aliases]) {
        const key = normaliseTag(spelling);
        expect(tags.get(key), `tag ${spelling}`).toBeUndefined();
        tags.set(key, definition.tag);
      }
    }
  });

  it('has a tag for every axis, shift and scope id', () => {
    expect(ladder.tags.definitions.map((d) => d.tag)).toEqual([...AXIS_IDS, ...SHIFT_IDS, ...SCOPE_IDS]);
  });
});

describe('sources', () => {
  it('names the sources of every file', () => {
    expect(ladder.files.map((f) => f.file).sort()).toEqual([
      'axes.yaml',
      'coaching.yaml',
      'roles.yaml',
      'suggestion-model.json',
      'suggestions.yaml',
      'tags.yaml',
      'tpm.yaml',
    ]);
    for (const file of ladder.files) expect(file.sources.length).toBeGreaterThan(0);
    const urls = ladder.files.flatMap((f) => f.sources.map((s) => s.url ?? ''));
    expect(urls).toContain('https://github.com/jorgef/engineeringladders');
    expect(urls).toContain('https://github.com/sachnk/engladder/blob/16171b06/tpm.md');
    expect(urls).toContain('https://www.tpmnexus.pro/blog/what-distinguishes-a-senior-tpm-from-a-lead-tpm/');
  });
});
