import type { AckFn, App, RespondArguments, RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../../context.ts';
import { type LadderCommand, type LadderCommandKind, parseLadderCommand } from '../../../domain/command.ts';
import type { Owner } from '../../../domain/types.ts';
import { COMMAND } from '../../ids.ts';
import { ownerOfCommand } from '../../owner.ts';
import { unescapeSlackText } from '../../text.ts';
import { evidenceCommands } from './evidence.ts';
import { exportCommands } from './export.ts';
import { contentCommands } from './ladder-content.ts';
import { nudgeCommands } from './nudge.ts';
import { progressCommands } from './progress.ts';

export interface CommandCall<K extends LadderCommandKind = LadderCommandKind> {
  ctx: AppContext;
  owner: Owner;
  command: Extract<LadderCommand, { kind: K }>;
  body: SlashCommand;
  ack: AckFn<string | RespondArguments>;
  respond: RespondFn;
  client: WebClient;
}

export type CommandHandlers = { [K in LadderCommandKind]?: (call: CommandCall<K>) => Promise<void> };

/**
 * Each feature contributes the subcommands it answers (no two claim the same kind); a test checks
 * that every kind the parser returns has a handler.
 */
export const HANDLERS: CommandHandlers = {
  ...contentCommands,
  ...evidenceCommands,
  ...progressCommands,
  ...nudgeCommands,
  ...exportCommands,
};

/**
 * `/ladder …`: parse (a pure function that never throws) → the feature's handler. Handlers that
 * need no Slack call answer in the ack itself (fastest for the user); the others ack at once and
 * reply through the response URL.
 */
export function register(app: App, ctx: AppContext): void {
  app.command(COMMAND, async ({ command, ack, respond, client }) => {
    const owner = ownerOfCommand(command);
    const parsed = parseLadderCommand(unescapeSlackText(command.text ?? ''));
    const handler = (HANDLERS[parsed.kind] ?? HANDLERS.help) as (call: CommandCall) => Promise<void>;
    await handler({ ctx, owner, command: parsed, body: command, ack, respond, client });
  });
}
