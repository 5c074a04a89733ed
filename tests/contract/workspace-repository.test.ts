import { describe, expect, it } from 'vitest';
import { createWorkspaceRepository } from '../../src/db/workspace-repository.ts';
import { ENGINES } from './engines.ts';

const now = new Date('2026-11-20T12:00:00.000Z');

describe.each(ENGINES)('workspace repository on $name', (engine) => {
  it('a tenant is active until uninstalled or revoked, and active again when it comes back', async () => {
    const r = createWorkspaceRepository(await engine.open());
    expect(await r.isWorkspaceActive('T1')).toBe(true);
    await r.markInactive('T1', 'uninstalled', now);
    expect(await r.isWorkspaceActive('T1')).toBe(false);
    expect(await r.isWorkspaceActive('T2')).toBe(true);
    await r.markInactive('T1', 'revoked', now);
    expect(await r.isWorkspaceActive('T1')).toBe(false);
    await r.markActive('T1', now);
    expect(await r.isWorkspaceActive('T1')).toBe(true);
  });
});
