/**
 * Every Slack identifier the app declares, once: the slash command, shortcut callback ids,
 * action ids, block ids, view callback ids and the events it subscribes to. manifest.yml and the
 * tests are checked against this file.
 */

export const COMMAND = '/ladder';

/** Message shortcuts, with the name and description the manifest shows. */
export const MESSAGE_SHORTCUTS: ReadonlyArray<{ callbackId: string; name: string; description: string }> = [];

export const ActionId = {
  shareInChannel: 'ladder_share_in_channel',
  compareLevels: 'ladder_compare_levels',
  showLevel: 'ladder_show_level',
} as const;

export const BlockId = {} as const;

export const ViewId = {} as const;

/** Events the app subscribes to (manifest `settings.event_subscriptions.bot_events`). */
export const SUBSCRIBED_EVENTS = [] as const;

export type ActionIdValue = (typeof ActionId)[keyof typeof ActionId];

/**
 * Slack rejects a block holding two elements with the same action_id. Several buttons of one kind
 * in one block (level suggestions, "compare with the level below / above") get `<id>.<n>`; the
 * first keeps the plain id. Register their listener with `actionIdPattern(id)`.
 */
export function nthActionId(id: ActionIdValue, n: number): string {
  return n === 0 ? id : `${id}.${n}`;
}

/** Matches an action id and every `nthActionId` variant of it. */
export function actionIdPattern(id: ActionIdValue): RegExp {
  return new RegExp(`^${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:\\.\\d+)?$`);
}
