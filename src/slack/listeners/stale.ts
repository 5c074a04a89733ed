import type { App } from '@slack/bolt';
import { STALE_TEXT } from '../blocks/help.ts';
import { ActionId, NUMBERED_ACTION_IDS, ViewId } from '../ids.ts';

const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyOf = (ids: readonly string[]) => ids.map(literal).join('|');

/** Input elements (formValue) send no actions: every other id ids.ts declares has a listener. */
const HANDLED_ACTION_IDS = Object.values(ActionId).filter((id) => id !== ActionId.formValue);
/** Every action id but the handled ones (and `.<n>` variants of the numbered ones). */
const UNKNOWN_ACTION = new RegExp(
  `^(?!(?:${anyOf(HANDLED_ACTION_IDS)})$|(?:${anyOf(NUMBERED_ACTION_IDS)})\\.\\d+$)`,
);
/** Every view callback id but the ones ids.ts declares. */
const UNKNOWN_VIEW = new RegExp(`^(?!(?:${anyOf(Object.values(ViewId))})$)`);

/**
 * Buttons on old messages outlive the ids they carry, and Slack shows "this app did not respond"
 * for anything nobody acknowledges within 3 s. Registered last: interactions no listener declares
 * are acknowledged at once, and a button press is told why nothing happened.
 */
export function registerStaleInteractions(app: App): void {
  app.action(UNKNOWN_ACTION, async ({ ack, body, respond }) => {
    await ack();
    if ('response_url' in body && body.response_url) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: STALE_TEXT });
    }
  });
  app.view(UNKNOWN_VIEW, async ({ ack }) => {
    await ack();
  });
  // The app sets no notify_on_close, so Slack sends view_closed only for views it does not know.
  app.view({ type: 'view_closed', callback_id: /(?:)/ }, async ({ ack }) => {
    await ack();
  });
}
