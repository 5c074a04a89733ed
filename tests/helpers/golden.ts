import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

const GOLDEN_DIR = path.resolve(import.meta.dirname, '../fixtures/golden');

/**
 * Compares text with `tests/fixtures/golden/<name>` byte for byte. Run with `UPDATE_GOLDEN=1` to
 * rewrite the file after a deliberate change, then review the diff as a reader would.
 */
export function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual, 'utf8');
    return;
  }
  if (!fs.existsSync(file))
    throw new Error(`golden file ${name} is missing: run the test with UPDATE_GOLDEN=1`);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}
