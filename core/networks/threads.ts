import { handleKey } from './author-key.js';
import { readIdentityText, refused, segments } from './identity-text.js';
import type { NetworkRules } from './network-rules.js';
import { textMeasure } from './text-measure.js';

/** A Threads post holds at most 500 characters (Threads API, "Create posts": text). */
export const THREADS_TEXT_LIMIT = 500;
/** Threads shows one link preview card per post: the first link, or the link_attachment. */
export const THREADS_LINK_CARDS = 1;
/** Threads refuses a post with more than 5 links in its text. */
export const THREADS_MAX_LINKS = 5;
/** Posts one account may publish in 24 hours (GET /{user-id}/threads_publishing_limit). */
export const THREADS_POSTS_PER_DAY = 250;
/**
 * Images Threads takes (JPEG or PNG, 8 MB; 2 to 20 make a carousel). Threads fetches each image
 * from a public HTTPS address (`image_url`), which Chorus serves (src/public-media/).
 */
export const THREADS_IMAGE_LIMITS = { maxImages: 20, maxBytes: 8 * 1024 * 1024, mimeTypes: ['image/jpeg', 'image/png'], altTextMaxLength: 1000 };

/** Instagram usernames, which Threads profiles share: letters, digits, `.` and `_`, at most 30. */
const THREADS_USERNAME = /^[A-Za-z0-9._]{1,30}$/;
const THREADS_HOSTS = new Set(['threads.net', 'www.threads.net', 'threads.com', 'www.threads.com']);
const LINK = /https?:\/\/[^\s<>"]+/g;

/** The links in a text, in order: the first is the one Threads turns into the card. */
export const threadsLinks = (text: string): string[] => [...text.matchAll(LINK)].map((m) => m[0]);

/**
 * Threads (Meta's text network, Threads API graph.threads.net). A post is a container created
 * then published; the `mentions` stream is the replies people write to the account's recent
 * posts, and the account can reply to them.
 */
export const threadsRules: NetworkRules = {
  network: 'threads',
  label: 'Threads',
  capabilities: {
    streams: ['user_posts', 'mentions'],
    publish: true,
    reply: true,
    quote: false,
    like: false,
    repost: false,
    direct: { like: false, repost: false },
    delete: false,
    postMetrics: true,
    accountMetrics: true,
    media: THREADS_IMAGE_LIMITS,
  },
  /**
   * Counted in Unicode code points (an emoji is one, a Japanese character is one). Meta does not
   * document how it counts; a first real run must confirm (docs/channels.md). More than 5 links
   * never fits, whatever the length.
   */
  measureText: (text, options = {}) => {
    const measured = textMeasure(text, [...text].length, options.limit ?? THREADS_TEXT_LIMIT, options);
    return threadsLinks(text).length > THREADS_MAX_LINKS ? { ...measured, fits: false } : measured;
  },
  parseIdentity: (input) =>
    readIdentityText(input, (text, url) => {
      let handle = text;
      if (url) {
        const path = segments(url);
        if (!THREADS_HOSTS.has(url.hostname.toLowerCase()) || path.length !== 1 || !path[0]!.startsWith('@'))
          return refused('A Threads profile URL looks like https://www.threads.net/@alice');
        handle = path[0]!;
      }
      handle = handle.replace(/^@/, '');
      if (!THREADS_USERNAME.test(handle)) return refused(`"${handle.slice(0, 100)}" is not a Threads username (1 to 30 letters, digits, . or _)`);
      return { ok: true, handle: handle.toLowerCase(), profileUrl: `https://www.threads.net/@${handle.toLowerCase()}` };
    }),
  recognizesIdentity: (input) => {
    const match = /^https?:\/\/([^/?#]+)/i.exec(input.trim());
    return match !== null && THREADS_HOSTS.has(match[1]!.toLowerCase());
  },
  // Usernames are case-insensitive.
  authorKey: (handle) => handleKey(handle),
};
