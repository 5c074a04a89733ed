/**
 * Small pieces shared by the ladder's Block Kit builders: escaping, length limits, block
 * constructors and how levels are named. Pure.
 */

import type { types } from '@slack/bolt';
import type { Level } from '../../domain/ladder/model.ts';
import type { ChosenLevel } from '../../domain/profile.ts';
import { SLACK_LIMITS } from '../../slack-limits.ts';

export type Block = types.KnownBlock;

/** What every builder returns: blocks plus the plain-text fallback notifications and screen readers use. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** What the builders cap their parts at: Slack's limits, and two budgets of their own. */
export const LIMITS = {
  sectionText: SLACK_LIMITS.sectionText,
  field: SLACK_LIMITS.sectionFieldText,
  header: SLACK_LIMITS.headerText,
  buttonText: SLACK_LIMITS.buttonText,
  contextElements: SLACK_LIMITS.contextElements,
  actionsElements: SLACK_LIMITS.actionsElements,
  blocks: SLACK_LIMITS.blocksPerMessage,
  /** Block text per message, kept well under Slack's msg_blocks_too_long threshold. */
  messageText: 12_000,
  /** Notification fallback; Slack truncates long ones anyway. */
  fallbackText: 3000,
  /** Where long text is cut into sections, with room under Slack's limit per section. */
  sectionChunk: 2800,
} as const;

/** Escapes the three characters mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Shortens to at most `max` UTF-16 units (Slack's count), ending with "…", never splitting a pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const char of text) {
    if (out.length + char.length > max - 1) break;
    out += char;
  }
  return `${out}…`;
}

/** Untrusted text shown in mrkdwn: escaped, shortened, and with formatting characters neutralised. */
export function quoteUserText(text: string, max = 80): string {
  const oneLine = text.replace(/\s+/gu, ' ').trim();
  return escapeMrkdwn(truncate(oneLine, max)).replace(/[*_~`]/g, (c) => `\u200b${c}\u200b`);
}

/** An option of a select menu, its text capped at Slack's limit (an option group's label has the same). */
export function option(text: string, value: string): types.PlainTextOption {
  return { text: { type: 'plain_text', text: truncate(text, SLACK_LIMITS.optionText), emoji: false }, value };
}

export function header(text: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, LIMITS.header), emoji: false } };
}

export function section(mrkdwn: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, LIMITS.sectionText) } };
}

export function context(...mrkdwn: string[]): Block {
  return {
    type: 'context',
    elements: mrkdwn
      .slice(0, LIMITS.contextElements)
      .map((text) => ({ type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) })),
  };
}

export function divider(): Block {
  return { type: 'divider' };
}

export interface ButtonSpec {
  text: string;
  actionId: string;
  value: string;
  style?: 'primary';
}

export function button(spec: ButtonSpec): types.Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(spec.text, LIMITS.buttonText), emoji: false },
    action_id: spec.actionId,
    value: spec.value,
    ...(spec.style ? { style: spec.style } : {}),
  };
}

/** Actions blocks of at most 25 buttons each. */
export function actions(buttons: readonly types.Button[]): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.actionsElements) {
    blocks.push({ type: 'actions', elements: buttons.slice(i, i + LIMITS.actionsElements) });
  }
  return blocks;
}

/** "TPM5" or "Lead TPM": how a level is named in running text and on buttons. */
export function levelName(level: Level): string {
  return level.kind === 'position' ? level.code : level.name;
}

/** "TPM5 · Senior Staff Engineer" or "Lead TPM": the full name used in headers and lists. */
export function levelTitle(level: Level): string {
  return level.kind === 'position' ? `${level.code} · ${level.title}` : level.name;
}

/**
 * A level as the person chose it, role first: "Lead TPM (compared with TPM5)", or
 * "TPM5 · Senior Staff Engineer" when they chose the position.
 */
export function chosenName(chosen: ChosenLevel): string {
  return chosen.role
    ? `${chosen.role.name} (compared with ${chosen.position.code})`
    : `${chosen.position.code} · ${chosen.position.title}`;
}

/**
 * The message's `text`: plain words on one line, bounded. Slack reads it as mrkdwn, so the
 * control characters are escaped here (pass unescaped text).
 */
export function fallback(text: string): string {
  return escapeMrkdwn(truncate(text.replace(/\s+/gu, ' ').trim(), LIMITS.fallbackText));
}

/** Untrusted text for a fallback: one line and shortened (`fallback` escapes it). */
export function plainUserText(text: string, max = 80): string {
  return truncate(text.replace(/\s+/gu, ' ').trim(), max);
}

/**
 * Keeps a message within Slack's block count: when over, the last blocks are replaced by a
 * context line saying the rest was left out (the fallback text stays complete).
 */
export function capBlocks(
  blocks: Block[],
  note = 'Some content was left out to fit in one message.',
): Block[] {
  if (blocks.length <= LIMITS.blocks) return blocks;
  return [...blocks.slice(0, LIMITS.blocks - 1), context(note)];
}
