import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Proves that Chorus itself handed an image URL to a member of an org, so the image proxy
 * fetches only URLs found in that org's stream items and cannot be used as an open fetcher.
 * HMAC-SHA256 under a key derived (HKDF) from the instance secret key, over the org id and
 * the URL, truncated to 128 bits. A signature from one org does not open the proxy of another.
 * Signatures do not expire: the same URL always signs the same way, so browsers cache it.
 */
const VERSION = 'v1';
const SIGNATURE_BYTES = 16;
/** Every column page signs its images again; the same avatars recur, so recent signatures are kept. */
const CACHED_SIGNATURES = 10_000;

export class ImageUrlSigner {
  private readonly key: Buffer;
  private readonly recent = new Map<string, string>();

  constructor(secretKey: string) {
    if (secretKey.length < 16) throw new Error('The secret key must be at least 16 characters');
    this.key = Buffer.from(hkdfSync('sha256', secretKey, 'chorus/image-proxy', `hmac-sha256 ${VERSION}`, 32));
  }

  sign(orgId: string, url: string): string {
    const key = `${orgId}\n${url}`;
    let signature = this.recent.get(key);
    if (signature === undefined) {
      signature = this.mac(orgId, url).toString('base64url');
      if (this.recent.size >= CACHED_SIGNATURES) this.recent.delete(this.recent.keys().next().value!);
      this.recent.set(key, signature);
    }
    return signature;
  }

  verify(orgId: string, url: string, signature: string): boolean {
    const given = Buffer.from(signature, 'base64url');
    const expected = this.mac(orgId, url);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(orgId: string, url: string): Buffer {
    return createHmac('sha256', this.key).update(`${VERSION}\n${orgId}\n${url}`).digest().subarray(0, SIGNATURE_BYTES);
  }
}
