import type { App } from '@slack/bolt';

/**
 * Bolt keeps one listener per `app.command(…)`, `app.action(…)`, `app.view(…)`, `app.event(…)`,
 * `app.shortcut(…)` and `app.message(…)` call and runs every one of them on every request, each
 * through its own chain of matcher middleware: a slash command paid for the matchers of listeners
 * that could never match it. The router collects those registrations instead and gives Bolt ONE
 * global middleware, registered after every other one, that looks at the kind of request once,
 * picks the matching registrations by Bolt's own rules (`matchConstraints`, `matchCommandName`,
 * `matchEventType`: an id string is equal, a RegExp matches; `app.view(id)` means a
 * `view_submission`) and runs each of them with Bolt's arguments, concurrently, as Bolt would.
 * Bolt's own listener list stays empty. Global middleware (`app.use`) goes to Bolt unchanged;
 * the kinds Ladder does not use (`options`, `function`, a message pattern) are refused at
 * registration rather than silently never run.
 */
type Constraint = string | RegExp;
type Key = 'command' | 'action_id' | 'block_id' | 'callback_id' | 'type';
type Constraints = Partial<Record<Key, Constraint>>;
type Ids = Partial<Record<Key, unknown>>;
// biome-ignore lint/suspicious/noExplicitAny: Bolt's listener arguments differ per kind; the router passes them on untouched.
type Listener = (args: any) => Promise<void> | void;
type Kind = 'command' | 'shortcut' | 'action' | 'view' | 'event';

interface Route {
  constraints: Constraints;
  listeners: Listener[];
}

export interface ListenerRouter {
  /** Stands in for the app while listeners are registered. */
  app: App;
  /** Gives Bolt the one dispatching middleware; call after every listener and middleware is registered. */
  install(): void;
  /** How many registrations each kind collected (for tests and the start log). */
  counts(): Record<Kind, number>;
}

function isConstraint(value: unknown): value is Constraint {
  return typeof value === 'string' || value instanceof RegExp;
}

function matches(constraint: Constraint | undefined, value: unknown): boolean {
  if (constraint === undefined) return true;
  if (typeof value !== 'string') return false;
  return typeof constraint === 'string' ? value === constraint : constraint.test(value);
}

function routeMatches(route: Route, ids: Ids): boolean {
  const c = route.constraints;
  return (
    matches(c.command, ids.command) &&
    matches(c.action_id, ids.action_id) &&
    matches(c.block_id, ids.block_id) &&
    matches(c.callback_id, ids.callback_id) &&
    matches(c.type, ids.type)
  );
}

/** Runs one registration's listeners as Bolt does: each gets the arguments and a `next` to the following one. */
function runChain(listeners: readonly Listener[], args: Record<string, unknown>): Promise<void> {
  const call = async (i: number): Promise<void> => {
    const listener = listeners[i];
    if (listener) await listener({ ...args, next: () => call(i + 1) });
  };
  return call(0);
}

/** Every matching registration, concurrently, as Bolt runs its listeners; one failure is rethrown as Bolt would. */
async function runMatching(routes: readonly Route[], args: Record<string, unknown>): Promise<void> {
  if (routes.length === 1) return runChain((routes[0] as Route).listeners, args);
  const settled = await Promise.allSettled(routes.map((route) => runChain(route.listeners, args)));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
}

/**
 * The kind of a request and the ids its registrations are matched on, from the aliases Bolt sets
 * (`command`, `shortcut`, `action`, `view`, `event`: what Bolt's `onlyCommands`… check).
 */
function kindOf(args: Record<string, unknown>): { kind: Kind; ids: Ids } | null {
  const body = args.body as { type?: unknown; callback_id?: unknown; command?: unknown };
  if (args.command) return { kind: 'command', ids: { command: body.command } };
  if (args.shortcut) return { kind: 'shortcut', ids: { callback_id: body.callback_id, type: body.type } };
  if (args.action) {
    const action = args.action as { action_id?: unknown; block_id?: unknown };
    return {
      kind: 'action',
      ids: {
        action_id: action.action_id,
        block_id: action.block_id,
        callback_id: body.callback_id,
        type: body.type,
      },
    };
  }
  if (args.view) {
    return {
      kind: 'view',
      ids: { callback_id: (args.view as { callback_id?: unknown }).callback_id, type: body.type },
    };
  }
  if (args.event) return { kind: 'event', ids: { type: (args.event as { type?: unknown }).type } };
  return null;
}

function unsupported(what: string): () => never {
  return () => {
    throw new Error(`the listener router does not take ${what}: Ladder registers none`);
  };
}

function constraintsOf(kind: Kind, given: unknown): Constraints {
  if (!isConstraint(given)) {
    if (kind === 'command' || kind === 'event') {
      throw new Error(`the listener router takes ${kind} names as a string or a RegExp`);
    }
    return given as Constraints;
  }
  switch (kind) {
    case 'command':
      return { command: given };
    case 'event':
      return { type: given };
    case 'action':
      return { action_id: given };
    case 'view':
      return { callback_id: given, type: 'view_submission' };
    case 'shortcut':
      return { callback_id: given };
  }
}

export function createListenerRouter(app: App): ListenerRouter {
  const routes: Record<Kind, Route[]> = { command: [], shortcut: [], action: [], view: [], event: [] };
  const collect =
    (kind: Kind) =>
    (constraints: unknown, ...listeners: unknown[]) => {
      routes[kind].push({
        constraints: constraintsOf(kind, constraints),
        listeners: listeners as Listener[],
      });
    };

  const overrides: Record<string, (...args: unknown[]) => void> = {
    command: collect('command'),
    shortcut: collect('shortcut'),
    action: collect('action'),
    view: collect('view'),
    event: collect('event'),
    message(...listeners: unknown[]) {
      if (listeners.some((l) => typeof l !== 'function')) {
        throw new Error('the listener router takes message listeners without a pattern');
      }
      routes.event.push({ constraints: { type: 'message' }, listeners: listeners as Listener[] });
    },
    options: unsupported('options listeners'),
    function: unsupported('custom function listeners'),
    assistant: unsupported('an assistant'),
  };

  const stand = new Proxy(app, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && Object.hasOwn(overrides, prop)) return overrides[prop];
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

  return {
    app: stand,
    counts: () => ({
      command: routes.command.length,
      shortcut: routes.shortcut.length,
      action: routes.action.length,
      view: routes.view.length,
      event: routes.event.length,
    }),
    install() {
      // Registered last: every other global middleware (ignoreSelf, the re-install check) runs first.
      // It never calls `next`: Bolt's own listener list is empty.
      app.use(async (args) => {
        const request = kindOf(args as unknown as Record<string, unknown>);
        if (!request) return;
        const matching = routes[request.kind].filter((route) => routeMatches(route, request.ids));
        if (matching.length > 0) await runMatching(matching, args as unknown as Record<string, unknown>);
      });
    },
  };
}
