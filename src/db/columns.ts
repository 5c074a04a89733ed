/**
 * How stored columns become the values repositories return, and back: one codec per kind of
 * column, and one per table listing its columns that need one. SQLite stores instants as ISO text,
 * flags as 0/1 and lists as JSON text; PostgreSQL hands back Date, boolean, parsed JSON and int8 as
 * a string. Each repository maps its rows through its table's codec, so that engine changes these
 * functions, not the repositories.
 */

/** A codec between the stored form and the value the repositories use. */
export interface Codec<Stored, Value> {
  read(stored: Stored): Value;
  write(value: Value): Stored;
}

/** An instant as ISO-8601 text on both sides (a PostgreSQL Date is read back as its ISO text). */
export const instantText: Codec<string, string> = {
  read: (s) => (typeof s === 'string' ? s : (s as Date).toISOString()),
  write: (v) => v,
};

/** An instant as a Date. */
export const instant: Codec<string, Date> = {
  read: (s) => (typeof s === 'string' ? new Date(s) : (s as Date)),
  write: (v) => v.toISOString(),
};

export const optionalInstant: Codec<string | null, Date | null> = {
  read: (s) => (s === null ? null : instant.read(s)),
  write: (v) => (v === null ? null : v.toISOString()),
};

/** A 0/1 flag. */
export const flag: Codec<number, boolean> = {
  read: (s) => s === 1 || (s as unknown) === true,
  write: (v) => (v ? 1 : 0),
};

/** A JSON list of ids. */
export function jsonList<T extends string>(): Codec<string, T[]> {
  return {
    read: (s) => (typeof s === 'string' ? (JSON.parse(s) as T[]) : (s as unknown as T[])),
    write: (v) => JSON.stringify(v),
  };
}

/** COUNT(*): a number on SQLite, an int8 string on PostgreSQL. */
export const count = (n: number | string | bigint | undefined): number => Number(n ?? 0);

/** The columns of each table that need a codec (every other column is stored as it is used). */
export const evidenceColumns = {
  axes: jsonList(),
  suggested_axes: jsonList(),
  created_at: instantText,
  updated_at: instantText,
} as const;

export const nudgeSettingsColumns = {
  enabled: flag,
  effective_from: instant,
  created_at: instantText,
  updated_at: instantText,
  next_due_at: optionalInstant,
} as const;

export const nudgeLedgerColumns = {
  slot_at: instant,
  next_attempt_at: optionalInstant,
  lease_expires_at: optionalInstant,
  created_at: instantText,
  updated_at: instantText,
} as const;

export const digestSettingsColumns = {
  enabled: flag,
  effective_from: instantText,
  created_at: instantText,
  updated_at: instantText,
} as const;

export const nudgeHistoryColumns = { sent_at: instantText } as const;

export const nudgeDmChannelColumns = { cached_at: instantText } as const;

export const profileColumns = {
  tz_checked_at: {
    read: (s: string | null) => (s === null ? null : instantText.read(s)),
    write: (v: string | null) => v,
  },
  created_at: instantText,
  updated_at: instantText,
} as const;

export const exportColumns = { on_home: flag, created_at: instantText } as const;

export const slackStateColumns = { created_at: instantText } as const;
