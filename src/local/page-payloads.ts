/**
 * What Slack's client builds from a surface's blocks when a person acts: the `block_actions`
 * action object and `state.values`. The page only says which element and what was picked; the
 * payload shape comes from the element definitions here, so it is Slack's whatever the page does.
 */

import { autoBlockId } from './page/render.js';
import type { ActionInput } from './signed-sender.ts';

/** What the page reports for one element: a value (text, date, option value) or several. */
export interface RawValue {
  value?: string | null;
  values?: string[];
}

/** blockId → actionId → what the page shows now. */
export type RawState = Record<string, Record<string, RawValue>>;

type Json = Record<string, unknown>;

export interface FoundElement {
  el: Json;
  blockId: string;
  /** Inside an `input` block (not dispatched unless `dispatch_action`). */
  inInput: boolean;
}

const STATEFUL = new Set([
  'plain_text_input',
  'url_text_input',
  'email_text_input',
  'number_input',
  'datepicker',
  'timepicker',
  'static_select',
  'multi_static_select',
  'radio_buttons',
  'checkboxes',
  'users_select',
  'multi_users_select',
]);

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every element of a block list with the block id Slack would report (generated when absent). */
export function elementsOf(blocks: unknown): FoundElement[] {
  if (!Array.isArray(blocks)) return [];
  const out: FoundElement[] = [];
  blocks.forEach((block, index) => {
    if (!isObject(block)) return;
    const blockId = typeof block.block_id === 'string' ? block.block_id : autoBlockId(index);
    if (block.type === 'input' && isObject(block.element))
      out.push({ el: block.element, blockId, inInput: true });
    if (block.type === 'section' && isObject(block.accessory))
      out.push({ el: block.accessory, blockId, inInput: false });
    if (block.type === 'actions' && Array.isArray(block.elements)) {
      for (const el of block.elements) if (isObject(el)) out.push({ el, blockId, inInput: false });
    }
  });
  return out;
}

export function findElement(blocks: unknown, blockId: string, actionId: string): FoundElement | undefined {
  return elementsOf(blocks).find((f) => f.blockId === blockId && f.el.action_id === actionId);
}

function options(el: Json): Json[] {
  const direct = Array.isArray(el.options) ? el.options.filter(isObject) : [];
  const groups = Array.isArray(el.option_groups) ? el.option_groups.filter(isObject) : [];
  return [...direct, ...groups.flatMap((g) => (Array.isArray(g.options) ? g.options.filter(isObject) : []))];
}

function pick(el: Json, value: string | null | undefined): Json | null {
  if (value === undefined || value === null || value === '') return null;
  return options(el).find((o) => o.value === value) ?? null;
}

function initialValues(el: Json): string[] {
  const list = Array.isArray(el.initial_options) ? el.initial_options.filter(isObject) : [];
  return list.map((o) => String(o.value ?? ''));
}

function initialValue(el: Json): string | null {
  const keys = ['initial_value', 'initial_date', 'initial_time', 'initial_user'];
  for (const k of keys) if (typeof el[k] === 'string') return el[k] as string;
  if (isObject(el.initial_option) && typeof el.initial_option.value === 'string')
    return el.initial_option.value;
  return null;
}

/** The `state.values[block][action]` entry Slack reports for a stateful element. */
export function stateValue(el: Json, raw?: RawValue): Json {
  const type = String(el.type);
  const one = raw ? (raw.value ?? null) : initialValue(el);
  const many = raw ? (raw.values ?? []) : type === 'multi_users_select' ? [] : initialValues(el);
  const text = one === '' ? null : one;
  switch (type) {
    case 'datepicker':
      return { type, selected_date: text };
    case 'timepicker':
      return { type, selected_time: text };
    case 'static_select':
    case 'radio_buttons':
      return { type, selected_option: pick(el, text) };
    case 'multi_static_select':
    case 'checkboxes':
      return { type, selected_options: many.map((v) => pick(el, v)).filter((o): o is Json => o !== null) };
    case 'users_select':
      return { type, selected_user: text };
    case 'multi_users_select':
      return {
        type,
        selected_users: raw
          ? many
          : Array.isArray(el.initial_users)
            ? el.initial_users.filter((u) => typeof u === 'string')
            : [],
      };
    default:
      return { type, value: text };
  }
}

/** `state.values` for a surface: every stateful element, as the page shows it now. */
export function buildStateValues(blocks: unknown, raw: RawState = {}): Record<string, Record<string, Json>> {
  const values: Record<string, Record<string, Json>> = {};
  for (const { el, blockId } of elementsOf(blocks)) {
    if (!STATEFUL.has(String(el.type)) || typeof el.action_id !== 'string') continue;
    values[blockId] ??= {};
    values[blockId][el.action_id] = stateValue(el, raw[blockId]?.[el.action_id]);
  }
  return values;
}

/** The `actions[0]` object of a block_actions payload for this element and what was picked. */
export function buildAction(found: FoundElement, raw: RawValue = {}): ActionInput {
  const { el, blockId } = found;
  const type = String(el.type);
  const base = { type, block_id: blockId, action_id: String(el.action_id ?? '') };
  if (type === 'button') {
    return {
      ...base,
      text: el.text as ActionInput['text'],
      ...(el.value !== undefined ? { value: String(el.value) } : {}),
      ...(el.style ? { style: el.style } : {}),
    };
  }
  if (type === 'overflow') {
    return { ...base, selected_option: pick(el, raw.value) as ActionInput['selected_option'] };
  }
  const state = stateValue(el, raw);
  const extra: Json = {};
  if (el.placeholder) extra.placeholder = el.placeholder;
  if (type === 'datepicker' && el.initial_date) extra.initial_date = el.initial_date;
  return { ...base, ...state, ...extra, type };
}
