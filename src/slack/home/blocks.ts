/**
 * The App Home tab: profile with level and target pickers, the summary at a glance, recent entries
 * with Edit and Delete, Log a win, and the weekly-nudge and export sections.
 * Pure; within the Home's 100-block limit whatever the data: every part has a fixed budget.
 */
import type { types } from '@slack/bolt';
import type { Ladder } from '../../domain/ladder/model.ts';
import type { Summary } from '../../domain/summary.ts';
import type { EvidenceEntry } from '../../domain/types.ts';
import { SLACK_LIMITS } from '../../slack-limits.ts';
import { buildDigestHomeSection, type DigestHomeInput } from '../blocks/digest.ts';
import {
  deleteEntryButton,
  describeTags,
  pendingSuggestions,
  quoteEntry,
  savedSection,
  slackDate,
  type TagNames,
} from '../blocks/evidence.ts';
import { buildExportHomeSection, type HomeChart } from '../blocks/export.ts';
import {
  button,
  context,
  divider,
  escapeMrkdwn,
  header,
  option,
  section,
  truncate,
} from '../blocks/format.ts';
import { levelsLine, summaryGlance } from '../blocks/summary.ts';
import { ActionId, BlockId, COMMAND, nthActionId } from '../ids.ts';
import { buildNudgeHomeSection, type NudgeHomeInput } from './nudge-blocks.ts';

type Block = types.KnownBlock;

/** Recent entries on the Home (3 blocks each). */
export const HOME_RECENT_ENTRIES = 5;
export const HOME_MAX_BLOCKS = SLACK_LIMITS.blocksPerView;

/** The weekly-nudge, digest and export sections' inputs; a missing one shows a line instead. */
export interface HomeSections {
  nudges?: NudgeHomeInput | undefined;
  digest?: DigestHomeInput | undefined;
  /** The chart last uploaded for the Home, or null when there is none. */
  export?: { chart: HomeChart | null } | undefined;
}

export interface HomeInput {
  ladder: Ladder;
  profile: {
    level: string | null;
    target: string | null;
    levelRole?: string | null;
    targetRole?: string | null;
  };
  summary: Summary;
  /** Newest first; only the first `HOME_RECENT_ENTRIES` are shown. */
  recent: readonly EvidenceEntry[];
  /** All the user's entries, for the count. */
  total: number;
  justSaved?: EvidenceEntry;
  /** One line at the top, e.g. "Level set to TPM4." */
  notice?: string;
  /** The feature sections (see ./publish.ts). */
  sections?: HomeSections;
}

/** Every position of every track (Slack allows 100 options); grouped by track when there are several. */
function levelSelect(
  ladder: Ladder,
  actionId: string,
  placeholder: string,
  selected: string | null,
): types.StaticSelect {
  const groups = [
    ...ladder.tracks.map((track) => ({
      label: { type: 'plain_text' as const, text: truncate(track.shortName, SLACK_LIMITS.optionText) },
      options: track.positions.map((p) => option(`${p.code} · ${p.title}`, p.id)),
    })),
    // A role is kept as chosen, compared with its position (the value is the public role id).
    ...ladder.roleFamilies.map((family) => ({
      label: { type: 'plain_text' as const, text: truncate(family.name, SLACK_LIMITS.optionText) },
      options: family.roles.map((r) => {
        const position = ladder.levelsById.get(r.comparable.positionId);
        return option(
          `${r.name} (compared with ${position?.kind === 'position' ? position.code : '?'})`,
          r.id,
        );
      }),
    })),
  ];
  let budget = 100;
  const capped = groups
    .map((g) => {
      const options = g.options.slice(0, Math.max(0, budget));
      budget -= options.length;
      return { ...g, options };
    })
    .filter((g) => g.options.length > 0)
    .slice(0, 100);
  const all = capped.flatMap((g) => g.options);
  const initial = all.find((o) => o.value === selected);
  return {
    type: 'static_select',
    action_id: actionId,
    placeholder: { type: 'plain_text', text: placeholder },
    ...(capped.length > 1 ? { option_groups: capped } : { options: all }),
    ...(initial ? { initial_option: initial } : {}),
  };
}

function profileBlocks(input: HomeInput): Block[] {
  return [
    header('Your profile'),
    section(levelsLine(input.summary)),
    {
      type: 'actions',
      block_id: BlockId.homeProfile,
      elements: [
        levelSelect(
          input.ladder,
          ActionId.homeSetLevel,
          'Set your level',
          input.profile.levelRole ?? input.profile.level,
        ),
        levelSelect(
          input.ladder,
          ActionId.homeSetTarget,
          'Set your target',
          input.profile.targetRole ?? input.profile.target,
        ),
      ],
    },
    context(
      'A role works too: Senior TPM and Lead TPM are kept as you choose them, compared with TPM4 and ' +
        `TPM5 (an analogy, not an equivalence). Or type \`${COMMAND} me level senior target lead\`.`,
    ),
  ];
}

function entryBlocks(entry: EvidenceEntry, i: number, names: TagNames): Block[] {
  const id = String(entry.id);
  const elements: types.Button[] = [];
  if (pendingSuggestions(entry).length > 0) {
    elements.push(
      button({
        text: 'Accept suggested tags',
        actionId: nthActionId(ActionId.evidenceAccept, i),
        value: id,
        style: 'primary',
      }),
    );
  }
  elements.push(
    button({ text: 'Edit', actionId: nthActionId(ActionId.evidenceEdit, i), value: id }),
    deleteEntryButton(i, id),
  );
  return [
    section(`${slackDate(entry.occurredOn)}\n${quoteEntry(entry.text, 400)}`),
    context(describeTags(entry, names)),
    { type: 'actions', elements },
  ];
}

/** A feature section under its header; without its input, the line saying how to turn it on. */
function featureSection<T>(
  title: string,
  input: T | undefined,
  build: (input: T) => Block[],
  otherwise: string,
) {
  return [divider(), header(title), ...(input === undefined ? [section(otherwise)] : build(input))];
}

function sectionsBlocks(sections: HomeSections): Block[] {
  return [
    ...featureSection(
      'Weekly reflection',
      sections.nudges,
      buildNudgeHomeSection,
      `A short weekly question about one Senior → Lead mindset shift, in a DM: \`${COMMAND} nudge on\`.`,
    ),
    ...featureSection(
      'Monthly digest',
      sections.digest,
      buildDigestHomeSection,
      `Last month in review, in a DM on the first Monday of each month: \`${COMMAND} digest on\`.`,
    ),
    ...featureSection(
      'Export for your review',
      sections.export,
      (e) => buildExportHomeSection(e.chart),
      `Your evidence as a review packet: \`${COMMAND} export md\` (or \`csv\`, \`json\`).`,
    ),
  ];
}

export function buildHome(input: HomeInput, names: TagNames): types.HomeView {
  const blocks: Block[] = [
    header('Ladder'),
    context('Your private career evidence, tagged to the TPM ladder. Only you can see this page.'),
  ];
  if (input.notice) blocks.push(section(escapeMrkdwn(input.notice)));
  if (input.justSaved) {
    blocks.push(savedSection(input.justSaved.text, 500));
  }
  blocks.push({
    type: 'actions',
    block_id: BlockId.homeActions,
    elements: [
      { ...button({ text: 'Log a win', actionId: ActionId.logWin, value: 'home' }), style: 'primary' },
    ],
  });

  blocks.push(divider(), ...profileBlocks(input));
  blocks.push(divider(), header('At a glance'), ...summaryGlance(input.summary));
  blocks.push(divider(), header(`Recent evidence (${input.total.toLocaleString('en-US')})`));
  const recent = input.recent.slice(0, HOME_RECENT_ENTRIES);
  if (recent.length === 0) {
    blocks.push(
      section(`Nothing logged yet. Press *Log a win*, or type \`${COMMAND} log <what you did>\` anywhere.`),
    );
  }
  recent.forEach((entry, i) => {
    blocks.push(...entryBlocks(entry, i, names));
  });
  if (input.total > recent.length) {
    blocks.push(
      context(`All ${input.total.toLocaleString('en-US')} entries, with search: \`${COMMAND} evidence\`.`),
    );
  }
  blocks.push(...sectionsBlocks(input.sections ?? {}));

  // Every part above has a fixed budget; this only guards against a future part that has none.
  const capped =
    blocks.length <= HOME_MAX_BLOCKS
      ? blocks
      : [...blocks.slice(0, HOME_MAX_BLOCKS - 1), context('Some content was left out to fit the Home.')];
  return { type: 'home', blocks: capped };
}
