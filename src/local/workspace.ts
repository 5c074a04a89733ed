/**
 * Local mode: Slack on this machine. The local Slack-compatible API, the real app pointed at it
 * (distribution mode, `SLACK_API_URL`, the generated OAuth settings of local-settings.ts), and a
 * web page where demo people use the app through correctly signed requests, in any workspace Ladder
 * is installed in (local-teams.ts). Everything listens on 127.0.0.1 only.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import type { Logger } from '../log.ts';
import { LocalInstallError } from './local-install.ts';
import { openLocalTeams } from './local-teams.ts';
import type { InstalledApp, NudgeHooks } from './page-actions.ts';
import { type HintEntry, type PageServer, startPageServer } from './page-server.ts';
import type { DemoUser } from './page-state.ts';
import { type LocalSlackApi, startLocalSlackApi } from './slack-api.ts';

/** The app's install success page in local mode: the workspace's page has switched by itself. */
export const LOCAL_AFTER_INSTALL =
  'Go back to the tab of the local workspace: its Workspace menu has switched to this workspace. You can close this tab.';

export type { DemoUser } from './page-state.ts';

/** A start-up failure whose message is the whole story for the person starting local mode. */
export class LocalWorkspaceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalWorkspaceError';
  }
}

export const DEMO_USERS: readonly DemoUser[] = [
  { id: 'U0DEMO1', name: 'alex', realName: 'Alex (demo)', tz: 'America/New_York' },
  { id: 'U0DEMO2', name: 'sam', realName: 'Sam (demo)', tz: 'Europe/London' },
];

const TEAM_ID = 'T0LOCAL';

/** What the app needs to run against the local Slack (it runs distribution mode on `oauth`). */
export interface LocalAppCredentials {
  /** Base URL of the local Web API, for `SLACK_API_URL`. */
  slackApiUrl: string;
}

/** The app's OAuth client and signing secret, the same for the local Slack and the app. */
export interface LocalOAuthSettings {
  clientId: string;
  clientSecret: string;
  signingSecret: string;
}

/** The running app, as the workspace needs it. */
export interface LocalApp extends NudgeHooks {
  /** Port of the app's HTTP receiver on 127.0.0.1 (`POST /slack/events`). */
  port: number;
  health(): Promise<{ ok: boolean }>;
  /** Whether the app holds an install for this team or org. */
  isInstalled(tenantId: string): Promise<boolean>;
  stop(): Promise<void>;
}

export interface LocalWorkspaceOptions {
  /** The page's port on 127.0.0.1; 0 picks a free one. */
  port: number;
  logger: Logger;
  /** The app's manifest, installed into the workspace as Slack would. */
  manifest: unknown;
  /** The app's subcommands, for the composer's hint. */
  hint: readonly HintEntry[];
  /** The folder of the page's files. */
  pageDir: string;
  oauth: LocalOAuthSettings;
  /** Starts the real app in distribution mode, listening on 127.0.0.1, against this Slack. */
  startApp(credentials: LocalAppCredentials): Promise<LocalApp>;
  users?: readonly DemoUser[];
  now?: () => number;
}

export interface LocalWorkspace {
  /** The page, e.g. `http://127.0.0.1:3000/`. */
  url: string;
  port: number;
  api: LocalSlackApi;
  app: LocalApp;
  stop(): Promise<void>;
}

const SlashCommandSchema = z.object({ command: z.string(), usage_hint: z.string().optional() });

/** The parts of the app's manifest a workspace reads when the app is installed. */
const ManifestSchema = z.object({
  features: z.object({
    // One slash command at least: the first is the one the page sends.
    slash_commands: z.tuple([SlashCommandSchema], SlashCommandSchema),
    shortcuts: z
      .array(z.object({ type: z.string(), callback_id: z.string(), name: z.string() }))
      .optional()
      .default([]),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
  settings: z.object({
    event_subscriptions: z.object({ bot_events: z.array(z.string()) }).optional(),
  }),
});

/** The app as installed from its manifest: its command, shortcuts, events and scopes. */
export function installedApp(manifest: unknown): InstalledApp & { scopes: string[] } {
  const m = ManifestSchema.parse(manifest);
  const [command] = m.features.slash_commands;
  return {
    command: command.command,
    usageHint: command.usage_hint ?? '',
    shortcuts: m.features.shortcuts
      .filter((s) => s.type === 'message')
      .map((s) => ({ callbackId: s.callback_id, name: s.name })),
    events: m.settings.event_subscriptions?.bot_events ?? [],
    scopes: m.oauth_config.scopes.bot,
  };
}

/** The page's port taken: a message that says what to do. */
function portInUse(err: unknown, port: number): LocalWorkspaceError | undefined {
  if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') return undefined;
  return new LocalWorkspaceError(
    `port ${port} is already in use: set PORT to a free port (PORT=0 picks one)`,
    {
      cause: err,
    },
  );
}

/** The clock control's hooks, from what the running app offers. */
function nudgeHooksOf(app: LocalApp): NudgeHooks {
  return {
    ...(app.runNudgesAt ? { runNudgesAt: (at) => app.runNudgesAt?.(at) ?? Promise.resolve() } : {}),
    ...(app.nextNudgeAt ? { nextNudgeAt: (o, after) => app.nextNudgeAt?.(o, after) ?? null } : {}),
    ...(app.wallClock ? { wallClock: app.wallClock } : {}),
  };
}

export async function startLocalWorkspace(opts: LocalWorkspaceOptions): Promise<LocalWorkspace> {
  const users = opts.users ?? DEMO_USERS;
  const now = opts.now ?? Date.now;
  const app = installedApp(opts.manifest);
  const apiOptions: Parameters<typeof startLocalSlackApi>[0] = {
    // The seed of every install's bot token: from the stored secret, so stored installs keep working.
    botToken: `xoxb-local-${createHash('sha256').update(`seed:${opts.oauth.clientSecret}`).digest('hex').slice(0, 32)}`,
    scopes: app.scopes,
    teamId: TEAM_ID,
    users: users.map((u) => ({ id: u.id, name: u.name, realName: u.realName, tz: u.tz })),
    oauth: { clientId: opts.oauth.clientId, clientSecret: opts.oauth.clientSecret },
  };
  const api = await startLocalSlackApi(apiOptions);
  let running: LocalApp | undefined;
  let page: PageServer;
  try {
    running = await opts.startApp({ slackApiUrl: api.url });
    const appRef = running;
    const appBase = `http://127.0.0.1:${appRef.port}`;
    // The redirect URL the app's manifest registers, known once the app listens.
    apiOptions.oauthRedirectUri = `${appBase}/slack/oauth_redirect`;
    const teams = await openLocalTeams({
      api,
      appBase,
      signingSecret: opts.oauth.signingSecret,
      users,
      isInstalled: (id) => appRef.isInstalled(id),
      shared: {
        api,
        app,
        nudges: nudgeHooksOf(appRef),
        clock: { at: null, lines: [] },
        notices: [],
        commands: new Map(),
        logger: opts.logger,
        changes: new EventEmitter(),
        now,
      },
    });
    page = await startPageServer({
      session: teams.first,
      workspaces: teams,
      port: opts.port,
      health: () => appRef.health(),
      hint: opts.hint,
      pageDir: opts.pageDir,
      teamName: 'Ladder Local',
    });
  } catch (err) {
    await running?.stop().catch(() => {});
    await api.close();
    if (err instanceof LocalInstallError) throw new LocalWorkspaceError(err.message, { cause: err });
    throw portInUse(err, opts.port) ?? err;
  }
  const appRunning = running;
  opts.logger.info('local workspace ready', {
    url: page.url,
    users: users.map((u) => u.realName),
    nudgeClock: appRunning.runNudgesAt ? 'on' : 'not in this build',
  });

  let stopping: Promise<void> | undefined;
  return {
    url: page.url,
    port: page.port,
    api,
    app: appRunning,
    stop() {
      stopping ??= (async () => {
        await page.close();
        await appRunning.stop();
        await api.close();
      })();
      return stopping;
    },
  };
}
