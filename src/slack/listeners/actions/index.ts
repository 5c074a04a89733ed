import type { App } from '@slack/bolt';
import type { AppContext } from '../../../context.ts';
import { registerDigestHomeActions } from '../../home/digest-actions.ts';
import { registerNudgeHomeActions } from '../../home/nudge-actions.ts';
import { registerHomeActions } from '../../home/profile-actions.ts';
import { registerEvidenceActions } from './evidence.ts';
import { registerExportActions } from './export.ts';
import { registerContentActions } from './ladder-content.ts';
import { registerNudgeActions } from './nudge.ts';

export function register(app: App, ctx: AppContext): void {
  registerContentActions(app, ctx);
  registerEvidenceActions(app, ctx);
  registerExportActions(app, ctx);
  registerHomeActions(app, ctx);
  registerNudgeActions(app, ctx);
  registerNudgeHomeActions(app, ctx);
  registerDigestHomeActions(app, ctx);
}
