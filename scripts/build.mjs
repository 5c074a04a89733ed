#!/usr/bin/env node
/**
 * `npm run build`: bundles the app (src/main.ts → dist/main.js) and the operator CLI
 * (src/cli/index.ts → dist/cli.js) with esbuild: ESM, Node 20, source maps. Packages with native
 * code or files of their own stay in node_modules (better-sqlite3, resvg, the chart font); the
 * rest of the dependency graph is bundled, so a start loads two files instead of hundreds.
 *
 * `node scripts/build.mjs --if-stale` builds only when dist/ is missing or older than what it is
 * built from (src/, package-lock.json, this script), which is what `npm start` does first.
 * A build is written to a temporary folder and moved into dist/ file by file, so two starts at
 * once never run half-written code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const DIST = path.join(ROOT, 'dist');
const ENTRY_POINTS = { main: 'src/main.ts', cli: 'src/cli/index.ts' };
const OUTPUTS = Object.keys(ENTRY_POINTS).map((name) => path.join(DIST, `${name}.js`));
/** Kept out of the bundle: native addons and packages that find their own files on disk. */
const EXTERNAL = ['better-sqlite3', '@resvg/resvg-js', 'dejavu-fonts-ttf'];
const INPUTS = ['src', 'package-lock.json', 'scripts/build.mjs'];

function newestMtime(target) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target))
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** True when a bundle is missing or older than any of its inputs. */
export function isStale() {
  const built = OUTPUTS.map((file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0));
  const oldestOutput = Math.min(...built);
  if (oldestOutput === 0) return true;
  const newestInput = Math.max(...INPUTS.map((p) => newestMtime(path.join(ROOT, p))));
  return newestInput > oldestOutput;
}

export async function build() {
  const { build: esbuild } = await import('esbuild');
  const staging = fs.mkdtempSync(path.join(ROOT, '.dist-'));
  try {
    await esbuild({
      absWorkingDir: ROOT,
      entryPoints: ENTRY_POINTS,
      outdir: staging,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: true,
      external: EXTERNAL,
      legalComments: 'linked',
      logLevel: 'warning',
      // CommonJS dependencies bundled into an ES module still call require().
      banner: {
        js: "import { createRequire as __ladderRequire } from 'node:module'; const require = __ladderRequire(import.meta.url);",
      },
    });
    fs.mkdirSync(DIST, { recursive: true });
    for (const file of fs.readdirSync(staging))
      fs.renameSync(path.join(staging, file), path.join(DIST, file));
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Builds when stale; returns whether it built. */
export async function ensureBuilt() {
  if (!isStale()) return false;
  await build();
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  const onlyIfStale = process.argv.includes('--if-stale');
  try {
    let built = true;
    if (onlyIfStale) built = await ensureBuilt();
    else await build();
    if (built) process.stderr.write(`ladder: built dist/ in ${Date.now() - started} ms\n`);
  } catch (err) {
    process.stderr.write(`ladder: the build failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
