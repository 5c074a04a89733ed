import type { App, BlockStaticSelectAction } from '@slack/bolt';
import type { AppContext } from '../../context.ts';
import { getPosition } from '../../domain/ladder/resolve.ts';
import { resolveProfileLevels } from '../../domain/profile.ts';
import { ActionId } from '../ids.ts';
import { ownerOfInteraction } from '../owner.ts';
import { publishHome } from './publish.ts';

/**
 * The App Home's level and target pickers. The value is a public position id, checked against the
 * ladder; the profile changed is always the clicking user's own (from the signed payload).
 */
export function registerHomeActions(app: App, ctx: AppContext): void {
  for (const slot of ['level', 'target'] as const) {
    const actionId = slot === 'level' ? ActionId.homeSetLevel : ActionId.homeSetTarget;
    app.action<BlockStaticSelectAction>(actionId, async ({ ack, body, action, client }) => {
      await ack();
      const owner = ownerOfInteraction(body);
      const value = action.selected_option?.value;
      const position = typeof value === 'string' ? getPosition(ctx.ladder, value) : undefined;
      if (!position) {
        await publishHome(ctx, client, owner, {
          notice: 'That level is not in the ladder; nothing was changed.',
        });
        return;
      }
      const current = ctx.repos.profiles.getOrEmpty(owner);
      const resolution = resolveProfileLevels(
        ctx.ladder,
        { level: slot === 'level' ? position.id : null, target: slot === 'target' ? position.id : null },
        current,
      );
      ctx.repos.profiles.setLevels(owner, { [slot]: position.id }, ctx.now());
      const warning = resolution.ok && resolution.warning ? ` ${resolution.warning}` : '';
      await publishHome(ctx, client, owner, {
        notice: `Your ${slot} is now ${position.code} · ${position.title}.${warning}`,
      });
    });
  }
}
