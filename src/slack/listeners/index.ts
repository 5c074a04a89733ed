import type { App } from '@slack/bolt';
import type { AppContext } from '../../context.ts';
import * as commands from './commands/index.ts';

/** One place that wires every listener kind; each folder exports `register(app, ctx)`. */
export function registerListeners(app: App, ctx: AppContext): void {
  commands.register(app, ctx);
}
