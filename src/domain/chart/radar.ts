/**
 * The radar chart of progress, as SVG, in the ladder's convention: a regular polygon (a pentagon
 * for the five axes), axes clockwise from the top in the given order, step k on the ring at
 * k/(maxStep + 1) of the radius (k/6 for five steps, so the outer ring is at 5/6).
 *
 * Three polygons: the current level (solid blue, hatched, square markers), the target level
 * (dashed orange, the TPM colour, diamond markers) and the evidence coverage (dotted green, dotted
 * fill, round markers). Colour is never the only cue: each has its own line style, fill pattern and
 * marker shape, and the legend names them in text. Pure and deterministic: same input, same bytes.
 */
import { SLACK_LIMITS } from '../../slack-limits.ts';
import type { PacketInput } from '../export/packet.ts';

export interface RadarAxisInput {
  id: string;
  /** The axis name shown at its tip, e.g. 'Technology'. */
  label: string;
  /** Step the current level expects (1…maxStep), or null when no level is set. */
  current: number | null;
  /** Step the target level expects, or null when no target is set. */
  target: number | null;
  /** Evidence coverage in steps (see {@link evidenceCoverage}), or null when not measured. */
  coverage: number | null;
  /** Name of the current step, shown under the axis name, e.g. 'Designs'. */
  currentStepName?: string | null;
  /** Name of the target step, e.g. 'Owns'. */
  targetStepName?: string | null;
}

export interface RadarInput {
  /** At least three axes, drawn clockwise from the top in this order. */
  axes: RadarAxisInput[];
  /** The highest step (5 on the ladder): the number of rings. */
  maxStep: number;
  title?: string;
  /** Width and height in pixels; at least 600 (smaller values are raised to 600). Default 800. */
  size?: number;
  /** Legend texts, e.g. `{ current: 'Current level: TPM4', target: 'Target: TPM5' }`. */
  legend?: { current?: string; target?: string; coverage?: string };
}

export interface Point {
  x: number;
  y: number;
}

export interface RadarGeometry {
  width: number;
  height: number;
  center: Point;
  /** The full radius: step k is at k/(maxStep + 1) of it. */
  radius: number;
  /** Radius of ring k at index k − 1. */
  rings: number[];
  /** Per axis: its angle (radians, screen coordinates, −π/2 is up) and the outer ring's vertex. */
  axes: Array<{ id: string; angle: number; end: Point }>;
  /** Vertices per axis, or null when the polygon is not drawn (every value null). */
  current: Point[] | null;
  target: Point[] | null;
  coverage: Point[] | null;
}

export const RADAR_STYLE = {
  current: { colour: '#4472C4', dash: null, marker: 'square' },
  target: { colour: '#ED7D31', dash: '12 6', marker: 'diamond' },
  coverage: { colour: '#1B7F5B', dash: '0.1 7', marker: 'circle' },
} as const;

export type RadarSeries = keyof typeof RADAR_STYLE;
const SERIES: readonly RadarSeries[] = ['target', 'current', 'coverage'];

export const RADAR_MIN_SIZE = 600;
const DEFAULT_SIZE = 800;
/** Layout is designed at 800 px and scaled. */
const BASE = 800;
const BASE_RADIUS = 252;
const BASE_CENTER_Y = 372;
const FONT_FAMILY = "'DejaVu Sans', Verdana, Arial, sans-serif";
const TEXT_COLOUR = '#1F1F1F';
const MUTED_COLOUR = '#595959';
const GRID_COLOUR = '#BFBFBF';
const MAX_TITLE_CHARS = 70;
const MAX_LABEL_CHARS = 32;

/**
 * Evidence coverage on one axis, in steps: the target step × min(1, entries ÷ thin threshold).
 * Null without a target step (nothing to measure against).
 */
export function evidenceCoverage(
  targetStep: number | null,
  entries: number,
  thinThreshold: number,
): number | null {
  if (targetStep === null) return null;
  if (thinThreshold <= 0) return targetStep;
  return targetStep * Math.min(1, Math.max(0, entries) / thinThreshold);
}

/** "TPM5", or "Lead TPM (TPM5)" when the person chose the role. */
function legendName(level: { code: string; role?: string | null }): string {
  return level.role ? `${level.role} (${level.code})` : level.code;
}

/** The chart's input for a review packet: steps from the levels, coverage from the entries. */
export function radarInputFromPacket(
  packet: PacketInput,
  options: { thinThreshold: number; title?: string; size?: number; maxStep?: number },
): RadarInput {
  const axes = packet.axes.map((axis) => {
    let entries = 0;
    for (const e of packet.entries)
      if (e.axes.includes(axis.id) || e.suggestedAxes.includes(axis.id)) entries++;
    const target = axis.targetStep?.number ?? null;
    return {
      id: axis.id,
      label: axis.name,
      current: axis.currentStep?.number ?? null,
      target,
      coverage: evidenceCoverage(target, entries, options.thinThreshold),
      currentStepName: axis.currentStep?.name ?? null,
      targetStepName: axis.targetStep?.name ?? null,
    };
  });
  const input: RadarInput = {
    axes,
    maxStep: options.maxStep ?? 5,
    legend: {
      current: packet.level === null ? 'Current level' : `Current level: ${legendName(packet.level)}`,
      target: packet.target === null ? 'Target level' : `Target level: ${legendName(packet.target)}`,
      coverage: `Evidence coverage: ${packet.period.label}`,
    },
  };
  if (options.title !== undefined) input.title = options.title;
  if (options.size !== undefined) input.size = options.size;
  return input;
}

function chartSize(input: RadarInput): number {
  const size = input.size ?? DEFAULT_SIZE;
  return Number.isFinite(size) ? Math.max(RADAR_MIN_SIZE, Math.round(size)) : DEFAULT_SIZE;
}

function clampStep(value: number | null, maxStep: number): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  return Math.min(maxStep, Math.max(0, value));
}

/** Where everything is, in pixels: the same numbers the SVG uses, for tests and hit checks. */
export function radarVertices(input: RadarInput): RadarGeometry {
  const n = input.axes.length;
  if (n < 3) throw new RangeError('a radar chart needs at least three axes');
  if (!Number.isInteger(input.maxStep) || input.maxStep < 1)
    throw new RangeError('maxStep must be a positive integer');
  const size = chartSize(input);
  const scale = size / BASE;
  const center = { x: size / 2, y: BASE_CENTER_Y * scale };
  const radius = BASE_RADIUS * scale;
  const stepRadius = radius / (input.maxStep + 1);
  const angles = input.axes.map((_, i) => -Math.PI / 2 + (2 * Math.PI * i) / n);
  const at = (angle: number, r: number): Point => ({
    x: center.x + r * Math.cos(angle),
    y: center.y + r * Math.sin(angle),
  });
  const polygon = (pick: (axis: RadarAxisInput) => number | null): Point[] | null => {
    const values = input.axes.map((axis) => clampStep(pick(axis), input.maxStep));
    if (values.every((v) => v === null)) return null;
    return values.map((v, i) => at(angles[i] ?? 0, (v ?? 0) * stepRadius));
  };
  return {
    width: size,
    height: size,
    center,
    radius,
    rings: Array.from({ length: input.maxStep }, (_, k) => (k + 1) * stepRadius),
    axes: input.axes.map((axis, i) => ({
      id: axis.id,
      angle: angles[i] ?? 0,
      end: at(angles[i] ?? 0, input.maxStep * stepRadius),
    })),
    current: polygon((a) => a.current),
    target: polygon((a) => a.target),
    coverage: polygon((a) => a.coverage),
  };
}

/** Rounds for output: two decimals, no `-0`, so the SVG is byte-stable. */
function num(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return String(rounded === 0 ? 0 : rounded);
}

function stepNumber(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return String(rounded === 0 ? 0 : rounded);
}

// Control characters (tab and newlines aside), non-characters and lone surrogates: not allowed in XML.
const INVALID_XML = /[^\P{Cc}\t\n\r]|[\uFFFE\uFFFF]|[\uD800-\uDFFF]/gu;

/** Text for an SVG text node or attribute: invalid XML characters dropped, markup escaped. */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function shorten(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const chars = [...oneLine];
  return chars.length <= max ? oneLine : `${chars.slice(0, max - 1).join('')}…`;
}

function points(vertices: readonly Point[]): string {
  return vertices.map((p) => `${num(p.x)},${num(p.y)}`).join(' ');
}

function marker(series: RadarSeries, p: Point, scale: number): string {
  const { colour, marker: shape } = RADAR_STYLE[series];
  const outline = `stroke="#FFFFFF" stroke-width="${num(1.5 * scale)}"`;
  if (shape === 'diamond') {
    const r = 9.5 * scale;
    const d = `M${num(p.x)} ${num(p.y - r)}L${num(p.x + r)} ${num(p.y)}L${num(p.x)} ${num(p.y + r)}L${num(p.x - r)} ${num(p.y)}Z`;
    return `<path d="${d}" fill="${colour}" ${outline}/>`;
  }
  if (shape === 'square') {
    const h = 6 * scale;
    return `<rect x="${num(p.x - h)}" y="${num(p.y - h)}" width="${num(2 * h)}" height="${num(2 * h)}" fill="${colour}" ${outline}/>`;
  }
  return `<circle cx="${num(p.x)}" cy="${num(p.y)}" r="${num(4 * scale)}" fill="${colour}" ${outline}/>`;
}

function lineStyle(series: RadarSeries, scale: number): string {
  const { colour, dash } = RADAR_STYLE[series];
  const width = `stroke="${colour}" stroke-width="${num(3 * scale)}" stroke-linejoin="round"`;
  if (dash === null) return width;
  const scaled = dash
    .split(' ')
    .map((d) => num(Number(d) * scale))
    .join(' ');
  // The coverage line is a row of round dots: near-zero dashes with round caps.
  const cap = series === 'coverage' ? ' stroke-linecap="round"' : '';
  return `${width} stroke-dasharray="${scaled}"${cap}`;
}

function fill(series: RadarSeries): string {
  if (series === 'target') return `fill="${RADAR_STYLE.target.colour}" fill-opacity="0.12"`;
  return `fill="url(#ladder-radar-${series})"`;
}

function defaultLegend(series: RadarSeries): string {
  return { current: 'Current level', target: 'Target level', coverage: 'Evidence coverage' }[series];
}

/** The chart as a standalone SVG document. */
export function buildRadarSvg(input: RadarInput): string {
  const g = radarVertices(input);
  const s = g.width / BASE;
  const title = input.title === undefined ? '' : shorten(input.title, MAX_TITLE_CHARS);
  const out = [
    ...svgHead(input, g, title, s),
    ...gridSvg(g, s),
    ...seriesSvg(g, s),
    ...input.axes.flatMap((axis, i) => axisLabelSvg(axis, g.axes[i], input.maxStep, s)),
    ...legendSvg(input, g, s),
    '</svg>',
  ];
  return `${out.join('\n')}\n`;
}

/** Pixels at the 800 px design size, scaled and rounded. */
function scaled(s: number): (v: number) => string {
  return (v) => num(v * s);
}

/** The root element, its accessible title and description, the fill patterns, the background and the title. */
function svgHead(input: RadarInput, g: RadarGeometry, title: string, s: number): string[] {
  const px = scaled(s);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${g.width}" height="${g.height}" viewBox="0 0 ${g.width} ${g.height}" role="img" aria-labelledby="ladder-radar-title ladder-radar-desc" font-family="${escapeXml(FONT_FAMILY)}">`,
  );
  out.push(
    `<title id="ladder-radar-title">${escapeXml(title === '' ? 'Ladder radar chart' : title)}</title>`,
  );
  out.push(`<desc id="ladder-radar-desc">${escapeXml(radarAltText(input))}</desc>`);
  out.push('<defs>');
  out.push(
    `<pattern id="ladder-radar-current" patternUnits="userSpaceOnUse" width="${px(8)}" height="${px(8)}" patternTransform="rotate(45)"><rect width="${px(8)}" height="${px(8)}" fill="${RADAR_STYLE.current.colour}" fill-opacity="0.08"/><line x1="0" y1="0" x2="0" y2="${px(8)}" stroke="${RADAR_STYLE.current.colour}" stroke-opacity="0.45" stroke-width="${px(2)}"/></pattern>`,
  );
  out.push(
    `<pattern id="ladder-radar-coverage" patternUnits="userSpaceOnUse" width="${px(9)}" height="${px(9)}"><circle cx="${px(4.5)}" cy="${px(4.5)}" r="${px(1.6)}" fill="${RADAR_STYLE.coverage.colour}" fill-opacity="0.6"/></pattern>`,
  );
  out.push('</defs>');
  out.push(`<rect width="${g.width}" height="${g.height}" fill="#FFFFFF"/>`);
  if (title !== '') {
    out.push(
      `<text x="${num(g.width / 2)}" y="${px(44)}" text-anchor="middle" font-size="${px(22)}" font-weight="bold" fill="${TEXT_COLOUR}">${escapeXml(title)}</text>`,
    );
  }
  return out;
}

/** One ring per step, spokes to the outer ring, step numbers beside the top spoke. */
function gridSvg(g: RadarGeometry, s: number): string[] {
  const px = scaled(s);
  const out: string[] = [];
  out.push(`<g fill="none" stroke="${GRID_COLOUR}" stroke-width="${px(1)}">`);
  for (const [k, r] of g.rings.entries()) {
    const ring = g.axes.map((a) => ({
      x: g.center.x + r * Math.cos(a.angle),
      y: g.center.y + r * Math.sin(a.angle),
    }));
    const outer = k === g.rings.length - 1;
    out.push(
      `<polygon points="${points(ring)}"${outer ? ` stroke="#8C8C8C" stroke-width="${px(1.5)}"` : ''}/>`,
    );
  }
  for (const a of g.axes) {
    out.push(
      `<line x1="${num(g.center.x)}" y1="${num(g.center.y)}" x2="${num(a.end.x)}" y2="${num(a.end.y)}"/>`,
    );
  }
  out.push('</g>');
  out.push(`<g font-size="${px(11)}" fill="${MUTED_COLOUR}" text-anchor="end">`);
  for (const [k, r] of g.rings.entries()) {
    out.push(`<text x="${num(g.center.x - 11 * s)}" y="${num(g.center.y - r + 4 * s)}">${k + 1}</text>`);
  }
  out.push('</g>');
  return out;
}

/** Polygons, then every marker on top so that none hides another polygon's vertex entirely. */
function seriesSvg(g: RadarGeometry, s: number): string[] {
  const out: string[] = [];
  for (const series of SERIES) {
    const vertices = g[series];
    if (vertices === null) continue;
    out.push(
      `<polygon data-series="${series}" points="${points(vertices)}" ${fill(series)} ${lineStyle(series, s)}/>`,
    );
  }
  for (const series of SERIES) {
    const vertices = g[series];
    if (vertices === null) continue;
    out.push(`<g data-series="${series}-markers">`);
    for (const p of vertices) out.push(marker(series, p, s));
    out.push('</g>');
  }
  return out;
}

/** The lines of an axis label: the name, then the step names of the current and target levels. */
function axisLabelLines(axis: RadarAxisInput, maxStep: number): Array<{ text: string; bold: boolean }> {
  const lines: Array<{ text: string; bold: boolean }> = [
    { text: shorten(axis.label, MAX_LABEL_CHARS), bold: true },
  ];
  const currentName = axis.currentStepName ?? null;
  const targetName = axis.targetStepName ?? null;
  const current = clampStep(axis.current, maxStep);
  const target = clampStep(axis.target, maxStep);
  if (currentName !== null && current !== null) {
    lines.push({
      text: shorten(`now: ${currentName} (${stepNumber(current)})`, MAX_LABEL_CHARS),
      bold: false,
    });
  }
  if (targetName !== null && target !== null) {
    lines.push({
      text: shorten(`target: ${targetName} (${stepNumber(target)})`, MAX_LABEL_CHARS),
      bold: false,
    });
  }
  return lines;
}

/** An axis label beyond the tip of its spoke, anchored by the side of the chart it is on. */
function axisLabelSvg(
  axis: RadarAxisInput,
  a: RadarGeometry['axes'][number] | undefined,
  maxStep: number,
  s: number,
): string[] {
  if (a === undefined) return [];
  const px = scaled(s);
  const cos = Math.cos(a.angle);
  const sin = Math.sin(a.angle);
  const gap = 16 * s;
  const anchorPoint = { x: a.end.x + gap * cos, y: a.end.y + gap * sin };
  const anchor = cos > 0.3 ? 'start' : cos < -0.3 ? 'end' : 'middle';
  const lines = axisLabelLines(axis, maxStep);
  const lineHeight = 16 * s;
  // Above the top vertex the block grows upwards; below the bottom ones it grows downwards.
  const firstBaseline =
    sin < -0.5
      ? anchorPoint.y - (lines.length - 1) * lineHeight
      : sin > 0.5
        ? anchorPoint.y + 12 * s
        : anchorPoint.y - ((lines.length - 1) * lineHeight) / 2 + 4 * s;
  const out = [`<text text-anchor="${anchor}" fill="${TEXT_COLOUR}" font-size="${px(12.5)}">`];
  for (const [j, line] of lines.entries()) {
    out.push(
      `<tspan x="${num(anchorPoint.x)}" y="${num(firstBaseline + j * lineHeight)}"${line.bold ? ` font-weight="bold" font-size="${px(15)}"` : ''}>${escapeXml(line.text)}</tspan>`,
    );
  }
  out.push('</text>');
  return out;
}

/** A sample of each line with its marker, and its name in text. */
function legendSvg(input: RadarInput, g: RadarGeometry, s: number): string[] {
  const px = scaled(s);
  const legendX = g.width / 2 - 150 * s;
  const out = [`<g font-size="${px(14)}" fill="${TEXT_COLOUR}">`];
  for (const [i, series] of (['current', 'target', 'coverage'] as const).entries()) {
    const y = (676 + i * 28) * s;
    const sample = [
      { x: legendX, y },
      { x: legendX + 48 * s, y },
    ];
    const drawn = g[series] !== null;
    const name = shorten(input.legend?.[series] ?? defaultLegend(series), 48);
    const text = drawn ? name : `${name}: not set`;
    out.push(`<polyline points="${points(sample)}" fill="none" ${lineStyle(series, s)}/>`);
    out.push(marker(series, { x: legendX + 24 * s, y }, s));
    out.push(`<text x="${num(legendX + 62 * s)}" y="${num(y + 5 * s)}">${escapeXml(text)}</text>`);
  }
  out.push('</g>');
  return out;
}

/**
 * The chart's numbers in words, for Slack's image `alt_text` (at most 2,000 characters), e.g.
 * "Technology: current 2, target 2, evidence 2/2; System: current 2, target 3, evidence 1.5/3; …".
 */
export function radarAltText(input: RadarInput): string {
  const parts = input.axes.map((axis) => {
    const current = clampStep(axis.current, input.maxStep);
    const target = clampStep(axis.target, input.maxStep);
    const coverage = clampStep(axis.coverage, input.maxStep);
    const evidence =
      coverage === null
        ? 'evidence not measured'
        : target === null
          ? `evidence ${stepNumber(coverage)}`
          : `evidence ${stepNumber(coverage)}/${stepNumber(target)}`;
    return `${shorten(axis.label, MAX_LABEL_CHARS)}: current ${current === null ? 'not set' : stepNumber(current)}, target ${target === null ? 'not set' : stepNumber(target)}, ${evidence}`;
  });
  const title = input.title === undefined ? '' : shorten(input.title, MAX_TITLE_CHARS);
  const levels = [input.legend?.current, input.legend?.target].filter((l) => l !== undefined);
  const who = levels.length > 0 ? ` ${levels.join('; ')}.` : '';
  const text = `${title === '' ? 'Radar chart' : title} (steps out of ${input.maxStep}).${who} ${parts.join('; ')}.`;
  const max = SLACK_LIMITS.imageAltText;
  return [...text].length <= max ? text : `${[...text].slice(0, max - 1).join('')}…`;
}
