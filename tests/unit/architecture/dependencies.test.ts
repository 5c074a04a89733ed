/**
 * The arrows between the parts of src/ (docs/architecture.md), held by dependency-cruiser with the
 * rules in .dependency-cruiser.json. A broken rule fails here with the rule's name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cruise, type ICruiseResult, type IForbiddenRuleType } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const FIXTURE = path.join(ROOT, 'tests/fixtures/architecture');

interface DepcruiseConfig {
  forbidden: IForbiddenRuleType[];
  options: Record<string, unknown>;
}
const config = JSON.parse(
  readFileSync(path.join(ROOT, '.dependency-cruiser.json'), 'utf8'),
) as DepcruiseConfig;

async function cruiseSrc(baseDir: string): Promise<ICruiseResult> {
  const result = await cruise(['src'], {
    ...config.options,
    baseDir,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
  });
  return result.output as ICruiseResult;
}

function violations(result: ICruiseResult): string[] {
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ts|js)$/.test(f));
}

describe('the layout of src/', () => {
  it('breaks none of the rules, and the cruise really read the files', async () => {
    const result = await cruiseSrc(ROOT);
    expect(violations(result)).toEqual([]);
    // A parser that cannot read this TypeScript cruises a handful of modules and finds no
    // violation: the count proves the files were read.
    const cruised = result.modules.filter((m) => m.source.startsWith('src/')).length;
    const files = sourceFiles(path.join(ROOT, 'src')).length;
    expect(files).toBeGreaterThan(100);
    expect(cruised).toBeGreaterThanOrEqual(files - 2);
    expect(cruised).toBeLessThanOrEqual(files);
    const imports = result.modules.reduce((n, m) => n + m.dependencies.length, 0);
    expect(imports).toBeGreaterThan(cruised * 3);
  });

  it('names the rule a wrong import breaks (a fixture with one wrong import per rule)', async () => {
    const result = await cruiseSrc(FIXTURE);
    expect(violations(result)).toEqual([
      'app-knows-no-slack: src/app/use-case.ts → src/slack/reply.ts',
      'db-stays-inside: src/db/repository.ts → src/slack/reply.ts',
      'domain-is-pure: src/domain/model.ts → src/db/repository.ts',
      'local-is-protocol-only: src/local/fake-slack.ts → src/domain/model.ts',
      'no-unresolvable: src/domain/missing.ts → ./nowhere.ts',
      'only-db-touches-the-driver: src/app/raw-sql.ts → ../../../node_modules/better-sqlite3/lib/index.js',
      'only-the-roots-wire: src/slack/wires.ts → src/main.ts',
      'scheduler-builds-no-slack: src/scheduler/tick.ts → src/slack/reply.ts',
      'slack-limits-is-a-leaf: src/slack-limits.ts → src/domain/model.ts',
      'slack-not-local: src/slack/listener.ts → src/local/fake-slack.ts',
      'slack-not-local: src/slack/wires.ts → src/main.ts',
    ]);
    // Every rule has a wrong import that makes it fire.
    const fired = new Set(result.summary.violations.map((v) => v.rule.name));
    expect([...fired].sort()).toEqual(config.forbidden.map((r) => r.name).sort());
  });
});
