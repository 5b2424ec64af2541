import { handleKey } from './author-key.js';
import { readIdentityText, refused } from './identity-text.js';
import type { NetworkRules } from './network-rules.js';
import { textMeasure } from './text-measure.js';

/** A text message holds at most 5 000 characters; LINE counts UTF-16 code units. */
export const LINE_TEXT_LIMIT = 5000;

/**
 * An image message (Messaging API, "Image message") names a JPEG or PNG original
 * (`originalContentUrl`, at most 10 MB) and a preview shown in the chat (`previewImageUrl`, at
 * most 1 MB). Chorus sends the same image as both (it does not resize), so a LINE image may have
 * the preview's size; LINE does not say whether its MB is 10^6 or 2^20 bytes, so the smaller.
 */
export const LINE_PREVIEW_IMAGE_MAX_BYTES = 1_000_000;

/** A LINE user id as the Messaging API gives it: U and 32 hexadecimal digits, per provider. */
const USER_ID = /^U[0-9a-f]{32}$/;

/**
 * A LINE Official Account (Messaging API). People write to it in 1:1 chats (the `messages`
 * stream); a post is a broadcast to every friend and a reply a push to one person: its text
 * message, then an image message LINE fetches from Chorus's public address (src/public-media/).
 * People have no public handle on LINE: the one stable name of a person is their user id.
 */
export const lineRules: NetworkRules = {
  network: 'line',
  label: 'LINE Official Account',
  capabilities: {
    streams: ['messages'],
    publish: true,
    reply: true,
    quote: false,
    like: false,
    repost: false,
    direct: { like: false, repost: false },
    delete: false,
    postMetrics: false,
    accountMetrics: true,
    // One image; an image message has no alt text (0: Chorus keeps the alt, LINE never gets it).
    media: { maxImages: 1, maxBytes: LINE_PREVIEW_IMAGE_MAX_BYTES, mimeTypes: ['image/jpeg', 'image/png'], altTextMaxLength: 0 },
  },
  // LINE keeps the text as sent; a blank message is refused.
  measureText: (text, options = {}) => textMeasure(text, text.trim().length, options.limit ?? LINE_TEXT_LIMIT, options),
  parseIdentity: (input) =>
    readIdentityText(input, (text, url) => {
      if (url) return refused('A LINE user has no profile address: paste their user id (U followed by 32 hexadecimal digits)');
      return USER_ID.test(text)
        ? { ok: true, handle: text, profileUrl: null }
        : refused('A LINE user id is U followed by 32 hexadecimal digits, as the Messaging API gives it');
    }),
  recognizesIdentity: (input) => USER_ID.test(input.trim()),
  authorKey: (handle) => handleKey(handle),
};
