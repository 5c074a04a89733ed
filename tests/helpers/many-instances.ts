/**
 * Several app processes (HTTP mode, PORT=0) on one database behind one local Slack API: the
 * scenario of tests/e2e/many-instances*.test.ts. The processes run on the real clock (no test
 * clock reaches a child process), so the people's weekly slot is set to the current minute and the
 * apps' own every-minute ticks find them due.
 */
import { expect } from 'vitest';
import { runCli } from '../../src/cli/index.ts';
import type { Repositories } from '../../src/db/repositories.ts';
import { defaultNudgeSettings, weekKeyAt } from '../../src/domain/nudge-schedule.ts';
import { createSignedSender, messageEvent, type SignedSender } from '../../src/local/signed-sender.ts';
import { type LocalSlackApi, startLocalSlackApi } from '../../src/local/slack-api.ts';
import { ActionId, BlockId, COMMAND } from '../../src/slack/ids.ts';
import { type ChildApp, spawnLadder } from './child.ts';
import { BOT_TOKEN, manifestScopes, SIGNING_SECRET, TEAM } from './harness.ts';

export interface Instance {
  child: ChildApp;
  port: number;
  pid: number;
  sender: SignedSender;
}

export interface Cluster {
  api: LocalSlackApi;
  people: Array<{ id: string; name: string; tz: string }>;
  instances: Instance[];
  repos: Repositories;
  /** The environment every process of the cluster gets (the database, the Slack API, the rate). */
  env: NodeJS.ProcessEnv;
  rate: number;
  close(): Promise<void>;
}

/** Resolves once `check` holds, polling; fails with `what` after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Seeds `count` people whose slot is the minute before now (UTC, opted in an hour ago), then
 * starts `instances` app processes on `databaseEnv` and waits for each to listen.
 */
export async function startCluster(o: {
  instances: number;
  count: number;
  rate: number;
  databaseEnv: NodeJS.ProcessEnv;
  repos: Repositories;
}): Promise<Cluster> {
  const people = Array.from({ length: o.count }, (_, i) => ({
    id: `U0M${String(i).padStart(4, '0')}`,
    name: `many${i}`,
    tz: 'UTC',
  }));
  const api = await startLocalSlackApi({
    botToken: BOT_TOKEN,
    scopes: manifestScopes(),
    teamId: TEAM,
    users: people,
  });
  const now = new Date();
  const slot = new Date(now.getTime() - 60_000);
  const optedIn = new Date(now.getTime() - 3_600_000);
  for (const p of people) {
    const owner = { teamId: TEAM, userId: p.id };
    await o.repos.profiles.setTimeZone(owner, 'UTC', now);
    await o.repos.nudges.saveSettings(
      {
        ...defaultNudgeSettings(owner, optedIn),
        tz: 'UTC',
        day: slot.getUTCDay(),
        minuteOfDay: slot.getUTCHours() * 60 + slot.getUTCMinutes(),
      },
      optedIn,
    );
  }
  const env: NodeJS.ProcessEnv = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: api.url,
    NUDGE_SEND_RATE: String(o.rate),
    LOG_LEVEL: 'info',
    ...o.databaseEnv,
  };
  const instances: Instance[] = [];
  for (let i = 0; i < o.instances; i++) {
    const child = spawnLadder({ ...env, PORT: '0' });
    const started = await child.waitForLog('ladder started', 30_000);
    const port = Number(started.port);
    instances.push({
      child,
      port,
      pid: child.proc.pid as number,
      sender: createSignedSender({
        appUrl: `http://127.0.0.1:${port}/slack/events`,
        signingSecret: SIGNING_SECRET,
        api,
        command: COMMAND,
        teamId: TEAM,
      }),
    });
  }
  return {
    api,
    people,
    instances,
    repos: o.repos,
    env,
    rate: o.rate,
    async close() {
      for (const i of instances) i.child.proc.kill('SIGKILL');
      await Promise.all(instances.map((i) => i.child.exited));
      await api.close();
    },
  };
}

/** The weekly nudges Slack accepted, per person (chat.postMessage calls at the local API). */
export function nudgesPerPerson(c: Cluster): Map<string, number[]> {
  const byChannel = new Map<string, string>();
  for (const p of c.people) {
    const ch = c.api.state.dmChannelId(p.id);
    if (ch) byChannel.set(ch, p.id);
  }
  const out = new Map<string, number[]>();
  for (const call of c.api.calls) {
    if (call.method !== 'chat.postMessage' || call.outcome !== 'ok') continue;
    const text = String(call.params.text ?? '');
    if (!text.startsWith('Weekly reflection')) continue;
    const who = byChannel.get(String(call.params.channel));
    if (!who) continue;
    out.set(who, [...(out.get(who) ?? []), call.at]);
  }
  return out;
}

/** The most nudges Slack accepted within any 60 seconds (counting both ends of the window). */
export function busiestMinute(c: Cluster): number {
  const times = [...nudgesPerPerson(c).values()].flat().sort((a, b) => a - b);
  let most = 0;
  let from = 0;
  for (let to = 0; to < times.length; to++) {
    while ((times[to] as number) - (times[from] as number) > 60_000) from += 1;
    most = Math.max(most, to - from + 1);
  }
  return most;
}

/** `ladder nudges run [--at]` in this process, against the cluster's database and Slack API. */
export async function nudgesRun(c: Cluster, at?: Date): Promise<string[]> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['nudges', 'run', ...(at ? ['--at', at.toISOString()] : [])], {
    env: { ...c.env },
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
  });
  // 1 when a line says failed (the nudge in flight at a kill: unknown outcome, never resent).
  expect(code === 0 || (code === 1 && stdout.includes(' failed ')), stderr).toBe(true);
  return stdout.split('\n').filter(Boolean);
}

/** The process id in a lease owner (`app:<host>:<pid>:<random>`). */
export const pidOfOwner = (owner: string | undefined): number => Number(owner?.split(':')[2]);

/** Commands round-robin over the instances: each answers, and each entry is stored once. */
export async function requestsSpread(c: Cluster, n: number): Promise<number[]> {
  const answered = c.instances.map(() => 0);
  for (let i = 0; i < n; i++) {
    const k = i % c.instances.length;
    const who = c.people[i]?.id as string;
    const res = await (c.instances[k] as Instance).sender.command({
      userId: who,
      text: `log Win ${i} on ${k}`,
    });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.json)).toContain(`Win ${i} on ${k}`);
    answered[k] = (answered[k] ?? 0) + 1;
    expect(await c.repos.evidence.count({ teamId: TEAM, userId: who })).toBe(1);
  }
  return answered;
}

/** Logged on one instance, undone on the next: the Undo's entry and response URL live in the database. */
export async function logHereUndoThere(c: Cluster, who: string): Promise<void> {
  const [a, b] = c.instances as [Instance, Instance];
  const owner = { teamId: TEAM, userId: who };
  const before = await c.repos.evidence.count(owner);
  await a.sender.command({ userId: who, text: 'log An entry to undo elsewhere' });
  const { entries } = await c.repos.evidence.list(owner, { limit: 100 });
  const id = entries.find((e) => e.text === 'An entry to undo elsewhere')?.id;
  expect(id).toBeDefined();
  const undo = await b.sender.blockActions({
    userId: who,
    actions: [{ action_id: ActionId.evidenceUndo, block_id: BlockId.evidenceActions, value: String(id) }],
  });
  expect(JSON.stringify((await b.sender.waitForResponse(undo.responseUrl as string)).body)).toContain(
    'Removed',
  );
  expect(await c.repos.evidence.count(owner)).toBe(before);
}

/**
 * A reply in the thread of `who`'s nudge, delivered once to each instance at the same time (the
 * first try, then Slack's retries with the same event_id): one entry.
 */
export async function retriedEventToEach(c: Cluster, who: string, eventId: string): Promise<void> {
  const channel = c.api.state.dmChannelId(who) as string;
  const nudge = c.api.state
    .messages(channel)
    .find((m) => m.user === c.api.botUserId && m.text.startsWith('Weekly reflection'));
  expect(nudge, 'the person has a nudge to reply to').toBeDefined();
  const owner = { teamId: TEAM, userId: who };
  const before = await c.repos.evidence.count(owner);
  const reply = c.api.postAsUser({
    user: who,
    text: 'Unblocked the launch review',
    thread_ts: nudge?.ts as string,
  });
  const event = messageEvent(c.api, reply);
  const answers = await Promise.all(
    c.instances.map((inst, k) =>
      inst.sender.event({
        event,
        eventId,
        ...(k > 0 ? { retryNum: k, retryReason: 'http_timeout' } : {}),
      }),
    ),
  );
  for (const a of answers) expect(a.status).toBe(200);
  await until(async () => (await c.repos.evidence.count(owner)) > before, 10_000, 'the reply to be stored');
  await new Promise((r) => setTimeout(r, 500));
  expect(await c.repos.evidence.count(owner)).toBe(before + 1);
}

/** `/ladder forget` asked on one instance and confirmed on another. */
export async function forgetAcross(who: string, ask: Instance, confirm: Instance): Promise<void> {
  const asked = await ask.sender.command({ userId: who, text: 'forget' });
  expect(JSON.stringify(asked.json)).toContain(ActionId.forgetConfirm);
  const res = await confirm.sender.blockActions({
    userId: who,
    actions: [{ action_id: ActionId.forgetConfirm, block_id: BlockId.forgetActions, value: 'forget' }],
  });
  expect(res.status).toBe(200);
  await confirm.sender.waitForResponse(res.responseUrl as string, { timeoutMs: 10_000 });
}

/**
 * The nudging proof: every scheduler ticks on its own, one instance holds the workspace's send
 * lease and sends; a concurrent `nudges run` prints `sender-elsewhere`; the sender is killed
 * (SIGKILL) mid-send, a survivor takes its lease over within 2 minutes and sends what was still
 * unclaimed; a later `nudges run --at` (the existing clock control) retries the dead instance's
 * claims once their claim lease has run out. Nobody is nudged twice; nobody is left out but the
 * nudge that was in flight at the kill (left in `sending`, never resent: at most once).
 */
export async function nudgeThroughKill(
  c: Cluster,
  o: { killAfterPosts: number; onEventRetries: (who: string) => Promise<void>; logOnVictim: number },
): Promise<{ figures: Record<string, number>; victim: Instance; survivors: Instance[] }> {
  const t0 = Date.now();
  const killed = await sendThenKill(c, o);
  const { victim, survivors } = killed;
  const takeover = await awaitTakeover(c, killed);
  const final = await retryDeadClaims(c, killed);
  const counts = nudgesPerPerson(c);
  const twice = [...counts].filter(([, t]) => t.length > 1).map(([u]) => u);
  expect(twice, 'people nudged more than once').toEqual([]);
  const never = c.people.filter((p) => !counts.has(p.id)).map((p) => p.id);
  // The one in flight at the kill may be unsent: left in 'sending', never resent.
  for (const who of never) expect(final.find((r) => r.userId === who)?.state).toBe('sending');
  expect(never.length).toBeLessThanOrEqual(1);
  const sending = final.filter((r) => r.state === 'sending').length;
  expect(final.filter((r) => r.state === 'sent').length).toBe(c.people.length - sending);
  for (const who of killed.confirmed)
    expect(await c.repos.evidence.count({ teamId: TEAM, userId: who })).toBe(1);
  const busiest = busiestMinute(c);
  expect(busiest).toBeLessThanOrEqual(c.rate + 1);
  return {
    victim,
    survivors,
    figures: {
      people: c.people.length,
      rate: c.rate,
      firstSendAfterMs: killed.firstAt - t0,
      cliSenderElsewhereLines: killed.elsewhere,
      postedAtKill: killed.postedAtKill,
      takeoverMs: takeover.takeoverMs,
      postedAfterTakeover: takeover.postedAfterTakeover,
      postedTotal: posted(c),
      leftInSending: sending,
      nudgedTwice: twice.length,
      busiestMinute: busiest,
    },
  };
}

/** Every weekly nudge Slack accepted so far. */
const posted = (c: Cluster) => [...nudgesPerPerson(c).values()].reduce((n, t) => n + t.length, 0);

interface Killed {
  victim: Instance;
  survivors: Instance[];
  firstAt: number;
  killedAt: number;
  postedAtKill: number;
  /** `due … sender-elsewhere` lines of the concurrent `nudges run`. */
  elsewhere: number;
  /** People whose entry the victim confirmed before it died. */
  confirmed: string[];
}

/**
 * Waits for the first nudges, runs `nudges run` beside them, has the sending instance confirm a
 * few entries and every instance take one retried event, then kills the sender (SIGKILL).
 */
async function sendThenKill(
  c: Cluster,
  o: { killAfterPosts: number; onEventRetries: (who: string) => Promise<void>; logOnVictim: number },
): Promise<Killed> {
  await until(() => posted(c) > 0, 120_000, 'the first tick to send');
  const firstAt = Date.now();
  const holder = await c.repos.sendLeases.holder(TEAM);
  const victim = c.instances.find((i) => i.pid === pidOfOwner(holder?.owner)) as Instance;
  expect(victim, `the lease holder ${holder?.owner} is one of the instances`).toBeDefined();

  // A concurrent `nudges run`: the workspace's sender is elsewhere, so it sends nothing there.
  const lines = await nudgesRun(c);
  const elsewhere = lines.filter((l) => / due \S+ sender-elsewhere$/.test(l)).length;
  expect(elsewhere, lines.join('\n')).toBeGreaterThan(0);
  expect(lines.filter((l) => / (claimed|sending)$/.test(l)).length).toBeGreaterThan(0);

  const confirmed = c.people.slice(-o.logOnVictim).map((p) => p.id);
  for (const who of confirmed) {
    const res = await victim.sender.command({ userId: who, text: 'log Confirmed before the crash' });
    expect(JSON.stringify(res.json)).toContain('Confirmed before the crash');
  }
  await o.onEventRetries([...nudgesPerPerson(c).keys()][0] as string);

  await until(() => posted(c) >= o.killAfterPosts, 120_000, `${o.killAfterPosts} nudges`);
  victim.child.proc.kill('SIGKILL');
  const killedAt = Date.now();
  await victim.child.exited;
  const survivors = c.instances.filter((i) => i !== victim);
  return { victim, survivors, firstAt, killedAt, postedAtKill: posted(c), elsewhere, confirmed };
}

/** A survivor holds the lease within 2 minutes and sends the nudges still unclaimed. */
async function awaitTakeover(
  c: Cluster,
  k: Killed,
): Promise<{ takeoverMs: number; postedAfterTakeover: number }> {
  await until(
    async () => {
      const pid = pidOfOwner((await c.repos.sendLeases.holder(TEAM))?.owner);
      return k.survivors.some((s) => s.pid === pid);
    },
    130_000,
    'a survivor to take the send lease over',
  );
  const takeoverMs = Date.now() - k.killedAt;
  const ledger = () => c.repos.nudges.ledgerSince(weekKeyAt(new Date(), 'UTC'));
  await until(async () => (await ledger()).length === c.people.length, 120_000, 'a ledger row for everyone');
  await until(
    async () =>
      (await ledger()).every((r) => r.state !== 'claimed' || pidOfOwner(r.leaseOwner ?? '') === k.victim.pid),
    120_000,
    "the survivors' sends",
  );
  return { takeoverMs, postedAfterTakeover: posted(c) };
}

/**
 * The dead instance's claims wait for their claim lease: once the survivors have handed the send
 * lease back, `nudges run --at` 20 minutes on (the existing clock control) retries them. Returns
 * the ledger after it.
 */
async function retryDeadClaims(c: Cluster, k: Killed) {
  await until(
    async () => {
      const h = await c.repos.sendLeases.holder(TEAM);
      return !h || h.expiresAt.getTime() <= Date.now();
    },
    60_000,
    'the survivors to hand the send lease back',
  );
  const retried = await nudgesRun(c, new Date(Date.now() + 20 * 60_000));
  const tally: Record<string, number> = {};
  for (const l of retried) {
    const status = l.split(' ').slice(2, 3).concat(l.split(' ').slice(4)).join(' ');
    tally[status] = (tally[status] ?? 0) + 1;
  }
  process.stderr.write(
    `many-instances: victim ${k.victim.pid}; the retry run's lines: ${JSON.stringify(tally)}\n`,
  );
  return await c.repos.nudges.ledgerSince(weekKeyAt(new Date(), 'UTC'));
}

/** `/ladder log` alone on one instance opens the modal; its submission lands on another. */
export async function modalHereSubmitThere(c: Cluster, who: string): Promise<void> {
  const [a, b] = c.instances as [Instance, Instance];
  const owner = { teamId: TEAM, userId: who };
  const before = await c.repos.evidence.count(owner);
  await a.sender.command({ userId: who, text: 'log' });
  await until(() => c.api.state.openModals(who).length > 0, 10_000, 'the log modal');
  const view = c.api.state.openModals(who).at(-1)?.view as Record<string, unknown>;
  const f = (x: Record<string, unknown>) => ({ [ActionId.formValue]: x });
  const none = { type: 'static_select', selected_option: null };
  const res = await b.sender.viewSubmission({
    userId: who,
    view,
    values: {
      [BlockId.evidenceText]: f({ type: 'plain_text_input', value: 'Submitted on another instance' }),
      [BlockId.evidenceDate]: f({ type: 'datepicker', selected_date: new Date().toISOString().slice(0, 10) }),
      [BlockId.evidenceAxes]: f({ type: 'multi_static_select', selected_options: [] }),
      [BlockId.evidenceShift]: f(none),
      [BlockId.evidenceScope]: f(none),
      [BlockId.evidenceLink]: f({ type: 'url_text_input', value: null }),
    },
  });
  expect(res.status).toBe(200);
  await until(async () => (await c.repos.evidence.count(owner)) > before, 10_000, 'the submitted entry');
  const { entries } = await c.repos.evidence.list(owner, { limit: 100 });
  expect(entries.filter((e) => e.text === 'Submitted on another instance')).toHaveLength(1);
  expect(await c.repos.evidence.count(owner)).toBe(before + 1);
}
