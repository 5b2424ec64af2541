import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Network credentials at rest: AES-256-GCM under a key derived (HKDF-SHA256) from the
 * instance secret key, bound to the row they belong to (associated data), so a sealed value
 * copied onto another row does not open. Format `v1.<key id>.<iv>.<ciphertext+tag>`: the
 * version lets the format change, the key id tells which secret sealed it (key rotation).
 */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class CredentialsUnreadable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsUnreadable';
  }
}

export class CredentialsCipher {
  private readonly key: Buffer;
  readonly keyId: string;

  constructor(secretKey: string) {
    if (secretKey.length < 16) throw new Error('The secret key must be at least 16 characters');
    this.key = Buffer.from(hkdfSync('sha256', secretKey, 'chorus/channel-credentials', `aes-256-gcm ${VERSION}`, 32));
    this.keyId = createHash('sha256').update(this.key).digest('base64url').slice(0, 8);
  }

  seal(credentials: unknown, boundTo: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo));
    const body = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, this.keyId, iv.toString('base64url'), body.toString('base64url')].join('.');
  }

  open(sealed: string, boundTo: string): unknown {
    const [version, keyId, iv, body] = sealed.split('.');
    if (version !== VERSION || !keyId || !iv || !body) throw new CredentialsUnreadable('The stored credentials are in an unknown format');
    if (keyId !== this.keyId) throw new CredentialsUnreadable('The stored credentials were sealed with a different secret key (rotate keys with `chorus keys rotate`)');
    const data = Buffer.from(body, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(boundTo));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]);
      return JSON.parse(plain.toString('utf8'));
    } catch {
      throw new CredentialsUnreadable('The stored credentials have been altered or belong to another channel');
    }
  }

  /** True when `sealed` was made with this key (rotation skips rows already re-sealed). */
  sealedWithThisKey(sealed: string): boolean {
    return sealed.split('.')[1] === this.keyId;
  }
}
