import type { WebClient } from '@slack/web-api';
import { eraseLeftovers } from '../app/evidence.ts';
import type { AppContext } from '../context.ts';
import type { UserDataCounts } from '../db/user-data.ts';
import type { Owner } from '../domain/types.ts';
import { deleteUploadedFiles } from './export-files.ts';

/**
 * `/ladder forget`, confirmed: first the files the app uploaded to the user's DM (exports,
 * charts) are deleted from Slack, then every row the app holds about the user, in every table, in
 * one transaction. If Slack fails mid-way, the rows stay and forget can be run again. Nothing of
 * other users is touched. `others`: the person's other tenant in the same org (slack/owner.ts),
 * whose rows go in the same transaction, whether or not they moved to the org yet.
 */
export async function forgetUser(
  ctx: AppContext,
  client: WebClient,
  owner: Owner,
  others: readonly Owner[] = [],
): Promise<UserDataCounts> {
  const owners = [owner, ...others];
  let files = 0;
  for (const o of owners) {
    files += (await ctx.repos.exports.files(o)).length;
    await deleteUploadedFiles(ctx, client, o);
  }
  const deleted = await ctx.repos.userData.deleteAcross(owners);
  await eraseLeftovers(ctx);
  // Each file's row went as soon as Slack deleted the file: report them with the rest.
  return { ...deleted, exports: files };
}
