import { randomUUID } from 'node:crypto';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { RotationOptions } from './installation-store.ts';
import type { RefreshedToken } from './token-rotation.ts';

/**
 * Distribution mode's token refresh: `oauth.v2.access` with grant_type=refresh_token and the app's
 * client credentials, through SLACK_API_URL's client options. A refusal (invalid_refresh_token)
 * rejects with Slack's error. Made once per app instance (the composition root), which is named by
 * it in the refresh leases it takes (token-rotation.ts): Bolt's requests and the scheduler share it.
 */
export function slackRotation(
  app: { clientId: string; clientSecret: string },
  clientOptions: WebClientOptions,
): RotationOptions {
  const client = new WebClient(undefined, clientOptions);
  return {
    owner: `ladder-${randomUUID()}`,
    async refresh(refreshToken): Promise<RefreshedToken> {
      const res = await client.oauth.v2.access({
        client_id: app.clientId,
        client_secret: app.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      });
      if (!res.access_token || !res.refresh_token || !res.expires_in) {
        throw new Error('oauth.v2.access answered a refresh without a rotating token');
      }
      return { accessToken: res.access_token, refreshToken: res.refresh_token, expiresIn: res.expires_in };
    },
  };
}
