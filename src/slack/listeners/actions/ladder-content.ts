import type { App, BlockButtonAction } from '@slack/bolt';
import type { AppContext } from '../../../context.ts';
import { getLevel, resolveLevel, resolveLevelPair } from '../../../domain/ladder/resolve.ts';
import { buildCompareLevels } from '../../blocks/compare.ts';
import { buildLevelCard, LEVEL_GONE_TEXT } from '../../blocks/level-card.ts';
import { buildLevelExamples } from '../../blocks/level-examples.ts';
import { preparedRepliesFor } from '../../blocks/prepared.ts';
import { decodeLevelValue } from '../../blocks/values.ts';
import { helpEntries } from '../../help-entries.ts';
import { ActionId, actionIdPattern } from '../../ids.ts';

/** An answer only the clicker sees, below the message (which stays as it was). */
const EPHEMERAL = { response_type: 'ephemeral', replace_original: false } as const;

/**
 * Buttons under level cards and comparisons. Their values carry level ids only (public ladder
 * content, no user data); an unknown or forged value gets a friendly reply, never an error.
 */
export function registerContentActions(app: App, ctx: AppContext): void {
  const replies = preparedRepliesFor(ctx.ladder, helpEntries());
  app.action<BlockButtonAction>(actionIdPattern(ActionId.compareLevels), async ({ ack, action, respond }) => {
    await ack();
    const v = decodeLevelValue(action.value);
    const a = v?.kind === 'pair' ? getLevel(ctx.ladder, v.a) : undefined;
    const b = v?.kind === 'pair' ? getLevel(ctx.ladder, v.b) : undefined;
    if (!a || !b) return void (await respond({ ...EPHEMERAL, text: LEVEL_GONE_TEXT }));
    await respond({ ...EPHEMERAL, ...replies.comparison(a, b) });
  });

  app.action<BlockButtonAction>(actionIdPattern(ActionId.showLevel), async ({ ack, action, respond }) => {
    await ack();
    const v = decodeLevelValue(action.value);
    const level = v?.kind === 'level' ? getLevel(ctx.ladder, v.id) : undefined;
    if (!level) return void (await respond({ ...EPHEMERAL, text: LEVEL_GONE_TEXT }));
    await respond({ ...EPHEMERAL, ...replies.levelCard(level) });
  });

  app.action<BlockButtonAction>(ActionId.levelExamples, async ({ ack, action, respond }) => {
    await ack();
    const v = decodeLevelValue(action.value);
    const level = v?.kind === 'level' ? getLevel(ctx.ladder, v.id) : undefined;
    if (!level) return void (await respond({ ...EPHEMERAL, text: LEVEL_GONE_TEXT }));
    await respond({ ...EPHEMERAL, ...buildLevelExamples(ctx.ladder, level) });
  });

  // Posts the same card visibly, only because the user asked: response_type in_channel.
  app.action<BlockButtonAction>(ActionId.shareInChannel, async ({ ack, action, respond }) => {
    await ack();
    const v = decodeLevelValue(action.value);
    let message: ReturnType<typeof buildLevelCard> | undefined;
    // The typed words are shown only when they still name the same levels (a value can be forged).
    if (v?.kind === 'level') {
      const level = getLevel(ctx.ladder, v.id);
      const again = v.typed ? resolveLevel(ctx.ladder, v.typed) : undefined;
      const typed = again && again.kind !== 'unknown' && again.id === v.id ? v.typed : null;
      if (level) message = buildLevelCard(ctx.ladder, level, { shared: true, typed });
    } else if (v?.kind === 'pair') {
      const a = getLevel(ctx.ladder, v.a);
      const b = getLevel(ctx.ladder, v.b);
      const again = v.typed ? resolveLevelPair(ctx.ladder, v.typed.split(' ')) : null;
      const typed =
        again &&
        again.a.kind !== 'unknown' &&
        again.b.kind !== 'unknown' &&
        again.a.id === v.a &&
        again.b.id === v.b
          ? v.typed
          : null;
      if (a && b) message = buildCompareLevels(ctx.ladder, a, b, { shared: true, typed });
    }
    if (!message) return void (await respond({ ...EPHEMERAL, text: LEVEL_GONE_TEXT }));
    await respond({ response_type: 'in_channel', replace_original: false, ...message });
  });
}
