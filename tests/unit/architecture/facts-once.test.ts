/**
 * No fact written in two places (issue 13): every Slack id the app declares is spelled only in
 * src/slack/ids.ts, and no user-facing sentence of 25 characters or more is written in two files of
 * src/. Only string literals count (read with swc's parser): comments and doc text may name an id.
 * The repositories in src/db/ hold SQL and no user text, so their literals are not sentences.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSync } from '@swc/core';
import { describe, expect, it } from 'vitest';
import { ActionId, BlockId, COMMAND, EventName, ShortcutId, ViewId } from '../../../src/slack/ids.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const FIXTURE = path.join(ROOT, 'tests/fixtures/architecture/facts');
const IDS_FILE = 'src/slack/ids.ts';
const MIN_SENTENCE = 25;

/**
 * Id literals allowed outside ids.ts, each with its reason. The local Slack speaks Slack's
 * protocol, in which the events are Slack's own names (it cannot import ids.ts); `value` is also
 * the name of a field in Block Kit and in Slack's payloads.
 */
const ID_EXEMPT: ReadonlyArray<{ file: RegExp; ids: ReadonlySet<string> }> = [
  { file: /^src\/local\//, ids: new Set([...Object.values(EventName), ActionId.formValue]) },
  { file: /^src\/log\.ts$/, ids: new Set([ActionId.formValue]) },
];

const APP_IDS: ReadonlySet<string> = new Set([
  COMMAND,
  ...Object.values(ActionId),
  ...Object.values(BlockId),
  ...Object.values(ViewId),
  ...Object.values(ShortcutId),
  ...Object.values(EventName),
]);

type Node = { type?: string; [key: string]: unknown };

/**
 * Stands for an interpolation in a template's text; a sentence reads it as `…`, so two templates
 * saying the same around their values match.
 */
const HOLE = '\u0000';
const LOG_METHODS = new Set(['debug', 'info', 'warn', 'error']);
/** SQL is no one's sentence: a statement's clauses repeat across repositories. */
const SQL = /\b(SELECT|INSERT INTO|UPDATE|DELETE FROM|CREATE TABLE|WHERE|VALUES)\b/;

function isLogCall(node: Node): boolean {
  if (node.type !== 'CallExpression') return false;
  const callee = node.callee as Node & { property?: { value?: unknown } };
  return callee.type === 'MemberExpression' && LOG_METHODS.has(String(callee.property?.value));
}

/**
 * The string literals of a TypeScript source (a template's text with HOLE for each interpolation),
 * leaving out import and export paths and the messages of log calls (for operators, not users).
 */
function literalsOf(source: string): string[] {
  const ast = parseSync(source, { syntax: 'typescript' }) as unknown as Node;
  const out: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const node = value as Node;
    if (node.type === 'StringLiteral') out.push(String(node.value));
    if (node.type === 'TemplateLiteral') {
      const quasis = node.quasis as Array<{ cooked?: string; raw: string }>;
      out.push(quasis.map((q) => q.cooked ?? q.raw).join(HOLE));
      visit(node.expressions);
      return;
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === 'span' || (key === 'source' && node.type?.includes('Declaration'))) continue;
      if (key === 'arguments' && isLogCall(node)) continue;
      visit(child);
    }
  };
  visit(ast);
  return out;
}

/** The sentences of a literal a person could read: 25 characters or more, of words. */
function sentencesOf(literal: string): string[] {
  if (SQL.test(literal)) return [];
  return literal
    .replaceAll(HOLE, '…')
    .split(/\n|(?<=[.!?])\s+/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => [...s].length >= MIN_SENTENCE && / \S+ /.test(s) && /\p{L}{2}/u.test(s));
}

function tsFiles(root: string): string[] {
  return readdirSync(path.join(root, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => `src/${f.split(path.sep).join('/')}`)
    .sort();
}

/** `file: 'id'` for each literal that spells one of the app's Slack ids outside ids.ts. */
function idsOutsideIdsFile(root: string): string[] {
  const found: string[] = [];
  for (const file of tsFiles(root)) {
    if (file === IDS_FILE) continue;
    const exempt = ID_EXEMPT.filter((e) => e.file.test(file)).flatMap((e) => [...e.ids]);
    for (const literal of literalsOf(readFileSync(path.join(root, file), 'utf8'))) {
      const id = literal.replace(/\.\d+$/, '');
      if (APP_IDS.has(id) && !exempt.includes(id)) found.push(`${file}: '${literal}'`);
    }
  }
  return found;
}

/** `file: literal` for each literal in a file under one of `dirs` (ids.ts aside) that spells the app's command. */
function commandSpelledIn(root: string, dirs: readonly string[]): string[] {
  const named = new RegExp(`${COMMAND.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
  return tsFiles(root)
    .filter((f) => f !== IDS_FILE && dirs.some((d) => f.startsWith(d)))
    .flatMap((file) =>
      literalsOf(readFileSync(path.join(root, file), 'utf8'))
        .filter((literal) => named.test(literal))
        .map((literal) => `${file}: ${JSON.stringify(literal.replaceAll(HOLE, '…'))}`),
    );
}

/** `"sentence": file, file` for each sentence written in more than one file. */
function sentencesInTwoFiles(root: string): string[] {
  const filesOf = new Map<string, Set<string>>();
  for (const file of tsFiles(root).filter((f) => !f.startsWith('src/db/'))) {
    for (const literal of literalsOf(readFileSync(path.join(root, file), 'utf8'))) {
      for (const sentence of sentencesOf(literal)) {
        const files = filesOf.get(sentence) ?? new Set<string>();
        files.add(file);
        filesOf.set(sentence, files);
      }
    }
  }
  return [...filesOf]
    .filter(([, files]) => files.size > 1)
    .map(([sentence, files]) => `${JSON.stringify(sentence)}: ${[...files].join(', ')}`);
}

describe('facts written once in src/', () => {
  it('every Slack id is spelled only in src/slack/ids.ts', () => {
    expect(idsOutsideIdsFile(ROOT)).toEqual([]);
  });

  it("the local Slack never names the app's command: it is handed the manifest", () => {
    expect(commandSpelledIn(ROOT, ['src/local/'])).toEqual([]);
  });

  it('the Slack side and the use cases write the command as COMMAND (src/slack/ids.ts), never literally', () => {
    expect(commandSpelledIn(ROOT, ['src/slack/', 'src/app/'])).toEqual([]);
  });

  it('no user-facing sentence of 25+ characters is written in two files', () => {
    expect(sentencesInTwoFiles(ROOT)).toEqual([]);
  });

  it('finds an id spelled outside ids.ts and a sentence written twice (fixture)', () => {
    expect(idsOutsideIdsFile(FIXTURE)).toEqual([
      "src/listener.ts: 'evidence_edit'",
      "src/listener.ts: 'evidence_delete.2'",
      "src/listener.ts: 'app_home_opened'",
    ]);
    expect(commandSpelledIn(FIXTURE, ['src/local/'])).toEqual([
      'src/local/page.ts: "Try `/ladder nudge on` first."',
    ]);
    expect(commandSpelledIn(FIXTURE, ['src/slack/', 'src/app/'])).toEqual([
      'src/app/reply.ts: "Nothing here yet: `/ladder …` keeps a win."',
      'src/slack/blocks/help.ts: "Type `/ladder help` for the commands."',
    ]);
    expect(sentencesInTwoFiles(FIXTURE)).toEqual([
      '"That entry no longer exists (it may have been deleted already).": src/builder.ts, src/listener.ts',
      '"This is … characters; the limit is …": src/builder.ts, src/listener.ts',
    ]);
  });

  it('reads literals, not comments, imports, log messages or SQL', () => {
    const literals = literalsOf(
      [
        "import { x } from './a-module-with-a-long-enough-name.ts';",
        '// A comment that is long enough to be a sentence.',
        "logger.info('a log line that is long enough to count', { x });",
        "db.prepare('SELECT text FROM evidence WHERE team_id = ? AND user_id = ?');",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source holding a template, for the parser.
        'const t = `Hello ${name}. Your evidence was saved, and it stays private to you.`;',
      ].join('\n'),
    );
    expect(literals).toEqual([
      'SELECT text FROM evidence WHERE team_id = ? AND user_id = ?',
      `Hello ${HOLE}. Your evidence was saved, and it stays private to you.`,
    ]);
    expect(literals.flatMap(sentencesOf)).toEqual(['Your evidence was saved, and it stays private to you.']);
  });
});
