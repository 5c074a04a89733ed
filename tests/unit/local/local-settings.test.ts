import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLocalModeSettings, settingsPathOf } from '../../../src/local/local-settings.ts';
import { tempDir } from '../../helpers/tmp.ts';

describe('local-mode settings beside the database', () => {
  it('generates them once, private to the user, and reads the same ones back', () => {
    const db = path.join(tempDir(), 'ladder.db');
    const first = loadLocalModeSettings(db);
    expect(Buffer.from(first.encryptionKey, 'base64')).toHaveLength(32);
    expect(fs.statSync(settingsPathOf(db)).mode & 0o777).toBe(0o600);
    expect(loadLocalModeSettings(db)).toEqual(first);
    expect(loadLocalModeSettings(path.join(tempDir(), 'other.db')).clientSecret).not.toBe(first.clientSecret);
  });

  it('refuses a damaged file instead of replacing it', () => {
    const db = path.join(tempDir(), 'ladder.db');
    fs.writeFileSync(settingsPathOf(db), '{"version":1}');
    expect(() => loadLocalModeSettings(db)).toThrow(/not a local-mode settings file/);
    expect(fs.readFileSync(settingsPathOf(db), 'utf8')).toBe('{"version":1}');
  });
});
