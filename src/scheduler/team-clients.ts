import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { DigestDm } from '../app/digest.ts';
import type { NudgeDm } from '../app/nudges.ts';
import type { NameLookup } from '../app/readable-text.ts';

/**
 * Which bot token speaks for a tenant: the one token of a single-workspace install, or in
 * distribution mode the tenant's own installation's (undefined: it has none, e.g. uninstalled).
 */
export type TokenFor = (teamId: string) => Promise<string | undefined>;

/** The Web API client of a tenant's own token. Rejects with NoInstallationError when it has none. */
export type TeamClients = (teamId: string) => Promise<WebClient>;

export class NoInstallationError extends Error {
  constructor() {
    super('no installation (bot token) for this workspace');
    this.name = 'NoInstallationError';
  }
}

/** One client per token (a reinstall's new token gets a new one), built with `options`. */
export function teamClients(tokenFor: TokenFor, options: WebClientOptions): TeamClients {
  const byToken = new Map<string, WebClient>();
  return async (teamId) => {
    const token = await tokenFor(teamId);
    if (!token) throw new NoInstallationError();
    let client = byToken.get(token);
    if (!client) {
      client = new WebClient(token, options);
      byToken.set(token, client);
    }
    return client;
  };
}

/** Every tenant on the same client (a single workspace, or a test's own client). */
export const sameClient =
  (client: WebClient): TeamClients =>
  async () =>
    client;

/** The nudge DM on the client of each person's own workspace. */
export function routedNudgeDm(make: (client: WebClient) => NudgeDm, clients: TeamClients): NudgeDm {
  return {
    openDm: async (owner) => make(await clients(owner.teamId)).openDm(owner),
    postPrompt: async (owner, channelId, prompt) =>
      make(await clients(owner.teamId)).postPrompt(owner, channelId, prompt),
  };
}

/** The digest DM on the client of each person's own workspace. */
export function routedDigestDm(make: (client: WebClient) => DigestDm, clients: TeamClients): DigestDm {
  return {
    openDm: async (owner) => make(await clients(owner.teamId)).openDm(owner),
    postDigest: async (owner, channelId, digest) =>
      make(await clients(owner.teamId)).postDigest(owner, channelId, digest),
  };
}

/** Names looked up with the token of the workspace the text came from. */
export function routedNameLookup(make: (client: WebClient) => NameLookup, clients: TeamClients): NameLookup {
  return async (teamId, text) => make(await clients(teamId))(teamId, text);
}
