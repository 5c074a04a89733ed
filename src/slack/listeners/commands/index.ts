import type { App } from '@slack/bolt';
import type { AppContext } from '../../../context.ts';
import { COMMAND } from '../../ids.ts';

export function register(app: App, _ctx: AppContext): void {
  app.command(COMMAND, async ({ ack }) => {
    await ack({
      response_type: 'ephemeral',
      text: 'Ladder coaches you up the TPM career ladder. Try `/ladder help`.',
    });
  });
}
