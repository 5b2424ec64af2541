import { allNetworkRules, networkRules } from './index.js';
import type { MediaLimits, Network } from './network-rules.js';

/** Image types Chorus keeps for a post at all; each network takes a subset (its `media.mimeTypes`). */
export const MEDIA_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;
export type MediaMimeType = (typeof MEDIA_MIME_TYPES)[number];

/** The largest upload Chorus keeps, whatever the networks: 5 MB decoded. */
export const MEDIA_MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
/** The longest alt text any network takes. */
export const MEDIA_ALT_MAX_LENGTH = Math.max(...allNetworkRules().map((rules) => rules.capabilities.media.altTextMaxLength));
/** The most images any network keeps on one post. */
export const MEDIA_PER_POST = Math.max(...allNetworkRules().map((rules) => rules.capabilities.media.maxImages));

/**
 * The most images a post to all these networks can hold: the smallest of their limits among those
 * that keep images at all (a network that keeps none is its own problem), else the most any takes.
 */
export function imageLimitFor(networks: Network[]): number {
  const limits = networks.map((network) => networkRules(network).capabilities.media.maxImages).filter((max) => max > 0);
  return limits.length ? Math.min(...limits) : MEDIA_PER_POST;
}

/** The image types every one of these networks takes (those that keep images at all), in Chorus's order; all of Chorus's when none is chosen. */
export function imageTypesFor(networks: Network[]): MediaMimeType[] {
  const taken = networks.map((network) => networkRules(network).capabilities.media).filter((media) => media.maxImages > 0);
  return MEDIA_MIME_TYPES.filter((type) => taken.every((media) => media.mimeTypes.includes(type)));
}

export interface MediaItem {
  id: string;
  bytes: number;
  alt: string;
  mimeType: string;
}

export interface MediaProblem {
  network: string;
  problem: 'too_many_images' | 'wrong_type' | 'image_too_large' | 'alt_missing' | 'alt_too_long';
  mediaId?: string;
  /** For `wrong_type`: the image's type. */
  mimeType?: string;
  value?: number;
  limit?: number;
}

/**
 * Everything about these images that one network would refuse or drop; empty when they fit.
 * A network that keeps no images (the team feed) has one problem: there are images.
 */
export function mediaProblemsFor(network: Network, media: MediaItem[], limits: MediaLimits = networkRules(network).capabilities.media): MediaProblem[] {
  const problems: MediaProblem[] = [];
  if (media.length > limits.maxImages) problems.push({ network, problem: 'too_many_images', value: media.length, limit: limits.maxImages });
  if (limits.maxImages === 0) return problems;
  for (const item of media) {
    // Instagram takes JPEG only, Threads no WebP or GIF: a type the network refuses would fail only when it publishes.
    if (!limits.mimeTypes.includes(item.mimeType)) problems.push({ network, problem: 'wrong_type', mediaId: item.id, mimeType: item.mimeType });
    if (item.bytes > limits.maxBytes) problems.push({ network, problem: 'image_too_large', mediaId: item.id, value: item.bytes, limit: limits.maxBytes });
    if (item.alt.trim() === '') problems.push({ network, problem: 'alt_missing', mediaId: item.id });
    // A network that takes no alt text (LINE) never gets it, so no length is too long there.
    else if (limits.altTextMaxLength > 0 && [...item.alt].length > limits.altTextMaxLength)
      problems.push({ network, problem: 'alt_too_long', mediaId: item.id, value: [...item.alt].length, limit: limits.altTextMaxLength });
  }
  return problems;
}
