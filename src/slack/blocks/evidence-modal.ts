/** The evidence modal: its view, and its problems shown on their fields. Pure. */
import type { types } from '@slack/bolt';
import type { EvidenceFormProblems } from '../../app/evidence.ts';
import { MAX_EVIDENCE_CHARS } from '../../domain/evidence.ts';
import type { Ladder } from '../../domain/ladder/model.ts';
import type { AxisId, ScopeId, ShiftId } from '../../domain/types.ts';
import { ActionId, BlockId, ViewId } from '../ids.ts';
import { tagNames, type View } from './evidence.ts';
import { context, option } from './format.ts';

/** The evidence modal's problems, on their fields (`response_action: 'errors'`). */
export function buildEvidenceFormErrors(problems: EvidenceFormProblems): Record<string, string> {
  const errors: Record<string, string> = {};
  if (problems.link) errors[BlockId.evidenceLink] = 'Use a full https:// link, or leave it empty.';
  if (problems.date === 'missing') errors[BlockId.evidenceDate] = 'Pick the day it happened.';
  if (problems.date === 'future')
    errors[BlockId.evidenceDate] = 'That day is in the future: pick the day it happened.';
  const text = problems.text;
  if (text) {
    errors[BlockId.evidenceText] =
      text.reason === 'empty'
        ? 'Tell me what you did: the outcome and your part in it.'
        : tooLongForField(text.length, text.limit);
  }
  return errors;
}

/** A text field's error when its text is over the limit (both in characters). */
export function tooLongForField(length: number, limit: number): string {
  return `This is ${length.toLocaleString('en-US')} characters; the limit is ${limit.toLocaleString('en-US')}.`;
}

/** Notes at the top of the evidence modal. */
export const ModalNote = {
  tagsPreselected: 'Suggested tags are preselected: keep them, change them or clear them, then Save.',
  editingSavedMessage: 'This is the entry you saved from that message: Save updates it.',
} as const;

/** "Save as evidence" on a message longer than evidence holds: what was cut. */
export function messageCutNote(length: number): string {
  return `:scissors: The message is ${length.toLocaleString('en-US')} characters; the first ${MAX_EVIDENCE_CHARS.toLocaleString('en-US')} are below.`;
}

/** "Save as evidence" when Slack gave no link to the message, above the cut note if any. */
export function noLinkNote(cut: string | undefined): string {
  return `:link: I could not get a link to that message (the bot cannot see private conversations), so it will be saved without one. You can paste a link below.${cut ? `\n${cut}` : ''}`;
}

export interface EvidenceFormValues {
  text?: string;
  occurredOn: string;
  axes?: readonly AxisId[];
  shift?: ShiftId | null;
  scope?: ScopeId | null;
  link?: string | null;
}

/** The entry's text, kept to the limit so Slack accepts the view. */
function textInput(text: string): types.InputBlock {
  return {
    type: 'input',
    block_id: BlockId.evidenceText,
    label: { type: 'plain_text', text: 'What did you do?' },
    hint: {
      type: 'plain_text',
      text: `The outcome and your part in it. Up to ${MAX_EVIDENCE_CHARS.toLocaleString('en-US')} characters; #tags work here too.`,
    },
    element: {
      type: 'plain_text_input',
      action_id: ActionId.formValue,
      multiline: true,
      max_length: MAX_EVIDENCE_CHARS,
      ...(text ? { initial_value: text } : {}),
    },
  };
}

/** An optional single-choice field of the modal, preselecting `selected` when it is an option. */
function optionalSelect(
  blockId: string,
  label: string,
  placeholder: string,
  options: types.PlainTextOption[],
  selected: string | null | undefined,
): types.InputBlock {
  const initial = options.find((o) => o.value === selected);
  return {
    type: 'input',
    block_id: blockId,
    optional: true,
    label: { type: 'plain_text', text: label },
    element: {
      type: 'static_select',
      action_id: ActionId.formValue,
      placeholder: { type: 'plain_text', text: placeholder },
      options,
      ...(initial ? { initial_option: initial } : {}),
    },
  };
}

export function buildEvidenceModal(
  ladder: Ladder,
  values: EvidenceFormValues,
  opts: { mode: 'create' | 'edit'; note?: string } = { mode: 'create' },
): View {
  const names = tagNames(ladder);
  const axisOptions = ladder.axes.map((a) => option(a.name, a.id));
  const shiftOptions = ladder.shifts.map((s) => option(names.shift(s.id), s.id));
  const scopeOptions = (ladder.axes.find((a) => a.id === 'influence')?.steps ?? [])
    .filter((s) => s.scope)
    .map((s) => option(s.name, s.scope as string));
  const initialAxes = axisOptions.filter((o) => values.axes?.includes(o.value as AxisId));
  const text = values.text ? [...values.text].slice(0, MAX_EVIDENCE_CHARS).join('') : '';

  const blocks: types.KnownBlock[] = [];
  if (opts.note) blocks.push(context(opts.note));
  blocks.push(
    textInput(text),
    {
      type: 'input',
      block_id: BlockId.evidenceDate,
      label: { type: 'plain_text', text: 'When did it happen?' },
      element: { type: 'datepicker', action_id: ActionId.formValue, initial_date: values.occurredOn },
    },
    {
      type: 'input',
      block_id: BlockId.evidenceAxes,
      optional: true,
      label: { type: 'plain_text', text: 'Ladder axes' },
      element: {
        type: 'multi_static_select',
        action_id: ActionId.formValue,
        placeholder: { type: 'plain_text', text: 'Technology, System, People…' },
        options: axisOptions,
        ...(initialAxes.length > 0 ? { initial_options: initialAxes } : {}),
      },
    },
    optionalSelect(
      BlockId.evidenceShift,
      'Mindset shift',
      'Senior → Lead shift it shows',
      shiftOptions,
      values.shift,
    ),
    optionalSelect(
      BlockId.evidenceScope,
      'Scope of influence',
      'Who felt the impact',
      scopeOptions,
      values.scope,
    ),
    {
      type: 'input',
      block_id: BlockId.evidenceLink,
      optional: true,
      label: { type: 'plain_text', text: 'Link' },
      hint: { type: 'plain_text', text: 'A doc, a Slack message or a dashboard that shows it.' },
      element: {
        type: 'url_text_input',
        action_id: ActionId.formValue,
        ...(values.link ? { initial_value: values.link } : {}),
      },
    },
  );
  return {
    type: 'modal',
    callback_id: ViewId.evidenceModal,
    title: { type: 'plain_text', text: opts.mode === 'edit' ? 'Edit evidence' : 'Log a win' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}
