/**
 * Builds tests/fixtures/seed-8gram-hashes.json: the SHA-256 of every 8-word window of the source
 * documents the ladder content was written from. The "our own words" test hashes every 8-word
 * window of every file in ladder-data/ the same way and fails when one matches, so the project
 * can prove it holds no copied sentence without shipping the sources' text.
 *
 * Normalisation: lowercase, strip every character that is not a letter, a digit or whitespace,
 * split on whitespace; a window is its 8 words joined by single spaces, hashed as UTF-8.
 *
 * Run (from the project root, with the source documents beside the project):
 *   npx tsx scripts/seed-hashes.ts ../shared/seeds/tpm-ladder.md ../shared/seeds/senior-vs-lead-tpm.md \
 *     > tests/fixtures/seed-8gram-hashes.json
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';

export const WINDOW = 8;

export function normaliseWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .split(/\s+/u)
    .filter((word) => word.length > 0);
}

export function windowHashes(text: string, size = WINDOW): Set<string> {
  const words = normaliseWords(text);
  const hashes = new Set<string>();
  for (let i = 0; i + size <= words.length; i++) {
    hashes.add(sha256(words.slice(i, i + size).join(' ')));
  }
  return hashes;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface SeedHashFile {
  algorithm: 'sha256';
  window: number;
  normalisation: string;
  sources: Array<{ file: string; sha256: string; windows: number }>;
  hashes: string[];
}

function main(files: string[]): void {
  if (files.length === 0) {
    process.stderr.write('usage: tsx scripts/seed-hashes.ts FILE...\n');
    process.exitCode = 2;
    return;
  }
  const all = new Set<string>();
  const sources: SeedHashFile['sources'] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const hashes = windowHashes(text);
    for (const hash of hashes) all.add(hash);
    sources.push({ file: basename(file), sha256: sha256(text), windows: hashes.size });
  }
  const out: SeedHashFile = {
    algorithm: 'sha256',
    window: WINDOW,
    normalisation:
      'lowercase; remove every character that is not a letter, digit or whitespace; split on whitespace; ' +
      'join the 8 words of a window with single spaces; SHA-256 of the UTF-8 bytes, hex',
    sources,
    hashes: [...all].sort(),
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2));
}
