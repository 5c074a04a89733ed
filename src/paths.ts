/**
 * The files the app reads from its own tree, in one place. The sources (`src/paths.ts`, run by
 * tsx) and the bundle (`dist/main.js`, `dist/cli.js`, run by node) both sit one folder below the
 * project root, so one rule finds the root from either: the folder above this module's folder.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** SQL migrations, one folder per engine with the same numbering, applied at start and by `ladder migrate`. */
export const MIGRATIONS_ROOT = path.join(PROJECT_ROOT, 'migrations');
export const MIGRATIONS_DIR = path.join(MIGRATIONS_ROOT, 'sqlite');
export const POSTGRES_MIGRATIONS_DIR = path.join(MIGRATIONS_ROOT, 'postgres');

/** The local workspace's page (HTML, CSS and plain browser scripts, served as they are). */
export const LOCAL_PAGE_DIR = path.join(PROJECT_ROOT, 'src', 'local', 'page');

/** The ladder YAML shipped with the app (`LADDER_DATA_DIR` replaces it). */
export const BUNDLED_LADDER_DATA_DIR = path.join(PROJECT_ROOT, 'ladder-data');
