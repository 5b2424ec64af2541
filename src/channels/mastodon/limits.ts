import { z } from 'zod';
import { mastodonLength, mastodonRules, MASTODON_DEFAULT_CHARACTERS, MASTODON_DEFAULT_URL_LENGTH } from '../../../core/networks/mastodon.js';
import { textMeasure } from '../../../core/networks/text-measure.js';
import type { TextMeasure } from '../connector.js';

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
  maxCharacters: MASTODON_DEFAULT_CHARACTERS,
  charactersReservedPerUrl: MASTODON_DEFAULT_URL_LENGTH,
  maxImages: mastodonRules.capabilities.media.maxImages,
  imageSizeLimit: mastodonRules.capabilities.media.maxBytes,
  mimeTypes: mastodonRules.capabilities.media.mimeTypes,
};

const positive = z.number().int().positive();

const instanceV2 = z.object({
  configuration: z
    .object({
      statuses: z
        .object({ max_characters: positive.optional(), max_media_attachments: positive.optional(), characters_reserved_per_url: positive.optional() })
        .optional(),
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

/** The network's counting rule (core/networks/mastodon.ts) with this instance's limit and URL length. */
export function measureMastodonText(text: string, limits: InstanceLimits, mediaCount = 0): TextMeasure {
  return textMeasure(text, mastodonLength(text, limits.charactersReservedPerUrl), limits.maxCharacters, { mediaCount });
}
