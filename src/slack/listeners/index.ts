import type { App } from '@slack/bolt';
import type { AppContext } from '../../context.ts';
import * as actions from './actions/index.ts';
import * as commands from './commands/index.ts';
import * as events from './events/index.ts';
import * as shortcuts from './shortcuts/index.ts';
import { registerStaleInteractions } from './stale.ts';
import * as views from './views/index.ts';

/** One place that wires every listener kind; each folder exports `register(app, ctx)`. */
export function registerListeners(app: App, ctx: AppContext): void {
  commands.register(app, ctx);
  actions.register(app, ctx);
  views.register(app, ctx);
  shortcuts.register(app, ctx);
  events.register(app, ctx);
  registerStaleInteractions(app);
}
