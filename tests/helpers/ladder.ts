import { fileURLToPath } from 'node:url';
import type { Ladder } from '../../src/domain/ladder/model.ts';
import { loadLadder } from '../../src/load-ladder.ts';

/** The project's own ladder-data/ folder. */
export const LADDER_DIR = fileURLToPath(new URL('../../ladder-data/', import.meta.url));

let cached: Ladder | undefined;

/** The real ladder, loaded once per test file. */
export function realLadder(): Ladder {
  cached ??= loadLadder(LADDER_DIR);
  return cached;
}
