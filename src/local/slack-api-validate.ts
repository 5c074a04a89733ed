import {
  type BlockProblem,
  findMessageProblems,
  findViewProblems,
  formatProblem,
  jsonPointer,
} from './block-limits.ts';
import { SlackApiError } from './slack-api-http.ts';
import type { LocalSlackStore } from './slack-api-state.ts';

/** `[ERROR] 3120 chars > 3000 [json-pointer:/blocks/3/text/text]`, as Slack writes it. */
function slackMessages(problems: readonly BlockProblem[], prefix: string): string[] {
  return problems.map((p) => `[ERROR] ${p.message} [json-pointer:${jsonPointer(p.path, prefix)}]`);
}

type Path = Array<string | number>;

/** Every `slack_file: {id}` reference in a block tree, with its path. */
function slackFileRefs(value: unknown, path: Path, out: Array<{ id: string; path: Path }>): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      slackFileRefs(v, [...path, i], out);
    });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [k, v] of Object.entries(value)) {
    if (
      k === 'slack_file' &&
      typeof v === 'object' &&
      v !== null &&
      typeof (v as { id?: unknown }).id === 'string'
    ) {
      out.push({ id: (v as { id: string }).id, path: [...path, k] });
    } else {
      slackFileRefs(v, [...path, k], out);
    }
  }
}

/**
 * Image blocks may show an uploaded file by id; Slack refuses the payload (invalid_blocks) while
 * the file is unknown, deleted, not yet processed, or not visible to the viewer.
 */
function slackFileProblems(
  store: LocalSlackStore,
  blocks: unknown,
  prefix: Path,
  now: number,
  viewer?: string,
): BlockProblem[] {
  const refs: Array<{ id: string; path: Path }> = [];
  slackFileRefs(blocks, prefix, refs);
  const problems: BlockProblem[] = [];
  for (const ref of refs) {
    const f = store.files.get(ref.id);
    let why: string | undefined;
    if (!f || f.deleted) why = `file ${ref.id} not found`;
    else if (!f.completed || (f.processedAt !== undefined && now < f.processedAt)) {
      why = `file ${ref.id} is not processed yet`;
    } else if (viewer !== undefined) {
      const visible = f.shares.some((s) => store.channels.get(s.channel)?.members.includes(viewer));
      if (!visible) why = `file ${ref.id} is not visible to ${viewer}`;
    }
    if (why) problems.push({ code: 'invalid', path: ref.path, message: `invalid slack_file: ${why}` });
  }
  return problems;
}

/**
 * Throws Slack's error for a message payload Slack would refuse. `requireTextFallback` makes a
 * missing `text` next to `blocks` an error (`no_text`); Slack itself only warns.
 */
export function assertValidMessage(
  store: LocalSlackStore,
  msg: { text?: unknown; blocks?: unknown },
  opts: { requireTextFallback: boolean; now: number },
): void {
  let problems = findMessageProblems(msg);
  if (!opts.requireTextFallback && msg.blocks !== undefined) {
    problems = problems.filter((p) => p.code !== 'no_text');
  }
  const invalid = problems.filter((p) => p.code === 'invalid');
  if (invalid.length === 0 && Array.isArray(msg.blocks)) {
    invalid.push(...slackFileProblems(store, msg.blocks, ['blocks'], opts.now));
  }
  if (invalid.length > 0) {
    throw new SlackApiError('invalid_blocks', {
      errors: invalid.map(formatProblem),
      response_metadata: { messages: slackMessages(invalid, '') },
    });
  }
  for (const code of ['msg_blocks_too_long', 'no_text', 'msg_too_long'] as const) {
    const found = problems.filter((p) => p.code === code);
    if (found.length > 0) {
      throw new SlackApiError(code, { response_metadata: { messages: slackMessages(found, '') } });
    }
  }
}

/**
 * Throws Slack's error for a view Slack would refuse: `view_too_large` over 250 kB, otherwise
 * `invalid_arguments` with `[ERROR] … [json-pointer:/view/…]` messages (what views.* answer).
 */
export function assertValidView(
  store: LocalSlackStore,
  view: unknown,
  opts: { expectType?: 'modal' | 'home'; viewer?: string; now: number },
): asserts view is Record<string, unknown> {
  const problems = findViewProblems(view);
  if (problems.length === 0 && opts.expectType && (view as { type?: unknown }).type !== opts.expectType) {
    problems.push({ code: 'invalid', path: ['type'], message: `must be ${opts.expectType} for this method` });
  }
  if (problems.length === 0) {
    // An unusable slack_file is refused as invalid_blocks on every surface (slack-platform.md).
    const fileProblems = slackFileProblems(
      store,
      (view as { blocks?: unknown }).blocks,
      ['blocks'],
      opts.now,
      opts.viewer,
    );
    if (fileProblems.length === 0) return;
    throw new SlackApiError('invalid_blocks', {
      errors: fileProblems.map(formatProblem),
      response_metadata: { messages: slackMessages(fileProblems, '/view') },
    });
  }
  if (problems.some((p) => p.code === 'view_too_large')) throw new SlackApiError('view_too_large');
  throw new SlackApiError('invalid_arguments', {
    response_metadata: { messages: slackMessages(problems, '/view') },
  });
}
