import type { App } from '@slack/bolt';
import type { AppContext } from '../../../context.ts';
import { registerEvidenceActions } from './evidence.ts';
import { registerExportActions } from './export.ts';
import { registerHomeActions } from './home.ts';
import { registerContentActions } from './ladder-content.ts';
import { registerNudgeActions } from './nudge.ts';
import { registerNudgeHomeActions } from './nudge-home.ts';

export function register(app: App, ctx: AppContext): void {
  registerContentActions(app, ctx);
  registerEvidenceActions(app, ctx);
  registerExportActions(app, ctx);
  registerHomeActions(app, ctx);
  registerNudgeActions(app, ctx);
  registerNudgeHomeActions(app, ctx);
}
