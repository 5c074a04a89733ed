#!/usr/bin/env node
/**
 * `npm start` and `npm run local`: build dist/ when it is missing or stale (a fresh clone, a pull),
 * then run the bundle in this process, so signals reach the app directly.
 */
import { ensureBuilt } from './build.mjs';

const started = Date.now();
try {
  if (await ensureBuilt()) process.stderr.write(`ladder: built dist/ in ${Date.now() - started} ms\n`);
} catch (err) {
  process.stderr.write(`ladder: the build failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
const { runFromCommandLine } = await import('../dist/main.js');
await runFromCommandLine();
