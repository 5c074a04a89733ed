/**
 * Tag suggestions, issue 16 second round: the rule families added so the rules generalise beyond
 * the labelled wins (chores, misread word families, TPM vocabulary, at most two axes). Every line
 * here is written for this test, in wording the labelled files do not use.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildLadder, type LadderFileInput } from '../../../src/domain/ladder/build.ts';
import { formatProblem } from '../../../src/domain/ladder/model.ts';
import { compileSuggestionRules, type SuggestionRule, suggestTags } from '../../../src/domain/suggest.ts';
import { LADDER_DIR, realLadder } from '../../helpers/ladder.ts';

// The keyword rules alone: these families are what the rules know. The learned weights on top of
// them are held by suggest-model.test.ts and by the floors on the labelled wins.
const rules = { ...realLadder().suggestionRules, model: null };
const suggest = (text: string) => suggestTags(text, rules);
const NOTHING = { axes: [], scope: null, shift: null, matches: [] };

describe('chores get no suggestion', () => {
  it.each([
    // Each holds a word another rule would tag on its own.
    'Attended the town hall',
    'Watched the CEO’s quarterly update',
    'Completed the annual code of conduct training',
    'Submitted my expense claim for the summit',
    'Booked the hotel for the conference',
    'Rescheduled the standup to Thursday',
    'Read the engineering newsletter',
    'Dentist appointment, then worked from home',
    'Took the afternoon off after the offsite',
    'Out sick, missed the sprint review',
    'Got a new laptop from IT and set up my calendar',
    'Picked up lunch for the planning session',
    'Tidied up my notes from the retro',
    'Replied to the recruiter on LinkedIn',
    'Went to the all-hands',
    'Fire drill in the afternoon',
    'Joined a webinar on roadmaps',
    'Attended the QBR and the roadmap review',
    'Had my performance review with my manager',
    'Read a book on leadership',
    'Registered for the TPM summit',
    'Sat the mandatory anti-bribery course',
    'Updated my emergency contact details',
    'Declined a few meetings to get focus time',
    'Archived old Slack channels I no longer need',
    'Filled in the engagement survey',
    'Signed my contract renewal',
    'Renewed my conference badge',
    // Routine admin around the work, not the work.
    'Booked a room for the QBR',
    'Forwarded the deck to the team',
    'Added Sam to the Slack channel',
    'Sent the meeting invite for the project kickoff',
    'Sent out the meeting notes from planning',
    'Updated the wiki page for the retro',
  ])('%j', (text) => {
    expect(suggest(text)).toEqual(NOTHING);
  });

  it.each([
    ['Automated the expense approvals for all six teams', 'technology'],
    ['Attended the design review and flagged two risks in the failover plan', 'system'],
    ['Watched the error rate during the staged rollout and rolled back at 5%', 'system'],
    ['Booked the exec steering committee and presented the roadmap trade-offs', 'influence'],
    // Words of a chore only in the chore's own shape: tidying a RACI, recording videos, pre-flight.
    ['Tidied up the program RACI after the reorg', 'process'],
    ['Recorded onboarding videos for the new hires', 'people'],
    ['Built a wiki page that gets new TPMs productive in their first week', 'people'],
    ['Send a weekly stakeholder update the VP now forwards to her staff', 'influence'],
    ['Added a pre-flight check to the deploy pipeline', 'system'],
  ])('a chore word does not silence a win that outweighs it: %j', (text, axis) => {
    expect(suggest(text).axes).toContain(axis);
  });

  it.each([
    ['Shipped the password reset redesign to all users', 'process'],
    ['Launched the new expense tool to 2,000 employees with the finance team', 'process'],
    ['Ran the laptop refresh program for the whole engineering org', 'process'],
    ['Read the postmortem and found three action items that were never closed', 'system'],
    ['Scheduled the load tests before peak', 'system'],
    ['Replied to the customer escalation within the SLA', 'influence'],
    ['Updated the wiki with the new on-call runbook', 'system'],
    ['Took the old service off the critical path', 'process'],
    ['Set up a risk register for the payments migration', 'process'],
    ['Found three double-booked engineers across the programs', 'process'],
  ])('work on a chore’s topic is not a chore: %j', (text, axis) => {
    expect(suggest(text).axes).toContain(axis);
  });

  it('a chore rule may not name axes, a scope or a shift', () => {
    const files: LadderFileInput[] = readdirSync(LADDER_DIR)
      .filter((n) => n.endsWith('.yaml') && n !== 'prompts.yaml')
      .map((file) => ({ file, data: parse(readFileSync(path.join(LADDER_DIR, file), 'utf8')) }));
    const suggestions = files.find((f) => f.file === 'suggestions.yaml')?.data as {
      rules: { id: string; axes?: string[] }[];
    };
    const i = suggestions.rules.findIndex((r) => r.id === 'chores');
    (suggestions.rules[i] as { axes?: string[] }).axes = ['people'];
    const result = buildLadder(files);
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      `suggestions.yaml: rules[${i}].chore: a chore rule suggests nothing: give it no "axes", "scope" or "shift"`,
    ]);
  });
});

describe('word families that were misread', () => {
  it.each([
    ['markets are not marketing', 'Launched the app in nine new markets', 'influence'],
    ['data retention is not People', 'Cut log retention from 90 to 30 days', 'people'],
    ['removing hand-offs is not delegating', 'Removed three hand-offs from the release flow', 'people'],
    ['promotion readiness is not launch readiness', 'Drafted a promotion readiness guide', 'system'],
  ])('%s: %j', (_why, text, axis) => {
    expect(suggest(text).axes).not.toContain(axis);
  });

  it('a disagreement about code ownership is about people, not the code', () => {
    expect(suggest('Helped two engineers settle a disagreement about code ownership').axes).toEqual([
      'people',
    ]);
  });

  it.each([
    'Started one-on-ones with every engineer in the new squad',
    'Held 1-1s with each TPM',
    'Weekly 1-1 with Sam on his goals',
  ])('one-on-ones and 1-1s are 1:1s: %j', (text) => {
    expect(suggest(text).axes).toEqual(['people']);
  });

  it('a recurring 1:1 is not a recurring problem', () => {
    expect(suggest('Set up a recurring 1:1 with the design lead').shift).toBe(null);
    expect(suggest('Fixed the recurring timeout in the nightly export').shift).toBe('preventing');
  });

  it('removing hand-offs does not suggest enabling; handing off work does', () => {
    expect(suggest('Removed three hand-offs from the release flow').shift).toBe(null);
    expect(suggest('Handed off the launch checklist to Priya').shift).toBe('enabling');
  });
});

describe('TPM vocabulary in new wording', () => {
  it.each([
    ['Talked the identity team into owning the token service', 'influence', null],
    ['Lobbied the business units for a shared launch calendar', 'influence', null],
    ['Ran the build-vs-buy analysis for our feature flag service', 'technology', null],
    ['Compared four CI vendors on cost and build speed', 'technology', null],
    ['Moved the reporting jobs from cron to Airflow', 'technology', null],
    ['Renewed the TLS certificate process with the platform team', 'system', null],
    ['Ran a phased rollout of the new pricing page', 'system', null],
    ['Pre-empted the quota limit by raising it a month early', null, 'preventing'],
    ['Caught a schema change that would have broken billing', 'system', 'preventing'],
    ['Made the same mistake impossible with a pre-merge check', null, 'preventing'],
    ['Paired with the EMs on their first plans; next time they do it alone', null, 'enabling'],
    ['Set up an intake form for design requests', 'process', 'systems-thinking'],
    ['Rewrote our objectives and key results for the half', 'process', null],
    ['Rotated the release manager role so everyone can run a release', 'people', 'enabling'],
    ['Checked the new supplier’s security posture before signing', null, 'preventing'],
    ['Removed the single point of failure in the job scheduler', 'system', 'preventing'],
    ['Held stay interviews with two engineers at risk of leaving', 'people', null],
    ['Added a lint rule so the old client can’t be imported again', null, 'preventing'],
    ['Made the import job idempotent after it failed twice in a week', 'system', 'preventing'],
    ['Agreed a common launch definition for every program', null, 'systems-thinking'],
    ['Covered for a teammate on parental leave by running her program', 'people', null],
    ['Had a difficult conversation with an EM about missed dates', 'people', null],
    ['Kept the support leads informed through the outage', 'influence', null],
    ['Won the data team’s support for the new intake', 'influence', null],
    ['Wrote a script that flags Jira epics with no owner', 'technology', null],
    ['Moved the job queue to a managed service', 'system', null],
    ['Added an automatic rollback when error rates spike', 'system', 'preventing'],
    ['Kept a risk list for the data-centre exit', 'process', 'preventing'],
    ['Trusted Lina to make the scope calls and backed her choices', 'people', 'enabling'],
    ['Built a rota so the on-call lead role no longer sits with me', null, 'enabling'],
    ['Aligned the web and mobile release trains so features land together', null, 'systems-thinking'],
    ['Spotted the quota limit a month out and raised it', null, 'preventing'],
    ['Made dependency sign-off a step before any program kickoff', 'process', 'preventing'],
    ['Added contract tests after the third integration break', 'system', 'preventing'],
    ['Transferred ownership of the partner integration to the EM', 'people', 'enabling'],
    ['Set capacity limits so programs stop overcommitting the same teams', 'process', 'systems-thinking'],
    ['Fixed the handoff gap between design and engineering that kept causing rework', null, 'preventing'],
    ['Moved from doing the releases myself to reviewing the captain’s plan', null, 'enabling'],
  ] as const)('%s → %s, shift %s', (text, axis, shift) => {
    const result = suggest(text);
    if (axis) expect(result.axes).toContain(axis);
    expect(result.shift).toBe(shift);
  });
});

describe('at most two axes', () => {
  const rule = (id: string, axes: SuggestionRule['axes'], words: string[]): SuggestionRule => ({
    id,
    axes,
    scope: null,
    shift: null,
    words,
    except: [],
  });
  const three = compileSuggestionRules([
    rule('people', ['people'], ['mentor']),
    rule('process', ['process'], ['retro']),
    rule('system', ['system'], ['outage']),
  ]);

  it('keeps the two strongest: the lead, then the first named of equals', () => {
    expect(suggestTags('Mentored Sam through the outage retro', three).axes).toEqual(['system', 'people']);
  });

  it('keeps the stronger of two equals when a third counts more', () => {
    expect(suggestTags('Outage retro, a second outage, mentored Sam', three).axes).toEqual([
      'system',
      'process',
    ]);
  });
});
