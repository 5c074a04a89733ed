/**
 * "Our own words": no 8-word sequence of the two source documents appears in any file of
 * ladder-data/, src/, docs/ or the README. The fixture holds only SHA-256 hashes of the sources' windows (made by
 * scripts/seed-hashes.ts), so the sources' text is not part of the project.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normaliseWords, type SeedHashFile, sha256, WINDOW } from '../../../scripts/seed-hashes.ts';
import { LADDER_DIR } from '../../helpers/ladder.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
/** Text files only: images and fonts have no words to copy. */
const TEXT = /\.(ts|js|mjs|html|css|md|ya?ml|json|txt|sql)$/i;

function textFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && TEXT.test(entry.name))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)))
    .sort();
}

function copiedWindows(text: string): string[] {
  const words = normaliseWords(text);
  const copied: string[] = [];
  for (let i = 0; i + WINDOW <= words.length; i++) {
    const window = words.slice(i, i + WINDOW).join(' ');
    if (seedHashes.has(sha256(window))) copied.push(window);
  }
  return copied;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/seed-8gram-hashes.json', import.meta.url), 'utf8'),
) as SeedHashFile;
const seedHashes = new Set(fixture.hashes);

describe('ladder-data is in our own words', () => {
  it('has a usable fixture', () => {
    expect(fixture.window).toBe(WINDOW);
    expect(fixture.sources.map((s) => s.file)).toEqual(['tpm-ladder.md', 'senior-vs-lead-tpm.md']);
    expect(seedHashes.size).toBeGreaterThan(500);
    // The normalisation the hashes were made with: a known window of the framework's wording.
    expect(sha256(normaliseWords('Specializes: is the go-to person for one or more').join(' '))).toMatch(
      /^[0-9a-f]{64}$/,
    );
  });

  const files = readdirSync(LADDER_DIR).filter((name) => !name.startsWith('.'));
  it.each(files)('%s shares no 8-word sequence with the sources', (file) => {
    const copied = copiedWindows(readFileSync(path.join(LADDER_DIR, file), 'utf8'));
    expect(copied, `${file} repeats the sources word for word`).toEqual([]);
  });

  const elsewhere = [
    ...textFilesUnder(path.join(ROOT, 'src')),
    ...textFilesUnder(path.join(ROOT, 'docs')),
    'README.md',
  ];
  it('looks at the code, the docs and the README too', () => {
    expect(elsewhere).toEqual(
      expect.arrayContaining(['README.md', 'src/domain/coaching.ts', 'docs/export-format.md']),
    );
    expect(elsewhere.length).toBeGreaterThan(100);
  });
  it.each(elsewhere)('%s shares no 8-word sequence with the sources', (file) => {
    const copied = copiedWindows(readFileSync(path.join(ROOT, file), 'utf8'));
    expect(copied, `${file} repeats the sources word for word`).toEqual([]);
  });

  it('detects a copied sentence (the check itself works)', () => {
    // A sentence of the seed's TPM page, as the detector would see it in a data file.
    const probe = normaliseWords(
      'TPM3: **Adjusts**: adjusts the team processes, listening to feedback and guiding the team',
    );
    let hits = 0;
    for (let i = 0; i + WINDOW <= probe.length; i++) {
      if (seedHashes.has(sha256(probe.slice(i, i + WINDOW).join(' ')))) hits += 1;
    }
    expect(hits).toBeGreaterThan(0);
  });
});
