import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { AppContext } from '../../../src/context.ts';
import { MESSAGE_SHORTCUTS, SUBSCRIBED_EVENTS } from '../../../src/slack/ids.ts';
import { registerListeners } from '../../../src/slack/listeners/index.ts';
import { BOT_SCOPES, buildManifest, manifestYaml } from '../../../src/slack/manifest.ts';
import { realLadder } from '../../helpers/ladder.ts';
import { recordListeners } from '../../helpers/listener-recorder.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const schema = JSON.parse(
  fs.readFileSync(path.join(root, 'tests/fixtures/slack/manifest.schema.1.0.0.json'), 'utf8'),
);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
const validate = ajv.compile(schema);

/** Scopes the Web API methods need (Slack's method docs). Methods absent here need none. */
const METHOD_SCOPES: Record<string, string> = {
  'chat.postMessage': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.update': 'chat:write',
  'chat.delete': 'chat:write',
  'conversations.open': 'im:write',
  'users.info': 'users:read',
  'reactions.add': 'reactions:write',
  'files.uploadV2': 'files:write',
  filesUploadV2: 'files:write',
  'files.getUploadURLExternal': 'files:write',
  'files.completeUploadExternal': 'files:write',
  'files.delete': 'files:write',
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'local' ? [] : sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** The Web API methods the app's code calls (src/local, the fake Slack, excluded). */
function methodsCalledByCode(): Set<string> {
  const found = new Set<string>();
  const pattern =
    /\bclient\.(chat|conversations|users|reactions|files|views)\.(\w+)\(|\bclient\.(filesUploadV2)\(/g;
  for (const file of sourceFiles(path.join(root, 'src'))) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(pattern)) {
      found.add(m[3] ?? `${m[1]}.${m[2]}`);
    }
  }
  return found;
}

function validationErrors(doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('manifest.yml', () => {
  const committed = fs.readFileSync(path.join(root, 'manifest.yml'), 'utf8');

  it('is what the code generates (regenerate with `npm run --silent cli -- manifest > manifest.yml`)', () => {
    expect(committed).toBe(manifestYaml());
  });

  it("is valid against Slack's manifest schema, in Socket Mode and in the HTTP variant", () => {
    expect(validationErrors(parse(committed))).toEqual([]);
    const http = buildManifest({ url: 'https://ladder.example.com' });
    expect(validationErrors(http)).toEqual([]);
    const settings = http.settings as Record<string, Record<string, unknown>>;
    expect(settings.interactivity?.request_url).toBe('https://ladder.example.com/slack/events');
    expect(http.settings).toMatchObject({ socket_mode_enabled: false });
  });

  it('HTTP variant names the OAuth redirect of distribution mode and keeps the scopes the code uses', () => {
    const http = buildManifest({ url: 'https://ladder.example.com/' });
    expect(http.oauth_config).toEqual({
      redirect_urls: ['https://ladder.example.com/slack/oauth_redirect'],
      scopes: { bot: [...BOT_SCOPES] },
    });
    expect((buildManifest().oauth_config as Record<string, unknown>).redirect_urls).toBeUndefined();
  });

  it('the schema check can fail: an invalid manifest is refused', () => {
    expect(validationErrors({ display_information: { name: '' }, bogus: true }).length).toBeGreaterThan(0);
  });

  it('declares exactly the commands, shortcuts and events the code registers', () => {
    const m = parse(committed);
    const registered = recordListeners((app) =>
      registerListeners(app, { ladder: realLadder() } as AppContext),
    );
    const manifestCommands = (m.features.slash_commands ?? []).map((c: { command: string }) => c.command);
    const manifestShortcuts = (m.features.shortcuts ?? []).map((s: { callback_id: string }) => s.callback_id);
    const manifestEvents: string[] = m.settings.event_subscriptions?.bot_events ?? [];
    expect(new Set(registered.commands)).toEqual(new Set(manifestCommands));
    expect(new Set(registered.shortcuts)).toEqual(new Set(manifestShortcuts));
    expect(new Set(MESSAGE_SHORTCUTS.map((s) => s.callbackId))).toEqual(new Set(manifestShortcuts));
    // A `message` listener needs the message.im subscription; events are registered by name.
    const codeEvents = new Set([
      ...registered.events,
      ...(registered.messageListeners > 0 ? ['message.im'] : []),
    ]);
    expect(codeEvents).toEqual(new Set(manifestEvents));
    expect(new Set(SUBSCRIBED_EVENTS)).toEqual(new Set(manifestEvents));
  });

  it('requests exactly the scopes the code needs (least privilege)', () => {
    const m = parse(committed);
    const needed = new Set(['commands']);
    for (const method of methodsCalledByCode()) {
      const scope = METHOD_SCOPES[method];
      if (scope) needed.add(scope);
    }
    const manifestEvents: string[] = m.settings.event_subscriptions?.bot_events ?? [];
    if (manifestEvents.includes('message.im')) needed.add('im:history');
    expect(new Set(m.oauth_config.scopes.bot)).toEqual(needed);
    expect(new Set(BOT_SCOPES)).toEqual(needed);
  });
});
