import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findDueDigests, runDigestsOnce } from '../../src/scheduler/digest-run.ts';
import { bulkClientOptions } from '../../src/scheduler/scheduler.ts';
import { createDigestDm } from '../../src/slack/dm.ts';
import { describeOnEngine } from '../helpers/engine.ts';
import { BOT_TOKEN, type Harness, startHarness, TEAM, USERS } from '../helpers/harness.ts';

const [alice, bob, carol] = USERS.map((u) => u.id);
const SINCE = new Date('2026-12-01T00:00:00Z');
// Monday 1 February 2027, 23:00 UTC: every one of them is due (New York 18:00, Tokyo 08:00 the next
// day is past, UTC 23:00), all inside the late window.
const AT = new Date('2027-02-01T23:00:00Z');

/** A digest pass as the scheduler runs it: paced, paused by Retry-After, and stopped on shutdown. */
describeOnEngine('a digest pass: pacing, Retry-After and shutdown', () => {
  let h: Harness;
  const owners = [alice, bob, carol].map((userId) => ({ teamId: TEAM, userId: userId as string }));
  const dm = () =>
    createDigestDm(h.app.ctx, new WebClient(BOT_TOKEN, bulkClientOptions(h.api.url, h.app.ctx.logger)));
  const posts = () => h.api.calls.filter((c) => c.method === 'chat.postMessage' && c.outcome === 'ok');

  beforeAll(async () => {
    h = await startHarness({ now: () => AT });
    for (const o of owners) {
      await h.app.ctx.repos.profiles.setTimeZone(o, USERS.find((u) => u.id === o.userId)?.tz ?? null, SINCE);
      await h.app.ctx.repos.digests.setDigest(o, true, SINCE);
    }
  });
  afterAll(async () => {
    await h.close();
  });

  it('stopping mid-pass sends no more and releases the rest, which the next run sends at once', async () => {
    expect((await findDueDigests(h.app.ctx, AT)).decisions).toHaveLength(3);
    let stop = false;
    const first = runDigestsOnce(h.app.ctx, dm(), AT, {
      dryRun: false,
      leaseOwner: 'app:stopping',
      paceMs: 300,
      stopping: () => stop,
    });
    for (let i = 0; i < 100 && posts().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    stop = true;
    await first;
    expect(posts()).toHaveLength(1);
    const rows = (await Promise.all(owners.map((o) => h.app.ctx.repos.digests.digestLedgerOf(o)))).flat();
    expect(rows.filter((r) => r.state === 'sent')).toHaveLength(1);
    const released = rows.filter((r) => r.state === 'claimed');
    expect(released).toHaveLength(2);
    expect(released.every((r) => r.leaseExpiresAt === null)).toBe(true);

    const next = await runDigestsOnce(h.app.ctx, dm(), new Date(AT.getTime() + 60_000), {
      dryRun: false,
      leaseOwner: 'cli:next',
    });
    expect(next.map((l) => l.status)).toEqual(['sent', 'sent', 'sent']);
    expect(posts()).toHaveLength(3);
  });

  it('a 429 pauses the pass for Retry-After before the next digest', async () => {
    for (const o of owners) {
      await h.app.ctx.repos.digests.setDigest(o, false, AT);
      await h.app.ctx.repos.digests.setDigest(o, true, SINCE);
    }
    // March: Monday 1 March 2027, 23:00 UTC.
    const march = new Date('2027-03-01T23:00:00Z');
    h.api.faults.add({ method: 'chat.postMessage', kind: 'ratelimited429', retryAfter: 1, times: 1 });
    const before = posts().length;
    const t0 = Date.now();
    const lines = await runDigestsOnce(h.app.ctx, dm(), march, {
      dryRun: false,
      leaseOwner: 'app:429',
      paceMs: 10,
    });
    const elapsed = Date.now() - t0;
    expect(lines.map((l) => l.status).sort()).toEqual(['failed', 'sent', 'sent']);
    expect(lines.find((l) => l.status === 'failed')?.reason).toBe('ratelimited');
    expect(posts().length - before).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(1000);
  });
});
