#!/usr/bin/env node
// The `ladder` bin: the operator CLI from the bundle in dist/, built first when missing or stale.
import { ensureBuilt } from '../scripts/build.mjs';

try {
  await ensureBuilt();
} catch (err) {
  process.stderr.write(`ladder: the build failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
const { cliMain } = await import('../dist/cli.js');
await cliMain();
