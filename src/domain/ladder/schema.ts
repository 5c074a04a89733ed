/**
 * The shape of the files in ladder-data/, as zod schemas. One file is one of seven kinds, named by
 * its `kind` field: the axes of the framework, a track of positions (TPM, or a company's own
 * ladder), a family of roles (Senior TPM, Lead TPM), the evidence tag table, the keyword rules
 * and growth suggestions (optional), the learned weights beside those rules (optional), or the
 * coaching per step (optional). A new track is a new `kind: track` file; no code changes.
 *
 * These schemas check each file on its own; references between files (steps, positions, shifts)
 * are checked by `buildLadder`.
 */
import { z } from 'zod';
import { MODEL_LABELS } from '../suggest-model.ts';
import { AXIS_IDS, SCOPE_IDS, SHIFT_IDS } from '../types.ts';

/** Level, track and aspect ids: stable, lowercase, safe in a button value (`tpm4:tpm5`). */
export const LadderIdSchema = z
  .string()
  .max(40, 'ids are at most 40 characters')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens, e.g. "tpm5"');

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const SourceSchema = z.strictObject({
  name: text(200),
  author: text(200).optional(),
  url: z.url().optional(),
  licence: text(200).optional(),
  used_for: text(500).optional(),
  changes: text(500).optional(),
});
export type Source = z.infer<typeof SourceSchema>;

const SourcesSchema = z.array(SourceSchema).min(1, 'name at least one source');

export const StepSchema = z.strictObject({
  name: text(40),
  meaning: text(300),
  /** For Influence steps: the scope of influence tag the step corresponds to. */
  scope: z.enum(SCOPE_IDS).optional(),
});
export type StepInput = z.infer<typeof StepSchema>;

export const AxisSchema = z.strictObject({
  id: z.enum(AXIS_IDS),
  name: text(40),
  measures: text(200),
  steps: z.array(StepSchema).min(1).max(10),
});

export const AxesFileSchema = z.strictObject({
  kind: z.literal('axes'),
  sources: SourcesSchema,
  axes: z.array(AxisSchema).min(1),
});
export type AxesFile = z.infer<typeof AxesFileSchema>;

export const PositionSchema = z.strictObject({
  id: LadderIdSchema,
  /** What users type and see, e.g. "TPM5". */
  code: text(20),
  /** Public title, e.g. "Senior Staff Engineer". */
  title: text(80),
  /** The level's seniority as the source states it, e.g. "Senior". */
  seniority: text(40).optional(),
  /** The same position's code in the upstream ladder, when the numbering differs. */
  upstream_code: text(20).optional(),
  /** Extra names; the id, the code and the title are aliases already. */
  aliases: z.array(text(60)).default([]),
  /** Axis id → step name (or step number, 1 = first). Exactly one per axis. */
  steps: z.record(
    z.string(),
    z.union([text(40), z.int().min(1)], { error: 'expected a step name (e.g. Owns) or a step number' }),
  ),
});
export type PositionInput = z.infer<typeof PositionSchema>;

export const TrackFileSchema = z.strictObject({
  kind: z.literal('track'),
  id: LadderIdSchema,
  name: text(80),
  short_name: text(20).optional(),
  /** The role in one line. */
  summary: text(300),
  /** Chart colour, #RRGGBB. */
  colour: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'use #RRGGBB')
    .optional(),
  sources: SourcesSchema,
  positions: z.array(PositionSchema).min(1),
});
export type TrackFile = z.infer<typeof TrackFileSchema>;

export const ShiftSchema = z.strictObject({
  id: z.enum(SHIFT_IDS),
  from: text(60),
  to: text(60),
  summary: text(300),
});

export const RoleSchema = z.strictObject({
  id: LadderIdSchema,
  name: text(60),
  aliases: z.array(text(60)).default([]),
  /** The core responsibility, one line. */
  core: text(300),
  /** The question the role answers for its stakeholders. */
  question: text(200),
  /** What the role contributes, in a few words ("Delivers programs."). */
  contribution: text(200).optional(),
  /** What the role shows it can do. */
  proves: text(200).optional(),
  /** A word that names this role and also reads as a position: replies say which was meant. */
  clashes: z.array(z.strictObject({ alias: text(60), level: LadderIdSchema, note: text(200) })).default([]),
  /** Aspect id (from the file's `aspects`) → how the role looks on that aspect. */
  aspects: z.record(z.string(), text(1000)),
  comparable: z.strictObject({
    /** The position used where a position is needed (profile, comparisons). */
    position: LadderIdSchema,
    /** Every position the role is comparable to; includes `position`. */
    positions: z.array(LadderIdSchema).min(1),
    reason: text(600),
  }),
});
export type RoleInput = z.infer<typeof RoleSchema>;

export const TransitionSchema = z.strictObject({
  from: LadderIdSchema,
  to: LadderIdSchema,
  shifts: z.array(z.enum(SHIFT_IDS)).default([]),
  note: text(300).optional(),
  /** Why promotion follows sustained next-level behaviour, and so why Ladder counts months. */
  promotion: text(400).optional(),
  /** Things to start doing before the move; ids line up with the prompts' `action`. */
  preparation: z
    .array(z.strictObject({ id: LadderIdSchema, text: text(300) }))
    .max(10)
    .default([]),
});

export const RolesFileSchema = z.strictObject({
  kind: z.literal('roles'),
  id: LadderIdSchema,
  name: text(80),
  sources: SourcesSchema,
  aspects: z
    .array(z.strictObject({ id: LadderIdSchema, name: text(60) }))
    .min(1)
    .max(10),
  shifts: z.array(ShiftSchema).default([]),
  roles: z.array(RoleSchema).min(1),
  transitions: z.array(TransitionSchema).default([]),
});
export type RolesFile = z.infer<typeof RolesFileSchema>;

/** A hashtag as users type it, without the `#`. */
export const TagNameSchema = z
  .string()
  .max(40)
  .regex(
    /^\p{L}[\p{L}\p{M}\p{N}_]*(?:-[\p{L}\p{M}\p{N}_]+)*$/u,
    'a tag starts with a letter and has letters, digits, "_" or single "-"',
  );

/** Each id's canonical tag is the id itself; the lists are extra aliases. Every id needs an entry. */
export const TagsFileSchema = z.strictObject({
  kind: z.literal('tags'),
  sources: SourcesSchema,
  axes: z.record(z.enum(AXIS_IDS), z.array(TagNameSchema)),
  shifts: z.record(z.enum(SHIFT_IDS), z.array(TagNameSchema)),
  scopes: z.record(z.enum(SCOPE_IDS), z.array(TagNameSchema)),
});
export type TagsFile = z.infer<typeof TagsFileSchema>;

/**
 * A word or phrase of a suggestion rule: letters and digits, words joined by one space or hyphen.
 * A space or hyphen in a phrase matches either in the text ("on-call" also finds "on call"); inside
 * a phrase `{n}` stands for any number and `*` for up to four words of any kind.
 */
export const SuggestionWordSchema = z
  .string()
  .max(60, 'must be at most 60 characters')
  .regex(
    /^(?:[\p{L}\p{N}]+|\{n\})(?:[ -](?:[\p{L}\p{N}]+|\{n\}|\*))*$/u,
    'use letters and digits, words joined by one space or hyphen (e.g. "on-call", "due process"); ' +
      'inside a phrase {n} stands for a number and * for up to four words',
  );

/** One word as written in a text, for the normalisation lists: letters and digits, or a "1:1". */
const FormWordSchema = z
  .string()
  .max(40, 'must be at most 40 characters')
  .regex(
    /^(?:[\p{L}\p{N}]+|\p{N}+:\p{N}+s?)$/u,
    'use one word of letters and digits (or a form such as "1:1")',
  );

/** A word ending for the spelling fold: lowercase letters only. */
const EndingSchema = z.string().regex(/^\p{Ll}{3,12}$/u, 'use 3 to 12 lowercase letters');

/** How words are normalised before matching (see `WordForms` in domain/suggest.ts). */
export const WordFormsSchema = z.strictObject({
  spelling: z
    .strictObject({
      words: z.record(FormWordSchema, FormWordSchema).default({}),
      endings: z.record(EndingSchema, EndingSchema).default({}),
      keep: z.array(FormWordSchema).default([]),
    })
    .default({ words: {}, endings: {}, keep: [] }),
  families: z.record(FormWordSchema, z.array(FormWordSchema).min(1, 'list at least one member')).default({}),
  unstemmed: z.array(FormWordSchema).default([]),
  numbers: z.array(FormWordSchema).default([]),
});
export type WordFormsInput = z.infer<typeof WordFormsSchema>;

export const SuggestionRuleSchema = z
  .strictObject({
    id: LadderIdSchema,
    /** Axes the words point to; suggested, never confirmed, until the user accepts them. */
    axes: z.array(z.enum(AXIS_IDS)).default([]),
    /** The scope of influence the words point to, if any. */
    scope: z.enum(SCOPE_IDS).optional(),
    /** The mindset shift the words point to, if any; suggested like an axis. */
    shift: z.enum(SHIFT_IDS).optional(),
    /** Matched word by word after normalisation: "process" does not fire on "processed". */
    words: z.array(SuggestionWordSchema).min(1, 'list at least one word'),
    /** Phrases holding one of the words that must not fire the rule ("due process"). */
    except: z.array(SuggestionWordSchema).default([]),
    /**
     * How much one of its matches counts toward its axes and shift (1 by default): generic words
     * ("ship", "track") weigh less, so they add an axis beside specific words without leading it.
     */
    weight: z.number().positive('must be more than 0').max(4, 'must be at most 4').default(1),
    /**
     * How much one of its matches counts toward its shift, when that differs from `weight`: words
     * that hint at a shift without saying it ("runbook", "incident review" → preventing) weigh
     * 0.5, so the shift is suggested only where two of them, or one clear word, point to it.
     */
    shift_weight: z.number().positive('must be more than 0').max(4, 'must be at most 4').optional(),
    /**
     * Its words mark a chore (time off, personal admin, office errands): where one fires, the line
     * gets no suggestion unless the words of other rules clearly outweigh it. No axes, scope or shift.
     */
    chore: z.boolean().default(false),
  })
  .refine(
    (rule) => rule.chore || rule.axes.length > 0 || rule.scope !== undefined || rule.shift !== undefined,
    {
      message: 'a rule needs "axes", "scope", "shift" or several of them',
      path: ['axes'],
    },
  )
  .refine(
    (rule) => !rule.chore || (rule.axes.length === 0 && rule.scope === undefined && rule.shift === undefined),
    { message: 'a chore rule suggests nothing: give it no "axes", "scope" or "shift"', path: ['chore'] },
  )
  .refine((rule) => rule.shift_weight === undefined || rule.shift !== undefined, {
    message: '"shift_weight" needs a "shift"',
    path: ['shift_weight'],
  });
export type SuggestionRuleInput = z.infer<typeof SuggestionRuleSchema>;

/** Keyword rules that suggest tags for untagged evidence, and what the summary suggests next. */
export const SuggestionsFileSchema = z.strictObject({
  kind: z.literal('suggestions'),
  sources: SourcesSchema,
  /** A growth axis with fewer entries than this in the summary's period is flagged as thin. */
  thin_threshold: z.int().min(1).max(100).default(3),
  /** Spelling fold, word families and words never stemmed; without it only the stemmer applies. */
  normalise: WordFormsSchema.optional(),
  rules: z.array(SuggestionRuleSchema).min(1),
  /** One concrete thing to do or log next, per axis and per mindset shift. */
  growth: z.strictObject({
    /**
     * Per axis, used only when the ladder has no coaching file: with one, the advice of the step a
     * person aims at stands in (coaching.yaml).
     */
    axes: z.partialRecord(z.enum(AXIS_IDS), text(300)).optional(),
    shifts: z.record(z.enum(SHIFT_IDS), text(300)),
  }),
});
export type SuggestionsFile = z.infer<typeof SuggestionsFileSchema>;

/** Advice and examples of evidence for one step, written for the track's role. */
export const StepCoachingSchema = z.strictObject({
  /** The one thing to do next when this is the step a person aims at. */
  advice: text(400),
  /** "What counts here": two or three examples of evidence at this step. */
  examples: z.array(text(200)).min(2, 'give at least 2 examples').max(3, 'give at most 3 examples'),
});
export type StepCoachingInput = z.infer<typeof StepCoachingSchema>;

/**
 * Coaching per step (optional file): axis id → step name → advice and examples. Every step of
 * every axis needs an entry once the file exists (checked by `buildLadder`).
 */
export const CoachingFileSchema = z.strictObject({
  kind: z.literal('coaching'),
  sources: SourcesSchema,
  steps: z.record(z.enum(AXIS_IDS), z.record(z.string(), StepCoachingSchema)),
});
export type CoachingFile = z.infer<typeof CoachingFileSchema>;

const probability = z.number().min(0).max(1);

/**
 * The learned weights of the tag suggestions (domain/suggest-model.ts), written by
 * `npm run train:suggestions`, never by hand: feature → one weight per label, in `labels` order.
 */
export const SuggestionModelFileSchema = z.strictObject({
  kind: z.literal('suggestion-model'),
  /** What the file is and how it is made (JSON has no comments). */
  about: z.string().optional(),
  sources: SourcesSchema,
  /** The labelled files the weights were fitted on (tests/fixtures/tag-suggestions/). */
  trained_on: z.array(z.string()).min(1),
  labels: z
    .array(z.string())
    .refine((labels) => labels.join() === MODEL_LABELS.join(), `must be exactly: ${MODEL_LABELS.join(', ')}`),
  thresholds: z.strictObject({
    axis: probability,
    second_axis: probability,
    shift: probability,
    without_rules: probability,
    nothing: probability,
  }),
  weights: z.record(z.string(), z.array(z.number()).length(MODEL_LABELS.length)),
});
export type SuggestionModelFile = z.infer<typeof SuggestionModelFileSchema>;

export const LADDER_FILE_KINDS = [
  'axes',
  'track',
  'roles',
  'tags',
  'suggestions',
  'suggestion-model',
  'coaching',
] as const;
export type LadderFileKind = (typeof LADDER_FILE_KINDS)[number];

export const LadderFileSchema = z.discriminatedUnion('kind', [
  AxesFileSchema,
  TrackFileSchema,
  RolesFileSchema,
  TagsFileSchema,
  SuggestionsFileSchema,
  SuggestionModelFileSchema,
  CoachingFileSchema,
]);
export type LadderFile = z.infer<typeof LadderFileSchema>;
