import { describe, expect, it } from 'vitest';
import { createDigestRepository } from '../../src/db/digest-repository.ts';
import { createEvidenceRepository } from '../../src/db/evidence-repository.ts';
import { createExportRepository } from '../../src/db/export-repository.ts';
import { createNudgeRepository } from '../../src/db/nudge-repository.ts';
import { createProfileRepository } from '../../src/db/profile-repository.ts';
import { createSlackStateRepository } from '../../src/db/slack-state-repository.ts';
import type { Store } from '../../src/db/store.ts';
import { createUserDataRepository, ImportConflictError } from '../../src/db/user-data.ts';
import { defaultNudgeSettings } from '../../src/domain/nudge-schedule.ts';
import { ENGINES } from './engines.ts';

const alice = { teamId: 'T1', userId: 'U1' };
const bob = { teamId: 'T1', userId: 'U2' };
const carol = { teamId: 'T2', userId: 'U3' };
const now = new Date('2026-11-20T12:00:00.000Z');

function repositories(store: Store) {
  const owners = {
    digests: createDigestRepository(store),
    evidence: createEvidenceRepository(store),
    exports: createExportRepository(store),
    nudges: createNudgeRepository(store),
    profiles: createProfileRepository(store),
    slackState: createSlackStateRepository(store),
  };
  return { ...owners, userData: createUserDataRepository(store, owners) };
}

/** A person with a row in most tables. */
async function fill(r: ReturnType<typeof repositories>, owner: typeof alice) {
  await r.profiles.setLevels(owner, { level: 'tpm4' }, now);
  await r.evidence.insert(
    owner,
    {
      text: 'Win',
      occurredOn: '2026-11-20',
      axes: [],
      shift: null,
      scope: null,
      link: null,
      source: 'command',
    },
    now,
    `k-${owner.userId}`,
  );
  await r.nudges.saveSettings(defaultNudgeSettings(owner, now), now);
  await r.nudges.cacheDmChannel(owner, 'D1', now);
  await r.exports.recordFile(owner, { fileId: 'F1', kind: 'csv', channelId: 'D1' }, now);
  await r.slackState.noteResponseUrl(owner, `https://hooks.example/${owner.userId}`, now);
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describe.each(ENGINES)("a person's data across the repositories on $name", (engine) => {
  it('forget deletes every row of the person and nobody else’s', async () => {
    const r = repositories(await engine.open());
    await fill(r, alice);
    await fill(r, bob);
    const bobBefore = await r.userData.count(bob);
    const deleted = await r.userData.deleteAll(alice);
    expect(deleted).toMatchObject({
      evidence: 1,
      deliveries: 1,
      profiles: 1,
      nudge_settings: 1,
      nudge_dm_channels: 1,
      exports: 1,
      response_urls: 1,
    });
    expect(total(await r.userData.count(alice))).toBe(0);
    expect(await r.userData.count(bob)).toEqual(bobBefore);
  });

  it('the export rows import into an empty account, and only into an empty one', async () => {
    const r = repositories(await engine.open());
    await fill(r, alice);
    const rows = await r.userData.rows(alice);
    expect(rows.entries.map((e) => e.text)).toEqual(['Win']);
    expect(rows.profile?.level).toBe('tpm4');
    expect(rows.nudgeSettings?.enabled).toBe(true);
    expect(rows.dmChannel).toEqual({ channelId: 'D1', cachedAt: now.toISOString() });
    const counts = await r.userData.importAll(
      carol,
      {
        ...rows,
        entries: rows.entries.map((e, i) => ({ ...e, ref: i + 1, readableText: e.text })),
        files: rows.files.map((f) => ({ fileId: f.fileId, kind: f.kind, createdAt: f.createdAt })),
      },
      now,
    );
    expect(counts).toEqual({ entries: 1, ledger: 0, history: 0, files: 1 });
    const copied = await r.userData.rows(carol);
    expect(copied.entries.map((e) => e.text)).toEqual(['Win']);
    expect(copied.profile).toEqual(rows.profile);
    await expect(
      r.userData.importAll(carol, { ...copied, entries: [], files: [] }, now),
    ).rejects.toBeInstanceOf(ImportConflictError);
    expect((await r.userData.rows(carol)).entries).toHaveLength(1);
  });
});
