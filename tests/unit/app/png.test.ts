import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { bundledFontFiles, renderSvgToPng } from '../../../src/app/png.ts';
import {
  buildRadarSvg,
  type Point,
  RADAR_STYLE,
  type RadarSeries,
  radarVertices,
} from '../../../src/domain/chart/radar.ts';
import { TPM4_TO_TPM5 } from '../domain/chart/radar-fixture.ts';

type Rgb = [number, number, number];

function hex(colour: string): Rgb {
  const n = Number.parseInt(colour.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function pixel(png: PNG, x: number, y: number): Rgb {
  const i = (png.width * y + x) << 2;
  return [png.data[i] ?? 0, png.data[i + 1] ?? 0, png.data[i + 2] ?? 0];
}

const near = (a: Rgb, b: Rgb, tolerance = 24) =>
  Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]) <= tolerance;

/** Whether a pixel of the colour is within `radius` px of the point. */
function colourNear(png: PNG, p: Point, colour: Rgb, radius: number): boolean {
  for (let y = Math.round(p.y) - radius; y <= Math.round(p.y) + radius; y++) {
    for (let x = Math.round(p.x) - radius; x <= Math.round(p.x) + radius; x++) {
      if (x >= 0 && y >= 0 && x < png.width && y < png.height && near(pixel(png, x, y), colour)) return true;
    }
  }
  return false;
}

function darkPixels(png: PNG, box: { x0: number; y0: number; x1: number; y1: number }): number {
  let n = 0;
  for (let y = Math.max(0, Math.floor(box.y0)); y < Math.min(png.height, box.y1); y++) {
    for (let x = Math.max(0, Math.floor(box.x0)); x < Math.min(png.width, box.x1); x++) {
      const [r, g, b] = pixel(png, x, y);
      if (r < 90 && g < 90 && b < 90) n++;
    }
  }
  return n;
}

describe('renderSvgToPng (radar chart)', () => {
  const svg = buildRadarSvg(TPM4_TO_TPM5);
  const png = PNG.sync.read(renderSvgToPng(svg));
  const geometry = radarVertices(TPM4_TO_TPM5);

  it('is a PNG of at least 600 px', () => {
    expect(png.width).toBeGreaterThanOrEqual(600);
    expect(png.height).toBeGreaterThanOrEqual(600);
    const small = PNG.sync.read(renderSvgToPng(buildRadarSvg({ ...TPM4_TO_TPM5, size: 600 })));
    expect([small.width, small.height]).toEqual([600, 600]);
  });

  it('draws each polygon’s colour at its vertices (TPM4 → TPM5 with some evidence)', () => {
    for (const series of ['target', 'current', 'coverage'] as RadarSeries[]) {
      const colour = hex(RADAR_STYLE[series].colour);
      for (const [i, vertex] of (geometry[series] ?? []).entries()) {
        expect(colourNear(png, vertex, colour, 8), `${series} vertex ${i}`).toBe(true);
      }
    }
    // Markers are drawn target, current, coverage: where a vertex is nobody else's, its own colour
    // is right at the centre. System: current 2, target 3, evidence 1 are three distinct points.
    const system = 1;
    for (const series of ['target', 'current', 'coverage'] as RadarSeries[]) {
      const p = geometry[series]?.[system] as Point;
      expect(
        near(pixel(png, Math.round(p.x), Math.round(p.y)), hex(RADAR_STYLE[series].colour)),
        series,
      ).toBe(true);
    }
    // And not where the polygon is not: no evidence marker at the System target vertex.
    const systemTarget = geometry.target?.[system] as Point;
    expect(colourNear(png, systemTarget, hex(RADAR_STYLE.coverage.colour), 8)).toBe(false);
  });

  it('has no target colour in the chart when no target is set', () => {
    const input = {
      ...TPM4_TO_TPM5,
      axes: TPM4_TO_TPM5.axes.map((a) => ({ ...a, target: null, coverage: null })),
    };
    const plain = PNG.sync.read(renderSvgToPng(buildRadarSvg(input)));
    const orange = hex(RADAR_STYLE.target.colour);
    const g = radarVertices(input);
    const chartRadius = g.rings[g.rings.length - 1] ?? 0;
    expect(colourNear(plain, g.center, orange, Math.round(chartRadius))).toBe(false);
  });

  it('renders the text with the bundled font only (no system fonts)', () => {
    const top = geometry.axes[0]?.end as Point;
    const technologyLabel = { x0: top.x - 80, y0: top.y - 70, x1: top.x + 80, y1: top.y - 8 };
    const title = { x0: 100, y0: 15, x1: 700, y1: 55 };
    const legend = { x0: geometry.width / 2 - 80, y0: 660, x1: geometry.width - 20, y1: 750 };
    for (const box of [technologyLabel, title, legend]) expect(darkPixels(png, box)).toBeGreaterThan(150);

    // The same SVG with no font at all draws no text: so the text above came from the bundled font.
    const noFont = new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: [] }, logLevel: 'off' });
    const blank = PNG.sync.read(noFont.render().asPng());
    for (const box of [technologyLabel, title]) expect(darkPixels(blank, box)).toBe(0);
  });

  it('finds its font files in the installed package', () => {
    const files = bundledFontFiles();
    expect(files.map((f) => f.split(/[\\/]/).pop())).toEqual(['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf']);
  });

  it('scales to a requested width', () => {
    const wide = PNG.sync.read(renderSvgToPng(svg, { width: 1200, background: '#ffffff' }));
    expect([wide.width, wide.height]).toEqual([1200, 1200]);
  });
});
