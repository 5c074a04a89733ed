import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { createRepositories } from '../../src/db/repositories.ts';
import { defaultNudgeSettings } from '../../src/domain/nudge-schedule.ts';
import { type LocalSlackApi, startLocalSlackApi } from '../../src/local/slack-api.ts';
import { spawnLadder } from '../helpers/child.ts';
import { createTestStorage, describeOnEngine, type TestStorage } from '../helpers/engine.ts';
import { BOT_TOKEN, manifestScopes, TEAM, USERS } from '../helpers/harness.ts';
import { run, sql } from '../helpers/tables.ts';

const alice = USERS[0]?.id as string; // New York: Friday 16:00 = 21:00Z
const bob = USERS[1]?.id as string; // Tokyo: Friday 16:00 = 07:00Z
const OPTED_IN = new Date('2027-01-04T12:00:00Z');

/**
 * `nudges run` killed (SIGKILL: no cleanup, no finally) at the two dangerous moments, then run
 * again: a nudge is never delivered twice.
 */
describeOnEngine('a nudge run killed mid-way never yields a duplicate', () => {
  let api: LocalSlackApi;
  let storage: TestStorage;
  let db: DatabaseHandle;
  let repos: ReturnType<typeof createRepositories>;

  const env = () => ({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: api.url,
    ...storage.env,
    NUDGE_SEND_RATE: '6000',
  });
  const delivered = (userId: string) =>
    api.state
      .messages(api.state.dmChannelId(userId) ?? '')
      .filter((m) => m.user === api.botUserId && m.text.startsWith('Weekly reflection')).length;
  const row = async (userId: string) =>
    await repos.nudges.ledgerRow({ teamId: TEAM, userId, weekKey: '2027-W01' });

  async function runInProcess(at: string) {
    let stdout = '';
    const code = await runCli(['nudges', 'run', '--at', at], {
      env: env(),
      stdout: (s) => {
        stdout += s;
      },
      stderr: () => {},
    });
    return { code, lines: stdout.split('\n').filter(Boolean) };
  }

  /**
   * A killed run's send lease runs a minute of real time (send leases follow the wall clock, not
   * `--at`); the test lets that minute pass at once.
   */
  async function endSendLeases() {
    await run(
      { database: db },
      sql`UPDATE send_leases SET expires_at = ${new Date(Date.now() - 1000).toISOString()}`,
    );
  }

  async function runAndCrash(at: string, crashAt: 'after-claim' | 'after-post') {
    const child = spawnLadder({ ...env(), LADDER_TEST_CRASH_AT: crashAt }, 'src/cli/index.ts', [
      'nudges',
      'run',
      '--at',
      at,
    ]);
    const exit = await child.exited;
    return { ...exit, output: child.output() };
  }

  beforeAll(async () => {
    api = await startLocalSlackApi({
      botToken: BOT_TOKEN,
      scopes: manifestScopes(),
      teamId: TEAM,
      users: USERS,
    });
    storage = await createTestStorage('nudges_crash');
    db = await storage.open();
    repos = createRepositories(db);
    for (const u of [USERS[0], USERS[1]]) {
      const owner = { teamId: TEAM, userId: u?.id as string };
      await repos.profiles.setTimeZone(owner, u?.tz ?? null, OPTED_IN);
      await repos.nudges.saveSettings(defaultNudgeSettings(owner, OPTED_IN), OPTED_IN);
    }
  });
  afterAll(async () => {
    await db.close();
    await api.close();
    await storage.drop();
  });

  it('killed between sending and sent (Slack had the message): never sent again', async () => {
    const exit = await runAndCrash('2027-01-08T07:00:00Z', 'after-post');
    expect(exit.signal, exit.output).toBe('SIGKILL');
    expect(delivered(bob)).toBe(1);
    expect(await row(bob)).toMatchObject({ state: 'sending' });

    const again = await runInProcess('2027-01-08T07:30:00Z');
    expect(again.lines).toEqual([`${TEAM} ${bob} failed 2027-01-08T16:00 unknown-outcome`]);
    const later = await runInProcess('2027-01-08T09:00:00Z');
    expect(later.lines).toEqual([`${TEAM} ${bob} failed 2027-01-08T16:00 unknown-outcome`]);
    expect(delivered(bob)).toBe(1);
    expect(await row(bob)).toMatchObject({ state: 'sending' });
  });

  it("while a killed run's send lease runs, a new run sends nothing there: due, sender-elsewhere", async () => {
    const held = await repos.sendLeases.holder(TEAM);
    expect(held?.owner).toMatch(/^cli:/);
    expect(held?.expiresAt.getTime()).toBeGreaterThan(Date.now());
    const run = await runInProcess('2027-01-08T21:00:00Z');
    expect(run.lines).toEqual([
      `${TEAM} ${alice} due 2027-01-08T16:00 sender-elsewhere`,
      `${TEAM} ${bob} failed 2027-01-08T16:00 unknown-outcome`,
    ]);
    expect(delivered(alice)).toBe(0);
    expect(await row(alice)).toBeUndefined();
  });

  it('killed between claim and send: the claim waits for its lease, then exactly one nudge goes out', async () => {
    await endSendLeases();
    const exit = await runAndCrash('2027-01-08T21:00:00Z', 'after-claim');
    expect(exit.signal, exit.output).toBe('SIGKILL');
    expect(delivered(alice)).toBe(0);
    expect(await row(alice)).toMatchObject({ state: 'claimed' });
    expect((await row(alice))?.leaseOwner).toMatch(/^cli:/);

    // Inside the dead run's lease a new run leaves the claim alone (it could be a live process').
    const soon = await runInProcess('2027-01-08T21:01:00Z');
    expect(soon.lines).toContain(`${TEAM} ${alice} due 2027-01-08T16:00 claimed`);
    expect(delivered(alice)).toBe(0);

    // Once the lease has run out, the claim is taken over and sent, once.
    await endSendLeases();
    const later = await runInProcess('2027-01-08T21:30:00Z');
    expect(later.lines).toContain(`${TEAM} ${alice} sent 2027-01-08T16:00`);
    await runInProcess('2027-01-08T22:00:00Z');
    expect(delivered(alice)).toBe(1);
    expect(delivered(bob)).toBe(1);
  });
});
