/**
 * The builders of `/ladder summary`, `/ladder me`, `/ladder next` and the App Home: within Slack's
 * limits whatever the data, and saying what a user needs to read.
 */
import { describe, expect, it } from 'vitest';
import { periodRange } from '../../../../src/domain/period.ts';
import { resolveProfileLevels } from '../../../../src/domain/profile.ts';
import { summarise } from '../../../../src/domain/summary.ts';
import type { AxisId, EvidenceEntry } from '../../../../src/domain/types.ts';
import { checkView } from '../../../../src/local/block-limits.ts';
import { tagNames } from '../../../../src/slack/blocks/evidence.ts';
import {
  buildNext,
  buildNextNeedsLevel,
  buildProfile,
  buildProfileSaved,
  buildProfileUnknown,
} from '../../../../src/slack/blocks/profile.ts';
import { buildSummary } from '../../../../src/slack/blocks/summary.ts';
import { buildHome, type HomeSections } from '../../../../src/slack/home/blocks.ts';
import { ActionId } from '../../../../src/slack/ids.ts';
import { realLadder } from '../../../helpers/ladder.ts';
import { blockText, expectWellFormed } from './helpers.ts';

const ladder = realLadder();
const names = tagNames(ladder);
const levelIds = new Set(ladder.levels.map((l) => l.id));
const NOW = new Date('2026-03-20T12:00:00Z');
const AXES: AxisId[] = ['technology', 'system', 'people', 'process', 'influence'];

/** `n` entries spread over the last two years, long texts with mrkdwn and emoji. */
function manyEntries(n: number): EvidenceEntry[] {
  const out: EvidenceEntry[] = [];
  const start = Date.UTC(2024, 2, 21);
  for (let i = 0; i < n; i++) {
    const day = new Date(start + ((i * 7919) % 730) * 86_400_000).toISOString().slice(0, 10);
    out.push({
      id: i + 1,
      teamId: 'T1',
      userId: 'U1',
      text: `Win ${i} <@U123> *bold* & <script> 🎉 `.repeat(60).slice(0, 3000),
      occurredOn: day,
      axes: i % 3 === 0 ? [AXES[i % 5] as AxisId] : [],
      suggestedAxes: i % 3 === 1 ? [AXES[(i + 1) % 5] as AxisId] : [],
      shift: i % 4 === 0 ? 'enabling' : null,
      scope: null,
      link: null,
      source: 'command',
      promptId: null,
      createdAt: `${day}T10:00:00.000Z`,
      updatedAt: `${day}T10:00:00.000Z`,
    });
  }
  return out;
}

function summaryOf(entries: EvidenceEntry[], profile = { level: 'tpm4', target: 'tpm5' }) {
  const range = periodRange({ kind: 'rolling', n: 90, unit: 'd' }, NOW, 'America/New_York');
  return summarise({ entries, profile, ladder, range, now: NOW, tz: 'America/New_York' });
}

describe('buildSummary', () => {
  it('shows counts, steps, thin growth axes with a next step, weeks, months, shifts and recent', () => {
    const entries = manyEntries(40);
    const message = buildSummary(summaryOf(entries), names);
    expectWellFormed(message, levelIds);
    const text = blockText(message);
    expect(text).toContain('Your progress: last 90 days');
    expect(text).toContain('*People*');
    expect(text).toContain('Coordinates 4/5 → Manages 5/5');
    expect(text).toContain('Where to grow (TPM4 → TPM5)');
    expect(text).toMatch(/Weeks with evidence:\* \d+ of \d+/);
    expect(text).toContain('Sustained over months');
    expect(text).toContain('Doing → Enabling');
    expect(text).toContain('Most recent');
    expect(text).toContain('America/New_York');
  });

  it('flags thin axes and gives the suggestion from ladder-data', () => {
    const message = buildSummary(summaryOf([]), names);
    expectWellFormed(message, levelIds);
    const text = blockText(message);
    expect(text).toContain('thin (under 3)');
    // People, TPM4 → TPM5: the advice of Manages, the step aimed at.
    expect(text).toContain('_Next, for Manages:_');
    expect(text).toMatch(/Next, for Manages:_ [^\n]*careers[^\n]*expectations[^\n]*performance/);
    expect(text).not.toMatch(/Next, for Manages:_ [^\n]*mentor/i);
    expect(text).toContain('No evidence in this period yet');
    expect(message.text).toContain('Thin growth axes: System, People, Influence');
  });

  it('without a level, says how to set one', () => {
    const text = blockText(buildSummary(summaryOf([], { level: '', target: '' }), names));
    expect(text).toContain('/ladder me level tpm4 target lead');
  });

  it('stays within limits with 10,000 entries', () => {
    expectWellFormed(buildSummary(summaryOf(manyEntries(10_000)), names), levelIds);
  });
});

describe('profile builders', () => {
  it('shows the profile, or how to set it', () => {
    const empty = buildProfile(ladder, { level: null, target: null, tz: null });
    expect(blockText(empty)).toContain('/ladder me level tpm4 target lead');
    const set = buildProfile(ladder, { level: 'tpm4', target: 'tpm5', tz: 'Europe/Paris' });
    expectWellFormed(set, levelIds);
    expect(blockText(set)).toContain('TPM4 · Staff Engineer');
    expect(blockText(set)).toContain('TPM5 · Senior Staff Engineer');
    expect(blockText(set)).toContain('Europe/Paris');
  });

  it('names a chosen role first and says which position it is compared with, as an analogy', () => {
    const r = resolveProfileLevels(ladder, { level: 'tpm4', target: 'lead' });
    if (!r.ok) throw new Error('expected ok');
    const message = buildProfileSaved(r);
    expectWellFormed(message, levelIds);
    const text = blockText(message);
    expect(text).toContain('target *Lead TPM (compared with TPM5)*');
    expect(text).toMatch(/Lead TPM is a role: I keep it as you chose it, and compare it with \*TPM5\*/);
    expect(text).toContain('never says a Lead TPM has line reports or runs production systems');
    expect(message.text).toContain('Lead TPM (compared with TPM5)');
  });

  it('`senior`: says it was read as the Senior TPM role and offers TPM3 (Senior Engineer)', () => {
    const r = resolveProfileLevels(ladder, { level: 'senior', target: 'lead' });
    if (!r.ok) throw new Error('expected ok');
    const message = buildProfileSaved(r);
    expectWellFormed(message, levelIds);
    const text = blockText(message);
    expect(text).toContain('level *Senior TPM (compared with TPM4)*');
    expect(text).toContain('I read “senior” as the *Senior TPM* role.');
    expect(text).toContain("TPM3's public title is Senior Engineer.");
    expect(text).toContain('If you meant *TPM3 · Senior Engineer*: `/ladder me level tpm3`.');
    // Typing the role's full name is not ambiguous.
    const plain = resolveProfileLevels(ladder, { level: 'senior tpm', target: null });
    if (!plain.ok) throw new Error('expected ok');
    expect(blockText(buildProfileSaved(plain))).not.toContain('If you meant');
  });

  it('names the unknown level with suggestions and saves nothing', () => {
    const r = resolveProfileLevels(ladder, { level: 'tmp4', target: null });
    if (r.ok) throw new Error('expected unknown');
    const text = blockText(buildProfileUnknown(r));
    expect(text).toContain("I don't know the level “tmp4”");
    expect(text).toContain('`tpm4`');
    expect(text).toContain('Nothing was saved');
  });

  it('next: compares with the level above, or explains', () => {
    const tpm4 = ladder.levelsById.get('tpm4');
    const tpm6 = ladder.levelsById.get('tpm6');
    const senior = ladder.levelsById.get('senior-tpm');
    if (!tpm4 || !tpm6 || !senior) throw new Error('missing levels');
    const next = buildNext(ladder, tpm4, 'profile');
    expectWellFormed(next, levelIds);
    expect(blockText(next)).toContain('From your level, *TPM4*, to the next one up, *TPM5*');
    expect(blockText(buildNext(ladder, tpm6, 'profile'))).toContain('top of its ladder');
    expect(blockText(buildNext(ladder, senior, 'typed'))).toContain('Lead TPM');
    expect(blockText(buildNextNeedsLevel())).toContain('/ladder me level tpm4');
  });
});

describe('buildHome', () => {
  const home = (entries: EvidenceEntry[], sections: HomeSections = {}) => {
    const sorted = [...entries].sort((a, b) => (a.occurredOn < b.occurredOn ? 1 : -1));
    return buildHome(
      {
        ladder,
        profile: { level: 'tpm4', target: 'tpm5' },
        summary: summaryOf(entries),
        recent: sorted.slice(0, 5),
        total: entries.length,
        sections,
        notice: 'Entry deleted.',
        justSaved: sorted[0] as EvidenceEntry,
      },
      names,
    );
  };

  it('stays within the Home limits with 10,000 entries and every section at its largest', () => {
    const long = 'x'.repeat(5_000);
    const view = home(manyEntries(10_000), {
      nudges: { enabled: true, statusText: `nudge status ${long}`, day: 1, minuteOfDay: 540 },
      digest: { enabled: true, text: `digest status ${long}` },
      export: { chart: { fileId: 'F0CHART1', altText: `chart ${long}` } },
    });
    expect(checkView(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = JSON.stringify(view);
    expect(text).toContain('nudge status x');
    expect(text).toContain('digest status x');
    expect(text).toContain('Turn off the digest');
    expect(text).toContain('F0CHART1');
  });

  it('has the profile pickers, the glance, recent entries with Edit/Delete, Log a win and the slots', () => {
    const view = home(manyEntries(30));
    expect(checkView(view)).toEqual([]);
    const text = JSON.stringify(view);
    for (const id of [
      ActionId.logWin,
      ActionId.homeSetLevel,
      ActionId.homeSetTarget,
      ActionId.evidenceEdit,
      ActionId.evidenceDelete,
      ActionId.evidenceAccept,
    ])
      expect(text).toContain(id);
    expect(text).toContain('Where to grow (TPM4 → TPM5)');
    expect(text).toContain('Weekly reflection');
    expect(text).toContain('/ladder nudge on');
    expect(text).toContain('Export for your review');
    expect(text).toContain('"initial_option"');
    expect(text).toContain('Recent evidence (30)');
  });

  it('with no entries, invites the first one', () => {
    const view = home([]);
    expect(checkView(view)).toEqual([]);
    expect(JSON.stringify(view)).toContain('Nothing logged yet');
  });
});
