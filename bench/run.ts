import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCommandBench } from './commands.ts';
import { runInsertBench } from './insert.ts';
import type { BenchRow } from './types.ts';

/**
 * `npm run bench`: every benchmark in one run, written to bench/RESULTS.md with the machine, the
 * Node version and the date. Not part of `npm test`: timing goals live here, never in unit tests.
 */
interface Section {
  title: string;
  run: () => Promise<BenchRow[]>;
}

const sections: Section[] = [
  {
    title: 'Slash commands against bare Bolt (signed HTTP over loopback, local Slack API)',
    run: runCommandBench,
  },
  { title: 'Evidence storage', run: runInsertBench },
];

async function optional(file: string, title: string): Promise<void> {
  const p = path.join(import.meta.dirname, file);
  if (!fs.existsSync(p)) return;
  const mod = (await import(p)) as { run?: () => Promise<BenchRow[]> };
  if (mod.run) sections.push({ title, run: mod.run });
}

function machine(): string {
  const cpus = os.cpus();
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    // not a git checkout
  }
  return [
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}`,
    `- Node ${process.version}, commit ${commit}`,
  ].join('\n');
}

/**
 * A run of some sections only (`npm run bench -- cpu`) replaces those sections of the existing
 * RESULTS.md and keeps the others, each with the run it came from.
 */
function mergeSections(existing: string, fresh: string[]): string {
  const split = (text: string) => {
    const parts = text.split(/^(?=## )/m);
    const head = parts[0]?.startsWith('## ') ? '' : (parts.shift() ?? '');
    return { head, sections: parts };
  };
  const old = split(existing);
  const now = split(fresh.join('\n'));
  const title = (section: string) => section.split('\n', 1)[0] ?? '';
  const stamp = now.head
    .split('\n')
    .filter((l) => l.startsWith('- '))
    .join('; ');
  const updated = now.sections.map((sec) =>
    sec.replace(/\n/, `\n\n_This section: ${stamp.replace(/- /g, '')}._\n`),
  );
  const byTitle = new Map(updated.map((sec) => [title(sec), sec]));
  const kept = old.sections.map((sec) => byTitle.get(title(sec)) ?? sec);
  const added = updated.filter((sec) => !old.sections.some((o) => title(o) === title(sec)));
  return [old.head, ...kept, ...added].join('');
}

async function main(): Promise<void> {
  await optional('summary.ts', 'Summary and App Home');
  await optional('export.ts', 'Export and chart');
  await optional('nudges.ts', 'Weekly nudges');
  await optional('digest.ts', 'Monthly digest');
  await optional('reliability.ts', 'Load and memory');
  await optional('cpu.ts', 'CPU per request against bare Bolt');
  await optional('start.ts', 'Start: the TypeScript loader against the bundle');
  await optional('suggestions.ts', 'Tag suggestions');
  await optional('engines.ts', 'SQLite and PostgreSQL side by side');
  await optional(
    'due-tick.ts',
    'The tick reads only who is due (1k / 10k / 100k opted in, SQLite and PostgreSQL)',
  );
  await optional('instances.ts', 'One instance against three on one PostgreSQL database');
  const only = process.argv.slice(2);
  const out: string[] = [
    '# Benchmark results',
    '',
    'Written by `npm run bench`. Every figure with its goal.',
    '',
    machine(),
    '',
  ];
  let failed = 0;
  for (const s of sections) {
    if (only.length > 0 && !only.some((o) => s.title.toLowerCase().includes(o.toLowerCase()))) continue;
    process.stdout.write(`bench: ${s.title}…\n`);
    out.push(`## ${s.title}`, '', '| figure | value | goal | result |', '| --- | --- | --- | --- |');
    try {
      for (const r of await s.run()) {
        if (r.pass === false) failed += 1;
        const result = r.pass === null ? '—' : r.pass ? 'pass' : 'FAIL';
        out.push(`| ${r.name} | ${r.value} | ${r.goal} | ${result} |`);
        process.stdout.write(`  ${r.name}: ${r.value} (goal ${r.goal}) ${result}\n`);
      }
    } catch (err) {
      failed += 1;
      out.push(`| (benchmark failed) | ${(err as Error).message.replace(/\|/g, '/')} | | FAIL |`);
      process.stdout.write(`  failed: ${(err as Error).stack}\n`);
    }
    out.push('');
  }
  const file = path.join(import.meta.dirname, 'RESULTS.md');
  const text =
    only.length > 0 && fs.existsSync(file)
      ? mergeSections(fs.readFileSync(file, 'utf8'), out)
      : out.join('\n');
  fs.writeFileSync(file, `${text.trimEnd()}\n`);
  process.stdout.write(`bench: wrote bench/RESULTS.md (${failed} figure(s) missing their goal)\n`);
}

await main();
