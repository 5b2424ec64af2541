import { handleKey } from './author-key.js';
import { readIdentityText, refused, segments } from './identity-text.js';
import type { NetworkRules } from './network-rules.js';
import { twitterText } from './twitter-text.js';
import { textMeasure } from './text-measure.js';

export const X_WEIGHTED_LIMIT = 280;

const X_USERNAME = /^[A-Za-z0-9_]{1,15}$/;
const X_HOSTS = new Set(['x.com', 'www.x.com', 'mobile.x.com', 'twitter.com', 'www.twitter.com', 'mobile.twitter.com']);
/** Characters X refuses in any post (twitter-text's invalid characters). */
const X_INVALID = /[\uFFFE\uFEFF\uFFFF]/;

export const xRules: NetworkRules = {
  network: 'x',
  label: 'X',
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
    media: { maxImages: 4, maxBytes: 5 * 1024 * 1024, mimeTypes: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'], altTextMaxLength: 1000 },
  },
  /**
   * X's own counting rule (twitter-text): CJK and emoji weigh 2, every URL weighs 23. A text
   * with a character X refuses never fits, whatever its length.
   */
  measureText: (text, options = {}) => {
    const limit = options.limit ?? X_WEIGHTED_LIMIT;
    const { weightedLength } = twitterText().parseTweet(text);
    const measured = textMeasure(text, weightedLength, limit, options);
    return X_INVALID.test(text) ? { ...measured, fits: false } : measured;
  },
  parseIdentity: (input) =>
    readIdentityText(input, (text, url) => {
      let handle = text;
      if (url) {
        const path = segments(url);
        if (!X_HOSTS.has(url.hostname) || path.length !== 1) return refused('An X profile URL looks like https://x.com/alice');
        handle = path[0]!;
      }
      handle = handle.replace(/^@/, '');
      if (!X_USERNAME.test(handle)) return refused(`"${handle.slice(0, 100)}" is not an X username (1 to 15 letters, digits or _)`);
      return { ok: true, handle, profileUrl: `https://x.com/${handle}` };
    }),
  recognizesIdentity: (input) => {
    const match = /^https?:\/\/([^/?#]+)/i.exec(input.trim());
    const host = match?.[1]?.toLowerCase();
    return host !== undefined && (host === 'x.com' || host === 'twitter.com' || host.endsWith('.x.com') || host.endsWith('.twitter.com'));
  },
  // Usernames are case-insensitive.
  authorKey: (handle) => handleKey(handle),
};
