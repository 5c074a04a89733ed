import type { App, BlockStaticSelectAction } from '@slack/bolt';
import type { AppContext } from '../../context.ts';
import { chosenLevel, resolveProfileLevels } from '../../domain/profile.ts';
import { chosenName } from '../blocks/format.ts';
import { homeLevelNotice } from '../blocks/profile.ts';
import { ActionId } from '../ids.ts';
import { ownerOfInteraction } from '../owner.ts';
import { publishHome } from './publish.ts';

/**
 * The App Home's level and target pickers. The value is a public position or role id, checked
 * against the ladder (a role is kept as chosen, with its comparable position); the profile changed
 * is always the clicking user's own (from the signed payload).
 */
export function registerHomeActions(app: App, ctx: AppContext): void {
  for (const slot of ['level', 'target'] as const) {
    const actionId = slot === 'level' ? ActionId.homeSetLevel : ActionId.homeSetTarget;
    app.action<BlockStaticSelectAction>(actionId, async ({ ack, body, action, client }) => {
      await ack();
      const owner = ownerOfInteraction(body);
      const value = action.selected_option?.value;
      const chosen = typeof value === 'string' ? chosenLevel(ctx.ladder, value) : null;
      const position = chosen?.position;
      if (!chosen || !position) {
        await publishHome(ctx, client, owner, { notice: homeLevelNotice(null) });
        return;
      }
      const current = await ctx.repos.profiles.getOrEmpty(owner);
      const resolution = resolveProfileLevels(
        ctx.ladder,
        { level: slot === 'level' ? position.id : null, target: slot === 'target' ? position.id : null },
        current,
      );
      await ctx.repos.profiles.setLevels(
        owner,
        slot === 'level'
          ? { level: position.id, levelRole: chosen.role?.id ?? null }
          : { target: position.id, targetRole: chosen.role?.id ?? null },
        ctx.now(),
      );
      const warning = resolution.ok && resolution.warning ? resolution.warning : null;
      await publishHome(ctx, client, owner, {
        notice: homeLevelNotice({ slot, name: chosenName(chosen), warning }),
      });
    });
  }
}
