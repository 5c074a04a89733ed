import type { App } from '@slack/bolt';

export interface RegisteredListeners {
  commands: string[];
  shortcuts: string[];
  actions: string[];
  views: string[];
  events: string[];
  messageListeners: number;
}

function idOf(constraint: unknown): string {
  if (typeof constraint === 'string') return constraint;
  if (constraint instanceof RegExp) return constraint.source;
  const c = constraint as { callback_id?: unknown; action_id?: unknown; type?: unknown };
  const id = c.callback_id ?? c.action_id;
  if (typeof id === 'string') return id;
  if (id instanceof RegExp) return id.source;
  return JSON.stringify(constraint);
}

/** A stand-in for Bolt's App that only records what the listeners register. */
export function recordListeners(register: (app: App) => void): RegisteredListeners {
  const out: RegisteredListeners = {
    commands: [],
    shortcuts: [],
    actions: [],
    views: [],
    events: [],
    messageListeners: 0,
  };
  const app = {
    command: (c: unknown) => out.commands.push(idOf(c)),
    shortcut: (c: unknown) => out.shortcuts.push(idOf(c)),
    action: (c: unknown) => out.actions.push(idOf(c)),
    view: (c: unknown) => out.views.push(idOf(c)),
    event: (e: unknown) => out.events.push(idOf(e)),
    message: () => {
      out.messageListeners += 1;
    },
    use: () => {},
    options: () => {},
    error: () => {},
  };
  register(app as unknown as App);
  return out;
}
