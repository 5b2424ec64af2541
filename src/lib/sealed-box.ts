import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets at rest: AES-256-GCM under a key derived (HKDF-SHA256) from the instance secret key
 * and a purpose, bound to the row they belong to (associated data), so a sealed value copied
 * onto another row does not open, and a value sealed for one purpose does not open for another.
 * Format `v1.<key id>.<iv>.<ciphertext+tag>`: the version lets the format change, the key id
 * tells which secret sealed it (key rotation).
 */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type UnreadableReason = 'unknown_format' | 'other_key' | 'altered';

export class SealUnreadable extends Error {
  constructor(readonly reason: UnreadableReason) {
    super(`The sealed value cannot be opened (${reason})`);
    this.name = 'SealUnreadable';
  }
}

export class SealedBox {
  private readonly key: Buffer;
  readonly keyId: string;

  constructor(secretKey: string, purpose: string) {
    if (secretKey.length < 16) throw new Error('The secret key must be at least 16 characters');
    this.key = Buffer.from(hkdfSync('sha256', secretKey, purpose, `aes-256-gcm ${VERSION}`, 32));
    this.keyId = createHash('sha256').update(this.key).digest('base64url').slice(0, 8);
  }

  seal(value: unknown, boundTo: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, this.keyId, iv.toString('base64url'), body.toString('base64url')].join('.');
  }

  open(sealed: string, boundTo: string): unknown {
    const [version, keyId, iv, body] = sealed.split('.');
    if (version !== VERSION || !keyId || !iv || !body) throw new SealUnreadable('unknown_format');
    if (keyId !== this.keyId) throw new SealUnreadable('other_key');
    const data = Buffer.from(body, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(boundTo));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]);
      return JSON.parse(plain.toString('utf8'));
    } catch {
      throw new SealUnreadable('altered');
    }
  }

  /** True when `sealed` was made with this key (rotation skips rows already re-sealed). */
  sealedWithThisKey(sealed: string): boolean {
    return sealed.split('.')[1] === this.keyId;
  }
}
