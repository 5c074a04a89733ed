import { describe, expect, it } from 'vitest';
import { createActiveTenants } from '../../../src/slack/listeners/events/workspace.ts';

describe('tenants known to be active', () => {
  it('are trusted until their expiry, and forgotten at once on an uninstall', () => {
    let now = 1_000;
    const active = createActiveTenants(30_000, () => now);
    expect(active.isKnownActive('T1')).toBe(false);
    active.remember('T1');
    now += 29_999;
    expect(active.isKnownActive('T1')).toBe(true);
    expect(active.isKnownActive('T2')).toBe(false);
    now += 1;
    expect(active.isKnownActive('T1')).toBe(false);
    active.remember('T1');
    active.forget('T1');
    expect(active.isKnownActive('T1')).toBe(false);
  });
});
