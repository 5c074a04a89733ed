/**
 * Slack's limits, written once: the local Slack API refuses what real Slack would
 * (local/block-limits.ts, local/slack-api-hooks.ts), the builders cap their text to fit
 * (slack/blocks/format.ts), the radar chart's alt text fits an image block (domain/chart/radar.ts)
 * and the app stops using a response URL Slack would refuse (db/slack-state-repository.ts).
 * Lengths are in characters (code points), as Slack counts them. Plain data that imports nothing,
 * so that every part may read it (dependency-cruiser: `slack-limits-is-a-leaf`).
 */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  actionId: 255,
  blockId: 255,
  callbackId: 255,
  externalId: 255,
  selectOptions: 100,
  selectOptionGroups: 100,
  optionText: 75,
  optionValue: 75,
  optionDescription: 75,
  overflowOptions: 5,
  checkboxOptions: 10,
  radioOptions: 10,
  placeholder: 150,
  plainTextInputMaxLength: 3000,
  inputLabel: 2000,
  inputHint: 2000,
  imageAltText: 2000,
  imageTitle: 2000,
  markdownBlockText: 12_000,
  viewTitle: 24,
  viewSubmit: 24,
  viewClose: 24,
  privateMetadata: 3000,
  /** 250 kB of view JSON. */
  viewBytes: 250_000,
  /** Sum of block text in one message above which Slack answers `msg_blocks_too_long`. */
  messageBlockText: 13_000,
  /** `text` above this is refused with `msg_too_long`. */
  messageText: 40_000,
  /** A response URL takes at most 5 posts… */
  responseUrlUses: 5,
  /** …within 30 minutes of the request that gave it. */
  responseUrlTtlMs: 30 * 60_000,
} as const;
