import { createHash } from 'node:crypto';
import type { PublicImages } from '../channels/public-images.js';
import type { AddressPolicy } from '../lib/outbound-http/address-policy.js';
import { PublicMediaKeys } from './keys.js';

/**
 * How long a copy stays after it was last handed to a network. Meta fetches an image within
 * minutes of the container being made; a retry days later hands the same image out again, which
 * keeps its address and starts the period anew.
 */
export const PUBLIC_MEDIA_RETENTION_MS = 7 * 24 * 60 * 60_000;

export interface PublicMediaSettings {
  /** CHORUS_PUBLIC_URL. */
  publicUrl?: string | undefined;
  addressPolicy: AddressPolicy;
  secretKey: string;
}

/**
 * Where images are served from: CHORUS_PUBLIC_URL when it is https. An http address is taken only
 * where private addresses are allowed (CHORUS_ALLOW_PRIVATE_NETWORK, as tests' loopback peers
 * need); Meta and LINE fetch https only, so otherwise there is no host and Instagram, Threads and LINE answer
 * `media_host_missing`.
 */
export function publicMediaBase(publicUrl: string | undefined, policy: AddressPolicy): string | null {
  if (!publicUrl) return null;
  if (new URL(publicUrl).protocol !== 'https:' && !policy.allowPrivateNetwork) return null;
  return publicUrl.replace(/\/+$/, '');
}

/** What to tell the operator at start when CHORUS_PUBLIC_URL is set but cannot serve images; null when it can or is unset. */
export function publicMediaWarning(publicUrl: string | undefined, policy: AddressPolicy): string | null {
  return publicUrl && !publicMediaBase(publicUrl, policy)
    ? 'CHORUS_PUBLIC_URL is not https: Instagram, Threads and LINE fetch images from https addresses only, so posts with images to them fail (docs/channels.md, "Public media")'
    : null;
}

/** The connectors' public image host (channels' `PublicImages` port), or null when this Chorus has no public https address. */
export function publicImagesFor(settings: PublicMediaSettings): PublicImages | null {
  const base = publicMediaBase(settings.publicUrl, settings.addressPolicy);
  if (!base) return null;
  const keys = new PublicMediaKeys(settings.secretKey);
  return (org) => ({
    async publicUrlFor(image) {
      const data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
      const sha256 = createHash('sha256').update(data).digest('hex');
      const key = keys.keyFor(org.orgId, sha256);
      const now = org.now();
      const expiresAt = new Date(Date.parse(now) + PUBLIC_MEDIA_RETENTION_MS).toISOString();
      // The same image handed out again (a retry, another network) keeps its row and address, and its period restarts.
      await org.shared
        .insertInto('public_media')
        .values({
          key,
          org_id: org.orgId,
          sha256,
          mime_type: image.mimeType,
          bytes: data.length,
          data: data.toString('base64'),
          created_at: now,
          expires_at: expiresAt,
        })
        .onConflict((conflict) => conflict.column('key').doUpdateSet({ mime_type: image.mimeType, expires_at: expiresAt }))
        .execute();
      return `${base}/m/${key}`;
    },
  });
}
