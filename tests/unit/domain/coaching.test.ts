/**
 * Advice for the step a person aims at: for every (current, target) pair of positions, each growth
 * axis gets the advice of the target step, and that advice names the step's substance.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { examplesForPosition, growthAdvice } from '../../../src/domain/coaching.ts';
import {
  buildLadder,
  formatProblem,
  type LadderFileInput,
  type Position,
} from '../../../src/domain/ladder/index.ts';
import { summarise } from '../../../src/domain/summary.ts';
import { LADDER_DIR, realLadder } from '../../helpers/ladder.ts';

const ladder = realLadder();
const positions = ladder.levels.filter((l): l is Position => l.kind === 'position');

/**
 * What each step is about, in words its advice must use (case-insensitive), and words that belong
 * to a lower step and must not lead the advice of this one.
 */
const SUBSTANCE: Record<string, { must: RegExp[]; not?: RegExp[] }> = {
  'technology:Adopts': { must: [/tools/] },
  'technology:Specializes': { must: [/consult|ask/, /technolog/] },
  'technology:Evangelizes': { must: [/try|trial/, /bring/] },
  'technology:Masters': { must: [/whole stack/] },
  'technology:Creates': { must: [/design/, /adopt/] },
  'system:Enhances': { must: [/features and fixes/] },
  'system:Designs': { must: [/design/, /tech-debt|tech debt/] },
  'system:Owns': { must: [/production/, /SLAs/, /health|incidents/] },
  'system:Evolves': { must: [/architecture/, /SLAs/] },
  'system:Leads': { must: [/technical bar|technical excellence/, /outage/] },
  'people:Learns': { must: [/learn/, /feedback/] },
  'people:Supports': { must: [/help/, /blockers/] },
  'people:Mentors': { must: [/mentoring/] },
  'people:Coordinates': { must: [/coordinate/, /feedback/, /discussions/], not: [/mentor/i] },
  'people:Manages': { must: [/careers/, /expectations/, /performance/], not: [/mentor/i] },
  'process:Follows': { must: [/process/, /steady/] },
  'process:Enforces': { must: [/understands the process and uses it/] },
  'process:Challenges': { must: [/question/, /better way/] },
  'process:Adjusts': { must: [/change a process/i, /guide/] },
  'process:Defines': { must: [/choose the process/i, /agility against discipline/] },
  'influence:Subsystem': { must: [/one part of the system/] },
  'influence:Team': { must: [/whole team/] },
  'influence:Multiple Teams': { must: [/other teams/, /dependencies/] },
  'influence:Company': { must: [/whole tech organisation/, /business priorities/, /senior leaders/] },
  'influence:Community': { must: [/outside the company/] },
};

describe('coaching data', () => {
  it('every step of every axis has advice and two or three examples', () => {
    for (const axis of ladder.axes) {
      for (const step of axis.steps) {
        expect(step.advice, `${axis.id}:${step.name}`).toBeTruthy();
        expect(step.examples.length, `${axis.id}:${step.name}`).toBeGreaterThanOrEqual(2);
        expect(step.examples.length, `${axis.id}:${step.name}`).toBeLessThanOrEqual(3);
        expect(SUBSTANCE[`${axis.id}:${step.name}`], `${axis.id}:${step.name}`).toBeDefined();
      }
    }
  });

  it('a missing step, an unknown step and a single example are each named', () => {
    const files: Record<string, unknown> = {};
    for (const name of readdirSync(LADDER_DIR).filter((n) => n.endsWith('.yaml') && n !== 'prompts.yaml'))
      files[name] = parse(readFileSync(path.join(LADDER_DIR, name), 'utf8'));
    // biome-ignore lint/suspicious/noExplicitAny: the test breaks values deep inside the parsed YAML
    const coaching = files['coaching.yaml'] as any;
    delete coaching.steps.people.Manages;
    coaching.steps.system.Own = coaching.steps.system.Owns;
    coaching.steps.process.Follows.examples = ['Only one.'];
    const inputs: LadderFileInput[] = Object.entries(files).map(([file, data]) => ({ file, data }));
    const result = buildLadder(inputs);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems.map(formatProblem);
    expect(problems).toEqual(['coaching.yaml: steps.process.Follows.examples: give at least 2 examples']);
    coaching.steps.process.Follows.examples = ['One.', 'Two.'];
    const again = buildLadder(inputs);
    expect(again.ok ? [] : again.problems.map(formatProblem)).toEqual([
      'coaching.yaml: steps.system.Own: unknown step "Own" (expected one of Enhances, Designs, Owns, Evolves, Leads)',
      'coaching.yaml: steps.people: no advice for step "Manages"',
    ]);
  });
});

describe('advice for the target step, every (current, target) pair', () => {
  const pairs = positions.flatMap((from) => positions.map((to) => [from, to] as const));
  it.each(pairs.map(([from, to]) => [from.code, to.code, from, to] as const))(
    '%s → %s',
    (_a, _b, from, to) => {
      const advice = growthAdvice(ladder, from, to);
      const expectedAxes = ladder.axes
        .filter((axis) => to.steps[axis.id].number > from.steps[axis.id].number)
        .map((axis) => axis.id);
      expect(advice.map((a) => a.axis.id)).toEqual(expectedAxes);
      for (const a of advice) {
        const key = `${a.axis.id}:${a.to.name}`;
        const substance = SUBSTANCE[key];
        expect(substance, key).toBeDefined();
        expect(a.to).toBe(to.steps[a.axis.id]);
        expect(a.advice).toBe(a.to.advice);
        for (const word of substance?.must ?? []) expect(a.advice, key).toMatch(word);
        for (const word of substance?.not ?? []) expect(a.advice, key).not.toMatch(word);
        expect(a.examples).toEqual(a.to.examples);
        expect(a.via.map((s) => s.number)).toEqual(
          a.axis.steps.filter((s) => s.number > a.from.number && s.number < a.to.number).map((s) => s.number),
        );
      }
      // The summary shows the same advice for the pair.
      const summary = summarise({
        entries: [],
        profile: { level: from.id, target: to.id },
        ladder,
        range: { startDate: '2026-01-01', endDate: '2026-03-31', label: 'q1' },
        now: new Date('2026-03-31T12:00:00Z'),
        tz: 'UTC',
      });
      expect(summary.growth.map((g) => [g.axis.id, g.to.name, g.suggestion])).toEqual(
        advice.map((a) => [a.axis.id, a.to.name, a.advice]),
      );
    },
  );

  it('TPM4 → TPM5 on People aims at Manages: careers, performance, expectations, not mentoring', () => {
    const tpm4 = ladder.levelsById.get('tpm4') as Position;
    const tpm5 = ladder.levelsById.get('tpm5') as Position;
    const people = growthAdvice(ladder, tpm4, tpm5).find((a) => a.axis.id === 'people');
    expect(people?.to.name).toBe('Manages');
    expect(people?.advice).toMatch(/careers/);
    expect(people?.advice).toMatch(/performance/);
    expect(people?.advice).toMatch(/expectations/);
    expect(people?.advice).not.toMatch(/mentor/i);
  });

  it('TPM3 → TPM6 on System passes Owns on the way to Evolves', () => {
    const tpm3 = ladder.levelsById.get('tpm3') as Position;
    const tpm6 = ladder.levelsById.get('tpm6') as Position;
    const system = growthAdvice(ladder, tpm3, tpm6).find((a) => a.axis.id === 'system');
    expect([system?.from.name, system?.via.map((s) => s.name), system?.to.name]).toEqual([
      'Designs',
      ['Owns'],
      'Evolves',
    ]);
  });

  it('what counts at a position: its step on every axis with examples', () => {
    const tpm5 = ladder.levelsById.get('tpm5') as Position;
    const rows = examplesForPosition(ladder, tpm5);
    expect(rows.map((r) => r.step.name)).toEqual(['Specializes', 'Owns', 'Manages', 'Defines', 'Company']);
    for (const r of rows) expect(r.examples.length).toBeGreaterThanOrEqual(2);
  });
});
