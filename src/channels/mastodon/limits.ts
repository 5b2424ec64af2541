import twitter from 'twitter-text';
import { z } from 'zod';
import type { TextLength } from '../connector.js';

/** What an instance allows; every instance may configure its own (GET /api/v2/instance). */
export interface InstanceLimits {
  maxCharacters: number;
  charactersReservedPerUrl: number;
  maxImages: number;
  imageSizeLimit: number;
  mimeTypes: string[];
}

/** Mastodon's stock configuration, used until the instance has been asked. */
export const DEFAULT_LIMITS: InstanceLimits = {
  maxCharacters: 500,
  charactersReservedPerUrl: 23,
  maxImages: 4,
  imageSizeLimit: 16 * 1024 * 1024,
  mimeTypes: ['image/jpeg', 'image/png', 'image/gif', 'image/webp'],
};

const positive = z.number().int().positive();

const instanceV2 = z.object({
  configuration: z
    .object({
      statuses: z.object({ max_characters: positive.optional(), max_media_attachments: positive.optional(), characters_reserved_per_url: positive.optional() }).optional(),
      media_attachments: z.object({ supported_mime_types: z.array(z.string()).optional(), image_size_limit: positive.optional() }).optional(),
    })
    .optional(),
});

export function limitsFromInstance(raw: unknown): InstanceLimits {
  const config = instanceV2.parse(raw).configuration;
  return {
    maxCharacters: config?.statuses?.max_characters ?? DEFAULT_LIMITS.maxCharacters,
    charactersReservedPerUrl: config?.statuses?.characters_reserved_per_url ?? DEFAULT_LIMITS.charactersReservedPerUrl,
    maxImages: config?.statuses?.max_media_attachments ?? DEFAULT_LIMITS.maxImages,
    imageSizeLimit: config?.media_attachments?.image_size_limit ?? DEFAULT_LIMITS.imageSizeLimit,
    mimeTypes: config?.media_attachments?.supported_mime_types?.filter((type) => type.startsWith('image/')) ?? DEFAULT_LIMITS.mimeTypes,
  };
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** @user@domain (Mastodon counts only the @user part of a remote mention). */
const REMOTE_MENTION = /(^|[^\p{L}\p{N}_/])@([\p{L}\p{N}_]+(?:[\p{L}\p{N}_.-]*[\p{L}\p{N}_])?)@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

/**
 * Mastodon's StatusLengthValidator: every URL with a scheme counts as the reserved length
 * (23), a remote mention counts as its local part, everything else in graphemes.
 */
export function measureMastodonText(text: string, limits: InstanceLimits): TextLength {
  let countable = '';
  let from = 0;
  for (const url of twitter.extractUrlsWithIndices(text, { extractUrlsWithoutProtocol: false })) {
    const [start, end] = url.indices;
    countable += text.slice(from, start) + 'x'.repeat(limits.charactersReservedPerUrl);
    from = end;
  }
  countable = (countable + text.slice(from)).replace(REMOTE_MENTION, '$1@$2');
  let length = 0;
  for (const _ of graphemes.segment(countable)) length++;
  return { length, limit: limits.maxCharacters, fits: length <= limits.maxCharacters };
}
