/**
 * What each network accepts as images on a post, shared by the server (checked when a post is
 * scheduled or sent for approval) and the composer's warnings in the browser. Pure: no Node APIs.
 */
export const MEDIA_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;
export type MediaMimeType = (typeof MEDIA_MIME_TYPES)[number];

/** The largest upload Chorus keeps, whatever the networks: 5 MB decoded. */
export const MEDIA_MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
export const MEDIA_ALT_MAX_LENGTH = 2000;
export const MEDIA_PER_POST = 4;

export interface MediaLimit {
  maxImages: number;
  maxBytes: number;
  altTextMaxLength: number;
}

export const MEDIA_LIMITS: Record<string, MediaLimit> = {
  bluesky: { maxImages: 4, maxBytes: 1_000_000, altTextMaxLength: 2000 },
  mastodon: { maxImages: 4, maxBytes: 16 * 1024 * 1024, altTextMaxLength: 1500 },
  x: { maxImages: 4, maxBytes: 5 * 1024 * 1024, altTextMaxLength: 1000 },
  team: { maxImages: 4, maxBytes: 1024 * 1024, altTextMaxLength: 2000 },
};

export const mediaLimitFor = (network: string): MediaLimit => MEDIA_LIMITS[network] ?? MEDIA_LIMITS.team!;

export interface MediaItem {
  id: string;
  bytes: number;
  alt: string;
}

export interface MediaProblem {
  network: string;
  problem: 'too_many_images' | 'image_too_large' | 'alt_missing' | 'alt_too_long';
  mediaId?: string;
  value?: number;
  limit?: number;
}

/** Everything about these images that one network would refuse; empty when they fit. */
export function mediaProblemsFor(network: string, media: MediaItem[]): MediaProblem[] {
  const limit = mediaLimitFor(network);
  const problems: MediaProblem[] = [];
  if (media.length > limit.maxImages) problems.push({ network, problem: 'too_many_images', value: media.length, limit: limit.maxImages });
  for (const item of media) {
    if (item.bytes > limit.maxBytes) problems.push({ network, problem: 'image_too_large', mediaId: item.id, value: item.bytes, limit: limit.maxBytes });
    if (item.alt.trim() === '') problems.push({ network, problem: 'alt_missing', mediaId: item.id });
    else if ([...item.alt].length > limit.altTextMaxLength) problems.push({ network, problem: 'alt_too_long', mediaId: item.id, value: [...item.alt].length, limit: limit.altTextMaxLength });
  }
  return problems;
}

/** The file's first bytes agree with the type it claims (a renamed PDF is not a PNG). */
export function sniffMatches(mimeType: string, data: Uint8Array): boolean {
  const starts = (...bytes: number[]) => bytes.every((b, i) => data[i] === b);
  switch (mimeType) {
    case 'image/jpeg':
      return starts(0xff, 0xd8, 0xff);
    case 'image/png':
      return starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
    case 'image/gif':
      return starts(0x47, 0x49, 0x46, 0x38);
    case 'image/webp':
      return starts(0x52, 0x49, 0x46, 0x46) && data[8] === 0x57 && data[9] === 0x45 && data[10] === 0x42 && data[11] === 0x50;
    default:
      return false;
  }
}
