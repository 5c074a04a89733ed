import { defineConfig } from 'vitest/config';

/**
 * The end-to-end suites whose behaviour depends on storage: they run twice, on SQLite (project
 * 'sqlite', with everything else) and on PostgreSQL (project 'postgres', LADDER_TEST_ENGINE=postgres:
 * tests/helpers/engine.ts gives each harness a database of its own on TEST_DATABASE_URL, and skips
 * the suites with one loud line when no server answers). The rest stays SQLite-only: local mode
 * never uses PostgreSQL, and the file-level suites (crash on the write-ahead log, build, startup)
 * are about SQLite or about no storage at all.
 */
const STORAGE_E2E = [
  'tests/e2e/coaching-nudges.test.ts',
  'tests/e2e/digest.test.ts',
  'tests/e2e/digest-pass.test.ts',
  'tests/e2e/evidence.test.ts',
  'tests/e2e/grid.test.ts',
  'tests/e2e/grid-move.test.ts',
  'tests/e2e/grid-move-nudges.test.ts',
  'tests/e2e/grid-move-guard.test.ts',
  'tests/e2e/export.test.ts',
  'tests/e2e/messages.test.ts',
  'tests/e2e/nudge-after.test.ts',
  'tests/e2e/nudges.test.ts',
  'tests/e2e/nudges-crash.test.ts',
  'tests/e2e/nudges-scheduler.test.ts',
  'tests/e2e/privacy.test.ts',
  'tests/e2e/token-rotation.test.ts',
  'tests/e2e/progress.test.ts',
  'tests/e2e/roles.test.ts',
  'tests/e2e/slack-text.test.ts',
  'tests/e2e/tenant-move-store.test.ts',
  'tests/e2e/unknown-outcome.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The JSON report is what .ci/run counts (CI does not read vitest's own summary line).
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['tests/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'postgres', include: STORAGE_E2E, env: { LADDER_TEST_ENGINE: 'postgres' } },
      },
    ],
  },
});
