import fs, { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildExport,
  type ExportData,
  ExportFormatError,
  type ExportSource,
  parseExport,
  renderJson,
} from '../../../../src/domain/export/json.ts';
import { UserFacingError } from '../../../../src/domain/types.ts';
import { expectGolden } from '../../../helpers/golden.ts';
import { EXPORT_SOURCE, TEAM, USER } from './packet-fixture.ts';

function errorOf(text: string): ExportFormatError {
  try {
    parseExport(text);
  } catch (error) {
    if (error instanceof ExportFormatError) return error;
    throw error;
  }
  throw new Error('expected parseExport to fail');
}

/** What `cli import` does, in memory: new database ids, reflections mapped to them. */
function importInto(data: ExportData, firstId: number, exportedAt: string): ExportSource {
  const dbId = (localId: number) => firstId + localId * 3;
  return {
    exportedAt,
    teamId: data.team_id,
    userId: data.user_id,
    profile: data.profile,
    nudgeSettings: data.nudgeSettings,
    dmChannel: data.dmChannel,
    entries: data.entries.map((e) => ({ ...e, id: dbId(e.id), teamId: data.team_id, userId: data.user_id })),
    reflections: data.reflections.map((r) => ({ ...r, entryId: dbId(r.entryId) })),
    nudgeLedger: data.nudgeLedger,
    nudgeHistory: data.nudgeHistory,
    digestSettings: data.digestSettings ?? null,
    digestLedger: data.digestLedger ?? [],
    exports: data.exports,
  };
}

describe('JSON export', () => {
  const data = buildExport(EXPORT_SOURCE);
  const json = renderJson(data);

  it('matches the reviewed golden file', () => {
    expectGolden('export.json', json);
  });

  it('numbers entries 1…N in date order and points reflections at those numbers', () => {
    expect(data.entries.map((e) => e.id)).toEqual(data.entries.map((_, i) => i + 1));
    const dates = data.entries.map((e) => e.occurredOn);
    expect(dates).toEqual([...dates].sort());
    for (const r of data.reflections) {
      expect(data.entries.find((e) => e.id === r.entryId)?.promptId).toBe(r.promptId);
    }
    expect(JSON.stringify(data)).not.toContain('"teamId"');
  });

  it('render → parse → render is identical', () => {
    expect(renderJson(parseExport(json))).toBe(json);
  });

  it('export → import elsewhere → export is identical apart from the export time', () => {
    const again = renderJson(buildExport(importInto(parseExport(json), 5000, '2027-01-01T00:00:00.000Z')));
    expect(again).toBe(
      json.replace('"exportedAt": "2026-05-31T09:00:00.000Z"', '"exportedAt": "2027-01-01T00:00:00.000Z"'),
    );
  });

  it('writes keys in the documented order whatever order the data has', () => {
    const shuffled = Object.fromEntries(Object.entries(data).reverse()) as ExportData;
    shuffled.entries = data.entries.map((e) => Object.fromEntries(Object.entries(e).reverse()) as typeof e);
    expect(renderJson(shuffled)).toBe(json);
    expect(json.endsWith('}\n')).toBe(true);
    expect(json.split('\n')[1]).toBe('  "format": "ladder-export",');
  });

  it('refuses to export an entry of another user', () => {
    const foreign = {
      ...(EXPORT_SOURCE.entries[0] as (typeof EXPORT_SOURCE.entries)[number]),
      userId: 'U0SOMEONE',
    };
    expect(() => buildExport({ ...EXPORT_SOURCE, entries: [...EXPORT_SOURCE.entries, foreign] })).toThrow(
      /does not belong/,
    );
  });

  it('the example in docs/export-format.md is a valid export', () => {
    const doc = fs.readFileSync(
      path.resolve(import.meta.dirname, '../../../../docs/export-format.md'),
      'utf8',
    );
    const example = /```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const parsed = parseExport(example ?? '');
    expect(parsed.team_id).toBe(TEAM);
    expect(parsed.user_id).toBe(USER);
  });
});

describe('parseExport', () => {
  const json = renderJson(buildExport(EXPORT_SOURCE));
  const mutate = (
    change: (raw: Record<string, unknown> & { entries: Array<Record<string, unknown>> }) => void,
  ) => {
    const raw = JSON.parse(json);
    change(raw);
    return JSON.stringify(raw);
  };

  it('reads files written before roles were kept (versions 1 and 3): nobody had chosen a role', () => {
    const v1 = readFileSync(new URL('../../../fixtures/export-v1.json', import.meta.url), 'utf8');
    expect(JSON.parse(v1).version).toBe(1);
    const data = parseExport(v1);
    expect(data.profile).toMatchObject({ level: 'tpm4', target: 'tpm5' });
    expect(data.profile?.levelRole ?? null).toBeNull();
    expect(data.profile?.targetRole ?? null).toBeNull();
    const v3 = JSON.parse(json);
    v3.version = 3;
    delete v3.profile.levelRole;
    delete v3.profile.targetRole;
    expect(parseExport(JSON.stringify(v3)).profile?.targetRole ?? null).toBeNull();
    // Version 4 carries the roles.
    const v4 = JSON.parse(json);
    v4.version = 4;
    delete v4.digestSettings;
    delete v4.digestLedger;
    expect(parseExport(JSON.stringify(v4)).profile).toMatchObject({
      levelRole: null,
      targetRole: 'lead-tpm',
    });
    // Version 5 carries the monthly digest.
    expect(JSON.parse(json)).toMatchObject({
      version: 5,
      profile: { levelRole: null, targetRole: 'lead-tpm' },
      digestSettings: { enabled: true },
      digestLedger: [{ month: '2026-05', state: 'sent' }],
    });
  });

  it('refuses a digest month given twice', () => {
    const twice = errorOf(
      mutate((raw) => {
        const ledger = raw.digestLedger as unknown[];
        ledger.push(ledger[0]);
      }),
    );
    expect(twice.message).toContain('digestLedger[1].month: duplicate month');
  });

  it('accepts a file saved with a byte-order mark', () => {
    expect(renderJson(parseExport(`\uFEFF${json}`))).toBe(json);
  });

  it('explains what is wrong, naming the place, in a message safe to show', () => {
    const notJson = errorOf('{"format": ');
    expect(notJson).toBeInstanceOf(UserFacingError);
    expect(notJson.message).toMatch(/^This file is not valid JSON/);

    expect(errorOf('[]').message).toBe('This file is not a Ladder export: expected a JSON object.');
    expect(errorOf('{"format":"other"}').message).toBe(
      'This file is not a Ladder export: "format" should be "ladder-export".',
    );
    expect(
      errorOf(
        mutate((raw) => {
          raw.version = 6;
        }),
      ).message,
    ).toBe('This export is format version 6, made by a newer Ladder; this one reads version 5.');

    const badDate = errorOf(
      mutate((raw) => {
        (raw.entries[3] as Record<string, unknown>).occurredOn = '2026-02-30';
      }),
    );
    expect(badDate.path).toBe('entries[3].occurredOn');
    expect(badDate.message).toBe(
      'This export is not valid: entries[3].occurredOn: expected a calendar date as YYYY-MM-DD.',
    );

    const badAxis = errorOf(
      mutate((raw) => {
        (raw.entries[0] as Record<string, unknown>).axes = ['charisma'];
      }),
    );
    expect(badAxis.message).toContain(
      'entries[0].axes[0]: expected one of technology, system, people, process, influence',
    );

    const extra = errorOf(
      mutate((raw) => {
        raw.password = 'x';
      }),
    );
    expect(extra.message).toContain('Unrecognized key: "password"');

    const dangling = errorOf(
      mutate((raw) => {
        (raw.reflections as Array<Record<string, unknown>>)[0] = {
          ...(raw.reflections as Array<Record<string, unknown>>)[0],
          entryId: 99,
        };
      }),
    );
    expect(dangling.path).toBe('reflections[0].entryId');
    expect(dangling.message).toContain('no entry has this id');

    const unsafeLink = errorOf(
      mutate((raw) => {
        (raw.entries[0] as Record<string, unknown>).link = 'javascript:alert(1)';
      }),
    );
    expect(unsafeLink.message).toContain('entries[0].link: expected an http(s) address');

    const tooLong = errorOf(
      mutate((raw) => {
        (raw.entries[0] as Record<string, unknown>).text = '🙌'.repeat(3001);
      }),
    );
    expect(tooLong.message).toContain('entries[0].text: expected at most 3000 characters');
    expect(() =>
      parseExport(
        mutate((raw) => {
          (raw.entries[0] as Record<string, unknown>).text = '🙌'.repeat(3000);
        }),
      ),
    ).not.toThrow();
  });

  it('lists at most three problems and counts the rest', () => {
    const many = errorOf(
      mutate((raw) => {
        for (const e of raw.entries) e.occurredOn = 'soon';
      }),
    );
    expect(many.message).toMatch(/\(and \d+ more\)\.$/);
  });
});
