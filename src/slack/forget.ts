import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../context.ts';
import { deleteUserData, type UserDataCounts } from '../db/user-data.ts';
import type { Owner } from '../domain/types.ts';

/**
 * `/ladder forget`, confirmed: every row the app holds about the user, in every table, in one
 * transaction. Nothing of other users is touched.
 */
export async function forgetUser(ctx: AppContext, _client: WebClient, owner: Owner): Promise<UserDataCounts> {
  return deleteUserData(ctx.db, owner);
}
