/**
 * The weekly reflection DM, its Answer modal and the replies to `/ladder nudge …`. Pure builders.
 */
import type { types } from '@slack/bolt';
import type { NudgeCommandResult, PromptPractice, SettingsCommand } from '../../app/nudges.ts';
import { MAX_EVIDENCE_CHARS } from '../../domain/evidence.ts';
import type { Shift } from '../../domain/ladder/model.ts';
import type { Prompt } from '../../domain/prompts.ts';
import { ActionId, BlockId, COMMAND, ViewId } from '../ids.ts';
import {
  type Block,
  button,
  context,
  escapeMrkdwn,
  fallback,
  header,
  type SlackMessage,
  section,
  truncate,
} from './format.ts';

type View = types.ModalView;

/** 'Doing → Enabling', or the shift id when the ladder data has no such shift. */
export function shiftLabel(shift: Shift | undefined, id: string): string {
  return shift ? `${shift.from} → ${shift.to}` : id;
}

export interface NudgeMessageOptions {
  /** A line under the question once the person used a control (“Paused through …”). */
  note?: string;
  /** Skip / Pause / Stop buttons; they are dropped once one was used. Answer always stays. */
  controls?: boolean;
  /** What the question practises: the preparation action's text and the ladder step, when known. */
  practice?: PromptPractice;
}

function practiceBlocks(practice: NudgeMessageOptions['practice']): Block[] {
  const parts: string[] = [];
  if (practice?.action) parts.push(`_Practises:_ ${escapeMrkdwn(practice.action)}`);
  if (practice?.step)
    parts.push(`_Ladder step:_ ${escapeMrkdwn(`${practice.step.axis}: ${practice.step.step}`)}`);
  return parts.length > 0 ? [context(parts.join('  ·  '))] : [];
}

/** The DM: the shift as a header, the question, why it matters, and the four buttons. */
export function buildNudgeMessage(
  prompt: Prompt,
  shift: Shift | undefined,
  opts: NudgeMessageOptions = {},
): SlackMessage {
  const label = shiftLabel(shift, prompt.shift);
  const buttons: types.Button[] = [
    button({ text: 'Answer', actionId: ActionId.nudgeAnswer, value: prompt.id, style: 'primary' }),
  ];
  if (opts.controls ?? true) {
    buttons.push(
      button({ text: 'Skip this week', actionId: ActionId.nudgeSkipWeek, value: prompt.id }),
      button({ text: 'Pause 2 weeks', actionId: ActionId.nudgePause, value: prompt.id }),
      button({ text: 'Stop nudges', actionId: ActionId.nudgeStop, value: prompt.id }),
    );
  }
  const blocks: Block[] = [
    header(`Weekly reflection: ${label}`),
    section(`*${escapeMrkdwn(prompt.question)}*`),
    context(`_Why it matters:_ ${escapeMrkdwn(prompt.why)}`),
    ...practiceBlocks(opts.practice),
    context(
      'Reply in this thread (every reply is saved as private evidence, tagged with this shift) or press *Answer*.',
    ),
    { type: 'actions', block_id: BlockId.nudgeActions, elements: buttons },
  ];
  if (opts.note) blocks.push(context(escapeMrkdwn(opts.note)));
  return {
    text: fallback(`Weekly reflection (${label}): ${prompt.question}`),
    blocks,
  };
}

/** The Answer modal: the question and one text field. Whose it is lives server-side, by view id. */
export function buildNudgeAnswerModal(prompt: Prompt, shift: Shift | undefined): View {
  const label = shiftLabel(shift, prompt.shift);
  return {
    type: 'modal',
    callback_id: ViewId.nudgeAnswer,
    title: { type: 'plain_text', text: 'Weekly reflection' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      context(escapeMrkdwn(label)),
      section(`*${escapeMrkdwn(prompt.question)}*`),
      {
        type: 'input',
        block_id: BlockId.nudgeAnswer,
        label: { type: 'plain_text', text: 'Your answer' },
        hint: {
          type: 'plain_text',
          text: truncate(
            `Saved as private evidence tagged ${label}. Up to ${MAX_EVIDENCE_CHARS.toLocaleString('en-US')} characters; #tags work.`,
            150,
          ),
        },
        element: {
          type: 'plain_text_input',
          action_id: ActionId.formValue,
          multiline: true,
          max_length: MAX_EVIDENCE_CHARS,
        },
      },
    ],
  };
}

/** A reply to `/ladder nudge …` (status, a change, a problem): one paragraph. */
/**
 * What "send a question now" says: on the App Home (a notice) or in reply to `/ladder nudge now`.
 * `sent` is false when the ladder data has no prompt to send.
 */
export function nudgeNowText(sent: boolean, where: 'home' | 'command'): string {
  const howToAnswer = 'reply in its thread or press Answer.';
  if (where === 'home') {
    return sent
      ? `A reflection question is in our Messages tab: ${howToAnswer}`
      : 'There are no reflection prompts in the ladder data.';
  }
  return sent
    ? `I've sent you a reflection question in our DM: ${howToAnswer} It does not count as this week's nudge.`
    : 'There are no reflection prompts in the ladder data, so there is nothing to send.';
}

/** Short answers about one nudge: its question forgotten, its Answer form expired or left empty. */
export const NudgeNotice = {
  questionGone: `I no longer know that question (it may have been deleted with \`${COMMAND} forget\`). \`${COMMAND} nudge now\` sends a new one.`,
  formExpired: 'This form has expired. Copy your answer and reply in the nudge’s thread instead.',
  answerEmpty: 'Write a few words: what happened, and what you would do again.',
} as const;

const CHANGE_PREFIX: Record<Exclude<SettingsCommand['kind'], 'status'>, string> = {
  on: 'Weekly reflection nudges are on.',
  off: 'Weekly nudges are off. Your answers so far stay in your evidence.',
  set: 'Schedule saved.',
  pause: 'Paused.',
  'pause-weeks': 'Paused.',
  skip: 'Your next nudge will be skipped.',
};

/** What `/ladder nudge …` (or a nudge button) did, in words. */
export function nudgeCommandText(result: NudgeCommandResult): string {
  if (!result.ok) return result.problem;
  if (result.kind === 'status') return result.schedule;
  if (result.kind === 'off') return `${CHANGE_PREFIX.off} \`nudge on\` turns them back on.`;
  return `${CHANGE_PREFIX[result.kind]} ${result.schedule}`;
}

/** The DM's "Skip this week", done: the schedule now, or null when weekly nudges are off. */
export function skipThisWeekText(schedule: string | null): string {
  return `No answer needed this week. ${schedule ?? 'Weekly nudges are off.'}`;
}

export function buildNudgeReply(text: string): SlackMessage {
  return { text: fallback(text.replace(/[*_`]/g, '')), blocks: [section(escapeMrkdwn(text))] };
}

/** Shown in the thread when a reply could not be saved (too long). */
export function buildReplyTooLong(length: number, limit: number): SlackMessage {
  const text = `That reply has ${length.toLocaleString('en-US')} characters; evidence holds up to ${limit.toLocaleString('en-US')}, so it was not saved. Shorten it (edit the message) and it will be.`;
  return { text: fallback(text), blocks: [section(text)] };
}

/** How to start again after `/ladder forget`: the same words wherever an old nudge is touched. */
const START_AGAIN = `To start again: \`${COMMAND} nudge on\` for a weekly question, or \`${COMMAND} log <what you did>\` to keep a win.`;

/**
 * A reply, or a button, on a nudge from before `/ladder forget`: Ladder holds nothing about the
 * person any more, so nothing was kept or changed. `stopped`: the Stop button (nudges are off).
 */
export function buildNothingHeld(what: 'reply' | 'skip' | 'pause' | 'answer' | 'stopped'): SlackMessage {
  const lead =
    what === 'stopped'
      ? 'Stopped: Ladder sends you no weekly questions.'
      : what === 'reply'
        ? 'I did not keep this reply.'
        : 'There is nothing to change here.';
  const text =
    `${lead} Ladder holds nothing about you now: everything was deleted with \`${COMMAND} forget\`, ` +
    `including this question. ${START_AGAIN}`;
  return { text: fallback(text.replace(/`/g, '')), blocks: [section(text)] };
}
