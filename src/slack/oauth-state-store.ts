import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { InstallURLOptions, StateStore } from '@slack/bolt';
import type { AppContext } from '../context.ts';

/** Why a state was refused: the failure page says so. */
export type StateProblem = 'forged' | 'expired' | 'used';

/** Bolt's state error code, so its callback treats ours like its own. */
export class OAuthStateError extends Error {
  readonly code = 'slack_oauth_invalid_state';
  constructor(readonly problem: StateProblem) {
    super(`OAuth state refused: ${problem}`);
    this.name = 'OAuthStateError';
  }
}

const sign = (secret: string, id: string) => createHmac('sha256', secret).update(id).digest('base64url');

/**
 * The OAuth `state` in our database instead of Bolt's stateless signed token: `<id>.<signature>`,
 * the signature (SLACK_STATE_SECRET) refusing forged states without a lookup, the row making each
 * state single-use and valid for ten minutes on every instance. Verification happens before Bolt
 * exchanges the code, so a refused state never reaches oauth.v2.access.
 */
export function createOAuthStateStore(ctx: AppContext, stateSecret: string): StateStore {
  return {
    async generateStateParam(installOptions: InstallURLOptions) {
      const id = randomBytes(24).toString('base64url');
      await ctx.repos.oauthStates.issue(id, JSON.stringify(installOptions), ctx.now());
      return `${id}.${sign(stateSecret, id)}`;
    },

    async verifyStateParam(_now: Date, state: string) {
      const [id, signature, ...rest] = state.split('.');
      if (!id || !signature || rest.length > 0) throw new OAuthStateError('forged');
      const expected = Buffer.from(sign(stateSecret, id));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given))
        throw new OAuthStateError('forged');
      const taken = await ctx.repos.oauthStates.consume(id, ctx.now());
      if (!taken.found) throw new OAuthStateError('used');
      if (taken.expired) throw new OAuthStateError('expired');
      return JSON.parse(taken.installOptions) as InstallURLOptions;
    },
  };
}
