import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/tmp.ts';

const script = path.resolve(import.meta.dirname, '../../../.ci/check-clean-tree');

/** A throwaway clone-like repository with the script in .ci/, as CI sees it. */
function repo(): string {
  const dir = tempDir('ladder-ci-');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q');
  fs.mkdirSync(path.join(dir, '.ci'));
  fs.copyFileSync(script, path.join(dir, '.ci/check-clean-tree'));
  fs.writeFileSync(path.join(dir, 'package-lock.json'), '{ "lockfileVersion": 3 }\n');
  git('add', '.');
  git('-c', 'user.email=ci@example.com', '-c', 'user.name=ci', 'commit', '-qm', 'init');
  return dir;
}

const run = (dir: string) => spawnSync('bash', ['.ci/check-clean-tree'], { cwd: dir, encoding: 'utf8' });

describe('.ci/check-clean-tree (run by .ci/run right after npm install)', () => {
  it('passes on a tree that is exactly as committed', () => {
    const r = run(repo());
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('clean');
  });

  it('fails and names the file when the install rewrote the lock', () => {
    const dir = repo();
    fs.appendFileSync(path.join(dir, 'package-lock.json'), '{ "optional": true }\n');
    const r = run(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('package-lock.json');
  });

  it('fails on a file the install added', () => {
    const dir = repo();
    fs.writeFileSync(path.join(dir, 'stray.txt'), 'x');
    const r = run(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('stray.txt');
  });
});
