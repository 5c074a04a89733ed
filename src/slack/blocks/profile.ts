/**
 * `/ladder me` (show or set level and target) and `/ladder next` (my level → the next one up).
 * Pure builders.
 */
import { neighbourLevels, toPosition } from '../../domain/ladder/compare.ts';
import type { Ladder, Level, Role } from '../../domain/ladder/model.ts';
import {
  type ChosenLevel,
  chosenLevel,
  type ProfileChoice,
  type ProfileLevelsResolution,
} from '../../domain/profile.ts';
import { COMMAND } from '../ids.ts';
import { buildCompareLevels } from './compare.ts';
import {
  type Block,
  capBlocks,
  chosenName,
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

function title(chosen: ChosenLevel | null): string | null {
  return chosen ? `*${escapeMrkdwn(chosenName(chosen))}*` : null;
}

export function buildProfile(
  ladder: Ladder,
  profile: {
    level: string | null;
    target: string | null;
    levelRole?: string | null;
    targetRole?: string | null;
    tz: string | null;
  },
): SlackMessage {
  const chosenLevelOf = chosenLevel(ladder, profile.level, profile.levelRole);
  const chosenTarget = chosenLevel(ladder, profile.target, profile.targetRole);
  const level = title(chosenLevelOf);
  const target = title(chosenTarget);
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
  const analogies = [chosenLevelOf?.role, chosenTarget?.role]
    .filter((role): role is Role => role !== null && role !== undefined)
    .map((role) => `${escapeMrkdwn(role.name)}: ${escapeMrkdwn(role.comparable.reason)}`);
  return {
    text: fallback(`Your profile. ${lines.join('. ').replace(/[*`]/g, '')}`),
    blocks: [
      section(`*Your profile*\n${lines.join('\n')}`),
      ...(analogies.length > 0 ? [context(analogies.join('\n'))] : []),
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
    `${escapeMrkdwn(choice.substitutedFrom.name)} is a role: I keep it as you chose it, and compare it with ` +
    `*${escapeMrkdwn(choice.position.code)}* wherever a position is needed.${reason}`
  );
}

/** `senior` was read as the Senior TPM role; say so and offer TPM3 (titled Senior Engineer). */
function clashNote(choice: ProfileChoice, slot: 'level' | 'target'): string | null {
  const clash = choice.clash;
  if (!clash) return null;
  const other = clash.other;
  const command = `\`${COMMAND} me ${slot} ${other.kind === 'position' ? other.id : other.name.toLowerCase()}\``;
  return (
    `:information_source: I read “${quoteUserText(clash.typed, 40)}” as the *${escapeMrkdwn(levelName(clash.meant))}* role. ` +
    `${escapeMrkdwn(clash.note)} If you meant *${escapeMrkdwn(levelTitle(other))}*: ${command}.`
  );
}

function choiceName(choice: ProfileChoice): string {
  return chosenName({ position: choice.position, role: choice.substitutedFrom });
}

/** The reply after `me level … target …`: what was saved, role first when a role was chosen. */
/** The App Home's answer to a level picked from its menus, or to a value that is no level. */
export function homeLevelNotice(
  picked: { slot: 'level' | 'target'; name: string; warning: string | null } | null,
): string {
  if (picked === null) return 'That level is not in the ladder; nothing was changed.';
  return `Your ${picked.slot} is now ${picked.name}.${picked.warning ? ` ${picked.warning}` : ''}`;
}

export function buildProfileSaved(resolution: Extract<ProfileLevelsResolution, { ok: true }>): SlackMessage {
  const parts: string[] = [];
  if (resolution.level) parts.push(`level *${escapeMrkdwn(choiceName(resolution.level))}*`);
  if (resolution.target) parts.push(`target *${escapeMrkdwn(choiceName(resolution.target))}*`);
  const saved = `:white_check_mark: Saved your ${parts.join(' and ')}.`;
  const blocks: Block[] = [section(saved)];
  for (const [slot, choice] of [
    ['level', resolution.level],
    ['target', resolution.target],
  ] as const) {
    const clash = choice ? clashNote(choice, slot) : null;
    if (clash) blocks.push(section(clash));
    const note = choice ? substitutionNote(choice) : null;
    if (note) blocks.push(context(note));
  }
  if (resolution.warning) blocks.push(section(`:warning: ${escapeMrkdwn(resolution.warning)}`));
  blocks.push(
    context(
      `Next: \`${COMMAND} next\` compares your level with the one above; \`${COMMAND} summary\` shows your gaps.`,
    ),
  );
  const clashes = [resolution.level?.clash, resolution.target?.clash]
    .filter((c) => c !== null && c !== undefined)
    .map(
      (c) =>
        ` “${c?.typed}” was read as the ${c ? levelName(c.meant) : ''} role; ${c ? levelTitle(c.other) : ''} is the other reading.`,
    )
    .join('');
  return { text: fallback(`${saved.replace(/[*]|:white_check_mark: /g, '')}${clashes}`), blocks };
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
  const name = escapeMrkdwn(
    from.kind === 'role' && origin === 'profile'
      ? chosenName({ position: toPosition(ladder, from).position, role: from })
      : levelName(from),
  );
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
