import { handleKey } from './author-key.js';
import { isDomain, readIdentityText, refused, segments } from './identity-text.js';
import type { NetworkRules } from './network-rules.js';
import { countGraphemes, textMeasure } from './text-measure.js';

/** Bluesky counts graphemes (app.bsky.feed.post `text`: maxGraphemes 300). */
export const BLUESKY_GRAPHEME_LIMIT = 300;

export const blueskyProfileUrl = (handle: string): string => `https://bsky.app/profile/${handle}`;

export const blueskyRules: NetworkRules = {
  network: 'bluesky',
  label: 'Bluesky',
  capabilities: {
    streams: ['home', 'mentions', 'notifications', 'user_posts', 'list', 'search'],
    publish: true,
    reply: true,
    quote: true,
    like: true,
    repost: true,
    direct: { like: false, repost: false },
    delete: true,
    postMetrics: true,
    accountMetrics: true,
    // app.bsky.embed.images: up to 4 images of at most 1 MB each.
    media: { maxImages: 4, maxBytes: 1_000_000, mimeTypes: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'], altTextMaxLength: 2000 },
  },
  measureText: (text, options = {}) => textMeasure(text, countGraphemes(text), options.limit ?? BLUESKY_GRAPHEME_LIMIT, options),
  parseIdentity: (input) =>
    readIdentityText(input, (text, url) => {
      let handle = text;
      if (url) {
        const path = segments(url);
        if (url.hostname !== 'bsky.app' || path.length !== 2 || path[0] !== 'profile')
          return refused('A Bluesky profile URL looks like https://bsky.app/profile/alice.bsky.social');
        handle = path[1]!;
      }
      handle = handle.replace(/^@/, '').toLowerCase();
      if (handle.startsWith('did:')) return refused('Chorus matches Bluesky authors by handle, not DID: use the handle (alice.bsky.social)');
      if (!isDomain(handle)) return refused(`"${handle.slice(0, 100)}" is not a Bluesky handle (like alice.bsky.social)`);
      return { ok: true, handle, profileUrl: blueskyProfileUrl(handle) };
    }),
  recognizesIdentity: (input) => /^https?:\/\/bsky\.app(\/|$)/i.test(input.trim()) || /^@?[^@\s/]+\.bsky\.social$/i.test(input.trim()),
  // Handles are case-insensitive.
  authorKey: (handle) => handleKey(handle),
};
