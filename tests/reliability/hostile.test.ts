import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/context.ts';
import { STALE_TEXT } from '../../src/slack/blocks/help.ts';
import {
  ActionId,
  actionIdPattern,
  BlockId,
  COMMAND,
  NUMBERED_ACTION_IDS,
  ShortcutId,
  ViewId,
} from '../../src/slack/ids.ts';
import { registerListeners } from '../../src/slack/listeners/index.ts';
import { type Harness, startHarness, TEAM } from '../helpers/harness.ts';
import { realLadder } from '../helpers/ladder.ts';
import { recordListeners } from '../helpers/listener-recorder.ts';
import { dumpUserRows, SAVED, seed, shown, sleep, soak, waitFor } from '../helpers/reliability.ts';

/**
 * Hostile input through the real HTTP endpoint, correctly signed: fast-check writes slash
 * command text and every kind of interactive payload (malformed JSON, missing fields, huge values,
 * other people's ids, unknown action ids). The app answers 200 (a command: with a reply) or 4xx,
 * never 5xx, never leaves a promise rejected, and never changes or shows the victim's data.
 */

const RUNS = soak(150, 1_500);
const SEED = await seed(424_242);
const VICTIM = 'U0VICTIM';
const VICTIM_OWNER = { teamId: TEAM, userId: VICTIM };
/** In every entry of the victim: must never reach anyone else. */
const SECRET = 'VictimSecret7Q';
const ATTACKERS = ['U0MALLORY', 'U0EVE', 'U0BOB'];
const FORM = 'application/x-www-form-urlencoded';

interface VictimIds {
  entryIds: string[];
  viewId: string;
  dm: string;
  nudgeTs: string;
}

let h: Harness;
let victim: VictimIds;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

/** The victim uses every feature once: entries, profile, nudges, an open modal, an export. */
async function seedVictim(): Promise<VictimIds> {
  h.api.addUser({ id: VICTIM, name: 'victim', tz: 'Europe/Berlin' });
  for (const a of ATTACKERS.slice(0, 2)) h.api.addUser({ id: a, name: a.toLowerCase(), tz: 'UTC' });
  const say = async (text: string) => {
    const res = await h.sender.command({ userId: VICTIM, text });
    expect(res.status).toBe(200);
    return res;
  };
  for (let i = 0; i < 3; i++) {
    const res = await say(`log ${SECRET} win number ${i} #people`);
    if (!shown(res.json).includes(SAVED)) await h.sender.waitForResponse(res.responseUrl as string);
  }
  await say('me level tpm4 target lead');
  await say('nudge on');
  await say('nudge now');
  const dm = await waitFor(() => h.api.state.dmChannelId(VICTIM));
  const nudge = await waitFor(() => h.api.state.messages(dm).find((m) => m.user === h.api.botUserId));
  await say('log');
  const modal = await waitFor(() => h.api.state.openModals(VICTIM).at(-1));
  await say('export json');
  await waitFor(() => h.api.state.messages(dm).some((m) => (m.files ?? []).length > 0), 10_000);
  await sleep(200);
  const entries = (await h.app.ctx.repos.evidence.list(VICTIM_OWNER, { limit: 10 })).entries;
  expect(entries).toHaveLength(3);
  return { entryIds: entries.map((e) => String(e.id)), viewId: modal.id, dm, nudgeTs: nudge.ts };
}

/** Everything of the victim's the attacker could reach: their rows, their DM, their Home, their modals. */
function victimState(): string {
  const home = h.api.state.homeViews.get(VICTIM)?.hash ?? null;
  const dm = h.api.state
    .messages(victim.dm)
    .map((m) => [m.ts, m.text, m.blocks, m.edited, m.reactions, m.replies]);
  const modals = h.api.state.openModals(VICTIM).map((v) => [v.id, v.hash]);
  return `${dumpUserRows(h.app.db, VICTIM_OWNER)}\n${JSON.stringify({ home, dm, modals })}`;
}

/** What others can see: every reply, message, modal and Home not the victim's own. */
function seenByOthers(): string {
  const victimUrls = new Set(
    h.api.state.responseUrlPosts.filter((p) => p.applied?.channel === victim.dm).map((p) => p.url),
  );
  const posts = h.api.state.responseUrlPosts.filter((p) => !victimUrls.has(p.url)).map((p) => p.body);
  const views = [...h.api.state.views.values()].filter((v) => v.user !== VICTIM).map((v) => v.view);
  const messages = [...h.api.state.channels.values()]
    .filter((c) => c.id !== victim.dm)
    .flatMap((c) => c.messages);
  return JSON.stringify([posts, views, messages, h.api.state.ephemerals.filter((e) => e.user !== VICTIM)]);
}

// ---- arbitraries ---------------------------------------------------------------------------

const HUGE = 'x'.repeat(40_000);
/** Strings a person or a forger might send. */
const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 2_990, maxLength: 3_100 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u0000',
      HUGE,
      `<@${VICTIM}>`,
      VICTIM,
      '#people #process',
      "'; DROP TABLE evidence; --",
      '{"o":0,"n":5,"q":"x"}',
      '{"o":-1,"n":1000000,"q":null}',
      '__proto__',
      'constructor',
      '../../etc/passwd',
      '%00%ff',
      'NaN',
      '-1',
      '1e309',
    ),
  },
);
/** Ids of the victim's things, for values the attacker sends back. */
const victimRef = fc.constantFrom('entry', 'view', 'dm', 'ts', 'user');
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 3, arbitrary: victimRef.map((r) => ({ $victim: r })) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
/**
 * A field. Well-formed payloads carry every field Slack always sends, in its shape, with hostile
 * values where Slack passes through what people or the app wrote; broken ones (a quarter) also get
 * fields missing or of the wrong type, which the request gate must refuse.
 */
type Field = <T>(valid: fc.Arbitrary<T>) => fc.Arbitrary<unknown>;
const sometimesMissing: Field = (valid) =>
  fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: fc.constant(undefined) });
const broken: Field = (valid) =>
  fc.oneof(
    { weight: 6, arbitrary: valid },
    { weight: 2, arbitrary: hostileValue },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
const field = broken;
const exact: Field = (valid) => valid;

const attacker = fc.constantFrom(...ATTACKERS);
const knownActionId = fc.constantFrom(...Object.values(ActionId));
const actionId = fc.oneof(
  { weight: 5, arbitrary: knownActionId },
  { weight: 2, arbitrary: fc.tuple(knownActionId, fc.nat(30)).map(([id, n]) => `${id}.${n}`) },
  { weight: 2, arbitrary: hostileString },
);
const idString = (victimKind: 'view' | 'dm' | 'ts', ...others: string[]) =>
  fc.oneof(fc.constant({ $victim: victimKind }), fc.constantFrom(...others), hostileString);
/** view.state.values: the evidence and answer forms with hostile answers, or any blocks of any inputs. */
const formValues = fc.oneof(
  fc.record(
    {
      [BlockId.evidenceText]: fc.record({
        [ActionId.formValue]: fc.record({ type: fc.constant('plain_text_input'), value: hostileValue }),
      }),
      [BlockId.evidenceDate]: fc.record({
        [ActionId.formValue]: fc.record({ type: fc.constant('datepicker'), selected_date: hostileValue }),
      }),
      [BlockId.evidenceAxes]: fc.record({
        [ActionId.formValue]: fc.record({
          type: fc.constant('multi_static_select'),
          selected_options: fc.oneof(
            fc.array(fc.record({ value: hostileValue }), { maxLength: 8 }),
            hostileValue,
          ),
        }),
      }),
      [BlockId.evidenceShift]: fc.record({
        [ActionId.formValue]: fc.record({
          type: fc.constant('static_select'),
          selected_option: fc.oneof(fc.record({ value: hostileValue }), hostileValue),
        }),
      }),
      [BlockId.evidenceLink]: fc.record({
        [ActionId.formValue]: fc.record({ type: fc.constant('url_text_input'), value: hostileValue }),
      }),
      [BlockId.nudgeAnswer]: fc.record({
        [ActionId.formValue]: fc.record({ type: fc.constant('plain_text_input'), value: hostileValue }),
      }),
    },
    { requiredKeys: [] },
  ),
  fc.dictionary(hostileString, fc.dictionary(hostileString, fc.object({ maxDepth: 1 }), { maxKeys: 3 }), {
    maxKeys: 3,
  }),
);

function payloads(f: Field) {
  const user = f(attacker.map((id) => ({ id, username: id.toLowerCase(), team_id: TEAM })));
  const team = f(fc.constantFrom({ id: TEAM, domain: 'ladder-local' }, null, { id: 'T0OTHER' }));
  const trigger = f(fc.constant({ $trigger: true }));
  const responseUrl = sometimesMissing(fc.constant({ $responseUrl: true }));
  const state = f(fc.record({ values: f(formValues) }));
  const view = (required: boolean) =>
    (required ? f : (v: fc.Arbitrary<unknown>) => sometimesMissing(f(v)))(
      fc.record(
        {
          id: f(idString('view', 'V0NOPE').chain((v) => fc.constantFrom(v, { $ownView: true }))),
          type: fc.constantFrom('modal', 'home'),
          callback_id: f(fc.oneof(fc.constantFrom(...Object.values(ViewId)), hostileString)),
          private_metadata: sometimesMissing(hostileValue),
          hash: sometimesMissing(hostileString),
          state,
        },
        { requiredKeys: ['id', 'type', 'callback_id', 'state'] },
      ),
    );
  const channel = sometimesMissing(
    f(fc.record({ id: f(idString('dm', 'C0GENERAL').chain((v) => fc.constantFrom(v, { $ownDm: true }))) })),
  );
  const message = sometimesMissing(
    f(
      fc.record(
        { ts: f(idString('ts', '1.000001')), text: hostileValue, user: fc.constantFrom(VICTIM, 'U0EVE') },
        { requiredKeys: ['ts'] },
      ),
    ),
  );
  const container = sometimesMissing(
    f(
      fc.record(
        {
          type: fc.constantFrom('message', 'view'),
          message_ts: sometimesMissing(idString('ts', '1.000001')),
          channel_id: sometimesMissing(
            idString('dm', 'C0GENERAL').chain((v) => fc.constantFrom(v, { $ownDm: true })),
          ),
          view_id: sometimesMissing(idString('view', 'V0NOPE')),
        },
        { requiredKeys: ['type'] },
      ),
    ),
  );
  const action = fc.record(
    {
      action_id: f(actionId),
      block_id: sometimesMissing(f(fc.oneof(fc.constantFrom(...Object.values(BlockId)), hostileString))),
      value: sometimesMissing(hostileValue),
      type: fc.constantFrom('button', 'static_select', 'overflow'),
      selected_option: sometimesMissing(fc.record({ value: hostileValue })),
    },
    { requiredKeys: ['action_id', 'type'] },
  );
  const shortcutId = fc.oneof(
    { weight: 4, arbitrary: fc.constant(ShortcutId.saveAsEvidence) },
    { weight: 1, arbitrary: hostileString },
  );
  const record = (r: Record<string, fc.Arbitrary<unknown>>) =>
    fc.record(r) as fc.Arbitrary<Record<string, unknown>>;
  return {
    block_actions: record({
      type: fc.constant('block_actions'),
      user,
      team,
      trigger_id: trigger,
      response_url: responseUrl,
      actions: f(fc.array(action, { minLength: 1, maxLength: 3 })),
      container,
      channel,
      message,
      view: view(false),
      state: sometimesMissing(state),
    }),
    view_submission: record({
      type: fc.constant('view_submission'),
      user,
      team,
      trigger_id: trigger,
      view: view(true),
      response_urls: fc.constant([]),
    }),
    view_closed: record({
      type: fc.constant('view_closed'),
      user,
      team,
      view: view(true),
      is_cleared: fc.boolean(),
    }),
    message_action: record({
      type: fc.constant('message_action'),
      callback_id: f(shortcutId),
      user,
      team,
      trigger_id: trigger,
      response_url: responseUrl,
      channel: f(fc.record({ id: f(idString('dm', 'C0GENERAL', 'C0NOPE')) })),
      message_ts: hostileValue,
      message: f(
        fc.record(
          { ts: f(idString('ts', '1.000001')), text: hostileValue, user: fc.constantFrom(VICTIM, 'U0EVE') },
          { requiredKeys: ['ts'] },
        ),
      ),
    }),
    shortcut: record({
      type: fc.constant('shortcut'),
      callback_id: f(shortcutId),
      user,
      team,
      trigger_id: trigger,
    }),
  };
}
const wellFormed = payloads(exact);
const malformedFields = payloads(broken);
const ofKind = (kind: keyof typeof wellFormed) =>
  fc.oneof({ weight: 3, arbitrary: wellFormed[kind] }, { weight: 1, arbitrary: malformedFields[kind] });

/** Not JSON, not an object, or an object of no known kind. */
const malformed = fc.oneof(
  fc.constantFrom(
    '{',
    'null',
    '[]',
    '"payload"',
    '5',
    'true',
    '{"type":null}',
    '{"type":"block_actions","user":null}',
  ),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string(),
);

/** Fills the placeholders with live values: fresh trigger ids and response URLs, the victim's ids. */
function materialise(value: unknown, userId: string): unknown {
  if (Array.isArray(value)) return value.map((v) => materialise(v, userId));
  if (value === null || typeof value !== 'object') return value;
  const v = value as Record<string, unknown>;
  if (v.$trigger) return h.api.createTriggerId(userId);
  if (v.$responseUrl)
    return h.api.createResponseUrl({ channelId: h.api.openDm(userId), userId, kind: 'actions' });
  if (v.$ownDm) return h.api.openDm(userId);
  if (v.$ownView) return h.api.state.openModals(userId).at(-1)?.id ?? 'V0NONE';
  if (typeof v.$victim === 'string') {
    const which = v.$victim;
    return which === 'entry'
      ? victim.entryIds[0]
      : which === 'view'
        ? victim.viewId
        : which === 'dm'
          ? victim.dm
          : which === 'ts'
            ? victim.nudgeTs
            : VICTIM;
  }
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => [k, materialise(x, userId)]),
  );
}

/** Sends one signed interactive payload; returns the HTTP status. */
async function sendInteractive(payload: Record<string, unknown>): Promise<number> {
  const user = payload.user as { id?: unknown } | undefined;
  const userId = typeof user?.id === 'string' && user.id !== VICTIM ? user.id : 'U0MALLORY';
  const body = new URLSearchParams({ payload: JSON.stringify(materialise(payload, userId)) }).toString();
  return (await h.sender.raw({ body, contentType: FORM })).status;
}

const allowed = (status: number) => status === 200 || (status >= 400 && status < 500);
/** Status counts per property: the share that reached the listeners (200) is reported. */
const statuses = new Map<string, Map<number, number>>();
function count(kind: string, status: number): void {
  const m = statuses.get(kind) ?? new Map<number, number>();
  m.set(status, (m.get(status) ?? 0) + 1);
  statuses.set(kind, m);
}

describe('hostile input through the signed HTTP endpoint', () => {
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    h = await startHarness();
    victim = await seedVictim();
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await h?.close();
    const lines = [...statuses].map(
      ([kind, m]) =>
        `${kind}: ${[...m]
          .sort()
          .map(([s, n]) => `${n}×${s}`)
          .join(' ')}`,
    );
    process.stdout.write(`hostile (seed ${SEED}): ${lines.join('; ')}\n`);
  });

  it('acknowledges a button it does not know at once and says why (a stale message), 200 in under a second', async () => {
    const started = performance.now();
    const res = await h.sender.blockActions({
      userId: 'U0EVE',
      actions: [{ action_id: 'evidence_share_v0', block_id: 'old', value: '1' }],
    });
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(shown((await h.sender.waitForResponse(res.responseUrl as string)).body)).toContain(STALE_TEXT);
    // Which ids count as known: every id ids.ts declares has a listener, the numbered ones by pattern.
    const registered = new Set(
      recordListeners((app) => registerListeners(app, { ladder: realLadder() } as AppContext)).actions,
    );
    for (const id of Object.values(ActionId).filter((a) => a !== ActionId.formValue)) {
      const numbered = NUMBERED_ACTION_IDS.includes(id);
      expect(
        registered.has(numbered ? actionIdPattern(id).source : id) ||
          registered.has(actionIdPattern(id).source),
        id,
      ).toBe(true);
    }
    const src = path.resolve(import.meta.dirname, '../../src');
    const walk = (d: string): string[] =>
      fs
        .readdirSync(d, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
    for (const file of walk(src).filter((f) => f.endsWith('.ts'))) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/nthActionId\(ActionId\.(\w+)/g)) {
        expect(NUMBERED_ACTION_IDS, `${path.relative(src, file)} numbers ActionId.${m[1]}`).toContain(
          ActionId[m[1] as keyof typeof ActionId],
        );
      }
    }
  });

  const check = async (status: number) => {
    expect(allowed(status), `HTTP ${status}`).toBe(true);
    expect(unhandled).toEqual([]);
  };

  it(`slash command text: always 200 with a reply, nothing of the victim changed (${RUNS} runs, seed ${SEED})`, {
    timeout: soak(240_000, 3_600_000),
  }, async () => {
    const before = victimState();
    const subcommand = fc.constantFrom(
      '',
      'log ',
      'evidence ',
      'me ',
      'me level ',
      'nudge ',
      'compare ',
      'summary ',
      'export ',
      'chart ',
      'forget ',
      'help ',
      'levels ',
      'next ',
    );
    await fc.assert(
      fc.asyncProperty(attacker, subcommand, hostileString, async (userId, sub, text) => {
        const res = await h.sender.command({ userId, text: `${sub}${text}` });
        count('command', res.status);
        await check(res.status);
        expect(res.status).toBe(200);
        // A reply: in the ack, or by response URL, or the modal `/ladder log` opens.
        if (!shown(res.json).trim() || shown(res.json).trim() === '[]') {
          await waitFor(
            () =>
              h.api.state.postsTo(res.responseUrl as string).length > 0 ||
              h.api.state.openModals(userId).some((v) => v.view.callback_id === ViewId.evidenceModal),
            10_000,
          );
          for (const v of h.api.state.openModals(userId)) h.api.closeView(v.id);
        }
        expect(victimState()).toBe(before);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(seenByOthers()).not.toContain(SECRET);
  });

  const kinds = ['block_actions', 'view_submission', 'view_closed', 'message_action', 'shortcut'] as const;
  for (const kind of kinds) {
    const arbitrary = ofKind(kind);
    it(`${kind} payloads: 200 or 4xx, never 5xx, nothing of the victim changed or shown (${RUNS} runs)`, {
      timeout: soak(240_000, 3_600_000),
    }, async () => {
      const before = victimState();
      await fc.assert(
        fc.asyncProperty(arbitrary, async (payload) => {
          const status = await sendInteractive(payload);
          count(kind, status);
          await check(status);
          expect(victimState()).toBe(before);
        }),
        { numRuns: RUNS, seed: SEED },
      );
      // Let handlers still running after their ack finish before looking.
      await sleep(300);
      expect(victimState()).toBe(before);
      expect(seenByOthers()).not.toContain(SECRET);
    });
  }

  it(`malformed bodies, forms and events: 4xx or 200, never 5xx (${RUNS} runs)`, {
    timeout: soak(240_000, 3_600_000),
  }, async () => {
    const before = victimState();
    const event = fc.record(
      {
        type: field(fc.constant('event_callback')),
        team_id: field(fc.constant(TEAM)),
        event: field(
          fc.record(
            {
              type: field(
                fc.constantFrom(
                  'message',
                  'app_home_opened',
                  'app_uninstalled',
                  'tokens_revoked',
                  'reaction_added',
                ),
              ),
              user: field(attacker),
              channel: field(fc.constantFrom({ $victim: 'dm' }, 'C0GENERAL')),
              channel_type: field(fc.constantFrom('im', 'channel')),
              text: hostileValue,
              ts: field(fc.constant('1.000002')),
              thread_ts: field(fc.constantFrom({ $victim: 'ts' }, '1.000001')),
              subtype: field(
                fc.constantFrom('message_changed', 'message_deleted', 'bot_message', 'file_share'),
              ),
              tab: field(fc.constantFrom('home', 'messages')),
              tokens: field(fc.record({ oauth: fc.array(hostileString), bot: fc.array(hostileString) })),
              message: field(fc.record({ user: attacker, ts: fc.constant('1.000002'), text: hostileString })),
              previous_message: field(
                fc.record({ user: attacker, ts: fc.constant('1.000002'), text: hostileString }),
              ),
            },
            { requiredKeys: [] },
          ),
        ),
        event_id: field(hostileString),
      },
      { requiredKeys: [] },
    );
    const request = fc.oneof(
      malformed.map((body) => ({ body: `payload=${encodeURIComponent(body)}`, contentType: FORM })),
      malformed.map((body) => ({ body, contentType: 'application/json' })),
      fc
        .dictionary(
          fc.constantFrom(
            'command',
            'text',
            'user_id',
            'team_id',
            'trigger_id',
            'response_url',
            'channel_id',
            'ssl_check',
            'payload',
          ),
          hostileString,
        )
        .map((f) => ({
          body: new URLSearchParams(f).toString(),
          contentType: FORM,
        })),
      event.map((e) => ({
        body: JSON.stringify(materialise(e, 'U0MALLORY')),
        contentType: 'application/json',
      })),
      fc.constantFrom(
        {
          body: JSON.stringify({ type: 'url_verification', challenge: 'c' }),
          contentType: 'application/json',
        },
        {
          body: `command=${encodeURIComponent('/other')}&team_id=${TEAM}&user_id=U0EVE&text=help`,
          contentType: FORM,
        },
        { body: `command=${encodeURIComponent(COMMAND)}&team_id=${TEAM}&user_id=U0EVE`, contentType: FORM },
        // Bolt keys a plain object by the team id: these reached Object.prototype and answered 500.
        {
          body: JSON.stringify({
            type: 'event_callback',
            team_id: 'constructor',
            event: { type: 'message' },
          }),
          contentType: 'application/json',
        },
        {
          body: `command=${encodeURIComponent(COMMAND)}&team_id=__proto__&user_id=U0EVE&text=help`,
          contentType: FORM,
        },
        {
          body: `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: 'U0EVE' }, team: { id: 'toString' }, trigger_id: 't', actions: [{ action_id: 'x' }] }))}`,
          contentType: FORM,
        },
      ),
    );
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const status = (await h.sender.raw(r)).status;
        count('malformed', status);
        await check(status);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    await sleep(300);
    // app_uninstalled from a forged-but-signed event may mark the workspace; victim rows stay.
    expect(victimState()).toBe(before);
    expect(seenByOthers()).not.toContain(SECRET);
    expect((await fetch(`http://127.0.0.1:${h.app.port}/healthz`)).status).toBe(200);
  });
});
