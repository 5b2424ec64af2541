import { handleKey } from './author-key.js';
import { readIdentityText, refused, segments } from './identity-text.js';
import type { NetworkRules } from './network-rules.js';
import { textMeasure } from './text-measure.js';

/** A Page post's message holds at most 63 206 characters (Graph API reference, Page feed). */
export const FACEBOOK_TEXT_LIMIT = 63_206;

/** A Page username: letters, digits and dots, at least 5 characters (Facebook's username rules). */
const PAGE_USERNAME = /^[A-Za-z0-9.]{5,50}$/;
/** A numeric Page or user id, as the Graph API gives it. */
const NUMERIC_ID = /^[0-9]{5,25}$/;
const FACEBOOK_HOSTS = new Set(['facebook.com', 'www.facebook.com', 'm.facebook.com', 'fb.com', 'web.facebook.com']);

/**
 * A Facebook Page (Graph API). The page's own posts are the `user_posts` stream, the comments on
 * them the `mentions` stream and Messenger chats the `messages` stream (both become inbox
 * conversations). A post is text, a link, or photos with their text; a reply is a comment on a
 * post or a comment.
 */
export const facebookRules: NetworkRules = {
  network: 'facebook',
  label: 'Facebook Page',
  capabilities: {
    streams: ['user_posts', 'mentions', 'messages'],
    publish: true,
    reply: true,
    quote: false,
    like: true,
    repost: false,
    direct: { like: false, repost: false },
    delete: true,
    postMetrics: true,
    accountMetrics: true,
    // Photos up to 4 MB; several are uploaded unpublished and attached to one feed post. Meta documents no
    // number for attached_media: Chorus keeps 10, Instagram's carousel, until a real run shows more work.
    media: { maxImages: 10, maxBytes: 4 * 1024 * 1024, mimeTypes: ['image/jpeg', 'image/png', 'image/gif'], altTextMaxLength: 1000 },
  },
  // Facebook counts UTF-16 code units (the limit is a JavaScript-side length in Meta's own tools).
  measureText: (text, options = {}) => textMeasure(text, text.length, options.limit ?? FACEBOOK_TEXT_LIMIT, options),
  parseIdentity: (input) =>
    readIdentityText(input, (text, url) => {
      if (url) {
        if (!FACEBOOK_HOSTS.has(url.hostname.toLowerCase())) return refused('A Facebook address looks like https://www.facebook.com/yourpage');
        const path = segments(url);
        if (path[0] === 'profile.php') {
          const id = url.searchParams.get('id') ?? '';
          return NUMERIC_ID.test(id)
            ? { ok: true, handle: id, profileUrl: `https://www.facebook.com/profile.php?id=${id}` }
            : refused('A profile.php address needs its numeric id');
        }
        if (path.length !== 1 || !(PAGE_USERNAME.test(path[0]!) || NUMERIC_ID.test(path[0]!)))
          return refused('A Facebook address looks like https://www.facebook.com/yourpage');
        return { ok: true, handle: path[0]!, profileUrl: `https://www.facebook.com/${path[0]!}` };
      }
      const name = text.replace(/^@/, '');
      if (NUMERIC_ID.test(name) || PAGE_USERNAME.test(name)) return { ok: true, handle: name, profileUrl: `https://www.facebook.com/${name}` };
      return refused('A Facebook Page is its username (5 or more letters, digits or dots), its numeric id, or its facebook.com address');
    }),
  recognizesIdentity: (input) => {
    const text = input.trim();
    if (!/^https?:\/\//i.test(text)) return false;
    try {
      return FACEBOOK_HOSTS.has(new URL(text).hostname.toLowerCase());
    } catch {
      return false;
    }
  },
  authorKey: (handle) => handleKey(handle),
};
