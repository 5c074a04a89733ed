import type { App } from '@slack/bolt';

/**
 * Bolt keeps one listener per `app.action(…)`, `app.view(…)` and `app.event(…)` call and runs the
 * matchers of every one of them on every request: with Ladder's 36 listeners, a slash command
 * paid for 35 that could never match (a third of its CPU time). The router collects those
 * registrations and gives Bolt one listener per kind, which picks the matching ones by the same
 * rules as Bolt's `matchConstraints` (an id string is equal, a RegExp matches; `app.view(id)` means
 * a `view_submission`) and runs each of them with Bolt's arguments, as Bolt would have.
 * Commands, shortcuts, message listeners and global middleware go to Bolt unchanged.
 */
type Constraint = string | RegExp;
type Constraints = Partial<Record<'action_id' | 'block_id' | 'callback_id' | 'type', Constraint>>;
// biome-ignore lint/suspicious/noExplicitAny: Bolt's listener arguments differ per kind; the router passes them on untouched.
type Listener = (args: any) => Promise<void> | void;

interface Route {
  constraints: Constraints;
  listeners: Listener[];
}

export interface ListenerRouter {
  /** Stands in for the app while listeners are registered. */
  app: App;
  /** Gives Bolt the one listener per kind; call after every listener is registered. */
  install(): void;
  /** How many registrations each kind collected (for tests and the start log). */
  counts(): { actions: number; views: number; events: number };
}

function isConstraint(value: unknown): value is Constraint {
  return typeof value === 'string' || value instanceof RegExp;
}

function matches(constraint: Constraint | undefined, value: unknown): boolean {
  if (constraint === undefined) return true;
  if (typeof value !== 'string') return false;
  return typeof constraint === 'string' ? value === constraint : constraint.test(value);
}

function routeMatches(
  route: Route,
  ids: { action_id?: unknown; block_id?: unknown; callback_id?: unknown; type?: unknown },
) {
  const c = route.constraints;
  return (
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
  const settled = await Promise.allSettled(routes.map((route) => runChain(route.listeners, args)));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
}

export function createListenerRouter(app: App): ListenerRouter {
  const actions: Route[] = [];
  const views: Route[] = [];
  const events: Route[] = [];

  const overrides: Record<string, (...args: unknown[]) => void> = {
    action(constraints: unknown, ...listeners: unknown[]) {
      actions.push({
        constraints: isConstraint(constraints) ? { action_id: constraints } : (constraints as Constraints),
        listeners: listeners as Listener[],
      });
    },
    view(constraints: unknown, ...listeners: unknown[]) {
      views.push({
        constraints: isConstraint(constraints)
          ? { callback_id: constraints, type: 'view_submission' }
          : (constraints as Constraints),
        listeners: listeners as Listener[],
      });
    },
    event(type: unknown, ...listeners: unknown[]) {
      if (!isConstraint(type))
        throw new Error('the listener router takes event types as a string or a RegExp');
      events.push({ constraints: { type }, listeners: listeners as Listener[] });
    },
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
    counts: () => ({ actions: actions.length, views: views.length, events: events.length }),
    install() {
      if (actions.length > 0) {
        app.action(/(?:)/, async (args) => {
          const payload = args.payload as { action_id?: unknown; block_id?: unknown };
          const body = args.body as { callback_id?: unknown; type?: unknown };
          const ids = { ...payload, callback_id: body.callback_id, type: body.type };
          await runMatching(
            actions.filter((route) => routeMatches(route, ids)),
            args as unknown as Record<string, unknown>,
          );
        });
      }
      if (views.length > 0) {
        app.view({}, async (args) => {
          const body = args.body as { type?: unknown; view?: { callback_id?: unknown } };
          const ids = { callback_id: body.view?.callback_id, type: body.type };
          await runMatching(
            views.filter((route) => routeMatches(route, ids)),
            args as unknown as Record<string, unknown>,
          );
        });
      }
      if (events.length > 0) {
        app.event(/(?:)/, async (args) => {
          const ids = { type: (args.event as { type?: unknown }).type };
          await runMatching(
            events.filter((route) => routeMatches(route, ids)),
            args as unknown as Record<string, unknown>,
          );
        });
      }
    },
  };
}
