/**
 * Slack's Block Kit limits, checked before Slack sees a payload. Pure: the builders' tests and the
 * local Slack API both use it, so a payload real Slack would refuse cannot pass locally.
 *
 * Lengths are counted in code points (`[...s].length`): Slack counts characters, not UTF-16 units,
 * so an emoji is one character here as it is there.
 */

import { SLACK_LIMITS } from '../slack-limits.ts';
import { ACCESSORY_TYPES, BLOCK_TYPES, INPUT_ELEMENT_TYPES, INTERACTIVE_TYPES } from './block-kit-types.ts';

/** Slack's limits (src/slack-limits.ts), as the checks here name them. */
export const LIMITS = SLACK_LIMITS;

export type Surface = 'message' | 'modal' | 'home';

/**
 * What a problem means to Slack: the local API maps it to the error code Slack would answer.
 * `invalid` is a schema violation (`invalid_blocks` for messages, `invalid_arguments` for views).
 */
export type ProblemCode = 'invalid' | 'msg_blocks_too_long' | 'msg_too_long' | 'no_text' | 'view_too_large';

export interface BlockProblem {
  code: ProblemCode;
  /** JSON path from the checked value, e.g. `['blocks', 3, 'text', 'text']`. */
  path: ReadonlyArray<string | number>;
  message: string;
}

type Path = ReadonlyArray<string | number>;
type Obj = Record<string, unknown>;

export function charCount(s: string): number {
  return [...s].length;
}

export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out || '(root)';
}

export function formatProblem(p: BlockProblem): string {
  return `${formatPath(p.path)}: ${p.message}`;
}

/** `/blocks/3/text/text`, as Slack writes it in `[json-pointer:…]`. */
export function jsonPointer(path: Path, prefix = ''): string {
  return `${prefix}/${path.join('/')}`;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Collector {
  readonly problems: BlockProblem[] = [];

  add(path: Path, message: string, code: ProblemCode = 'invalid'): void {
    this.problems.push({ code, path, message });
  }

  /** Optional string field: when present it must be a string within `max` characters. */
  str(o: Obj, key: string, path: Path, max: number, required = false): string | undefined {
    const v = o[key];
    if (v === undefined) {
      if (required) this.add([...path, key], 'required');
      return undefined;
    }
    if (typeof v !== 'string') {
      this.add([...path, key], 'must be a string');
      return undefined;
    }
    const n = charCount(v);
    if (n > max) this.add([...path, key], `${n} chars > ${max}`);
    if (required && n === 0) this.add([...path, key], 'must not be empty');
    return v;
  }

  /** A text object (`{type: 'plain_text'|'mrkdwn', text}`) with its text within `max`. */
  text(v: unknown, path: Path, max: number, opts: { plainOnly?: boolean; required?: boolean } = {}): void {
    if (v === undefined) {
      if (opts.required) this.add(path, 'required');
      return;
    }
    if (!isObj(v)) {
      this.add(path, 'must be a text object');
      return;
    }
    if (v.type !== 'plain_text' && v.type !== 'mrkdwn') {
      this.add([...path, 'type'], `must be plain_text or mrkdwn, not ${JSON.stringify(v.type)}`);
      return;
    }
    if (opts.plainOnly && v.type !== 'plain_text') {
      this.add([...path, 'type'], 'must be plain_text (mrkdwn is not allowed here)');
    }
    if (v.type === 'mrkdwn' && 'emoji' in v) this.add([...path, 'emoji'], 'only allowed on plain_text');
    if (v.type === 'plain_text' && 'verbatim' in v) this.add([...path, 'verbatim'], 'only allowed on mrkdwn');
    this.str(v, 'text', path, max, true);
  }

  array(o: Obj, key: string, path: Path, max: number, required: boolean): unknown[] | undefined {
    const v = o[key];
    if (v === undefined) {
      if (required) this.add([...path, key], 'required');
      return undefined;
    }
    if (!Array.isArray(v)) {
      this.add([...path, key], 'must be an array');
      return undefined;
    }
    if (v.length > max) this.add([...path, key], `${v.length} items > ${max}`);
    if (required && v.length === 0) this.add([...path, key], 'must not be empty');
    return v;
  }
}

function checkImageSource(c: Collector, o: Obj, path: Path): void {
  const hasUrl = o.image_url !== undefined;
  const hasFile = o.slack_file !== undefined;
  if (!hasUrl && !hasFile) {
    c.add(path, 'image needs image_url or slack_file');
    return;
  }
  if (hasUrl && hasFile) c.add(path, 'image takes image_url or slack_file, not both');
  if (hasUrl) c.str(o, 'image_url', path, LIMITS.url, true);
  if (hasFile) {
    const f = o.slack_file;
    if (!isObj(f) || (typeof f.id !== 'string' && typeof f.url !== 'string')) {
      c.add([...path, 'slack_file'], 'needs id or url');
    }
  }
  c.str(o, 'alt_text', path, LIMITS.imageAltText, true);
}

function checkOption(c: Collector, v: unknown, path: Path): void {
  if (!isObj(v)) {
    c.add(path, 'must be an option object');
    return;
  }
  c.text(v.text, [...path, 'text'], LIMITS.optionText, { required: true });
  c.str(v, 'value', path, LIMITS.optionValue, true);
  c.text(v.description, [...path, 'description'], LIMITS.optionDescription, { plainOnly: true });
  c.str(v, 'url', path, LIMITS.url);
}

function checkOptions(c: Collector, o: Obj, path: Path, max: number, required: boolean): void {
  const options = c.array(o, 'options', path, max, required);
  options?.forEach((opt, i) => {
    checkOption(c, opt, [...path, 'options', i]);
  });
}

function checkStaticSelect(c: Collector, v: Obj, path: Path): void {
  const hasGroups = v.option_groups !== undefined;
  if (hasGroups === (v.options !== undefined)) {
    c.add(path, 'needs exactly one of options and option_groups');
  }
  if (!hasGroups) {
    checkOptions(c, v, path, LIMITS.selectOptions, true);
    return;
  }
  const groups = c.array(v, 'option_groups', path, LIMITS.selectOptionGroups, true);
  groups?.forEach((g, i) => {
    const gp = [...path, 'option_groups', i];
    if (!isObj(g)) {
      c.add(gp, 'must be an option group');
      return;
    }
    c.text(g.label, [...gp, 'label'], LIMITS.optionText, { plainOnly: true, required: true });
    checkOptions(c, g, gp, LIMITS.selectOptions, true);
  });
}

function checkInputLengths(c: Collector, v: Obj, path: Path): void {
  for (const key of ['max_length', 'min_length'] as const) {
    const n = v[key];
    if (n === undefined) continue;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      c.add([...path, key], 'must be a non-negative integer');
    } else if (n > LIMITS.plainTextInputMaxLength) {
      c.add([...path, key], `${n} > ${LIMITS.plainTextInputMaxLength}`);
    }
  }
}

function checkElement(
  c: Collector,
  v: unknown,
  path: Path,
  allowed: ReadonlySet<string>,
  actionIds: Set<string>,
) {
  if (!isObj(v)) {
    c.add(path, 'must be an element object');
    return;
  }
  const type = v.type;
  if (typeof type !== 'string') {
    c.add([...path, 'type'], 'required');
    return;
  }
  if (!allowed.has(type)) {
    c.add([...path, 'type'], `element type "${type}" is not allowed here`);
    return;
  }
  if (type === 'image') {
    checkImageSource(c, v, path);
    return;
  }
  const actionId = c.str(v, 'action_id', path, LIMITS.actionId);
  if (actionId !== undefined) {
    if (actionIds.has(actionId))
      c.add([...path, 'action_id'], `duplicate action_id "${actionId}" in this block`);
    actionIds.add(actionId);
  }
  c.text(v.placeholder, [...path, 'placeholder'], LIMITS.placeholder, { plainOnly: true });
  switch (type) {
    case 'button':
      c.text(v.text, [...path, 'text'], LIMITS.buttonText, { plainOnly: true, required: true });
      c.str(v, 'value', path, LIMITS.buttonValue);
      c.str(v, 'url', path, LIMITS.url);
      if (v.style !== undefined && v.style !== 'primary' && v.style !== 'danger') {
        c.add([...path, 'style'], 'must be primary or danger');
      }
      break;
    case 'static_select':
    case 'multi_static_select':
      checkStaticSelect(c, v, path);
      break;
    case 'overflow':
      checkOptions(c, v, path, LIMITS.overflowOptions, true);
      break;
    case 'checkboxes':
      checkOptions(c, v, path, LIMITS.checkboxOptions, true);
      break;
    case 'radio_buttons':
      checkOptions(c, v, path, LIMITS.radioOptions, true);
      break;
    case 'plain_text_input':
      checkInputLengths(c, v, path);
      break;
  }
}

function checkSection(c: Collector, block: Obj, path: Path, actionIds: Set<string>): void {
  if (block.text === undefined && block.fields === undefined) {
    c.add(path, 'section needs text or fields');
  }
  c.text(block.text, [...path, 'text'], LIMITS.sectionText);
  const fields = c.array(block, 'fields', path, LIMITS.sectionFields, false);
  fields?.forEach((f, i) => {
    c.text(f, [...path, 'fields', i], LIMITS.sectionFieldText, { required: true });
  });
  if (block.accessory !== undefined) {
    checkElement(c, block.accessory, [...path, 'accessory'], ACCESSORY_TYPES, actionIds);
  }
}

function checkBlock(c: Collector, surface: Surface, block: unknown, path: Path, blockIds: Set<string>): void {
  if (!isObj(block)) {
    c.add(path, 'must be a block object');
    return;
  }
  const type = block.type;
  if (typeof type !== 'string') {
    c.add([...path, 'type'], 'required');
    return;
  }
  if (!BLOCK_TYPES.has(type)) {
    c.add([...path, 'type'], `unknown block type "${type}"`);
    return;
  }
  if (type === 'file' && surface !== 'message')
    c.add([...path, 'type'], 'file blocks only appear in messages');
  const blockId = c.str(block, 'block_id', path, LIMITS.blockId);
  if (blockId !== undefined) {
    if (blockIds.has(blockId)) c.add([...path, 'block_id'], `duplicate block_id "${blockId}"`);
    blockIds.add(blockId);
  }
  const actionIds = new Set<string>();
  switch (type) {
    case 'section':
      checkSection(c, block, path, actionIds);
      break;
    case 'header':
      c.text(block.text, [...path, 'text'], LIMITS.headerText, { plainOnly: true, required: true });
      break;
    case 'image':
      checkImageSource(c, block, path);
      c.text(block.title, [...path, 'title'], LIMITS.imageTitle, { plainOnly: true });
      break;
    case 'context': {
      const elements = c.array(block, 'elements', path, LIMITS.contextElements, true);
      elements?.forEach((el, i) => {
        const ep = [...path, 'elements', i];
        if (isObj(el) && el.type === 'image') checkImageSource(c, el, ep);
        else c.text(el, ep, LIMITS.sectionText, { required: true });
      });
      break;
    }
    case 'actions': {
      const elements = c.array(block, 'elements', path, LIMITS.actionsElements, true);
      elements?.forEach((el, i) => {
        checkElement(c, el, [...path, 'elements', i], INTERACTIVE_TYPES, actionIds);
      });
      break;
    }
    case 'input':
      c.text(block.label, [...path, 'label'], LIMITS.inputLabel, { plainOnly: true, required: true });
      c.text(block.hint, [...path, 'hint'], LIMITS.inputHint, { plainOnly: true });
      if (block.element === undefined) c.add([...path, 'element'], 'required');
      else checkElement(c, block.element, [...path, 'element'], INPUT_ELEMENT_TYPES, actionIds);
      break;
    case 'markdown':
      c.str(block, 'text', path, LIMITS.markdownBlockText, true);
      break;
    case 'rich_text':
      c.array(block, 'elements', path, Number.POSITIVE_INFINITY, true);
      break;
    case 'video':
      for (const key of ['video_url', 'thumbnail_url', 'alt_text'] as const) {
        c.str(block, key, path, LIMITS.url, true);
      }
      c.text(block.title, [...path, 'title'], 200, { plainOnly: true, required: true });
      break;
    case 'file':
      c.str(block, 'external_id', path, LIMITS.externalId, true);
      if (block.source !== 'remote') c.add([...path, 'source'], 'must be "remote"');
      break;
  }
}

/** Structured form of {@link checkBlocks}; `prefix` is prepended to every path. */
export function findBlockProblems(
  surface: Surface,
  blocks: readonly unknown[],
  prefix: Path = ['blocks'],
): BlockProblem[] {
  const c = new Collector();
  const max = surface === 'message' ? LIMITS.blocksPerMessage : LIMITS.blocksPerView;
  if (blocks.length > max) c.add(prefix, `${blocks.length} blocks > ${max}`);
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    checkBlock(c, surface, b, [...prefix, i], blockIds);
  });
  return c.problems;
}

/** Characters of text a message's blocks carry: what Slack sums for `msg_blocks_too_long`. */
export function blockTextLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce<number>((n, v) => n + blockTextLength(v), 0);
  if (!isObj(value)) return 0;
  let n = 0;
  const textBearing =
    value.type === 'plain_text' ||
    value.type === 'mrkdwn' ||
    value.type === 'text' ||
    value.type === 'markdown';
  for (const [key, v] of Object.entries(value)) {
    if (key === 'text' && typeof v === 'string') {
      if (textBearing) n += charCount(v);
    } else if (typeof v === 'object' && v !== null) {
      n += blockTextLength(v);
    }
  }
  return n;
}

export function findMessageProblems(msg: { text?: unknown; blocks?: unknown }): BlockProblem[] {
  const c = new Collector();
  const hasText = typeof msg.text === 'string' && msg.text.trim() !== '';
  if (msg.text !== undefined && typeof msg.text !== 'string') c.add(['text'], 'must be a string');
  if (typeof msg.text === 'string' && charCount(msg.text) > LIMITS.messageText) {
    c.add(['text'], `${charCount(msg.text)} chars > ${LIMITS.messageText}`, 'msg_too_long');
  }
  if (msg.blocks === undefined) {
    if (!hasText) c.add(['text'], 'required when there are no blocks', 'no_text');
    return c.problems;
  }
  if (!Array.isArray(msg.blocks)) {
    c.add(['blocks'], 'must be an array');
    return c.problems;
  }
  if (!hasText) c.add(['text'], 'required as the notification fallback when blocks are present', 'no_text');
  c.problems.push(...findBlockProblems('message', msg.blocks));
  const total = blockTextLength(msg.blocks);
  if (total > LIMITS.messageBlockText) {
    c.add(
      ['blocks'],
      `msg_blocks_too_long: ${total} chars of block text > ${LIMITS.messageBlockText}`,
      'msg_blocks_too_long',
    );
  }
  return c.problems;
}

export function findViewProblems(view: unknown): BlockProblem[] {
  const c = new Collector();
  if (!isObj(view)) {
    c.add([], 'view must be an object');
    return c.problems;
  }
  const type = view.type;
  if (type !== 'modal' && type !== 'home') {
    c.add(['type'], `must be modal or home, not ${JSON.stringify(type)}`);
    return c.problems;
  }
  if (type === 'modal') {
    c.text(view.title, ['title'], LIMITS.viewTitle, { plainOnly: true, required: true });
  } else {
    c.text(view.title, ['title'], LIMITS.viewTitle, { plainOnly: true });
  }
  c.text(view.submit, ['submit'], LIMITS.viewSubmit, { plainOnly: true });
  c.text(view.close, ['close'], LIMITS.viewClose, { plainOnly: true });
  c.str(view, 'private_metadata', [], LIMITS.privateMetadata);
  c.str(view, 'callback_id', [], LIMITS.callbackId);
  c.str(view, 'external_id', [], LIMITS.externalId);
  const blocks = view.blocks;
  if (!Array.isArray(blocks)) {
    c.add(['blocks'], blocks === undefined ? 'required' : 'must be an array');
  } else {
    c.problems.push(...findBlockProblems(type, blocks));
    const hasInput = blocks.some((b) => isObj(b) && b.type === 'input');
    if (type === 'modal' && hasInput && view.submit === undefined) {
      c.add(['submit'], 'required when the modal has input blocks');
    }
  }
  const bytes = Buffer.byteLength(JSON.stringify(view), 'utf8');
  if (bytes > LIMITS.viewBytes) c.add([], `view is ${bytes} bytes > ${LIMITS.viewBytes}`, 'view_too_large');
  return c.problems;
}

/** Problems with a block set on a surface; empty when Slack would accept it. */
export function checkBlocks(surface: Surface, blocks: readonly unknown[]): string[] {
  return findBlockProblems(surface, blocks).map(formatProblem);
}

/**
 * Problems with a message payload (chat.postMessage, chat.update, a response_url post). Stricter
 * than Slack in one place: `text` is required with blocks (Slack only warns), because it is the
 * notification and screen-reader fallback.
 */
export function checkMessage(msg: { text?: string; blocks?: readonly unknown[] }): string[] {
  return findMessageProblems(msg).map(formatProblem);
}

/** Problems with a modal or Home tab view (views.open/push/update/publish). */
export function checkView(view: unknown): string[] {
  return findViewProblems(view).map(formatProblem);
}
