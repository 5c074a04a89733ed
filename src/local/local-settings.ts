import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';

/**
 * Local mode's own settings, kept beside its database as `<db>.local-mode.json` (0600): the OAuth
 * client, state secret and encryption key it runs distribution mode with, generated on first start
 * so that installs sealed in the database still open after a restart. Nothing here leaves the machine.
 */

const SettingsSchema = z.object({
  version: z.literal(1),
  clientId: z.string().min(1),
  clientSecret: z.string().min(16),
  signingSecret: z.string().min(16),
  stateSecret: z.string().min(32),
  /** LADDER_ENCRYPTION_KEY: 32 bytes, base64. */
  encryptionKey: z.string().min(40),
});

export type LocalModeSettings = z.infer<typeof SettingsSchema>;

export const settingsPathOf = (databasePath: string) => `${databasePath}.local-mode.json`;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

function generate(): LocalModeSettings {
  return {
    version: 1,
    clientId: `${randomBytes(4).readUInt32BE()}.${randomBytes(4).readUInt32BE()}`,
    clientSecret: hex(16),
    signingSecret: hex(16),
    stateSecret: hex(24),
    encryptionKey: randomBytes(32).toString('base64'),
  };
}

/** Reads the settings beside this database, or writes fresh ones; a damaged file is an error, never replaced. */
export function loadLocalModeSettings(databasePath: string): LocalModeSettings {
  // A database in memory forgets its installs on exit: its settings need not outlive it either.
  if (databasePath === ':memory:') return generate();
  const file = settingsPathOf(databasePath);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    const fresh = generate();
    fs.writeFileSync(file, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    return fresh;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const settings = SettingsSchema.safeParse(parsed);
  if (!settings.success) {
    throw new Error(
      `${file} is not a local-mode settings file this version wrote: move it away (the installs in the ` +
        'database then need adding again) or restore it.',
    );
  }
  return settings.data;
}
