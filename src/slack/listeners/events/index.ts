import type { App } from '@slack/bolt';
import type { AppContext } from '../../../context.ts';
import { publishHome } from '../../home/publish.ts';
import { EventName } from '../../ids.ts';
import { ownerOfEvent } from '../../owner.ts';
import { registerNudgeReplies } from './nudge-replies.ts';
import { registerWorkspaceEvents } from './workspace.ts';

export function register(app: App, ctx: AppContext): void {
  app.event(EventName.appHomeOpened, async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    await publishHome(ctx, client, ownerOfEvent(body, event.user));
  });
  registerNudgeReplies(app, ctx);
  registerWorkspaceEvents(app, ctx);
}
