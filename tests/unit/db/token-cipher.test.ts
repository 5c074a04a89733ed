import { describe, expect, it } from 'vitest';
import { createTokenCipher, keyIdOf, TokenKeyError } from '../../../src/db/token-cipher.ts';

const KEY_A = Buffer.alloc(32, 1);
const KEY_B = Buffer.alloc(32, 2);
const TOKEN = 'xoxb-111-222-secretsecret';

describe('token cipher', () => {
  it('seals under the current key with a fresh nonce each time, and opens what it sealed', () => {
    const c = createTokenCipher({ current: KEY_A });
    const one = c.seal(TOKEN, 'T1');
    const two = c.seal(TOKEN, 'T1');
    expect(one.keyId).toBe(keyIdOf(KEY_A));
    expect(one.sealed).not.toBe(two.sealed);
    expect(one.sealed).not.toContain('xoxb');
    expect(Buffer.from(one.sealed, 'base64').toString('latin1')).not.toContain('secret');
    expect(c.open(one, 'T1')).toBe(TOKEN);
    expect(c.open(two, 'T1')).toBe(TOKEN);
  });

  it('names keys by a short hash that differs per key and does not show the key', () => {
    expect(keyIdOf(KEY_A)).toMatch(/^[0-9a-f]{12}$/);
    expect(keyIdOf(KEY_A)).not.toBe(keyIdOf(KEY_B));
    expect(KEY_A.toString('hex')).not.toContain(keyIdOf(KEY_A));
  });

  it('still opens rows of the previous key during a rotation, and refuses them after it', () => {
    const old = createTokenCipher({ current: KEY_A }).seal(TOKEN, 'T1');
    const rotating = createTokenCipher({ current: KEY_B, previous: KEY_A });
    expect(rotating.open(old, 'T1')).toBe(TOKEN);
    expect(rotating.seal(TOKEN, 'T1').keyId).toBe(keyIdOf(KEY_B));
    const after = createTokenCipher({ current: KEY_B });
    expect(() => after.open(old, 'T1')).toThrow(TokenKeyError);
    expect(() => after.open(old, 'T1')).toThrow(
      /neither LADDER_ENCRYPTION_KEY nor LADDER_ENCRYPTION_KEY_PREVIOUS/,
    );
  });

  it('refuses a value altered, or moved to another tenant', () => {
    const c = createTokenCipher({ current: KEY_A });
    const s = c.seal(TOKEN, 'T1');
    expect(() => c.open(s, 'T2')).toThrow(/does not decrypt/);
    const raw = Buffer.from(s.sealed, 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => c.open({ ...s, sealed: raw.toString('base64') }, 'T1')).toThrow(/does not decrypt/);
  });

  it('wants 32-byte keys', () => {
    expect(() => createTokenCipher({ current: Buffer.alloc(16) })).toThrow(/32 bytes/);
  });
});
