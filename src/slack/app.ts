import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type CustomRoute, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { ExtendedErrorHandlerArgs } from '@slack/bolt/dist/App.js';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { AppContext } from '../context.ts';
import { describeError, toSlackLogger } from '../log.ts';
import { COMMAND, MESSAGE_SHORTCUTS } from './ids.ts';
import { installCallbacks, installPage } from './install-pages.ts';
import { createInstallationStore, type RotationOptions } from './installation-store.ts';
import { registerListeners } from './listeners/index.ts';
import { BOT_SCOPES } from './manifest.ts';
import { createOAuthStateStore } from './oauth-state-store.ts';
import { acceptOrgAdminInstalls } from './org-admin-install.ts';
import { registerPersonFollow } from './person-follow.ts';
import { postFailureNotice } from './reply.ts';
import { gateSocketModeEvents, type SlackEventsOptions, serveSlackEvents } from './request-gate.ts';
import { createListenerRouter } from './router.ts';

export type SlackConnection =
  | { mode: 'http'; botToken: string; signingSecret: string }
  | { mode: 'socket'; botToken: string; appToken: string }
  | DistributionConnection;

/** OAuth distribution: no bot token; each request is authorized through the installation store. */
export interface DistributionConnection {
  mode: 'distribution';
  signingSecret: string;
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  redirectUri: string | undefined;
  /** What the install success page says to do next (local mode's page); default: Slack's. */
  afterInstall?: string;
  /** This instance's refresh of rotating tokens, shared by Bolt's requests and the scheduler. */
  rotation: RotationOptions;
}

export interface RunningSlackApp {
  app: InstanceType<typeof App>;
  /** The port the HTTP server (Slack requests in HTTP mode; /healthz in both) listens on. */
  port: number;
  /** Stops receiving, then waits (bounded) for listeners still running. */
  stop(timeoutMs?: number): Promise<void>;
  inFlight(): number;
}

/**
 * Options of the Web API client that answers users: a request timeout, and 429s fail fast instead
 * of pausing the whole queue: an interactive reply that cannot go out now should say so, not
 * arrive later. No retries: the client retries any non-200 answer, and a 5xx or a timeout can
 * come after Slack carried the call out, so a retried chat.postMessage or file upload could
 * appear twice. The few reads (users.info, conversations.open) fail to a clear message instead.
 */
export function interactiveClientOptions(slackApiUrl: string | undefined): WebClientOptions {
  return {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    timeout: 10_000,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  };
}

/**
 * Bolt's HTTP receiver (its server, /healthz and other routes, start and stop) with
 * `POST /slack/events` served by the request gate: one read, one signature check and one parse
 * per request (see serveSlackEvents).
 */
class GatedHTTPReceiver extends HTTPReceiver {
  private gatedApp: InstanceType<typeof App> | undefined;

  constructor(
    gate: Omit<SlackEventsOptions, 'app' | 'unhandledRequestTimeoutMillis'>,
    options: ConstructorParameters<typeof HTTPReceiver>[0] & { unhandledRequestTimeoutMillis: number },
  ) {
    super(options);
    serveSlackEvents(this, {
      ...gate,
      app: () => this.gatedApp,
      unhandledRequestTimeoutMillis: options.unhandledRequestTimeoutMillis,
    });
  }

  override init(app: InstanceType<typeof App>): void {
    super.init(app);
    this.gatedApp = app;
  }
}

/** Socket Mode with the request gate's shape checks in front of the app (see gateSocketModeEvents). */
class GatedSocketModeReceiver extends SocketModeReceiver {
  constructor(
    private readonly gate: Parameters<typeof gateSocketModeEvents>[1],
    options: ConstructorParameters<typeof SocketModeReceiver>[0],
  ) {
    super(options);
  }

  override init(app: InstanceType<typeof App>): void {
    super.init(gateSocketModeEvents(app, this.gate));
  }
}

export class SlackAuthError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SlackAuthError';
  }
}

/**
 * Who the bot is (auth.test), read once at start with a client that retries: a read is safe to
 * repeat. A token Slack refuses stops the start with a message naming the variable.
 */
async function botIdentity(
  botToken: string,
  slackApiUrl: string | undefined,
  logger: ReturnType<typeof toSlackLogger>,
): Promise<{ botId: string; botUserId: string }> {
  const client = new WebClient(botToken, {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    timeout: 10_000,
    retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 4_000 },
    logger,
  });
  try {
    const res = await client.auth.test();
    if (typeof res.bot_id !== 'string' || typeof res.user_id !== 'string') {
      throw new SlackAuthError(
        'SLACK_BOT_TOKEN is not a bot token (auth.test names no bot): use the xoxb- token',
      );
    }
    return { botId: res.bot_id, botUserId: res.user_id };
  } catch (err) {
    if (err instanceof SlackAuthError) throw err;
    const code = (err as { data?: { error?: string } }).data?.error;
    throw new SlackAuthError(
      code
        ? `Slack refused SLACK_BOT_TOKEN (auth.test: ${code})`
        : `could not reach Slack to check SLACK_BOT_TOKEN (auth.test at ${slackApiUrl ?? "Slack's API"})`,
      { cause: err },
    );
  }
}

/**
 * A single workspace's token and who the bot is, known up front so Bolt does not call auth.test
 * itself: its own call is made once, unawaited, and a failure there would reject every later request.
 */
async function singleWorkspace(botToken: string, ctx: AppContext, logger: ReturnType<typeof toSlackLogger>) {
  const identity = await botIdentity(botToken, ctx.config.slackApiUrl, logger);
  return { token: botToken, botId: identity.botId, botUserId: identity.botUserId };
}

export async function startSlackApp(
  ctx: AppContext,
  connection: SlackConnection,
  listen: { port: number; host?: string },
): Promise<RunningSlackApp> {
  const logger = toSlackLogger(ctx.logger, 'bolt');
  const clientOptions = interactiveClientOptions(ctx.config.slackApiUrl);
  const receiver = createReceiver(ctx, connection, listen.port, logger, clientOptions);

  const app = new App({
    ...(connection.mode === 'distribution' ? {} : await singleWorkspace(connection.botToken, ctx, logger)),
    receiver,
    // The app keeps no conversation state in Bolt: its store would only cost every request a lookup.
    convoStore: false,
    logger,
    clientOptions,
    extendedErrorHandler: true,
  });

  const inFlight = countInFlight(app);

  // One Bolt listener per kind, routed by id: Bolt would run every listener's matchers per request.
  const router = createListenerRouter(app);
  // Before any handler: a person's workspace rows follow them to an org-wide install.
  registerPersonFollow(app, ctx);
  registerListeners(router.app, ctx);
  router.install();

  handleErrors(app, ctx);

  const server = await startReceiving(app, receiver, connection, listen);
  const port = (server?.address() as AddressInfo | null)?.port ?? listen.port;

  return {
    app,
    port,
    inFlight,
    async stop(timeoutMs = 3_000) {
      await app.stop().catch(() => {});
      if (connection.mode === 'socket' && server?.listening) {
        await new Promise((r) => server?.close(() => r(undefined)));
      }
      const deadline = Date.now() + timeoutMs;
      while (inFlight() > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

/** The receiver for the connection, with /healthz beside Slack's requests. */
function createReceiver(
  ctx: AppContext,
  connection: SlackConnection,
  port: number,
  logger: ReturnType<typeof toSlackLogger>,
  clientOptions: WebClientOptions,
): GatedHTTPReceiver | GatedSocketModeReceiver {
  const customRoutes: CustomRoute[] = [
    {
      path: '/healthz',
      method: ['GET'],
      handler: async (_req: IncomingMessage, res: ServerResponse) => {
        const health = await ctx.health();
        res.writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(health));
      },
    },
  ];

  const declared = { commands: [COMMAND], shortcuts: MESSAGE_SHORTCUTS.map((s) => s.callbackId) };
  if (connection.mode !== 'socket') {
    const receiver = new GatedHTTPReceiver(
      { signingSecret: connection.signingSecret, logger: ctx.logger, boltLogger: logger, declared },
      {
        signingSecret: connection.signingSecret,
        logger,
        customRoutes,
        // Slack gives up after 3 s; answering 500 a little before that is better than silence.
        unhandledRequestTimeoutMillis: 3_001,
        ...(connection.mode === 'distribution' ? oauthOptions(ctx, connection, clientOptions) : {}),
      },
    );
    if (connection.mode === 'distribution' && receiver.installer) {
      acceptOrgAdminInstalls(
        receiver.installer,
        {
          clientId: connection.clientId,
          clientSecret: connection.clientSecret,
          installationStore: createInstallationStore(ctx),
          clientOptions,
          logger,
        },
        {
          scopes: [...BOT_SCOPES],
          ...(connection.redirectUri ? { redirectUri: connection.redirectUri } : {}),
        },
        ctx.logger,
      );
    }
    return receiver;
  }
  return new GatedSocketModeReceiver(
    { logger: ctx.logger, declared },
    {
      appToken: connection.appToken,
      logger,
      customRoutes,
      installerOptions: { port, clientOptions },
    },
  );
}

/**
 * Counts requests being processed where the receivers hand them to Bolt (Bolt resolves once every
 * listener has finished), rather than by a middleware every request would pass through.
 */
function countInFlight(app: InstanceType<typeof App>): () => number {
  let inFlight = 0;
  const processEvent = app.processEvent.bind(app);
  app.processEvent = async (event) => {
    inFlight += 1;
    try {
      await processEvent(event);
    } finally {
      inFlight -= 1;
    }
  };
  return () => inFlight;
}

/** The one global error handler: tell the user, log one line with context, never crash. */
function handleErrors(app: InstanceType<typeof App>, ctx: AppContext): void {
  app.error((async ({ error, body, context }: ExtendedErrorHandlerArgs) => {
    const b = (body ?? {}) as Record<string, unknown>;
    if (isNotInstalled(error)) {
      await answerNotInstalled(b, ctx);
      return;
    }
    ctx.logger.error('listener failed', {
      kind: typeof b.type === 'string' ? b.type : typeof b.command === 'string' ? 'slash_command' : 'unknown',
      team: context?.teamId,
      user: context?.userId,
      error: describeError((error as { original?: unknown }).original ?? error),
    });
    // Distribution mode has no app-wide token: the notice goes out with the workspace's own.
    const botToken = (context as { botToken?: string } | undefined)?.botToken;
    const client = botToken
      ? new WebClient(botToken, interactiveClientOptions(ctx.config.slackApiUrl))
      : app.client;
    await postFailureNotice(client, b, ctx).catch((err: unknown) => {
      ctx.logger.warn('could not tell the user about a failure', { error: describeError(err) });
    });
  }) as unknown as Parameters<typeof app.error>[0]);
}

/** Bolt's authorize failed because the tenant has no installation (distribution mode). */
function isNotInstalled(error: unknown): boolean {
  for (let e = error as { name?: string; original?: unknown } | undefined, i = 0; e && i < 5; i += 1) {
    if (e.name === 'NotInstalledError') return true;
    e = e.original as typeof e;
  }
  return false;
}

/**
 * A request from a workspace where Ladder is not installed (or was uninstalled): nothing is
 * stored, and where Slack gave a response URL (commands, interactions) the person is told why.
 */
async function answerNotInstalled(body: Record<string, unknown>, ctx: AppContext): Promise<void> {
  ctx.logger.info('request from a workspace without an installation; not served', {
    team: typeof body.team_id === 'string' ? body.team_id : undefined,
  });
  const responseUrl = typeof body.response_url === 'string' ? body.response_url : undefined;
  if (!responseUrl) return;
  await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: NOT_INSTALLED_TEXT }),
    signal: AbortSignal.timeout(5_000),
  }).catch((err: unknown) => {
    ctx.logger.warn('could not tell the user that Ladder is not installed', { error: describeError(err) });
  });
}

const NOT_INSTALLED_TEXT =
  'Ladder is not installed in this workspace (or was removed), so nothing was saved. ' +
  'Ask a workspace admin to add it again from its install page.';

/** Starts the app; the HTTP server it listens on (in Socket Mode, the one for /healthz), if any. */
async function startReceiving(
  app: InstanceType<typeof App>,
  receiver: GatedHTTPReceiver | GatedSocketModeReceiver,
  connection: SlackConnection,
  listen: { port: number; host?: string },
): Promise<Server | undefined> {
  let server: Server | undefined;
  if (connection.mode !== 'socket') {
    server = (await app.start({ port: listen.port, host: listen.host ?? '0.0.0.0' })) as Server;
  } else {
    await app.start();
    server = (receiver as unknown as { httpServer?: Server }).httpServer;
    if (server && !server.listening) await new Promise((r) => server?.once('listening', r));
  }
  return server;
}

/**
 * Bolt's own OAuth (InstallProvider) for distribution mode: our installation store (tokens sealed
 * in the database), our single-use state store, our pages, and the code exchange and auth.test
 * through SLACK_API_URL's client options. Bolt serves GET /slack/install and /slack/oauth_redirect.
 */
function oauthOptions(
  ctx: AppContext,
  c: DistributionConnection,
  clientOptions: WebClientOptions,
): Partial<ConstructorParameters<typeof HTTPReceiver>[0]> {
  return {
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    stateSecret: c.stateSecret,
    scopes: [...BOT_SCOPES],
    installationStore: createInstallationStore(ctx, c.rotation),
    ...(c.redirectUri ? { redirectUri: c.redirectUri } : {}),
    installerOptions: {
      stateStore: createOAuthStateStore(ctx, c.stateSecret),
      directInstall: false,
      installPath: '/slack/install',
      redirectUriPath: '/slack/oauth_redirect',
      renderHtmlForInstallPath: installPage,
      callbackOptions: installCallbacks(ctx.logger, c.afterInstall),
      clientOptions,
      // Slack's authorize page lives beside its Web API (slack.com/oauth/v2/authorize next to
      // slack.com/api/): with SLACK_API_URL, "Add to Slack" goes to that Slack's page.
      ...(clientOptions.slackApiUrl
        ? { authorizationUrl: new URL('/oauth/v2/authorize', clientOptions.slackApiUrl).toString() }
        : {}),
    },
  };
}
