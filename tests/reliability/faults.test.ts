import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countUserData } from '../../src/db/user-data.ts';
import { messageEvent } from '../../src/local/signed-sender.ts';
import type { FaultSpec } from '../../src/local/slack-api.ts';
import { ActionId, BlockId, ShortcutId } from '../../src/slack/ids.ts';
import { FAILURE_TEXT } from '../../src/slack/reply.ts';
import { localToday } from '../helpers/dates.ts';
import { type Harness, startHarness, TEAM } from '../helpers/harness.ts';
import { SAVED, shown, sleep, soak, waitFor } from '../helpers/reliability.ts';

/**
 * Every Web API call the app makes, failing every way Slack fails: HTTP 500, 429 with Retry-After,
 * a request that never answers, and `ok:false` errors. For each, a person does the thing that
 * makes the call, and the app must stay up (healthz 200), answer every request 200, lose no entry,
 * send nothing twice, leave the person knowing what happened (their success, or our failure
 * notice), and log one line that says what failed, without their words.
 */

const root = path.resolve(import.meta.dirname, '../..');

/** The Web API methods the code calls (src/local, the fake Slack, excluded), as the manifest test finds them. */
function methodsCalledByCode(): string[] {
  const found = new Set<string>();
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
      const p = path.join(dir, d.name);
      // The local Slack API serves calls; src/db's `client` is a PostgreSQL connection, not Slack's.
      if (d.isDirectory()) return d.name === 'local' || d.name === 'db' ? [] : walk(p);
      return p.endsWith('.ts') ? [p] : [];
    });
  for (const file of walk(path.join(root, 'src'))) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/\bclient\.((?:[a-z]+\.)?[A-Za-z0-9]+)\(/g)) {
      found.add(m[1] as string);
    }
  }
  return [...found].sort();
}

const OK_FALSE = [
  'channel_not_found',
  'user_not_found',
  'account_inactive',
  'not_in_channel',
  'ratelimited',
  'invalid_auth',
  'expired_trigger_id',
];

/** The request that never answers: the local API drops it after holdMs (soak: the client's own 10-s timeout fires first). */
const HOLD_MS = soak(1_200, 30_000);

const FAULTS: Array<{ name: string; spec: Omit<FaultSpec, 'method'> }> = [
  { name: 'HTTP 500', spec: { kind: 'http500' } },
  { name: '429 Retry-After 30', spec: { kind: 'ratelimited429', retryAfter: 30 } },
  { name: `no answer (${HOLD_MS} ms, then dropped)`, spec: { kind: 'timeout', holdMs: HOLD_MS } },
  ...OK_FALSE.map((error) => ({ name: `ok:false ${error}`, spec: { kind: 'error' as const, error } })),
];

/** Methods that are steps of another: a fault on any step is a fault of the call. */
const STEPS: Record<string, string[]> = {
  filesUploadV2: ['files.getUploadURLExternal', 'file_upload', 'files.completeUploadExternal'],
};

interface Case {
  h: Harness;
  user: string;
  /** Unique words in whatever the person types: found in stored rows, never in logs. */
  tag: string;
  /** Response URLs Slack handed out for this person's requests. */
  urls: string[];
  statuses: number[];
  /** Where this case's log lines start. */
  logsFrom: number;
}

interface Outcome {
  /** The person saw their action succeed. */
  success: boolean;
  /** Entries the scenario is about, as stored now (undefined: the scenario stores none). */
  stored?: number;
  /** Messages that must arrive at most once (a nudge, an export file …). */
  sends?: number;
}

interface Scenario {
  name: string;
  /** Runs with the fault active; `setup` runs before the fault is added. */
  setup?: (c: Case) => Promise<unknown>;
  run: (c: Case, prepared: unknown) => Promise<void>;
  /** What the person sees once things settle. */
  outcome: (c: Case) => Outcome | Promise<Outcome>;
  /** The action completes whatever this call does (a best-effort call): the person must see success. */
  bestEffort?: boolean;
  /** Invariants of this scenario beyond the common ones. */
  check?: (c: Case, outcome: Outcome) => void | Promise<void>;
}

const posted = (c: Case) => c.urls.flatMap((u) => c.h.api.state.postsTo(u).map((p) => shown(p.body)));
const dmTexts = (c: Case) => {
  const dm = c.h.api.state.dmChannelId(c.user);
  return dm
    ? c.h.api.state.messages(dm).map((m) => `${m.text ?? ''}\n${JSON.stringify(m.blocks ?? [])}`)
    : [];
};
const told = (c: Case) => [...posted(c), ...dmTexts(c)].some((t) => t.includes(FAILURE_TEXT));
const entriesWith = async (c: Case) =>
  (await c.h.app.ctx.repos.evidence.list({ teamId: TEAM, userId: c.user }, { limit: 1000 })).entries.filter(
    (e) => e.text.includes(c.tag),
  ).length;
const openModal = (c: Case) => c.h.api.state.openModals(c.user).at(-1);
/** Log lines of this case that describe an error (describeError's `error` field). */
const explained = (c: Case) => c.h.logs.slice(c.logsFrom).filter((l) => /"error":\{/.test(l));
/** The fault cases' people live in Chicago (see addUser below). */
const today = () => localToday('America/Chicago');

function formValues(text: string): Record<string, unknown> {
  const f = (x: Record<string, unknown>) => ({ [ActionId.formValue]: x });
  return {
    [BlockId.evidenceText]: f({ type: 'plain_text_input', value: text }),
    [BlockId.evidenceDate]: f({ type: 'datepicker', selected_date: today() }),
  };
}

async function slash(c: Case, text: string): Promise<string> {
  const res = await c.h.sender.command({ userId: c.user, text });
  c.statuses.push(res.status);
  if (res.responseUrl) c.urls.push(res.responseUrl);
  return shown(res.json);
}

/** A nudge in the person's DM, sent with `/ladder nudge now` (no fault yet). */
async function nudgeInDm(c: Case): Promise<{ channel: string; ts: string }> {
  await slash(c, 'nudge now');
  const dm = await waitFor(() => c.h.api.state.dmChannelId(c.user));
  const message = await waitFor(() => c.h.api.state.messages(dm).find((m) => m.user === c.h.api.botUserId));
  return { channel: dm, ts: message.ts };
}

async function submitOpenModal(c: Case, text: string): Promise<void> {
  const modal = openModal(c);
  if (!modal) return;
  const res = await c.h.sender.viewSubmission({
    userId: c.user,
    view: modal.view as Record<string, unknown>,
    values: formValues(text),
  });
  c.statuses.push(res.status);
}

const logText: Scenario = {
  name: '/ladder log <text> by someone new (time zone read first)',
  run: async (c) => {
    await slash(c, `log Shipped the ${c.tag} migration`);
  },
  outcome: async (c) => ({
    success: posted(c).some((t) => t.includes(SAVED) && t.includes(c.tag)),
    stored: await entriesWith(c),
  }),
  bestEffort: true,
};

const logModal: Scenario = {
  name: '/ladder log alone opens the modal',
  run: async (c) => {
    await slash(c, 'log');
    await waitFor(() => openModal(c) || told(c), 15_000).catch(() => {});
    await submitOpenModal(c, `Ran the ${c.tag} review`);
  },
  outcome: async (c) => ({
    success: posted(c).some((t) => t.includes(SAVED) && t.includes(c.tag)),
    stored: await entriesWith(c),
  }),
};

const shortcut = (bestEffort: boolean): Scenario => ({
  name: 'Save as evidence on a message, then Save',
  run: async (c) => {
    const message = c.h.api.postAsUser({
      channel: 'C0GENERAL',
      user: 'U0BOB',
      text: `Alice led the ${c.tag} launch`,
    });
    const res = await c.h.sender.messageAction({
      userId: c.user,
      callbackId: ShortcutId.saveAsEvidence,
      channelId: 'C0GENERAL',
      message,
    });
    c.statuses.push(res.status);
    if (res.responseUrl) c.urls.push(res.responseUrl);
    await waitFor(() => openModal(c) || told(c), 15_000).catch(() => {});
    // Let the permalink lookup and the modal update finish (or fail) first.
    await waitFor(() => {
      const view = JSON.stringify(openModal(c)?.view ?? {});
      return (
        !openModal(c) ||
        view.includes('/archives/') ||
        view.includes('could not get a link') ||
        explained(c).length > 0
      );
    }, 30_000).catch(() => {});
    await submitOpenModal(c, `Alice led the ${c.tag} launch`);
  },
  outcome: async (c) => ({
    success: posted(c).some((t) => t.includes(SAVED) && t.includes(c.tag)),
    stored: await entriesWith(c),
  }),
  bestEffort,
});

const homeSave: Scenario = {
  name: 'App Home: Log a win, then Save (the Home is published again)',
  setup: async (c) => {
    const res = await c.h.sender.event({
      event: { type: 'app_home_opened', user: c.user, channel: c.h.api.openDm(c.user), tab: 'home' },
    });
    c.statuses.push(res.status);
    const home = await waitFor(() => c.h.api.state.homeViews.get(c.user));
    const press = await c.h.sender.blockActions({
      userId: c.user,
      actions: [{ action_id: ActionId.logWin, block_id: BlockId.homeActions }],
      view: home.view as Record<string, unknown>,
    });
    c.statuses.push(press.status);
    await waitFor(() => openModal(c));
  },
  run: async (c) => {
    await submitOpenModal(c, `Closed the ${c.tag} gap`);
  },
  outcome: async (c) => ({
    success:
      JSON.stringify(c.h.api.state.homeViews.get(c.user)?.view ?? {}).includes(c.tag) ||
      dmTexts(c).some((t) => t.includes(SAVED) && t.includes(c.tag)),
    stored: await entriesWith(c),
  }),
};

const homeOpened: Scenario = {
  name: 'opening the App Home',
  run: async (c) => {
    const res = await c.h.sender.event({
      event: { type: 'app_home_opened', user: c.user, channel: c.h.api.openDm(c.user), tab: 'home' },
    });
    c.statuses.push(res.status);
  },
  outcome: (c) => ({ success: c.h.api.state.homeViews.has(c.user) }),
};

const nudgeNow: Scenario = {
  name: '/ladder nudge now',
  run: async (c) => {
    await slash(c, 'nudge now');
  },
  outcome: (c) => {
    const dm = c.h.api.state.dmChannelId(c.user);
    const nudges = dm
      ? c.h.api.state
          .messages(dm)
          .filter((m) => m.user === c.h.api.botUserId && !m.text?.includes(FAILURE_TEXT))
      : [];
    return {
      success: posted(c).some((t) => t.includes('reflection question in our DM')),
      sends: nudges.length,
    };
  },
};

const nudgeSkip: Scenario = {
  name: "a nudge's Skip this week button",
  setup: (c) => nudgeInDm(c),
  run: async (c, prepared) => {
    const { channel, ts } = prepared as { channel: string; ts: string };
    const res = await c.h.sender.blockActions({
      userId: c.user,
      channelId: channel,
      message: { ts },
      actions: [{ action_id: ActionId.nudgeSkipWeek, block_id: BlockId.nudgeActions, value: 'skip' }],
    });
    c.statuses.push(res.status);
    if (res.responseUrl) c.urls.push(res.responseUrl);
    (c as Case & { nudge?: unknown }).nudge = prepared;
  },
  outcome: (c) => {
    const { channel, ts } = (c as Case & { nudge: { channel: string; ts: string } }).nudge;
    const blocks = JSON.stringify(c.h.api.state.message(channel, ts)?.blocks ?? []);
    return { success: !blocks.includes(ActionId.nudgeSkipWeek) };
  },
};

const nudgeReply: Scenario = {
  name: 'a thread reply to a nudge (saved, confirmed with a reaction)',
  setup: (c) => nudgeInDm(c),
  run: async (c, prepared) => {
    const { ts } = prepared as { channel: string; ts: string };
    const reply = c.h.api.postAsUser({ user: c.user, text: `Handed over the ${c.tag} rota`, thread_ts: ts });
    const res = await c.h.sender.event({ event: messageEvent(c.h.api, reply) });
    c.statuses.push(res.status);
  },
  // The reaction is the only confirmation; the entry is what must not be lost.
  outcome: async (c) => {
    const stored = await entriesWith(c);
    return { success: stored === 1, stored };
  },
  bestEffort: true,
};

const exportFile: Scenario = {
  name: '/ladder export md (uploads to the DM)',
  setup: async (c) => {
    await slash(c, `log Wrote the ${c.tag} plan`);
    await waitFor(async () => (await entriesWith(c)) === 1);
    await sleep(100);
  },
  run: async (c) => {
    await slash(c, 'export md');
  },
  outcome: (c) => {
    const dm = c.h.api.state.dmChannelId(c.user);
    const uploads = dm ? c.h.api.state.messages(dm).filter((m) => (m.files ?? []).length > 0) : [];
    return { success: posted(c).some((t) => t.includes('is in our DM')), sends: uploads.length };
  },
};

const forgetWithFiles: Scenario = {
  name: '/ladder forget, confirmed, after an export (files deleted first)',
  setup: async (c) => {
    await slash(c, `log Wrote the ${c.tag} plan`);
    await waitFor(async () => (await entriesWith(c)) === 1);
    await slash(c, 'export md');
    await waitFor(() => posted(c).some((t) => t.includes('is in our DM')), 10_000);
    await slash(c, 'forget');
  },
  run: async (c) => {
    const res = await c.h.sender.blockActions({
      userId: c.user,
      actions: [{ action_id: ActionId.forgetConfirm, block_id: BlockId.forgetActions, value: 'confirm' }],
    });
    c.statuses.push(res.status);
    if (res.responseUrl) c.urls.push(res.responseUrl);
  },
  outcome: (c) => ({
    success: posted(c).some((t) => t.includes('Ladder no longer holds anything about you')),
  }),
  // All or nothing: done means nothing is left; not done means the entry is still there to retry.
  check: async (c, outcome) => {
    const left = await countUserData(c.h.app.db, { teamId: TEAM, userId: c.user });
    if (outcome.success)
      expect(
        Object.values(left).every((n) => n === 0),
        JSON.stringify(left),
      ).toBe(true);
    else expect(left.evidence).toBe(1);
  },
};

/** For each method the code calls, the actions that make the call. */
const SCENARIOS: Record<string, Scenario[]> = {
  'users.info': [logText],
  'views.open': [logModal, shortcut(false)],
  'views.update': [shortcut(true)],
  'chat.getPermalink': [shortcut(true)],
  'views.publish': [homeSave, homeOpened],
  'chat.postMessage': [nudgeNow],
  'conversations.open': [nudgeNow],
  'chat.update': [nudgeSkip],
  'reactions.add': [nudgeReply],
  filesUploadV2: [exportFile],
  'files.delete': [forgetWithFiles],
};

/** Calls made once at start, before any person acts; their faults are tested where the start is. */
const AT_START: Record<string, string> = {
  'auth.test': 'tests/e2e/platform.test.ts: a refused token stops the start; a 500 is retried',
};

describe('fault injection: every Web API call the app makes', () => {
  it('has a fault case for every method the code calls (a new call without one fails here)', () => {
    expect(methodsCalledByCode().filter((m) => !(m in AT_START))).toEqual(Object.keys(SCENARIOS).sort());
  });
});

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

describe.concurrent.each(Object.entries(SCENARIOS))('%s failing', (method, scenarios) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it(`every fault, every action: stays up, answers, loses and repeats nothing, says so, logs one line`, {
    timeout: soak(180_000, 1_800_000),
  }, async () => {
    let n = 0;
    for (const scenario of scenarios) {
      for (const fault of FAULTS) {
        n += 1;
        const where = `${method} ${fault.name}, ${scenario.name}`;
        const user = `U0F${method
          .replace(/[^A-Za-z]/g, '')
          .toUpperCase()
          .slice(0, 8)}${n}`;
        h.api.addUser({ id: user, name: user.toLowerCase(), tz: 'America/Chicago' });
        const c: Case = {
          h,
          user,
          tag: `fx${n}${Math.random().toString(36).slice(2, 8)}`,
          urls: [],
          statuses: [],
          logsFrom: 0,
        };
        const prepared = await scenario.setup?.(c);
        c.logsFrom = h.logs.length;
        const faults = (STEPS[method] ?? [method]).map((m) => h.api.faults.add({ method: m, ...fault.spec }));
        try {
          await scenario.run(c, prepared);
          await waitFor(
            async () => (await scenario.outcome(c)).success || told(c),
            30_000 + HOLD_MS * 4,
          ).catch(() => {});
          // A best-effort call may still be failing (and retrying) after the person saw success.
          const fired = () => faults.reduce((a, f) => a + f.fired, 0);
          await waitFor(() => fired() > 0, 1_000).catch(() => {});
          if (fired() > 0) await waitFor(() => explained(c).length > 0, 30_000 + HOLD_MS * 4).catch(() => {});
          await sleep(150);
        } finally {
          for (const f of faults) f.remove();
        }
        const outcome = await scenario.outcome(c);
        const fired = faults.reduce((a, f) => a + f.fired, 0);

        expect(
          c.statuses.every((s) => s === 200),
          `${where}: HTTP ${c.statuses.join(',')}`,
        ).toBe(true);
        expect((await fetch(`http://127.0.0.1:${h.app.port}/healthz`)).status, `${where}: healthz`).toBe(200);
        expect(unhandled, `${where}: unhandled rejections`).toEqual([]);
        // The person knows: their action worked, or we said it did not.
        expect(outcome.success || told(c), `${where}: the person was left guessing`).toBe(true);
        expect(outcome.success && told(c), `${where}: told both "done" and "failed"`).toBe(false);
        if (scenario.bestEffort && fired > 0)
          expect(outcome.success, `${where}: a best-effort call failed the action`).toBe(true);
        if (outcome.stored !== undefined) {
          // Nothing lost, nothing twice: confirmed means stored once; a failure notice means nothing kept.
          expect(outcome.stored, `${where}: entries stored`).toBe(outcome.success ? 1 : 0);
        }
        if (outcome.sends !== undefined) expect(outcome.sends, `${where}: sent twice`).toBeLessThanOrEqual(1);
        const confirmations = [...posted(c), ...dmTexts(c)].filter(
          (t) => t.includes(SAVED) && t.includes(c.tag),
        );
        expect(confirmations.length, `${where}: confirmed twice`).toBeLessThanOrEqual(1);
        await scenario.check?.(c, outcome);

        const lines = h.logs.slice(c.logsFrom);
        for (const line of lines) expect(line, `${where}: user text in the log`).not.toContain(c.tag);
        if (fired > 0) {
          // One line explains the failure: the Slack error, status or code, with where it happened.
          expect(explained(c).length, `${where}: lines explaining the failure:\n${lines.join('\n')}`).toBe(1);
        }
      }
    }
  });
});
