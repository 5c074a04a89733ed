/**
 * `/ladder me` (show or set level and target) and `/ladder next` (my level → the next one up).
 * Pure builders.
 */
import { neighbourLevels } from '../../domain/ladder/compare.ts';
import type { Ladder, Level } from '../../domain/ladder/model.ts';
import type { ProfileChoice, ProfileLevelsResolution } from '../../domain/profile.ts';
import { COMMAND } from '../ids.ts';
import { buildCompareLevels } from './compare.ts';
import {
  type Block,
  capBlocks,
  context,
  escapeMrkdwn,
  fallback,
  levelName,
  levelTitle,
  quoteUserText,
  type SlackMessage,
  section,
} from './format.ts';

const SET_EXAMPLE = `\`${COMMAND} me level tpm4 target lead\``;

function title(level: Level | undefined): string | null {
  return level ? `*${escapeMrkdwn(levelTitle(level))}*` : null;
}

export function buildProfile(
  ladder: Ladder,
  profile: { level: string | null; target: string | null; tz: string | null },
): SlackMessage {
  const level = title(profile.level ? ladder.levelsById.get(profile.level) : undefined);
  const target = title(profile.target ? ladder.levelsById.get(profile.target) : undefined);
  if (!level && !target) {
    const t =
      `You have not set your level yet. Set it, and the level you are aiming for, with ${SET_EXAMPLE} ` +
      '(either part alone works; roles such as `senior` and `lead` work too).';
    return { text: fallback(t), blocks: [section(`*Your profile*\n${t}`)] };
  }
  const lines = [
    `Level: ${level ?? `not set (\`${COMMAND} me level tpm4\`)`}`,
    `Target: ${target ?? `not set: the next level up stands in for it (\`${COMMAND} me target lead\`)`}`,
  ];
  if (profile.tz) lines.push(`Time zone: ${escapeMrkdwn(profile.tz)} (from Slack)`);
  return {
    text: fallback(`Your profile. ${lines.join('. ').replace(/[*`]/g, '')}`),
    blocks: [
      section(`*Your profile*\n${lines.join('\n')}`),
      context(
        `Change it with ${SET_EXAMPLE}. See what changes at the next level with \`${COMMAND} next\`, ` +
          `and where you stand with \`${COMMAND} summary\`. Only you can see this.`,
      ),
    ],
  };
}

function substitutionNote(choice: ProfileChoice): string | null {
  if (!choice.substitutedFrom) return null;
  const reason = choice.reason ? ` ${escapeMrkdwn(choice.reason)}` : '';
  return (
    `You wrote “${quoteUserText(choice.typed, 40)}”: ${escapeMrkdwn(choice.substitutedFrom.name)} is a role, ` +
    `so I saved its comparable position, *${escapeMrkdwn(choice.position.code)}*.${reason}`
  );
}

/** The reply after `me level … target …`: what was saved, and any role that became a position. */
export function buildProfileSaved(resolution: Extract<ProfileLevelsResolution, { ok: true }>): SlackMessage {
  const parts: string[] = [];
  if (resolution.level) parts.push(`level *${escapeMrkdwn(levelTitle(resolution.level.position))}*`);
  if (resolution.target) parts.push(`target *${escapeMrkdwn(levelTitle(resolution.target.position))}*`);
  const saved = `:white_check_mark: Saved your ${parts.join(' and ')}.`;
  const blocks: Block[] = [section(saved)];
  for (const choice of [resolution.level, resolution.target]) {
    const note = choice ? substitutionNote(choice) : null;
    if (note) blocks.push(context(note));
  }
  if (resolution.warning) blocks.push(section(`:warning: ${escapeMrkdwn(resolution.warning)}`));
  blocks.push(
    context(
      `Next: \`${COMMAND} next\` compares your level with the one above; \`${COMMAND} summary\` shows your gaps.`,
    ),
  );
  const notes = blocks.length > 2 ? ' (a role was saved as its comparable position)' : '';
  return { text: fallback(`${saved.replace(/[*]|:white_check_mark: /g, '')}${notes}`), blocks };
}

/** Nothing saved: which name is unknown, and the closest matches. */
export function buildProfileUnknown(
  resolution: Extract<ProfileLevelsResolution, { ok: false }>,
): SlackMessage {
  const lines = resolution.unknown.map(({ slot, unknown }) => {
    const names = unknown.suggestions.map((s) => `\`${escapeMrkdwn(levelName(s.level).toLowerCase())}\``);
    const hint = names.length > 0 ? ` Did you mean ${names.join(' or ')}?` : '';
    return `I don't know the ${slot} “${quoteUserText(unknown.query, 40)}”.${hint}`;
  });
  const t = `${lines.join('\n')}\nNothing was saved. See every level with \`${COMMAND} levels\`; set yours with ${SET_EXAMPLE}.`;
  return { text: fallback(t.replace(/`/g, '')), blocks: [section(t)] };
}

export function buildNextNeedsLevel(): SlackMessage {
  const t =
    `I don't know your level yet. Set it with ${SET_EXAMPLE}, then \`${COMMAND} next\` compares it with the ` +
    `level above. To look without saving anything: \`${COMMAND} next tpm4\`.`;
  return { text: fallback(t.replace(/`/g, '')), blocks: [section(t)] };
}

/**
 * `/ladder next [level]`: the comparison of a level with the one above it (positions in the same
 * track, roles in the same family), introduced by where it came from.
 */
export function buildNext(ladder: Ladder, from: Level, origin: 'profile' | 'typed'): SlackMessage {
  const { up } = neighbourLevels(ladder, from);
  const name = escapeMrkdwn(levelName(from));
  if (!up) {
    const t =
      `${origin === 'profile' ? `Your level, *${name}*,` : `*${name}*`} is the top of its ladder: there is no ` +
      `level above it. See what it expects with \`${COMMAND} ${levelName(from).toLowerCase()}\`.`;
    return { text: fallback(t.replace(/[*`]/g, '')), blocks: [section(t)] };
  }
  const comparison = buildCompareLevels(ladder, from, up);
  const intro =
    origin === 'profile'
      ? `From your level, *${name}*, to the next one up, *${escapeMrkdwn(levelName(up))}*.`
      : `From *${name}* to the next one up, *${escapeMrkdwn(levelName(up))}*.`;
  return {
    text: comparison.text,
    blocks: capBlocks([context(intro), ...comparison.blocks]),
  };
}
