/**
 * Shared domain vocabulary. Pure types: no I/O, no Slack, no database.
 *
 * Ids are stable strings used in the database, the JSON export and ladder-data/.
 */

export const AXIS_IDS = ['technology', 'system', 'people', 'process', 'influence'] as const;
export type AxisId = (typeof AXIS_IDS)[number];

/** The three Senior → Lead mindset shifts. */
export const SHIFT_IDS = ['enabling', 'systems-thinking', 'preventing'] as const;
export type ShiftId = (typeof SHIFT_IDS)[number];

/** Scope of influence, the Influence axis' steps as tags. */
export const SCOPE_IDS = ['subsystem', 'team', 'multi-team', 'company', 'community'] as const;
export type ScopeId = (typeof SCOPE_IDS)[number];

export const EVIDENCE_SOURCES = ['command', 'modal', 'shortcut', 'reflection', 'home', 'import'] as const;
export type EvidenceSource = (typeof EVIDENCE_SOURCES)[number];

/** Who a row belongs to: taken from the verified request only. */
export interface Owner {
  /** enterprise_id for org-wide installs, else team_id. */
  teamId: string;
  userId: string;
}

/** An ISO calendar date in the user's time zone: YYYY-MM-DD. */
export type LocalDate = string;

export interface EvidenceEntry {
  id: number;
  teamId: string;
  userId: string;
  /** What every surface shows: readable, with no Slack markup. */
  text: string;
  /** The Slack text the entry came from (mentions as `<@U…>`), when it is kept beside `text`. */
  originalText?: string;
  occurredOn: LocalDate;
  axes: AxisId[];
  /** Axes suggested by keyword rules and not yet confirmed by the user. */
  suggestedAxes: AxisId[];
  shift: ShiftId | null;
  scope: ScopeId | null;
  link: string | null;
  source: EvidenceSource;
  /** For reflections: the prompt answered. */
  promptId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Profile {
  teamId: string;
  userId: string;
  /** Position ids, e.g. 'tpm4'. */
  level: string | null;
  target: string | null;
  /** IANA time zone from users.info, or null when Slack gave none. */
  tz: string | null;
  tzCheckedAt: string | null;
}

/** Thrown for problems whose message is safe to show the user. */
export class UserFacingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserFacingError';
  }
}
