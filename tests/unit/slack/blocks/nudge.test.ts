import { describe, expect, it } from 'vitest';
import { checkMessage, checkView } from '../../../../src/local/block-limits.ts';
import {
  buildNudgeAnswerModal,
  buildNudgeMessage,
  buildNudgeReply,
} from '../../../../src/slack/blocks/nudge.ts';
import { ActionId, ViewId } from '../../../../src/slack/ids.ts';
import { realLadder } from '../../../helpers/ladder.ts';
import { blockText, buttonsOf } from './helpers.ts';

const ladder = realLadder();
const shiftOf = (id: string) => ladder.shifts.find((s) => s.id === id);

describe('the weekly nudge DM', () => {
  it('for every prompt: within Block Kit limits, the shift as header, the question, the why-line, four buttons', () => {
    expect(ladder.prompts.length).toBeGreaterThanOrEqual(18);
    for (const prompt of ladder.prompts) {
      const shift = shiftOf(prompt.shift);
      const message = buildNudgeMessage(prompt, shift);
      expect(checkMessage(message), prompt.id).toEqual([]);
      expect(message.blocks[0]).toMatchObject({ type: 'header' });
      expect(blockText(message)).toContain(`${shift?.from} → ${shift?.to}`);
      expect(blockText(message)).toContain(prompt.why);
      expect(message.text).toContain(prompt.question.slice(0, 40));
      expect(buttonsOf(message).map((b) => [b.action_id, b.text.text])).toEqual([
        [ActionId.nudgeAnswer, 'Answer'],
        [ActionId.nudgeSkipWeek, 'Skip this week'],
        [ActionId.nudgePause, 'Pause 2 weeks'],
        [ActionId.nudgeStop, 'Stop nudges'],
      ]);
    }
  });

  it('once a control was used: the question and Answer stay, with a note instead of the controls', () => {
    const prompt = ladder.prompts[0];
    if (!prompt) throw new Error('no prompts');
    const message = buildNudgeMessage(prompt, shiftOf(prompt.shift), {
      controls: false,
      note: 'Paused through 2027-01-17 <b>&',
    });
    expect(checkMessage(message)).toEqual([]);
    expect(buttonsOf(message).map((b) => b.action_id)).toEqual([ActionId.nudgeAnswer]);
    expect(blockText(message)).toContain('Paused through 2027-01-17 &lt;b&gt;&amp;');
  });

  it('the Answer modal: its own callback id, one input, within limits, no private_metadata', () => {
    for (const prompt of ladder.prompts) {
      const view = buildNudgeAnswerModal(prompt, shiftOf(prompt.shift));
      expect(checkView(view), prompt.id).toEqual([]);
      expect(view.callback_id).toBe(ViewId.nudgeAnswer);
      expect(view.private_metadata).toBeUndefined();
      expect(view.blocks.filter((b) => b.type === 'input')).toHaveLength(1);
    }
  });

  it('replies to /ladder nudge escape what Slack would read as mentions', () => {
    const reply = buildNudgeReply('I couldn’t read `<!channel>`.');
    expect(checkMessage(reply)).toEqual([]);
    expect(JSON.stringify(reply.blocks)).not.toContain('<!channel>');
  });
});
