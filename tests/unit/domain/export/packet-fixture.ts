/**
 * Fixed data for the renderers' golden-file tests: a TPM4 → TPM5 user whose entries carry every
 * kind of awkward text (emoji, quotes, commas, newlines, pipes, a formula, Markdown look-alikes,
 * backticks, HTML, a mention, a hostile link label).
 */
import type { ExportSource } from '../../../../src/domain/export/json.ts';
import type { PacketInput, PacketStep } from '../../../../src/domain/export/packet.ts';
import type { EvidenceEntry } from '../../../../src/domain/types.ts';

export const TEAM = 'T0LADDER1';
export const USER = 'U0ADA1234';

const step = (number: number, name: string, meaning: string): PacketStep => ({ number, name, meaning });

const SPECIALIZES = step(
  2,
  'Specializes',
  'The go-to person for some technologies, and keeps learning new ones.',
);
const DESIGNS = step(2, 'Designs', 'Designs medium and large features and pays down tech debt.');
const OWNS = step(3, 'Owns', 'Runs the system in production: operations, monitoring, knowing the SLAs.');
const COORDINATES = step(4, 'Coordinates', 'Coordinates the team, gives feedback and moderates discussions.');
const MANAGES = step(5, 'Manages', 'Looks after careers, expectations, performance and happiness.');
const DEFINES = step(
  5,
  'Defines',
  "Defines the process that fits the team's maturity, balancing agility and discipline.",
);
const MULTIPLE_TEAMS = step(3, 'Multiple Teams', 'Impact reaches other teams too.');
const COMPANY = step(4, 'Company', 'Impact reaches the whole tech organisation.');

let nextId = 100;
function entry(fields: Partial<EvidenceEntry> & Pick<EvidenceEntry, 'text' | 'occurredOn'>): EvidenceEntry {
  const id = nextId;
  nextId += 7;
  const createdAt = `${fields.occurredOn}T15:${String(id % 60).padStart(2, '0')}:00.000Z`;
  return {
    id,
    teamId: TEAM,
    userId: USER,
    axes: [],
    suggestedAxes: [],
    shift: null,
    scope: null,
    link: null,
    source: 'command',
    promptId: null,
    createdAt,
    updatedAt: createdAt,
    ...fields,
  };
}

const permalink = (ts: string) => `https://acme.slack.com/archives/C0PROGRAM1/p${ts}`;

export const ENTRIES: EvidenceEntry[] = [
  entry({
    occurredOn: '2025-06-12',
    text: 'Ran the cross-team launch review for Payments v2 with 4 teams; cut the slip risk by 2 weeks 🚀',
    axes: ['process', 'influence'],
    scope: 'multi-team',
    link: permalink('1749741000000100'),
  }),
  entry({
    occurredOn: '2025-07-03',
    text: 'Wrote the "on-call, escalation & SLA" runbook, adopted by SRE',
    axes: ['system'],
    suggestedAxes: ['process'],
    source: 'modal',
  }),
  entry({
    occurredOn: '2025-07-20',
    text: 'Mentored two new TPMs:\n- weekly 1:1s\n- shadowing on planning\n\n\nBoth now run their own programs',
    axes: ['people'],
    shift: 'enabling',
    source: 'reflection',
    promptId: 'enabling-hand-off',
  }),
  entry({
    occurredOn: '2025-08-05',
    text: 'Compared options | A | B | C for the data migration',
    axes: ['technology'],
  }),
  entry({
    occurredOn: '2025-09-09',
    text: '=HYPERLINK("http://evil.example","click me")',
    suggestedAxes: ['process'],
  }),
  entry({
    occurredOn: '2025-10-01',
    text: '# heading-looking entry about the 2026 roadmap',
    axes: ['influence'],
    scope: 'company',
    source: 'shortcut',
    link: permalink('1759320000000200'),
  }),
  entry({
    occurredOn: '2025-10-15',
    text: '> quote-looking note from the exec review',
    shift: 'systems-thinking',
  }),
  entry({
    occurredOn: '2025-11-11',
    text: 'Automated the `release-train` checklist with ```yaml``` templates',
    axes: ['process', 'technology'],
  }),
  entry({
    occurredOn: '2025-12-02',
    text: '+1 from the VP: "prevented the Q4 outage" <@U0123ABCD>',
    axes: ['system'],
    shift: 'preventing',
    source: 'reflection',
    promptId: 'preventing-early-signal',
    link: permalink('1764688000000300'),
  }),
  entry({
    occurredOn: '2026-01-20',
    text: '-5% incident rate after the new post-mortem cadence',
    axes: ['process'],
    shift: 'preventing',
  }),
  entry({
    occurredOn: '2026-02-14',
    text: 'Lunch & learn on [markdown](javascript:alert(1)), *bold* _tricks_ and <b>HTML</b> &amp; entities\n1. not a list',
    scope: 'team',
    link: 'https://wiki.example.com/lunch-and-learn?a=1&b=(2)',
  }),
  entry({
    occurredOn: '2026-03-03',
    text: '@channel heads-up: shipped the planning template, v1.2',
    source: 'home',
  }),
  entry({
    occurredOn: '2026-04-30',
    text: 'Coached Sam through their first QBR 🙌\r\nFeedback: "clear, calm, well prepared"',
    axes: ['people'],
    suggestedAxes: ['influence'],
    shift: 'enabling',
    source: 'reflection',
    promptId: 'enabling-hand-off',
  }),
  entry({
    occurredOn: '2026-04-30',
    text: '\tTab-started note about snake_case_names and a|b pipes',
    axes: ['technology'],
    source: 'import',
  }),
];

export const ENABLING_QUESTION = 'Which decision did you hand to someone else this month, and how did it go?';
export const PREVENTING_QUESTION = 'Which problem did you stop before it started?';

const byText = (prefix: string): EvidenceEntry => {
  const found = ENTRIES.find((e) => e.text.startsWith(prefix));
  if (found === undefined) throw new Error(`no fixture entry starts with ${prefix}`);
  return found;
};

export const PACKET: PacketInput = {
  user: { name: 'Ada Lovelace', teamId: TEAM, userId: USER },
  level: { id: 'tpm4', code: 'TPM4', title: 'Staff Engineer' },
  target: { id: 'tpm5', code: 'TPM5', title: 'Senior Staff Engineer' },
  period: { label: 'last 12 months', startDate: '2025-06-01', endDate: '2026-05-31' },
  generatedAt: '2026-05-31T09:00:00.000Z',
  axes: [
    { id: 'technology', name: 'Technology', currentStep: SPECIALIZES, targetStep: SPECIALIZES },
    { id: 'system', name: 'System', currentStep: DESIGNS, targetStep: OWNS },
    { id: 'people', name: 'People', currentStep: COORDINATES, targetStep: MANAGES },
    { id: 'process', name: 'Process', currentStep: DEFINES, targetStep: DEFINES },
    { id: 'influence', name: 'Influence', currentStep: MULTIPLE_TEAMS, targetStep: COMPANY },
  ],
  // Deliberately shuffled: renderers sort.
  entries: [...ENTRIES].reverse(),
  reflections: [
    {
      entryId: byText('Mentored').id,
      shift: 'enabling',
      shiftName: 'Doing → enabling',
      question: ENABLING_QUESTION,
    },
    {
      entryId: byText('Coached').id,
      shift: 'enabling',
      shiftName: 'Doing → enabling',
      question: ENABLING_QUESTION,
    },
    {
      entryId: byText('+1 from').id,
      shift: 'preventing',
      shiftName: 'Solving problems → preventing them',
      question: PREVENTING_QUESTION,
    },
    // Outside the period: ignored.
    { entryId: 9999, shift: 'enabling', shiftName: 'Doing → enabling', question: 'Not shown' },
  ],
  shifts: [
    { id: 'enabling', name: 'Doing → enabling' },
    { id: 'systems-thinking', name: 'Managing tasks → managing systems' },
    { id: 'preventing', name: 'Solving problems → preventing them' },
  ],
  scopes: [
    { id: 'subsystem', name: 'Subsystem' },
    { id: 'team', name: 'Team' },
    { id: 'multi-team', name: 'Multiple Teams' },
    { id: 'company', name: 'Company' },
    { id: 'community', name: 'Community' },
  ],
  gaps: [
    {
      axis: 'system',
      axisName: 'System',
      from: DESIGNS,
      to: OWNS,
      via: [],
      advice: 'Take charge of how the release behaves in production and follow its SLAs.',
      examples: ['Ran the operational review for payments.', 'Held the launch until the load test passed.'],
    },
    {
      axis: 'people',
      axisName: 'People',
      from: COORDINATES,
      to: MANAGES,
      via: [],
      advice: 'Talk with TPMs about their careers, agree expectations and give performance input.',
      examples: ['Wrote performance input for two TPMs.', 'Held career conversations with three TPMs.'],
    },
    {
      axis: 'influence',
      axisName: 'Influence',
      from: MULTIPLE_TEAMS,
      to: COMPANY,
      via: [],
      advice: 'Brief senior leaders on results and connect programs to business priorities.',
      examples: [
        'Briefed the VP on portfolio health.',
        'Set the sequencing of programs across three groups.',
      ],
    },
  ],
  competencies: [
    { axis: 'Technology', step: 'Specializes', meaning: SPECIALIZES.meaning },
    { axis: 'System', step: 'Owns', meaning: OWNS.meaning },
    { axis: 'People', step: 'Manages', meaning: MANAGES.meaning },
    { axis: 'Process', step: 'Defines', meaning: DEFINES.meaning },
    { axis: 'Influence', step: 'Company', meaning: COMPANY.meaning },
  ],
};

/** Everything the app keeps about the fixture user, as the repositories would hand it over. */
export const EXPORT_SOURCE: ExportSource = {
  exportedAt: '2026-05-31T09:00:00.000Z',
  teamId: TEAM,
  userId: USER,
  profile: {
    level: 'tpm4',
    levelRole: null,
    target: 'tpm5',
    targetRole: 'lead-tpm',
    tz: 'Europe/London',
    tzCheckedAt: '2026-05-30T08:00:00.000Z',
    createdAt: '2025-06-01T10:00:00.000Z',
    updatedAt: '2026-01-02T10:00:00.000Z',
  },
  nudgeSettings: {
    enabled: true,
    day: 5,
    minuteOfDay: 960,
    pausedThrough: null,
    skipWeek: '2026-W23',
    createdAt: '2025-06-01T10:05:00.000Z',
  },
  dmChannel: { channelId: 'D0ADA1234', cachedAt: '2026-05-01T10:00:00.000Z' },
  digestSettings: { enabled: true, effectiveFrom: '2026-02-01T10:00:00.000Z' },
  digestLedger: [
    {
      month: '2026-05',
      slotAt: '2026-05-04T15:00:00.000Z',
      state: 'sent',
      attempts: 0,
      nextAttemptAt: null,
      message: { channelId: 'D0ADA1234', ts: '1777906800.000300' },
    },
  ],
  entries: ENTRIES,
  reflections: [
    {
      entryId: byText('Mentored').id,
      promptId: 'enabling-hand-off',
      shift: 'enabling',
      week: '2025-W29',
      reply: { channelId: 'D0ADA1234', ts: '1753027200.000400' },
    },
    {
      entryId: byText('+1 from').id,
      promptId: 'preventing-early-signal',
      shift: 'preventing',
      week: '2025-W49',
      reply: null,
    },
    {
      entryId: byText('Coached').id,
      promptId: 'enabling-hand-off',
      shift: 'enabling',
      week: null,
      reply: { channelId: 'D0ADA1234', ts: '1777564800.000500' },
    },
  ],
  nudgeLedger: [
    {
      week: '2026-W22',
      slotAt: '2026-05-29T15:00:00.000Z',
      state: 'failed',
      attempts: 2,
      nextAttemptAt: '2026-05-29T15:20:00.000Z',
      promptId: 'systems-map-dependencies',
      message: null,
    },
    {
      week: '2025-W29',
      slotAt: '2025-07-18T15:00:00.000Z',
      state: 'sent',
      attempts: 0,
      nextAttemptAt: null,
      promptId: 'enabling-hand-off',
      message: { channelId: 'D0ADA1234', ts: '1752850800.000100' },
    },
  ],
  nudgeHistory: [
    {
      promptId: 'enabling-hand-off',
      sentAt: '2025-07-18T15:00:02.000Z',
      trigger: 'weekly',
      message: { channelId: 'D0ADA1234', ts: '1752850800.000100' },
    },
    {
      promptId: 'preventing-early-signal',
      sentAt: '2025-12-01T09:30:00.000Z',
      trigger: 'now',
      message: { channelId: 'D0ADA1234', ts: '1764581400.000200' },
    },
  ],
  exports: [
    { fileId: 'F0EXPORT02', kind: 'csv', createdAt: '2026-05-02T10:00:00.000Z' },
    { fileId: 'F0EXPORT01', kind: 'markdown', createdAt: '2026-05-01T10:00:00.000Z' },
  ],
};

/** A synthetic user with `n` entries, for timing. */
export function manyEntries(n: number): EvidenceEntry[] {
  const out: EvidenceEntry[] = [];
  for (let i = 0; i < n; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String((i % 12) + 1).padStart(2, '0');
    const template = ENTRIES[i % ENTRIES.length] as EvidenceEntry;
    out.push({ ...template, id: i + 1, occurredOn: `2025-${month}-${day}`, text: `${template.text} #${i}` });
  }
  return out;
}
