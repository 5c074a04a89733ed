import type { AckFn, App, RespondArguments, RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../../context.ts';
import { type LadderCommand, type LadderCommandKind, parseLadderCommand } from '../../../domain/command.ts';
import type { Owner } from '../../../domain/types.ts';
import { type PreparedReplies, preparedRepliesFor } from '../../blocks/prepared.ts';
import { helpEntries } from '../../help-entries.ts';
import { COMMAND } from '../../ids.ts';
import { ownerOfCommand } from '../../owner.ts';
import { unescapeSlackText } from '../../text.ts';
import { digestCommands } from './digest.ts';
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
  /** Replies that depend on the ladder alone, prepared at start. */
  replies: PreparedReplies;
}

export type Handler<K extends LadderCommandKind> = (call: CommandCall<K>) => Promise<void>;

/** Handlers for some kinds: what one feature file contributes. */
export type CommandHandlers = { [K in LadderCommandKind]?: Handler<K> };

/**
 * Each feature contributes the subcommands it answers. The compiler proves every kind the parser
 * can return has a handler: a new kind does not compile until one is added here.
 */
export const HANDLERS = {
  ...contentCommands,
  ...evidenceCommands,
  ...progressCommands,
  ...nudgeCommands,
  ...digestCommands,
  ...exportCommands,
} satisfies { [K in LadderCommandKind]: Handler<K> };

function dispatch<K extends LadderCommandKind>(
  handlers: { [P in LadderCommandKind]: Handler<P> },
  kind: K,
  call: CommandCall<K>,
): Promise<void> {
  return handlers[kind](call);
}

/**
 * `/ladder …`: parse (a pure function that never throws) → the feature's handler. Handlers that
 * need no Slack call answer in the ack itself (fastest for the user); the others ack at once and
 * reply through the response URL.
 */
export function register(app: App, ctx: AppContext): void {
  const replies = preparedRepliesFor(ctx.ladder, helpEntries());
  app.command(COMMAND, async ({ command, ack, respond, client }) => {
    const owner = ownerOfCommand(command);
    const parsed = parseLadderCommand(unescapeSlackText(command.text ?? ''));
    await dispatch(HANDLERS, parsed.kind, {
      ctx,
      owner,
      command: parsed,
      body: command,
      ack,
      respond,
      client,
      replies,
    });
  });
}
