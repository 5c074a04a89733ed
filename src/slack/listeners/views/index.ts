import type { App } from '@slack/bolt';
import type { AppContext } from '../../../context.ts';
import { registerEvidenceViews } from './evidence.ts';

export function register(app: App, ctx: AppContext): void {
  registerEvidenceViews(app, ctx);
}
