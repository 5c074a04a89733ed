/**
 * Every Slack identifier the app declares, once: the slash command, shortcut callback ids,
 * action ids, block ids, view callback ids and the events it subscribes to. manifest.yml and the
 * tests are checked against this file.
 */

export const COMMAND = '/ladder';

/** Message shortcuts, with the name and description the manifest shows. */
export const ShortcutId = {
  saveAsEvidence: 'save_as_evidence',
} as const;

export const MESSAGE_SHORTCUTS: ReadonlyArray<{ callbackId: string; name: string; description: string }> = [
  {
    callbackId: ShortcutId.saveAsEvidence,
    name: 'Save as evidence',
    description: 'Keep this message as private evidence for your next review',
  },
];

export const ActionId = {
  shareInChannel: 'ladder_share_in_channel',
  compareLevels: 'ladder_compare_levels',
  showLevel: 'ladder_show_level',
  /** "What counts here": examples of evidence for each step of a level; the value is a level id. */
  levelExamples: 'ladder_level_examples',
  /** Every input element of a modal; the block id tells which field it is. */
  formValue: 'value',
  logWin: 'evidence_log_win',
  evidenceEdit: 'evidence_edit',
  evidenceUndo: 'evidence_undo',
  evidenceDelete: 'evidence_delete',
  /** Keeps the tags keyword rules suggested on an entry (they become the user's own). */
  evidenceAccept: 'evidence_accept',
  evidencePage: 'evidence_page',
  /** "Save as evidence" on a message already saved: opens that entry instead of making a copy. */
  evidenceOpenSaved: 'evidence_open_saved',
  /** App Home profile pickers: the value is a public position id; they set the clicker's own profile. */
  homeSetLevel: 'home_set_level',
  homeSetTarget: 'home_set_target',
  forgetConfirm: 'forget_confirm',
  forgetCancel: 'forget_cancel',
  /** App Home export buttons (`export_file.<n>`): the value is a format (md, csv, json), never an id. */
  exportFile: 'export_file',
  /** App Home: upload a fresh radar chart to the clicker's DM and show it on their Home. */
  exportChart: 'export_chart',
  nudgeAnswer: 'nudge_answer',
  nudgeSkipWeek: 'nudge_skip_week',
  nudgePause: 'nudge_pause_2w',
  nudgeStop: 'nudge_stop',
  homeNudgeToggle: 'home_nudge_toggle',
  homeNudgeSkip: 'home_nudge_skip',
  homeNudgePause: 'home_nudge_pause',
  homeNudgeNow: 'home_nudge_now',
  homeNudgeDay: 'home_nudge_day',
  homeNudgeTime: 'home_nudge_time',
  homeDigestToggle: 'home_digest_toggle',
} as const;

export const BlockId = {
  evidenceText: 'evidence_text',
  evidenceDate: 'evidence_date',
  evidenceAxes: 'evidence_axes',
  evidenceShift: 'evidence_shift',
  evidenceScope: 'evidence_scope',
  evidenceLink: 'evidence_link',
  evidenceActions: 'evidence_actions',
  evidencePager: 'evidence_pager',
  forgetActions: 'forget_actions',
  homeActions: 'home_actions',
  homeProfile: 'home_profile',
  nudgeActions: 'nudge_actions',
  homeNudgeSchedule: 'home_nudge_schedule',
  homeNudgeActions: 'home_nudge_actions',
  nudgeAnswer: 'nudge_answer_text',
  digestHeader: 'digest_header',
  homeDigest: 'home_digest',
} as const;

export const ViewId = {
  evidenceModal: 'evidence_modal',
  /** Shown instead of the form when the message is already evidence. */
  evidenceAlreadySaved: 'evidence_already_saved_modal',
  nudgeAnswer: 'nudge_answer_modal',
} as const;

/** The events the app listens to, by Slack's names. */
export const EventName = {
  appHomeOpened: 'app_home_opened',
  /** A message in the bot's DM; Bolt's `app.message` receives it as a `message` event. */
  messageIm: 'message.im',
  appUninstalled: 'app_uninstalled',
  tokensRevoked: 'tokens_revoked',
} as const;

/**
 * Events the app subscribes to (manifest `settings.event_subscriptions.bot_events`).
 * `app_uninstalled` and `tokens_revoked` need no scope; they stop all sending for the workspace.
 */
export const SUBSCRIBED_EVENTS = [
  EventName.appHomeOpened,
  EventName.messageIm,
  EventName.appUninstalled,
  EventName.tokensRevoked,
] as const;

export type ActionIdValue = (typeof ActionId)[keyof typeof ActionId];

/** Action ids that come numbered (`nthActionId`); their listeners are registered with `actionIdPattern`. */
export const NUMBERED_ACTION_IDS: readonly ActionIdValue[] = [
  ActionId.compareLevels,
  ActionId.showLevel,
  ActionId.evidenceAccept,
  ActionId.evidenceEdit,
  ActionId.evidenceDelete,
  ActionId.evidencePage,
  ActionId.exportFile,
];

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
