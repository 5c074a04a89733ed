/** The monthly digest DM and the replies to `/ladder digest …`. Pure builders. */
import type { DigestAction, DigestStatus } from '../../app/digest.ts';
import { type Digest, describeLocalSlot } from '../../domain/digest.ts';
import { ActionId, BlockId, COMMAND } from '../ids.ts';
import {
  type Block,
  button,
  context,
  divider,
  escapeMrkdwn,
  fallback,
  header,
  type SlackMessage,
  section,
} from './format.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The first line of every digest: notifications and screen readers read it. */
export function digestTitle(digest: Digest): string {
  return `Monthly digest: ${digest.label} in review`;
}

function axisLines(digest: Digest): string {
  return digest.axes
    .map((a) => {
      const aim = a.target ? ` (target: ${escapeMrkdwn(a.target)})` : '';
      const mark = a.growth ? '*' : '';
      return `• ${mark}${escapeMrkdwn(a.name)}${mark}: ${plural(a.count, 'entry', 'entries')}${aim}`;
    })
    .join('\n');
}

function rhythmLine(digest: Digest): string {
  const weeks = `Weeks with evidence: ${digest.weeksWithEvidence} of ${digest.weeksInMonth}`;
  return `${weeks}  ·  Longest streak: ${plural(digest.longestStreak, 'week')}`;
}

function nextStepBlocks(digest: Digest): Block[] {
  const t = digest.thinnest;
  if (!t) return [];
  const advice = t.advice ? `\n${escapeMrkdwn(t.advice)}` : '';
  return [
    section(
      `*Thinnest growth axis:* ${escapeMrkdwn(t.axis)} (${plural(t.count, 'entry', 'entries')}). ` +
        `Next step: from _${escapeMrkdwn(t.from)}_ to _${escapeMrkdwn(t.to)}_.${advice}`,
    ),
  ];
}

function questionBlocks(digest: Digest): Block[] {
  return digest.question ? [section(`*One question to think about:* ${escapeMrkdwn(digest.question)}`)] : [];
}

/** A month with no entries: a short, kind version with the one thing to do next. */
function emptyDigest(digest: Digest): SlackMessage {
  const text = `${digestTitle(digest)}. No evidence was logged in ${digest.label}, and that is fine: a month is long.`;
  return {
    text: fallback(text),
    blocks: [
      { ...header(digestTitle(digest)), block_id: BlockId.digestHeader },
      section(
        `No evidence was logged in ${digest.label}, and that is fine: a month is long. ` +
          `One short \`${COMMAND} log\` this week starts the next one.`,
      ),
      ...nextStepBlocks(digest),
      ...questionBlocks(digest),
    ],
  };
}

/**
 * The digest DM: entries per axis against the target step, the thinnest growth axis with its next
 * step, the shifts practised, weeks with evidence and the longest streak, and one question.
 */
export function buildDigestMessage(digest: Digest): SlackMessage {
  if (digest.total === 0) return emptyDigest(digest);
  const target = digest.targetName ? ` against ${escapeMrkdwn(digest.targetName)}` : '';
  const legend = digest.axes.some((a) => a.growth)
    ? ' (*bold*: where the target asks more than your level)'
    : '';
  const shifts =
    digest.shifts.length > 0
      ? digest.shifts.map((s) => `${escapeMrkdwn(s.name)} (${s.count})`).join(', ')
      : 'none this month';
  const text = `${digestTitle(digest)}: ${plural(digest.total, 'entry', 'entries')}, ${digest.weeksWithEvidence} of ${digest.weeksInMonth} weeks with evidence.`;
  return {
    text: fallback(text),
    blocks: [
      { ...header(digestTitle(digest)), block_id: BlockId.digestHeader },
      section(
        `*${plural(digest.total, 'entry', 'entries')}* in ${digest.label}, per axis${target}${legend}:\n${axisLines(digest)}`,
      ),
      context(rhythmLine(digest)),
      section(`*Shifts practised:* ${shifts}`),
      divider(),
      ...nextStepBlocks(digest),
      ...questionBlocks(digest),
      context(`\`${COMMAND} digest off\` stops these; \`${COMMAND} summary\` shows any period.`),
    ],
  };
}

export function buildDigestReply(text: string): SlackMessage {
  return { text: fallback(text.replace(/[*_`]/g, '')), blocks: [section(escapeMrkdwn(text))] };
}

function digestWhen(s: DigestStatus): string {
  return `the first Monday of each month at the time of your weekly nudge (${s.time}, ${s.timeZone})`;
}

/** The digest schedule in words, as `/ladder digest status` and the Home say it. */
export function digestStatusText(s: DigestStatus): string {
  return s.enabled
    ? `Monthly digest: on, ${digestWhen(s)}. Next: ${describeLocalSlot(s.nextLocal)}, with last month in review.`
    : `Monthly digest: off. \`digest on\` sends ${digestWhen(s)} a DM with the month in review.`;
}

/** What `/ladder digest on|off|status` (or the Home's toggle) did, in words. */
export function digestCommandText(action: DigestAction, s: DigestStatus): string {
  if (action === 'off') return 'Monthly digest is off. `digest on` turns it back on.';
  const text = digestStatusText(s);
  return action === 'on' ? text.replace('Monthly digest: on,', 'Monthly digest is on:') : text;
}

/** The Home's digest section from the schedule. */
export function digestHomeInput(s: DigestStatus): DigestHomeInput {
  return { enabled: s.enabled, text: digestStatusText(s) };
}

export interface DigestHomeInput {
  enabled: boolean;
  text: string;
}

/** The App Home's digest section: the switch in words and one button, as `/ladder digest on|off`. */
export function buildDigestHomeSection(input: DigestHomeInput): Block[] {
  const toggle = input.enabled
    ? button({ text: 'Turn off the digest', actionId: ActionId.homeDigestToggle, value: 'off' })
    : button({
        text: 'Turn on the monthly digest',
        actionId: ActionId.homeDigestToggle,
        value: 'on',
        style: 'primary',
      });
  return [
    section(escapeMrkdwn(input.text)),
    { type: 'actions', block_id: BlockId.homeDigest, elements: [toggle] },
  ];
}
