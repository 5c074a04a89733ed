import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encryption at rest of the Slack tokens of distribution mode: AES-256-GCM, a random 12-byte
 * nonce per sealing, the row's tenant id as additional data (a sealed value copied to another
 * tenant's row does not open), and the id of the key stored beside it. During a rotation the
 * previous key still opens rows sealed under it; `seal` always uses the current key.
 */

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface CipherKeys {
  current: Buffer;
  previous?: Buffer | undefined;
}

export interface Sealed {
  keyId: string;
  /** base64 of nonce ‖ tag ‖ ciphertext */
  sealed: string;
}

export class TokenKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenKeyError';
  }
}

/** A short, non-reversible name of a key: the first 12 hex digits of its SHA-256. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('ladder-token-key\u0000').update(key).digest('hex').slice(0, 12);
}

export interface TokenCipher {
  readonly currentKeyId: string;
  readonly previousKeyId: string | undefined;
  seal(plaintext: string, tenantId: string): Sealed;
  /** Throws TokenKeyError when neither key is the one named, or the value was altered. */
  open(value: Sealed, tenantId: string): string;
}

export function createTokenCipher(keys: CipherKeys): TokenCipher {
  for (const key of [keys.current, keys.previous]) {
    if (key && key.length !== 32) throw new TokenKeyError('an encryption key must be 32 bytes');
  }
  const byId = new Map<string, Buffer>();
  if (keys.previous) byId.set(keyIdOf(keys.previous), keys.previous);
  const currentKeyId = keyIdOf(keys.current);
  byId.set(currentKeyId, keys.current);

  return {
    currentKeyId,
    previousKeyId: keys.previous ? keyIdOf(keys.previous) : undefined,
    seal(plaintext, tenantId) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keys.current, nonce);
      cipher.setAAD(Buffer.from(tenantId, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const sealed = Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64');
      return { keyId: currentKeyId, sealed };
    },
    open(value, tenantId) {
      const key = byId.get(value.keyId);
      if (!key) {
        throw new TokenKeyError(
          `a stored installation is encrypted under key ${value.keyId}, which is neither LADDER_ENCRYPTION_KEY ` +
            'nor LADDER_ENCRYPTION_KEY_PREVIOUS',
        );
      }
      const raw = Buffer.from(value.sealed, 'base64');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES));
        decipher.setAAD(Buffer.from(tenantId, 'utf8'));
        decipher.setAuthTag(raw.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
        return Buffer.concat([
          decipher.update(raw.subarray(NONCE_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new TokenKeyError(
          `a stored installation under key ${value.keyId} does not decrypt (altered or moved)`,
        );
      }
    },
  };
}
