import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLadderError, LadderDataError, loadLadder, readLadderDir } from '../../src/load-ladder.ts';
import { LADDER_DIR } from '../helpers/ladder.ts';
import { tempDir } from '../helpers/tmp.ts';

/** A copy of the real ladder-data/ in a temp folder, with `edit` applied to one file's text. */
function copyWith(edits: Record<string, (text: string) => string | null> = {}): string {
  const dir = path.join(tempDir('ladder-data-'), 'data');
  mkdirSync(dir);
  for (const name of readdirSync(LADDER_DIR)) {
    const edit = edits[name];
    if (!edit) {
      copyFileSync(path.join(LADDER_DIR, name), path.join(dir, name));
      continue;
    }
    const text = edit(readFileSync(path.join(LADDER_DIR, name), 'utf8'));
    if (text !== null) writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function errorOf(dir: string): LadderDataError {
  try {
    loadLadder(dir);
  } catch (error) {
    if (error instanceof LadderDataError) return error;
    throw error;
  }
  throw new Error('expected loadLadder to throw');
}

describe('loadLadder', () => {
  it('loads the shipped folder, prompts included', () => {
    const ladder = loadLadder(LADDER_DIR);
    expect(ladder.levels.map((l) => l.id)).toEqual([
      'tpm3',
      'tpm4',
      'tpm5',
      'tpm6',
      'senior-tpm',
      'lead-tpm',
    ]);
    expect(ladder.prompts.length).toBeGreaterThan(0);
  });

  it('names the file, the path, the problem and the line for a bad step', () => {
    const dir = copyWith({ 'tpm.yaml': (t) => t.replace('system: Owns', 'system: Ownz') });
    const error = errorOf(dir);
    expect(error.message).toContain(
      'tpm.yaml: positions[2].steps.system: unknown step "Ownz" (expected one of Enhances, Designs, Owns, Evolves, Leads)',
    );
    const text = readFileSync(path.join(dir, 'tpm.yaml'), 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('system: Ownz')) + 1;
    expect(error.problems).toEqual([
      expect.objectContaining({ file: 'tpm.yaml', path: 'positions[2].steps.system', line }),
    ]);
    expect(error.message).toContain(`[line ${line}]`);
    expect(formatLadderError(error)).toBe(error.message);
  });

  it('reports YAML syntax errors and duplicate keys with their line', () => {
    const dir = copyWith({
      'tpm.yaml': (t) =>
        t.replace(
          '      people: Manages\n      process: Defines\n      influence: Company',
          '      people: Manages\n      people: Coordinates\n      process: Defines\n      influence: Company',
        ),
      'axes.yaml': (t) => `${t}\n  - id: [unclosed\n`,
    });
    const error = errorOf(dir);
    const files = error.problems.map((p) => p.file);
    expect(files).toContain('axes.yaml');
    expect(files).toContain('tpm.yaml');
    for (const problem of error.problems) {
      expect(problem.message).toMatch(/^not valid YAML: /);
      expect(problem.line).toBeGreaterThan(0);
    }
    expect(error.problems.find((p) => p.file === 'tpm.yaml')?.message).toMatch(/unique/i);
  });

  it('reports the problems of every file at once', () => {
    const dir = copyWith({
      'tpm.yaml': (t) => t.replace('title: Staff Engineer', 'title: ""').replace('principal tpm', 'lead'),
      'tags.yaml': (t) => t.replace('kind: tags', 'kind: tagz'),
    });
    const error = errorOf(dir);
    expect(error.problems.map((p) => `${p.file}: ${p.path}: ${p.message}`)).toEqual([
      'tags.yaml: kind: unknown kind "tagz" (expected one of axes, track, roles, tags, suggestions, suggestion-model, coaching)',
      'tpm.yaml: positions[1].title: must not be empty',
    ]);
    expect(error.message).toMatch(/^Ladder data in .* has 2 problems:\n {2}tags\.yaml: kind: /);
  });

  it('validates prompts.yaml with its own schema when present, and works without it', () => {
    const bad = copyWith({ 'prompts.yaml': (t) => t.replace(/shift: enabling/, 'shift: doing') });
    const error = errorOf(bad);
    expect(error.problems[0]).toMatchObject({ file: 'prompts.yaml' });
    expect(error.problems[0]?.path).toMatch(/^prompts\[\d+\]\.shift$/);

    const without = copyWith({ 'prompts.yaml': () => null });
    expect(loadLadder(without).prompts).toEqual([]);
  });

  it("checks the prompts' steps and variant levels against the other files, with the line", () => {
    const bad = copyWith({
      'prompts.yaml': (t) =>
        t
          .replace('step: Coordinates', 'step: Coordinate')
          .replace('levels: [tpm5, tpm6]', 'levels: [tpm5, tpm9]'),
    });
    const messages = errorOf(bad).problems.map((p) => `${p.file}: ${p.path}: ${p.message}`);
    expect(messages).toEqual([
      expect.stringMatching(
        /^prompts\.yaml: prompts\[0\]\.step: unknown step "Coordinate" on People \(expected one of Learns, /,
      ),
      'prompts.yaml: variants[1].levels[1]: unknown position "tpm9"',
    ]);
    expect(errorOf(bad).problems[0]?.line).toBeGreaterThan(1);
    const ladder = loadLadder(LADDER_DIR);
    expect(ladder.promptVariants.map((v) => v.id)).toEqual(['program', 'portfolio']);
  });

  it('ignores files that are not YAML (NOTICE) and picks up a new track file', () => {
    const dir = copyWith();
    writeFileSync(
      path.join(dir, 'company.yml'),
      [
        'kind: track',
        'id: acme',
        'name: ACME Program Managers',
        'summary: Runs programs at ACME.',
        'sources:',
        '  - name: ACME career framework',
        'positions:',
        '  - id: acme-pm2',
        '    code: PM2',
        '    title: Program Manager II',
        '    steps: { technology: Adopts, system: Enhances, people: Supports, process: Enforces, influence: Team }',
      ].join('\n'),
    );
    const ladder = loadLadder(dir);
    expect(ladder.tracks.map((t) => t.id)).toEqual(['acme', 'tpm']);
    expect(ladder.aliasIndex.get('pm2')?.levelId).toBe('acme-pm2');
  });

  it('says when the folder cannot be read', () => {
    const result = readLadderDir('/nonexistent/ladder-data');
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.problems[0]?.message).toMatch(/^cannot read the folder/);
    expect(() => loadLadder('/nonexistent/ladder-data')).toThrow(LadderDataError);
  });
});
