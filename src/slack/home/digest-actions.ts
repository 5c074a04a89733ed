import type { App, BlockButtonAction } from '@slack/bolt';
import { applyDigestCommand } from '../../app/digest.ts';
import type { AppContext } from '../../context.ts';
import { digestCommandText } from '../blocks/digest.ts';
import { ActionId } from '../ids.ts';
import { ownerOfInteraction } from '../owner.ts';
import { ensureTimeZone } from '../time-zone.ts';
import { publishHome } from './publish.ts';

/**
 * The monthly digest's switch on the App Home. The value is the setting (on/off), never an id: it
 * changes only the clicking user's own digest, through the same rules as `/ladder digest`.
 */
export function registerDigestHomeActions(app: App, ctx: AppContext): void {
  app.action<BlockButtonAction>(ActionId.homeDigestToggle, async ({ ack, body, action, client }) => {
    await ack();
    const owner = ownerOfInteraction(body);
    const profile = await ensureTimeZone(ctx, client, owner);
    const value = action.value === 'off' ? 'off' : 'on';
    const notice = digestCommandText(value, await applyDigestCommand(ctx, owner, value, profile.tz));
    await publishHome(ctx, client, owner, { notice });
  });
}
