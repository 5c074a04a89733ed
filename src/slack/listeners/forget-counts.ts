import type { UserDataCounts } from '../../db/user-data.ts';
import type { ForgetCounts } from '../blocks/forget.ts';

/** What the user is told will be (or was) deleted, in their words rather than table names. */
export function forgetCounts(c: UserDataCounts): ForgetCounts {
  const get = (table: string) => (c as Record<string, number>)[table] ?? 0;
  return {
    entries: get('evidence'),
    other: [
      { label: 'weekly nudges and monthly digests (history)', count: get('nudge_ledger') },
      { label: 'monthly digest setting', count: get('digest_settings') },
      { label: 'exported files in your DM', count: get('exports') },
    ],
  };
}
