/**
 * SVG → PNG in-process with resvg, using the bundled DejaVu Sans font only, so the chart's text
 * renders the same on a machine with no fonts installed (containers, CI) as on a laptop.
 *
 * Font: the `dejavu-fonts-ttf` npm package (DejaVu fonts: Bitstream Vera licence with DejaVu
 * changes in the public domain; see its LICENSE). resvg needs TTF/OTF files, not WOFF2.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

export const BUNDLED_FONT_FAMILY = 'DejaVu Sans';
const FONT_PACKAGE = 'dejavu-fonts-ttf';
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

let fontFiles: string[] | undefined;

/** Absolute paths of the bundled font files (regular and bold). Throws if the package is missing. */
export function bundledFontFiles(): string[] {
  if (fontFiles !== undefined) return fontFiles;
  const require = createRequire(import.meta.url);
  let root: string;
  try {
    root = dirname(require.resolve(`${FONT_PACKAGE}/package.json`));
  } catch (cause) {
    throw new Error(`the chart font package ${FONT_PACKAGE} is not installed (npm install)`, { cause });
  }
  const files = FONT_FILES.map((file) => join(root, 'ttf', file));
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length > 0) throw new Error(`chart font files missing: ${missing.join(', ')}`);
  fontFiles = files;
  return files;
}

export interface PngOptions {
  /** Output width in pixels; the height follows the SVG's aspect ratio. Default: the SVG's width. */
  width?: number;
  /** Background behind transparent areas, as a CSS colour. Default: transparent. */
  background?: string;
}

/** Renders an SVG document to PNG bytes. Synchronous; a 800 × 800 chart takes tens of milliseconds. */
export function renderSvgToPng(svg: string, options: PngOptions = {}): Buffer {
  const resvg = new Resvg(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: bundledFontFiles(),
      defaultFontFamily: BUNDLED_FONT_FAMILY,
      sansSerifFamily: BUNDLED_FONT_FAMILY,
    },
    fitTo: options.width === undefined ? { mode: 'original' } : { mode: 'width', value: options.width },
    ...(options.background === undefined ? {} : { background: options.background }),
    logLevel: 'off',
  });
  return resvg.render().asPng();
}
