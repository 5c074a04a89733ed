/**
 * The owner of a request and the person's other tenant in the same Grid org, from the signed body:
 * what `/ladder forget`, `nudge off` and Stop reach besides the request's own tenant.
 */
import { describe, expect, it } from 'vitest';
import {
  otherTenantOfCommand,
  otherTenantOfInteraction,
  ownerOfCommand,
  ownerOfInteraction,
} from '../../../src/slack/owner.ts';

const U = 'U0ALICE';

describe('slash commands', () => {
  it.each([
    {
      why: 'org-wide install: the tenant is the org, the other is the workspace',
      body: { team_id: 'T0A', user_id: U, enterprise_id: 'E0ORG', is_enterprise_install: 'true' },
      owner: 'E0ORG',
      other: ['T0A'],
    },
    {
      why: 'a Grid workspace’s own install: the tenant is the workspace, the other is the org',
      body: { team_id: 'T0A', user_id: U, enterprise_id: 'E0ORG', is_enterprise_install: 'false' },
      owner: 'T0A',
      other: ['E0ORG'],
    },
    {
      why: 'a workspace outside any org: no other tenant',
      body: { team_id: 'T0A', user_id: U, is_enterprise_install: 'false' },
      owner: 'T0A',
      other: [],
    },
  ])('$why', ({ body, owner, other }) => {
    expect(ownerOfCommand(body)).toEqual({ teamId: owner, userId: U });
    expect(otherTenantOfCommand(body)).toEqual(other.map((teamId) => ({ teamId, userId: U })));
  });
});

describe('interactions', () => {
  it.each([
    {
      why: 'org-wide install: the other is the user’s workspace',
      body: {
        user: { id: U, team_id: 'T0A' },
        team: { id: 'T0A' },
        enterprise: { id: 'E0ORG' },
        is_enterprise_install: true,
      },
      owner: 'E0ORG',
      other: ['T0A'],
    },
    {
      why: 'org-wide install without a team object: the user’s workspace still',
      body: {
        user: { id: U, team_id: 'T0A' },
        team: null,
        enterprise: { id: 'E0ORG' },
        is_enterprise_install: true,
      },
      owner: 'E0ORG',
      other: ['T0A'],
    },
    {
      why: 'a Grid workspace’s own install: the other is the org',
      body: { user: { id: U, team_id: 'T0A' }, team: { id: 'T0A' }, enterprise: { id: 'E0ORG' } },
      owner: 'T0A',
      other: ['E0ORG'],
    },
    {
      why: 'outside any org: none',
      body: { user: { id: U, team_id: 'T0A' }, team: { id: 'T0A' }, enterprise: null },
      owner: 'T0A',
      other: [],
    },
  ])('$why', ({ body, owner, other }) => {
    expect(ownerOfInteraction(body)).toEqual({ teamId: owner, userId: U });
    expect(otherTenantOfInteraction(body)).toEqual(other.map((teamId) => ({ teamId, userId: U })));
  });
});
