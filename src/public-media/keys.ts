import { createHmac, hkdfSync } from 'node:crypto';

/** Base64url of an HMAC-SHA256: 256 bits, 43 characters. */
export const PUBLIC_MEDIA_KEY = /^[A-Za-z0-9_-]{43}$/;

/**
 * The key of an image's public address. Content-addressed (the same image of the same org keeps
 * one address), yet unguessable: an HMAC of the org and the image's SHA-256 under a key derived
 * (HKDF) from the instance's secret key, so knowing an image (a logo, a stock photo) does not
 * give its address, and one org's address says nothing of another's.
 */
export class PublicMediaKeys {
  private readonly key: Buffer;

  constructor(secretKey: string) {
    if (secretKey.length < 16) throw new Error('The secret key must be at least 16 characters');
    this.key = Buffer.from(hkdfSync('sha256', secretKey, 'chorus/public-media', 'hmac-sha256 v1', 32));
  }

  keyFor(orgId: string, sha256: string): string {
    return createHmac('sha256', this.key).update(`${orgId}\n${sha256}`).digest('base64url');
  }
}
