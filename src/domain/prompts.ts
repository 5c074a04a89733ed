/**
 * Weekly reflection prompts (ladder-data/prompts.yaml): their schema, the content rules, and which
 * prompt a user gets next. Pure: the caller reads the file and passes its text.
 */
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { AXIS_IDS, SHIFT_IDS, type ShiftId } from './types.ts';

/** The five ways to prepare for the Lead role before the title changes. */
export const PREPARATION_ACTION_IDS = [
  'ownership-beyond-program',
  'mentor-tpms',
  'speak-in-outcomes',
  'surface-dependencies',
  'credibility-with-leadership',
] as const;
export type PreparationActionId = (typeof PREPARATION_ACTION_IDS)[number];

/** Per shift and per variant, active prompts only: 13 × 3 shifts covers 26 weeks with room to spare. */
export const MIN_PROMPTS_PER_SHIFT = 13;
export const MIN_PROMPTS_PER_ACTION = 2;
/** No prompt is asked again within this many sends (weekly and `nudge now` alike). */
export const REPEAT_WINDOW = 26;

const ID_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Same shape as the `sources` of the other ladder-data files. */
export const PromptSourceSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  author: z.string().trim().min(1).max(200).optional(),
  url: z.url().optional(),
  licence: z.string().trim().min(1).max(200).optional(),
  used_for: z.string().trim().min(1).max(500).optional(),
  changes: z.string().trim().min(1).max(500).optional(),
});

export const PromptSchema = z.strictObject({
  /** Stable: stored with every answer. */
  id: z.string().regex(ID_RE, 'use lower-case words joined by hyphens'),
  shift: z.enum(SHIFT_IDS),
  /** One of the five ways to prepare; required on every active prompt (see validatePrompts). */
  action: z.enum(PREPARATION_ACTION_IDS).optional(),
  /** The variants the prompt is asked in; absent: every variant. */
  for: z.array(z.string().regex(ID_RE)).min(1).optional(),
  /** The ladder step the question practises, where one fits: axis id and step name (axes.yaml). */
  axis: z.enum(AXIS_IDS).optional(),
  step: z.string().trim().min(1).max(40).optional(),
  /** Never asked again; kept so answers to it keep their question. */
  retired: z.boolean().optional(),
  question: z.string().trim().min(10).max(300),
  /** One line: why this matters for the Lead role. */
  why: z
    .string()
    .trim()
    .min(10)
    .max(200)
    .refine((s) => !s.includes('\n'), 'must be one line'),
});
export type Prompt = z.infer<typeof PromptSchema>;

/** Who a set of prompts is for, picked by the person's level (position ids). */
export const PromptVariantSchema = z.strictObject({
  id: z.string().regex(ID_RE, 'use lower-case words joined by hyphens'),
  name: z.string().trim().min(1).max(100),
  levels: z.array(z.string().regex(ID_RE)).default([]),
});
export type PromptVariant = z.infer<typeof PromptVariantSchema>;

export const PromptsFileSchema = z.strictObject({
  sources: z.array(PromptSourceSchema).min(1),
  /** Absent: one audience, every prompt for everyone. */
  variants: z.array(PromptVariantSchema).default([]),
  prompts: z.array(PromptSchema).min(1),
});
export type PromptsFile = z.infer<typeof PromptsFileSchema>;

export interface PromptProblem {
  /** Where in the file, e.g. 'prompts[3].shift' ('' for the whole document). */
  path: string;
  message: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Whether a prompt is asked in a variant (null: no variants, every prompt). */
export function askedIn(prompt: Prompt, variant: string | null): boolean {
  return variant === null || prompt.for === undefined || prompt.for.includes(variant);
}

/**
 * The variant a person's level picks: the first whose levels include it, else the first variant
 * (null when there are none).
 */
export function variantFor(variants: readonly PromptVariant[], level: string | null): PromptVariant | null {
  return variants.find((v) => level !== null && v.levels.includes(level)) ?? variants[0] ?? null;
}

/** The content rules zod cannot express: coverage of shifts and actions, unique ids. */
export function validatePrompts(file: PromptsFile): PromptProblem[] {
  const problems: PromptProblem[] = [];
  const firstIndex = new Map<string, number>();
  file.prompts.forEach((prompt, i) => {
    const first = firstIndex.get(prompt.id);
    if (first === undefined) firstIndex.set(prompt.id, i);
    else
      problems.push({
        path: `prompts[${i}].id`,
        message: `duplicate id '${prompt.id}' (also prompts[${first}])`,
      });
  });
  const variantIds = new Set<string>();
  file.variants.forEach((variant, i) => {
    if (variantIds.has(variant.id))
      problems.push({ path: `variants[${i}].id`, message: `duplicate variant '${variant.id}'` });
    variantIds.add(variant.id);
  });
  const active = file.prompts.filter((p) => !p.retired);
  file.prompts.forEach((prompt, i) => {
    if (prompt.retired) return;
    if (prompt.action === undefined)
      problems.push({
        path: `prompts[${i}].action`,
        message: 'an active prompt needs one preparation action',
      });
    if ((prompt.axis === undefined) !== (prompt.step === undefined))
      problems.push({ path: `prompts[${i}]`, message: 'give "axis" and "step" together, or neither' });
    (prompt.for ?? []).forEach((id, j) => {
      if (!variantIds.has(id))
        problems.push({
          path: `prompts[${i}].for[${j}]`,
          message: `unknown variant '${id}'${variantIds.size > 0 ? ` (expected one of ${[...variantIds].join(', ')})` : ''}`,
        });
    });
  });
  const audiences = file.variants.length > 0 ? file.variants.map((v) => v.id) : [null];
  for (const variant of audiences) {
    for (const shift of SHIFT_IDS) {
      const n = active.filter((p) => p.shift === shift && askedIn(p, variant)).length;
      if (n < MIN_PROMPTS_PER_SHIFT) {
        const who = variant === null ? '' : ` in variant '${variant}'`;
        problems.push({
          path: 'prompts',
          message: `shift '${shift}' has ${n} active prompt(s)${who}; at least ${MIN_PROMPTS_PER_SHIFT} are needed`,
        });
      }
    }
  }
  for (const action of PREPARATION_ACTION_IDS) {
    const n = active.filter((p) => p.action === action).length;
    if (n < MIN_PROMPTS_PER_ACTION) {
      problems.push({
        path: 'prompts',
        message: `action '${action}' is used by ${n} prompt(s); at least ${MIN_PROMPTS_PER_ACTION} are needed`,
      });
    }
  }
  return problems;
}

export type PromptsParseResult = { ok: true; file: PromptsFile } | { ok: false; problems: PromptProblem[] };

/** YAML text → a validated prompts file, or every problem with its path. Never throws. */
export function parsePromptsFile(text: string): PromptsParseResult {
  let data: unknown;
  try {
    // parseDocument collects errors and warnings instead of throwing or printing them.
    const doc = parseDocument(text, { prettyErrors: true });
    if (doc.errors.length > 0) {
      return {
        ok: false,
        problems: doc.errors.map((error) => ({ path: '', message: `not valid YAML: ${error.message}` })),
      };
    }
    data = doc.toJS();
  } catch (error) {
    return { ok: false, problems: [{ path: '', message: `not valid YAML: ${(error as Error).message}` }] };
  }
  const parsed = PromptsFileSchema.safeParse(data);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        path: formatPath(issue.path),
        message: issue.message,
      })),
    };
  }
  const problems = validatePrompts(parsed.data);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, file: parsed.data };
}

export interface PromptHistoryItem {
  promptId: string;
  sentAt: Date | string;
}

export interface ChoosePromptInput {
  /** Every prompt of the ladder; retired ones and other variants' are never chosen. */
  prompts: readonly Prompt[];
  /** The person's variant (see `variantFor`); null or absent: every active prompt. */
  variant?: string | null;
  /** Prompts already sent to this user, any order. */
  history: readonly PromptHistoryItem[];
  /** The user's evidence per shift over the last four weeks (a missing shift counts as 0). */
  evidenceByShift: Partial<Record<ShiftId, number>>;
}

const toMs = (t: Date | string): number => (typeof t === 'string' ? Date.parse(t) : t.getTime()) || 0;

/**
 * The next prompt for a user, among the active prompts of their variant. Rules, in order:
 * 1. none of the last REPEAT_WINDOW prompts sent (when the pool allows; never the previous one);
 * 2. every prompt before any repeats (only prompts sent the fewest times are eligible);
 * 3. among those, the shift with the least evidence in the last four weeks; ties go to the shift
 *    asked least recently, then to the order of SHIFT_IDS, so equal shifts take turns;
 * 4. within the shift, the prompt sent least recently, then file order.
 */
export function choosePrompt({
  prompts: all,
  variant = null,
  history,
  evidenceByShift,
}: ChoosePromptInput): Prompt | null {
  const prompts = all.filter((p) => !p.retired && askedIn(p, variant));
  if (prompts.length === 0) return null;
  const byId = new Map(all.map((p) => [p.id, p]));
  const ordered = history
    .filter((h) => byId.has(h.promptId))
    .map((h, i) => ({ id: h.promptId, at: toMs(h.sentAt), i }))
    .sort((a, b) => a.at - b.at || a.i - b.i);
  const count = new Map<string, number>();
  const lastSent = new Map<string, number>();
  const shiftLastSent = new Map<ShiftId, number>();
  ordered.forEach((h, rank) => {
    count.set(h.id, (count.get(h.id) ?? 0) + 1);
    lastSent.set(h.id, rank);
    const shift = byId.get(h.id)?.shift;
    if (shift) shiftLastSent.set(shift, rank);
  });
  const previous = ordered.at(-1)?.id;
  const recent = new Set(ordered.slice(-REPEAT_WINDOW).map((h) => h.id));
  const fresh = prompts.filter((p) => !recent.has(p.id));
  const candidates =
    fresh.length > 0 ? fresh : prompts.length > 1 ? prompts.filter((p) => p.id !== previous) : prompts;
  const fewest = Math.min(...candidates.map((p) => count.get(p.id) ?? 0));
  const eligible = candidates.filter((p) => (count.get(p.id) ?? 0) === fewest);

  const shiftRank = (s: ShiftId): [number, number, number] => [
    evidenceByShift[s] ?? 0,
    shiftLastSent.get(s) ?? -1,
    SHIFT_IDS.indexOf(s),
  ];
  const less = (a: readonly number[], b: readonly number[]): boolean => {
    for (let i = 0; i < a.length; i++) {
      const x = a[i] ?? 0;
      const y = b[i] ?? 0;
      if (x !== y) return x < y;
    }
    return false;
  };
  let shift: ShiftId | undefined;
  for (const p of eligible) {
    if (shift === undefined || less(shiftRank(p.shift), shiftRank(shift))) shift = p.shift;
  }
  let best: Prompt | undefined;
  for (const p of eligible) {
    if (p.shift !== shift) continue;
    if (best === undefined || (lastSent.get(p.id) ?? -1) < (lastSent.get(best.id) ?? -1)) best = p;
  }
  return best ?? null;
}
