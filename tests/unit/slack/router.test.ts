import { App, type Receiver } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createListenerRouter } from '../../../src/slack/router.ts';

const receiver: Receiver = { init: () => {}, start: async () => {}, stop: async () => {} };

/** A real Bolt app (no network: its identity is given) with listeners registered through the router. */
function routedApp() {
  const app = new App({
    token: 'xoxb-test',
    botId: 'B0BOT',
    botUserId: 'U0BOT',
    receiver,
    convoStore: false,
  });
  const ran: string[] = [];
  const errors: unknown[] = [];
  app.error(async (error) => {
    errors.push(error);
  });
  const router = createListenerRouter(app);
  const r = router.app;
  const note = (name: string) => async (args: { ack?: () => Promise<void> }) => {
    ran.push(name);
    await args.ack?.();
  };
  r.command('/ladder', note('command'));
  r.command('/other', note('other command'));
  r.shortcut('save', note('shortcut'));
  r.shortcut({ callback_id: 'save', type: 'shortcut' }, note('global shortcut only'));
  r.action('share', note('action share'));
  r.action(/^remove\.\d+$/, note('action remove.n'));
  r.action({ block_id: 'b1' }, note('action in b1'));
  r.action(
    'chain',
    async ({ next }: { next: () => Promise<void> }) => {
      ran.push('chain first');
      await next();
    },
    note('chain second'),
  );
  r.view('modal', note('view submission'));
  r.view({ type: 'view_closed', callback_id: /(?:)/ }, note('view closed'));
  r.event('app_home_opened', note('event home'));
  r.message(note('message'));
  r.event('app_mention', async () => {
    ran.push('failing event');
    throw new Error('listener failed');
  });
  router.install();
  const send = async (body: Record<string, unknown>) => {
    ran.length = 0;
    await app.processEvent({ body, ack: async () => {} });
    return [...ran].sort();
  };
  return { app, router, send, errors };
}

const team = { team: { id: 'T1' }, user: { id: 'U1', team_id: 'T1' } };
const action = (a: Record<string, unknown>) => ({
  type: 'block_actions',
  ...team,
  trigger_id: 't',
  actions: [{ type: 'button', block_id: 'b0', ...a }],
});
const event = (e: Record<string, unknown>) => ({ type: 'event_callback', team_id: 'T1', event: e });

describe('the listener router: one global middleware that runs the matching listeners by Bolt’s rules', () => {
  it('leaves Bolt no listeners of its own, and counts what it collected', () => {
    const { app, router } = routedApp();
    expect((app as unknown as { listeners: unknown[] }).listeners).toEqual([]);
    expect(router.counts()).toEqual({ command: 2, shortcut: 2, action: 4, view: 2, event: 3 });
  });

  it('runs a command’s listener by its name, and no other', async () => {
    const { send } = routedApp();
    const cmd = (command: string) => ({ command, team_id: 'T1', user_id: 'U1', channel_id: 'C1', text: '' });
    expect(await send(cmd('/ladder'))).toEqual(['command']);
    expect(await send(cmd('/other'))).toEqual(['other command']);
    expect(await send(cmd('/nobody'))).toEqual([]);
  });

  it('matches shortcuts on callback id and type, actions on action id (string or RegExp) and block id', async () => {
    const { send } = routedApp();
    const shortcut = (type: string) => ({ type, callback_id: 'save', trigger_id: 't', ...team });
    expect(await send(shortcut('shortcut'))).toEqual(['global shortcut only', 'shortcut']);
    expect(
      await send({ ...shortcut('message_action'), channel: { id: 'C1' }, message: { ts: '1' } }),
    ).toEqual(['shortcut']);
    expect(await send(action({ action_id: 'share' }))).toEqual(['action share']);
    expect(await send(action({ action_id: 'remove.12' }))).toEqual(['action remove.n']);
    expect(await send(action({ action_id: 'remove.x' }))).toEqual([]);
    expect(await send(action({ action_id: 'share', block_id: 'b1' }))).toEqual([
      'action in b1',
      'action share',
    ]);
  });

  it('runs a registration’s listeners in order, each passing on with next', async () => {
    const { send } = routedApp();
    expect(await send(action({ action_id: 'chain' }))).toEqual(['chain first', 'chain second']);
  });

  it('takes app.view(id) as a submission only, and a view_closed only where asked for', async () => {
    const { send } = routedApp();
    const view = (type: string) => ({ type, ...team, view: { id: 'V1', callback_id: 'modal' } });
    expect(await send(view('view_submission'))).toEqual(['view submission']);
    expect(await send(view('view_closed'))).toEqual(['view closed']);
  });

  it('routes events by type, message listeners to message events only', async () => {
    const { send } = routedApp();
    expect(await send(event({ type: 'app_home_opened', user: 'U1', tab: 'home' }))).toEqual(['event home']);
    expect(await send(event({ type: 'message', user: 'U1', channel: 'D1', text: 'hi', ts: '1' }))).toEqual([
      'message',
    ]);
    expect(await send(event({ type: 'reaction_added', user: 'U1' }))).toEqual([]);
  });

  it('hands a listener’s failure to the app’s error handler, as Bolt does', async () => {
    const { send, errors } = routedApp();
    expect(
      await send(event({ type: 'app_mention', user: 'U1', channel: 'C1', text: 'hi', ts: '1' })),
    ).toEqual(['failing event']);
    expect(errors).toHaveLength(1);
    expect(String((errors[0] as { original?: unknown }).original ?? errors[0])).toContain('listener failed');
  });

  it('refuses the kinds Ladder does not register rather than never running them', () => {
    const { router } = routedApp();
    expect(() => router.app.options('x', async () => {})).toThrow(/options/);
    expect(() => router.app.message('hello', async () => {})).toThrow(/pattern/);
  });
});
