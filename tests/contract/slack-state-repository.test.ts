import { describe, expect, it } from 'vitest';
import { createSlackStateRepository } from '../../src/db/slack-state-repository.ts';
import { SLACK_LIMITS } from '../../src/slack-limits.ts';
import { ENGINES } from './engines.ts';

const alice = { teamId: 'T1', userId: 'U1' };
const bob = { teamId: 'T1', userId: 'U2' };
const now = new Date('2026-11-20T12:00:00.000Z');
const minutes = (m: number) => new Date(now.getTime() + m * 60_000);

describe.each(ENGINES)('Slack state repository on $name', (engine) => {
  const repo = async () => createSlackStateRepository(await engine.open());

  it('a pending view belongs to whoever opened it; another person cannot take it over', async () => {
    const r = await repo();
    const view = {
      viewId: 'V1',
      kind: 'evidence',
      responseUrl: 'https://hooks.example/1',
      entryId: null,
      message: { channelId: 'C1', ts: '1.1', text: 'the message' },
    };
    await r.rememberView(alice, view, now);
    expect(await r.findView(alice, 'V1')).toEqual(view);
    expect(await r.findView(bob, 'V1')).toBeUndefined();
    await r.rememberView(bob, { ...view, kind: 'stolen', message: null }, now);
    expect((await r.findView(alice, 'V1'))?.kind).toBe('evidence');
    await r.forgetView(bob, 'V1');
    expect(await r.findView(alice, 'V1')).toBeDefined();
    await r.forgetView(alice, 'V1');
    expect(await r.findView(alice, 'V1')).toBeUndefined();
  });

  it('a response URL is good for 5 uses within 30 minutes, for its owner only', async () => {
    const r = await repo();
    await r.noteResponseUrl(alice, 'https://hooks.example/a', now);
    for (let i = 0; i < SLACK_LIMITS.responseUrlUses; i++) {
      expect(await r.claimResponseUrl(alice, 'https://hooks.example/a', minutes(1))).toBe(true);
    }
    expect(await r.claimResponseUrl(alice, 'https://hooks.example/a', minutes(2))).toBe(false);
    await r.noteResponseUrl(alice, 'https://hooks.example/b', now);
    expect(await r.claimResponseUrl(bob, 'https://hooks.example/b', minutes(1))).toBe(false);
    expect(await r.claimResponseUrl(alice, 'https://hooks.example/b', minutes(31))).toBe(false);
  });

  it('prunes state older than a day and forgets a person', async () => {
    const r = await repo();
    await r.rememberView(alice, { viewId: 'Vold', kind: 'evidence', responseUrl: null, entryId: 7 }, now);
    await r.rememberView(
      alice,
      { viewId: 'Vnew', kind: 'evidence', responseUrl: null, entryId: 8 },
      minutes(24 * 60),
    );
    await r.noteResponseUrl(alice, 'https://hooks.example/old', now);
    await r.prune(minutes(24 * 60 + 1));
    expect(await r.findView(alice, 'Vold')).toBeUndefined();
    expect((await r.findView(alice, 'Vnew'))?.entryId).toBe(8);
    expect(await r.countOf(alice)).toEqual({ pending_views: 1, response_urls: 0 });
    expect(await r.deleteOf(alice)).toEqual({ pending_views: 1, response_urls: 0 });
  });
});
