import { describe, expect, it } from 'vitest';
import { createEvidenceRepository, type NewEvidence } from '../../src/db/evidence-repository.ts';
import { ENGINES } from './engines.ts';

const alice = { teamId: 'T1', userId: 'U1' };
const bob = { teamId: 'T1', userId: 'U2' };
const now = new Date('2026-11-20T12:00:00.000Z');
const entry = (text: string, occurredOn = '2026-11-20', extra: Partial<NewEvidence> = {}): NewEvidence => ({
  text,
  occurredOn,
  axes: ['people'],
  shift: null,
  scope: null,
  link: null,
  source: 'command',
  ...extra,
});

describe.each(ENGINES)('evidence repository on $name', (engine) => {
  const repo = async () => createEvidenceRepository(await engine.open());

  it('returns the stored entry, lists and lists, each only to its owner', async () => {
    const r = await repo();
    const { entry: saved, duplicate } = await r.insert(
      alice,
      entry('Ran the launch review', '2026-11-19', {
        axes: ['process', 'people'],
        suggestedAxes: ['influence'],
        shift: 'enabling',
      }),
      now,
    );
    expect(duplicate).toBe(false);
    expect(saved).toMatchObject({
      text: 'Ran the launch review',
      axes: ['process', 'people'],
      suggestedAxes: ['influence'],
      shift: 'enabling',
      occurredOn: '2026-11-19',
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
    await r.insert(bob, entry("Bob's win"), now);
    expect(await r.get(alice, saved.id)).toEqual(saved);
    expect(await r.get(bob, saved.id)).toBeUndefined();
    expect(await r.count(alice)).toBe(1);
    const page = await r.list(alice, { limit: 10 });
    expect(page.total).toBe(1);
    expect(page.entries.map((e) => e.text)).toEqual(['Ran the launch review']);
  });

  it('a replayed delivery stores nothing twice and returns the first entry', async () => {
    const r = await repo();
    const first = await r.insert(alice, entry('Once'), now, 'delivery-1');
    const again = await r.insert(alice, entry('Once (replayed)'), now, 'delivery-1');
    expect(again.duplicate).toBe(true);
    expect(again.entry.id).toBe(first.entry.id);
    expect(again.entry.text).toBe('Once');
    expect(await r.count(alice)).toBe(1);
    expect((await r.countOf(alice)).deliveries).toBe(1);
  });

  it('pages newest first and searches case-insensitively', async () => {
    const r = await repo();
    await r.insert(alice, entry('Planned the Q3 roadmap', '2026-11-01'), now);
    await r.insert(alice, entry('Mentored Sam', '2026-11-10'), now);
    await r.insert(alice, entry('Unblocked the ROADMAP review', '2026-11-15'), now);
    const first = await r.list(alice, { limit: 2 });
    expect(first.entries.map((e) => e.occurredOn)).toEqual(['2026-11-15', '2026-11-10']);
    expect(first.total).toBe(3);
    const second = await r.list(alice, { limit: 2, offset: 2 });
    expect(second.entries.map((e) => e.occurredOn)).toEqual(['2026-11-01']);
    const found = await r.list(alice, { limit: 10, search: 'roadmap' });
    expect(found.total).toBe(2);
    expect(found.entries.map((e) => e.text)).toEqual([
      'Unblocked the ROADMAP review',
      'Planned the Q3 roadmap',
    ]);
  });

  it('updates only the fields given, deletes only its owner’s entry', async () => {
    const r = await repo();
    const { entry: saved } = await r.insert(alice, entry('Draft'), now);
    const later = new Date('2026-11-21T08:00:00.000Z');
    const updated = await r.update(alice, saved.id, { text: 'Final', axes: ['system'] }, later);
    expect(updated).toMatchObject({
      text: 'Final',
      axes: ['system'],
      occurredOn: '2026-11-20',
      updatedAt: later.toISOString(),
    });
    expect(await r.update(alice, saved.id, {}, later)).toEqual(updated);
    expect(await r.update(bob, saved.id, { text: 'Hijacked' }, later)).toBeUndefined();
    expect(await r.delete(bob, saved.id)).toBe(false);
    expect(await r.delete(alice, saved.id)).toBe(true);
    expect(await r.get(alice, saved.id)).toBeUndefined();
  });

  it('reads periods, active dates and shifts by local date', async () => {
    const r = await repo();
    await r.insert(alice, entry('a', '2026-11-01', { shift: 'enabling' }), now);
    await r.insert(alice, entry('b', '2026-11-01', { shift: 'preventing' }), now);
    await r.insert(alice, entry('c', '2026-11-05', { shift: 'enabling' }), now);
    expect((await r.inRange(alice, '2026-11-02', '2026-11-30')).map((e) => e.text)).toEqual(['c']);
    expect((await r.inRange(alice, null, '2026-11-30')).length).toBe(3);
    expect(await r.activeDates(alice, '2026-11-30')).toEqual(['2026-11-05', '2026-11-01']);
    expect(await r.countByShiftSince(alice, '2026-11-01')).toEqual({ enabling: 2, preventing: 1 });
    expect(await r.countByShiftSince(alice, '2026-11-02')).toEqual({ enabling: 1 });
  });

  it('the conversion job sees entries without readable text and stores theirs', async () => {
    const r = await repo();
    const { entry: pending } = await r.insert(
      alice,
      entry('Thanks <@U9>', '2026-11-20', { readable: false }),
      now,
    );
    expect((await r.get(alice, pending.id))?.converted).toBe(false);
    expect(await r.unconvertedCount()).toBe(1);
    const [job] = await r.unconverted(0, 10);
    expect(job).toMatchObject({ owner: alice, id: pending.id, originalText: 'Thanks <@U9>' });
    if (!job) throw new Error('nothing to convert');
    expect(await r.setReadable([{ entry: job, readableText: 'Thanks @Priya' }])).toBe(1);
    expect(await r.get(alice, pending.id)).toMatchObject({ text: 'Thanks @Priya', converted: true });
    expect(await r.unconvertedCount()).toBe(0);
  });

  it('finds an entry by the message it came from, and forgets a person', async () => {
    const r = await repo();
    const { entry: saved } = await r.insert(
      alice,
      entry('Reply', '2026-11-20', { channelId: 'D1', messageTs: '1.5' }),
      now,
      'k',
    );
    expect((await r.findByMessage(alice, 'D1', '1.5'))?.id).toBe(saved.id);
    expect(await r.findByMessage(bob, 'D1', '1.5')).toBeUndefined();
    expect(await r.deleteOf(alice)).toEqual({ evidence: 1, deliveries: 1 });
    expect(await r.countOf(alice)).toEqual({ evidence: 0, deliveries: 0 });
  });
});
