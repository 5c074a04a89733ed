/**
 * What a person does on the local workspace page, turned into what Slack would send the app:
 * every action goes through the signed sender (the same one the end-to-end tests use), and what
 * Slack itself would show (a command's ack as an ephemeral reply, "failed with the error …")
 * goes into the local workspace's state.
 */
import type { EventEmitter } from 'node:events';
import { z } from 'zod';
import { describeError, type Logger } from '../log.ts';
import { SLACK_LIMITS } from '../slack-limits.ts';
import { buildAction, buildStateValues, findElement } from './page-payloads.ts';
import type { DemoUser, Notice } from './page-state.ts';
import { appHomeOpenedEvent, messageEvent, type SentResponse, type SignedSender } from './signed-sender.ts';
import type { LocalMessage, LocalSlackApi } from './slack-api.ts';

/** What the local workspace knows of the app, from its manifest (as Slack would). */
export interface InstalledApp {
  command: string;
  usageHint: string;
  shortcuts: ReadonlyArray<{ callbackId: string; name: string }>;
  /** Bot events the app subscribes to (`app_home_opened`, `message.im`…). */
  events: readonly string[];
}

/**
 * The hooks of the nudge scheduler the clock control calls. `runNudgesAt` is the code path of
 * `nudges run --at <instant>`; `nextNudgeAt` tells when a person's next nudge is due.
 */
export interface NudgeHooks {
  runNudgesAt?: (instant: Date) => Promise<unknown>;
  /** The app's own wall-clock arithmetic, so the clock reads as the nudges are reckoned. */
  wallClock?: WallClock;
  nextNudgeAt?: (
    owner: { teamId: string; userId: string },
    after: Date,
  ) => Date | null | undefined | Promise<Date | null | undefined>;
}

/** Wall-clock time in an IANA zone and the instant it names. */
export interface WallClock {
  /** `YYYY-MM-DD`, minutes since midnight, zone → the instant (DST as the app resolves it). */
  toInstant(date: string, minuteOfDay: number, tz: string): Date;
  /** The instant as `YYYY-MM-DD HH:mm` on the zone's wall clock. */
  format(instant: Date, tz: string): string;
}

export interface ClockState {
  /** The instant of the last run, when the page moved the clock. */
  at: Date | null;
  /** What the last run reported (one line per user, as the CLI prints them). */
  lines: string[];
}

export interface PageSession {
  api: LocalSlackApi;
  /** The workspace this session acts in (default: the API's own team), for the page's picker. */
  team?: PageTeamRef;
  /** Whose data this is in the app: the team, or the org of an org-wide install. */
  tenantId?: string;
  /** Whether a (non-DM) channel is this workspace's; default all the person is a member of. */
  ownsChannel?(channelId: string): boolean;
  sender: SignedSender;
  users: readonly DemoUser[];
  app: InstalledApp;
  nudges: NudgeHooks;
  clock: ClockState;
  notices: Notice[];
  /** response_url → the command text that created it. */
  commands: Map<string, string>;
  logger: Logger;
  /** Emits `'change'` when something outside the Slack API's state changes (notices, clock). */
  changes: EventEmitter;
  now(): number;
}

/** A workspace as the page names it; `org` is the org's name for a workspace of an org. */
export interface PageTeamRef {
  id: string;
  name: string;
  org: string | null;
}

export type ActResult = { ok: true; message?: string } | { ok: false; error: string };

const UserId = z.string().min(1).max(40);
const RawValueSchema = z.object({
  value: z.string().max(20_000).nullable().optional(),
  values: z.array(z.string().max(2_000)).max(200).optional(),
});
const RawStateSchema = z.record(z.string(), z.record(z.string(), RawValueSchema));

const Schemas = {
  command: z.object({ user: UserId, channel: z.string().min(1), text: z.string().min(1).max(8_000) }),
  post: z.object({
    user: UserId,
    channel: z.string().min(1),
    text: z.string().min(1).max(SLACK_LIMITS.messageText),
    threadTs: z.string().optional(),
  }),
  blockAction: z.object({
    user: UserId,
    surface: z.enum(['message', 'view']),
    channel: z.string().optional(),
    ts: z.string().optional(),
    viewId: z.string().optional(),
    blockId: z.string(),
    actionId: z.string(),
    value: z.string().nullable().optional(),
    values: z.array(z.string()).optional(),
    state: RawStateSchema.optional(),
  }),
  viewSubmit: z.object({ user: UserId, viewId: z.string(), state: RawStateSchema }),
  viewClose: z.object({ user: UserId, viewId: z.string() }),
  messageAction: z.object({ user: UserId, channel: z.string(), ts: z.string(), callbackId: z.string() }),
  homeOpened: z.object({ user: UserId, tab: z.enum(['home', 'messages']) }),
  clock: z.object({
    user: UserId,
    mode: z.enum(['next', 'at']),
    at: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/)
      .optional(),
  }),
} as const;

export type ActName = keyof typeof Schemas;

export function isActName(name: string): name is ActName {
  return Object.hasOwn(Schemas, name);
}

function nextNoticeTs(session: PageSession): string {
  const us = session.now() * 1000;
  const prev = session.notices.at(-1)?.ts;
  const [s = '0', m = '0'] = (prev ?? '0.0').split('.');
  const micros = Math.max(us, Number(s) * 1_000_000 + Number(m) + 1);
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

function notice(session: PageSession, n: Omit<Notice, 'ts'>): void {
  session.notices.push({ ...n, ts: nextNoticeTs(session) });
  session.changes.emit('change');
}

/** People's text as Slack sends it to apps: its three control characters escaped. */
export function asSlackSendsIt(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** What Slack shows for a slash command's ack body: its message, if it has one. */
export function ackMessage(sent: SentResponse): Record<string, unknown> | undefined {
  if (sent.json !== undefined) {
    if (typeof sent.json !== 'object' || sent.json === null) return undefined;
    const j = sent.json as Record<string, unknown>;
    if (typeof j.text !== 'string' && !Array.isArray(j.blocks)) return undefined;
    const { text, blocks, response_type, thread_ts } = j;
    return { text, blocks, response_type, thread_ts };
  }
  return sent.body.trim() !== '' ? { text: sent.body } : undefined;
}

function member(session: PageSession, channelId: string, userId: string): boolean {
  return session.api.state.channels.get(channelId)?.members.includes(userId) ?? false;
}

function failure(sent: SentResponse): ActResult | undefined {
  return sent.status === 200 ? undefined : { ok: false, error: `The app answered HTTP ${sent.status}.` };
}

async function command(session: PageSession, o: z.infer<typeof Schemas.command>): Promise<ActResult> {
  const { api, sender, app } = session;
  if (!member(session, o.channel, o.user)) return { ok: false, error: 'Not a member of that conversation.' };
  const m = /^(\/\S+)\s*([\s\S]*)$/.exec(o.text.trim());
  if (!m?.[1]) return { ok: false, error: 'Not a slash command.' };
  const [, name, rest = ''] = m;
  if (name !== app.command) {
    notice(session, {
      user: o.user,
      channel: o.channel,
      text: `\`${name}\` is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands.`,
    });
    return { ok: true };
  }
  let sent: SentResponse;
  try {
    sent = await sender.command({
      userId: o.user,
      text: asSlackSendsIt(rest),
      channelId: o.channel,
      command: name,
    });
  } catch (err) {
    session.logger.warn('the app did not answer a slash command', { error: describeError(err) });
    notice(session, {
      user: o.user,
      channel: o.channel,
      text: `${name} failed with the error "operation_timeout"`,
    });
    return { ok: true };
  }
  if (sent.responseUrl) session.commands.set(sent.responseUrl, o.text.trim());
  if (sent.status !== 200) {
    notice(session, {
      user: o.user,
      channel: o.channel,
      text: `${name} failed with the error "dispatch_failed"`,
    });
    return { ok: true };
  }
  const reply = ackMessage(sent);
  if (reply) {
    // Slack shows an ack's message as it shows a response_url post: a URL of our own keeps the
    // app's five uses of its own.
    const url = api.createResponseUrl({ channelId: o.channel, userId: o.user, kind: 'commands' });
    session.commands.set(url, o.text.trim());
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(reply),
    });
    if (!res.ok) {
      notice(session, {
        user: o.user,
        channel: o.channel,
        text: `${name} failed with the error "invalid_ack" (${await res.text()})`,
      });
    }
  }
  return { ok: true };
}

function subscribedToMessage(session: PageSession, channelId: string): boolean {
  const ch = session.api.state.channels.get(channelId);
  if (!ch) return false;
  if (ch.isIm) return session.app.events.includes('message.im');
  if (!ch.botIsMember) return false;
  return session.app.events.includes(ch.isPrivate ? 'message.groups' : 'message.channels');
}

async function post(session: PageSession, o: z.infer<typeof Schemas.post>): Promise<ActResult> {
  if (o.text.trim().startsWith('/') && !o.threadTs) {
    return command(session, { user: o.user, channel: o.channel, text: o.text });
  }
  if (!member(session, o.channel, o.user)) return { ok: false, error: 'Not a member of that conversation.' };
  const m: LocalMessage = session.api.postAsUser({
    channel: o.channel,
    user: o.user,
    text: asSlackSendsIt(o.text),
    ...(o.threadTs ? { thread_ts: o.threadTs } : {}),
  });
  if (!subscribedToMessage(session, o.channel)) return { ok: true };
  const sent = await session.sender.event({ event: messageEvent(session.api, m) });
  return failure(sent) ?? { ok: true };
}

async function blockAction(session: PageSession, o: z.infer<typeof Schemas.blockAction>): Promise<ActResult> {
  const { api, sender } = session;
  const raw = {
    ...(o.value !== undefined ? { value: o.value } : {}),
    ...(o.values ? { values: o.values } : {}),
  };
  if (o.surface === 'view') {
    const v = o.viewId ? api.state.views.get(o.viewId) : undefined;
    if (!v || v.closed || v.user !== o.user) return { ok: false, error: 'That view is gone.' };
    const found = findElement(v.view.blocks, o.blockId, o.actionId);
    if (!found) return { ok: false, error: 'No such element.' };
    const values = buildStateValues(v.view.blocks, o.state);
    const sent = await sender.blockActions({
      userId: o.user,
      actions: [buildAction(found, raw)],
      view: { ...v.view, state: { values } },
    });
    return failure(sent) ?? { ok: true };
  }
  const channelId = o.channel ?? '';
  if (!o.ts || !member(session, channelId, o.user)) return { ok: false, error: 'No such message.' };
  const stored = api.state.message(channelId, o.ts);
  const ephemeral = api.state.ephemerals.find(
    (e) => e.ts === o.ts && e.channel === channelId && e.user === o.user && !e.deleted,
  );
  const blocks = stored?.blocks ?? ephemeral?.blocks;
  const found = findElement(blocks, o.blockId, o.actionId);
  if (!found) return { ok: false, error: 'No such element.' };
  const sent = await sender.blockActions({
    userId: o.user,
    actions: [buildAction(found, raw)],
    channelId,
    message: { ts: o.ts },
    state: { values: buildStateValues(blocks, o.state) },
  });
  return failure(sent) ?? { ok: true };
}

async function viewSubmit(session: PageSession, o: z.infer<typeof Schemas.viewSubmit>): Promise<ActResult> {
  const v = session.api.state.views.get(o.viewId);
  if (!v || v.closed || v.type !== 'modal' || v.user !== o.user)
    return { ok: false, error: 'That view is gone.' };
  const values = buildStateValues(v.view.blocks, o.state);
  try {
    const sent = await session.sender.viewSubmission({ userId: o.user, view: v.view, values });
    if (sent.status !== 200) return { ok: false, error: 'We had some trouble connecting. Try again?' };
  } catch (err) {
    session.logger.warn('the app did not answer a view submission', { error: describeError(err) });
    return { ok: false, error: 'We had some trouble connecting. Try again?' };
  }
  return { ok: true };
}

async function viewClose(session: PageSession, o: z.infer<typeof Schemas.viewClose>): Promise<ActResult> {
  const v = session.api.state.views.get(o.viewId);
  if (!v || v.closed || v.type !== 'modal' || v.user !== o.user) return { ok: true };
  const clear = v.view.clear_on_close === true;
  // Slack tells the app only when the view asked for it (notify_on_close).
  if (v.view.notify_on_close === true) {
    const sent = await session.sender.viewClosed({ userId: o.user, view: v.view, isCleared: clear });
    return failure(sent) ?? { ok: true };
  }
  session.api.closeView(o.viewId, { clear });
  return { ok: true };
}

async function messageAction(
  session: PageSession,
  o: z.infer<typeof Schemas.messageAction>,
): Promise<ActResult> {
  if (!session.app.shortcuts.some((s) => s.callbackId === o.callbackId)) {
    return { ok: false, error: 'The app has no such shortcut.' };
  }
  if (!member(session, o.channel, o.user) || !session.api.state.message(o.channel, o.ts)) {
    return { ok: false, error: 'No such message.' };
  }
  const sent = await session.sender.messageAction({
    userId: o.user,
    callbackId: o.callbackId,
    channelId: o.channel,
    message: { ts: o.ts },
  });
  return failure(sent) ?? { ok: true };
}

async function homeOpened(session: PageSession, o: z.infer<typeof Schemas.homeOpened>): Promise<ActResult> {
  if (!session.app.events.includes('app_home_opened')) return { ok: true };
  const sent = await session.sender.event({ event: appHomeOpenedEvent(session.api, o.user, o.tab) });
  return failure(sent) ?? { ok: true };
}

function reportLines(result: unknown): string[] {
  if (Array.isArray(result)) return result.map(String);
  if (typeof result === 'string') return result.split('\n').filter(Boolean);
  if (result && typeof result === 'object' && Array.isArray((result as { lines?: unknown }).lines)) {
    return ((result as { lines: unknown[] }).lines ?? []).map(String);
  }
  return [];
}

async function clock(session: PageSession, o: z.infer<typeof Schemas.clock>): Promise<ActResult> {
  const { runNudgesAt, nextNudgeAt, wallClock } = session.nudges;
  if (!runNudgesAt || !wallClock) return { ok: false, error: 'Nudges are not part of this build yet.' };
  const user = session.users.find((u) => u.id === o.user);
  if (!user) return { ok: false, error: 'Unknown user.' };
  let at: Date;
  if (o.mode === 'next') {
    if (!nextNudgeAt)
      return { ok: false, error: 'Pick a time: this build cannot tell when the next nudge is.' };
    const after = session.clock.at ?? new Date(session.now());
    const next = await nextNudgeAt({ teamId: session.tenantId ?? session.api.teamId, userId: o.user }, after);
    if (!next) {
      return {
        ok: false,
        error: `No nudge is scheduled for you: try \`${session.app.command} nudge on\` first.`,
      };
    }
    // A nudge already due (late, not yet sent) is sent at the clock's current instant.
    at = new Date(Math.max(next.getTime(), after.getTime()));
  } else {
    const [date = '', time = '00:00'] = (o.at ?? '').split('T');
    const [h = 0, m = 0] = time.split(':').map(Number);
    at = wallClock.toInstant(date, h * 60 + m, user.tz);
  }
  const result = await runNudgesAt(at);
  session.clock.at = at;
  session.clock.lines = reportLines(result);
  session.changes.emit('change');
  return {
    ok: true,
    message: `Nudges ran at ${wallClock.format(at, user.tz)} (${user.tz}).`,
  };
}

const HANDLERS: { [K in ActName]: (s: PageSession, o: z.infer<(typeof Schemas)[K]>) => Promise<ActResult> } =
  {
    command,
    post,
    blockAction,
    viewSubmit,
    viewClose,
    messageAction,
    homeOpened,
    clock,
  };

/** Validates what the page sent (zod, at the edge) and runs the action. */
export async function act(session: PageSession, name: ActName, body: unknown): Promise<ActResult> {
  const parsed = Schemas[name].safeParse(body);
  if (!parsed.success) return { ok: false, error: 'Invalid request.' };
  const input = parsed.data as { user: string };
  if (!session.users.some((u) => u.id === input.user)) return { ok: false, error: 'Unknown user.' };
  const handler = HANDLERS[name] as (s: PageSession, o: unknown) => Promise<ActResult>;
  return handler(session, parsed.data);
}
