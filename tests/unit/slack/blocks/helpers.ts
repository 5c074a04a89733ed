import { expect } from 'vitest';
import { checkMessage } from '../../../../src/local/block-limits.ts';
import type { SlackMessage } from '../../../../src/slack/blocks/format.ts';
import { decodeLevelValue } from '../../../../src/slack/blocks/values.ts';
import { ActionId, actionIdPattern } from '../../../../src/slack/ids.ts';

interface ButtonLike {
  type: 'button';
  action_id: string;
  value?: string;
  text: { text: string };
}

/** Every button in a message. */
export function buttonsOf(message: SlackMessage): ButtonLike[] {
  const out: ButtonLike[] = [];
  for (const block of message.blocks) {
    if (block.type !== 'actions') continue;
    for (const element of block.elements) if (element.type === 'button') out.push(element as ButtonLike);
  }
  return out;
}

/** All the text a reader sees in the blocks, in order. */
export function blockText(message: SlackMessage): string {
  const parts: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (typeof record.text === 'string') parts.push(record.text);
      for (const [key, child] of Object.entries(record))
        if (key !== 'text' || typeof child !== 'string') visit(child);
    }
  };
  visit(message.blocks);
  return parts.join('\n');
}

/**
 * What every message of the ladder must satisfy: within Slack's limits, a meaningful fallback,
 * known action ids, and button values that are level ids (never user text).
 */
export function expectWellFormed(message: SlackMessage, levelIds: ReadonlySet<string>): void {
  expect(checkMessage(message)).toEqual([]);
  expect(message.text.trim().length).toBeGreaterThan(20);
  const patterns = Object.values(ActionId).map(actionIdPattern);
  for (const button of buttonsOf(message)) {
    expect(
      patterns.some((p) => p.test(button.action_id)),
      button.action_id,
    ).toBe(true);
    const value = decodeLevelValue(button.value);
    expect(value, `value ${button.value}`).not.toBeNull();
    const ids = value?.kind === 'pair' ? [value.a, value.b] : value ? [value.id] : [];
    for (const id of ids) expect(levelIds.has(id), id).toBe(true);
  }
}
