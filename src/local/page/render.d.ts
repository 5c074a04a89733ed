/** Types of render.js (a plain ES module the browser loads as is). */

export interface RenderContext {
  userName?: (id: string) => string | undefined;
  channelName?: (id: string) => string | undefined;
  fileUrl?: (ref: { id?: string; url?: string }) => string | undefined;
  tz?: string;
  now?: number;
  errors?: Record<string, string>;
  users?: Array<{ id: string; name: string }>;
}

export function escapeHtml(value: unknown): string;
export function mrkdwnToHtml(text: unknown, ctx?: RenderContext): string;
export function textToHtml(obj: unknown, ctx?: RenderContext): string;
export function formatSlackDate(epochSec: number, format: string, ctx?: RenderContext): string | null;
export function autoBlockId(index: number): string;
export function renderElement(
  el: Record<string, unknown>,
  blockId: string,
  ctx?: RenderContext,
  where?: { input?: boolean },
): string;
export function renderBlocks(blocks: unknown, ctx?: RenderContext): string;
/** Sets Slack's shortcode table (name → emoji) the page got from /emoji.json. */
export function setEmojiTable(table: Record<string, string>): void;
/** One chosen option of a multi-select, as a removable pill. */
export function pillHtml(value: string, label: string): string;
