/**
 * Size limits for src/: no file over 500 lines (the local API's method table and the page's
 * scripts excepted), no function over 80 lines (first line to last). Functions are found with
 * swc's TypeScript parser.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSync } from '@swc/core';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const MAX_FILE_LINES = 500;
const MAX_FUNCTION_LINES = 80;
/** Data rather than logic: the local API's table of Web API methods, and the page's own scripts. */
const FILE_EXEMPT = [/^src\/local\/slack-api-methods\.ts$/, /^src\/local\/page\//];

/** Lines as an editor numbers them: a final newline does not start another. */
function lineCount(text: string): number {
  const n = text.split('\n').length;
  return text.endsWith('\n') ? n - 1 : n;
}

const FUNCTION_TYPES = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ClassMethod',
  'PrivateMethod',
  'Constructor',
  'MethodProperty',
  'GetterProperty',
  'SetterProperty',
]);

interface Span {
  start: number;
  end: number;
}
type Node = { type?: string; span?: Span; [key: string]: unknown };

function nameOf(node: Node, parentName: string): string {
  const id = (node.identifier ?? node.key) as { value?: unknown } | undefined;
  return typeof id?.value === 'string' ? id.value : parentName;
}

/** Every function in a TypeScript source: its name (or the variable/property holding it) and lines. */
function functionLengths(source: string): Array<{ name: string; line: number; lines: number }> {
  // A leading ';' pins the module's first token to byte 0, whatever comments open the file.
  const text = `;${source}`;
  const ast = parseSync(text, { syntax: 'typescript' }) as unknown as Node;
  const base = (ast.span as Span).start;
  const bytes = Buffer.from(text, 'utf8');
  const lineAt = (pos: number) => {
    let line = 1;
    for (let i = 0; i < pos - base; i++) if (bytes[i] === 10) line++;
    return line;
  };
  const out: Array<{ name: string; line: number; lines: number }> = [];
  const visit = (value: unknown, name: string) => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v, name);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const node = value as Node;
    let here = name;
    if (node.type === 'VariableDeclarator') {
      const id = node.id as { value?: unknown } | undefined;
      if (typeof id?.value === 'string') here = id.value;
    }
    if (node.type === 'KeyValueProperty') here = nameOf(node, name);
    if (node.type && FUNCTION_TYPES.has(node.type) && node.span) {
      here = nameOf(node, name);
      const line = lineAt(node.span.start);
      out.push({ name: here, line, lines: lineAt(node.span.end) - line + 1 });
    }
    for (const [key, child] of Object.entries(node)) if (key !== 'span') visit(child, here);
  };
  visit(ast, '(module)');
  return out;
}

const srcFiles = readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
  .map((f) => `src/${f.split(path.sep).join('/')}`)
  .sort();

describe('sizes in src/', () => {
  it(`no file over ${MAX_FILE_LINES} lines`, () => {
    const long = srcFiles
      .filter((f) => !FILE_EXEMPT.some((re) => re.test(f)))
      .filter((f) => lineCount(readFileSync(path.join(ROOT, f), 'utf8')) > MAX_FILE_LINES);
    expect(long).toEqual([]);
  });

  it(`no function over ${MAX_FUNCTION_LINES} lines`, () => {
    const long: string[] = [];
    for (const f of srcFiles.filter((f) => f.endsWith('.ts') && !FILE_EXEMPT.some((re) => re.test(f)))) {
      for (const fn of functionLengths(readFileSync(path.join(ROOT, f), 'utf8'))) {
        if (fn.lines > MAX_FUNCTION_LINES) long.push(`${f}:${fn.name}`);
      }
    }
    expect(long.sort()).toEqual([]);
  });

  it('the counter finds a function over the limit, with its name and length', () => {
    const source = readFileSync(path.join(ROOT, 'tests/fixtures/architecture/sizes/too-long.ts'), 'utf8');
    const fns = functionLengths(source);
    expect(fns).toEqual([
      { name: 'tooLong', line: 2, lines: 84 },
      { name: 'short', line: 87, lines: 1 },
    ]);
  });
});
