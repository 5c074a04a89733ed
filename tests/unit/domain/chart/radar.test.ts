import { describe, expect, it } from 'vitest';
import {
  buildRadarSvg,
  evidenceCoverage,
  radarAltText,
  radarInputFromPacket,
  radarVertices,
} from '../../../../src/domain/chart/radar.ts';
import { expectGolden } from '../../../helpers/golden.ts';
import { PACKET } from '../export/packet-fixture.ts';
import { TPM4_TO_TPM5 } from './radar-fixture.ts';

const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-9);

describe('radarVertices', () => {
  const g = radarVertices(TPM4_TO_TPM5);

  it('is a regular pentagon with step k at k/6 of the radius', () => {
    expect(g.rings.map((r) => r / g.radius)).toEqual([1, 2, 3, 4, 5].map((k) => expect.closeTo(k / 6, 12)));
    const outer = g.axes.map((a) => a.end);
    for (const p of outer) close(Math.hypot(p.x - g.center.x, p.y - g.center.y), (5 / 6) * g.radius);
    const sides = outer.map((p, i) => {
      const q = outer[(i + 1) % outer.length] ?? p;
      return Math.hypot(q.x - p.x, q.y - p.y);
    });
    for (const side of sides) close(side, sides[0] ?? 0);
  });

  it('puts the axes clockwise from the top in the given order', () => {
    const [technology, system, people, process, influence] = g.axes.map((a) => a.end);
    close(technology?.x ?? 0, g.center.x);
    expect(technology?.y).toBeLessThan(g.center.y);
    expect(system?.x).toBeGreaterThan(g.center.x);
    expect(system?.y).toBeLessThan(g.center.y);
    expect(people?.x).toBeGreaterThan(g.center.x);
    expect(people?.y).toBeGreaterThan(g.center.y);
    expect(process?.x).toBeLessThan(g.center.x);
    expect(process?.y).toBeGreaterThan(g.center.y);
    expect(influence?.x).toBeLessThan(g.center.x);
    expect(influence?.y).toBeLessThan(g.center.y);
    expect(g.axes.map((a) => a.id)).toEqual(['technology', 'system', 'people', 'process', 'influence']);
  });

  it('places each value on its ring', () => {
    const step = g.radius / 6;
    const distance = (p: { x: number; y: number } | undefined) =>
      Math.hypot((p?.x ?? 0) - g.center.x, (p?.y ?? 0) - g.center.y) / step;
    expect(g.current?.map(distance).map((d) => Math.round(d * 1000) / 1000)).toEqual([2, 2, 4, 5, 3]);
    expect(g.target?.map(distance).map((d) => Math.round(d * 1000) / 1000)).toEqual([2, 3, 5, 5, 4]);
    expect(g.coverage?.map(distance).map((d) => Math.round(d * 1000) / 1000)).toEqual([2, 1, 5, 3.333, 0]);
  });

  it('is at least 600 px and leaves out polygons with no values', () => {
    expect(radarVertices({ ...TPM4_TO_TPM5, size: 300 }).width).toBe(600);
    const noLevel = radarVertices({
      ...TPM4_TO_TPM5,
      axes: TPM4_TO_TPM5.axes.map((a) => ({ ...a, current: null, coverage: null })),
    });
    expect(noLevel.current).toBeNull();
    expect(noLevel.coverage).toBeNull();
    expect(noLevel.target).not.toBeNull();
  });
});

describe('buildRadarSvg', () => {
  const svg = buildRadarSvg(TPM4_TO_TPM5);

  it('matches the reviewed golden file and is deterministic', () => {
    expectGolden('radar.svg', svg);
    expect(buildRadarSvg(structuredClone(TPM4_TO_TPM5))).toBe(svg);
  });

  it('never relies on colour alone: line styles, patterns, marker shapes and a text legend', () => {
    expect(svg).toMatch(/data-series="target"[^>]*stroke-dasharray="12 6"/);
    expect(svg).toMatch(
      /data-series="coverage"[^>]*fill="url\(#ladder-radar-coverage\)"[^>]*stroke-dasharray/,
    );
    expect(svg).toMatch(/data-series="current"[^>]*fill="url\(#ladder-radar-current\)"/);
    expect(svg).not.toMatch(/data-series="current"[^>]*stroke-dasharray/);
    expect(svg).toContain('<path d="M');
    expect(svg).toContain('<rect x=');
    expect(svg).toContain('<circle cx=');
    for (const text of ['Current level: TPM4', 'Target level: TPM5', 'Evidence coverage: last 12 months']) {
      expect(svg).toContain(`>${text}</text>`);
    }
    expect(svg).toContain('#ED7D31');
  });

  it('labels each axis with its name and step names', () => {
    for (const label of ['Technology', 'System', 'People', 'Process', 'Influence'])
      expect(svg).toContain(`>${label}</tspan>`);
    expect(svg).toContain('>now: Designs (2)</tspan>');
    expect(svg).toContain('>target: Owns (3)</tspan>');
  });

  it('escapes text so that it cannot break the document', () => {
    const hostile = buildRadarSvg({ ...TPM4_TO_TPM5, title: '<script>alert("x")</script> & \u0007' });
    expect(hostile).not.toContain('<script');
    expect(hostile).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;');
    expect(hostile).not.toContain('\u0007');
  });

  it('says in the legend when a polygon is not drawn', () => {
    const noTarget = buildRadarSvg({
      ...TPM4_TO_TPM5,
      axes: TPM4_TO_TPM5.axes.map((a) => ({ ...a, target: null, coverage: null })),
    });
    expect(noTarget).not.toContain('data-series="target"');
    expect(noTarget).toContain('>Target level: TPM5: not set</text>');
  });
});

describe('radarAltText', () => {
  it('states the numbers', () => {
    expect(radarAltText(TPM4_TO_TPM5)).toBe(
      'Ada Lovelace: TPM4 → TPM5, last 12 months (steps out of 5). Current level: TPM4; Target level: TPM5. ' +
        'Technology: current 2, target 2, evidence 2/2; System: current 2, target 3, evidence 1/3; ' +
        'People: current 4, target 5, evidence 5/5; Process: current 5, target 5, evidence 3.3/5; ' +
        'Influence: current 3, target 4, evidence 0/4.',
    );
  });

  it('says what is not set', () => {
    const text = radarAltText({
      maxStep: 5,
      axes: TPM4_TO_TPM5.axes.map((a) => ({ ...a, current: null, target: null, coverage: null })),
    });
    expect(text).toContain('Technology: current not set, target not set, evidence not measured');
    expect(text.startsWith('Radar chart (steps out of 5).')).toBe(true);
  });
});

describe('from a packet', () => {
  it('uses the levels’ steps and target × min(1, entries ÷ thin threshold)', () => {
    expect(evidenceCoverage(3, 2, 3)).toBe(2);
    expect(evidenceCoverage(3, 9, 3)).toBe(3);
    expect(evidenceCoverage(null, 9, 3)).toBeNull();
    const input = radarInputFromPacket(PACKET, { thinThreshold: 3 });
    expect(radarAltText(input)).toBe(
      'Radar chart (steps out of 5). Current level: TPM4; Target level: TPM5. Technology: current 2, target 2, evidence 2/2; ' +
        'System: current 2, target 3, evidence 2/3; People: current 4, target 5, evidence 3.3/5; ' +
        'Process: current 5, target 5, evidence 5/5; Influence: current 3, target 4, evidence 4/4.',
    );
    expect(input.legend).toEqual({
      current: 'Current level: TPM4',
      target: 'Target level: TPM5',
      coverage: 'Evidence coverage: last 12 months',
    });
  });
});
