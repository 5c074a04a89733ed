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
 * other users is touched.
 */
export async function forgetUser(ctx: AppContext, client: WebClient, owner: Owner): Promise<UserDataCounts> {
  const files = (await ctx.repos.exports.files(owner)).length;
  await deleteUploadedFiles(ctx, client, owner);
  const deleted = await ctx.repos.userData.deleteAll(owner);
  await eraseLeftovers(ctx);
  // Each file's row went as soon as Slack deleted the file: report them with the rest.
  return { ...deleted, exports: files };
}
