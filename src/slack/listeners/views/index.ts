import type { App } from '@slack/bolt';
import type { AppContext } from '../../../context.ts';
import { registerEvidenceViews } from './evidence.ts';
import { registerNudgeViews } from './nudge.ts';

export function register(app: App, ctx: AppContext): void {
  registerEvidenceViews(app, ctx);
  registerNudgeViews(app, ctx);
}
