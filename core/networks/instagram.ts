import { handleKey } from './author-key.js';
import { readIdentityText, refused, segments } from './identity-text.js';
import type { NetworkRules, TextMeasure } from './network-rules.js';

/** A caption holds at most 2 200 characters and 30 hashtags (Instagram Graph API, IG User Media). */
export const INSTAGRAM_CAPTION_LIMIT = 2200;
export const INSTAGRAM_HASHTAG_LIMIT = 30;
/** Posts an account may publish through the API in a moving 24 hours (content_publishing_limit). */
export const INSTAGRAM_DAILY_PUBLISH_LIMIT = 50;
/** A carousel holds 2 to 10 images (IG User Media, carousel posts); it counts as one post against the limit above. */
export const INSTAGRAM_CAROUSEL_LIMIT = 10;

const USERNAME = /^[A-Za-z0-9._]{1,30}$/;
const HOSTS = new Set(['instagram.com', 'www.instagram.com']);
const HASHTAG = /(^|[^\p{L}\p{N}_&])#[\p{L}\p{N}_]+/gu;

export const countHashtags = (text: string): number => [...text.matchAll(HASHTAG)].length;

/**
 * An Instagram professional account (Instagram Graph API). Every post carries an image (JPEG), or a carousel of several;
 * the caption is optional. Comments on the account's media are the `mentions` stream.
 */
export const instagramRules: NetworkRules = {
  network: 'instagram',
  label: 'Instagram',
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
    // Instagram fetches each image from a public address and takes JPEG only, up to 8 MB; 2 to 10 images make a carousel.
    media: { maxImages: INSTAGRAM_CAROUSEL_LIMIT, maxBytes: 8 * 1024 * 1024, mimeTypes: ['image/jpeg'], altTextMaxLength: 1000 },
  },
  measureText: (text, options = {}): TextMeasure => {
    const length = text.length;
    const limit = options.limit ?? INSTAGRAM_CAPTION_LIMIT;
    const tooLong = length > limit;
    const empty = text.trim() === '' && (options.mediaCount ?? 0) === 0;
    // A caption alone never fits: an Instagram post needs an image.
    const noImage = (options.mediaCount ?? 0) === 0;
    const tooManyTags = countHashtags(text) > INSTAGRAM_HASHTAG_LIMIT;
    return { length, limit, tooLong, empty, fits: !tooLong && !empty && !noImage && !tooManyTags };
  },
  parseIdentity: (input) =>
    readIdentityText(input, (text, url) => {
      let name: string;
      if (url) {
        if (!HOSTS.has(url.hostname.toLowerCase())) return refused('An Instagram address looks like https://www.instagram.com/yourname');
        const path = segments(url);
        if (path.length !== 1) return refused('An Instagram address looks like https://www.instagram.com/yourname');
        name = path[0]!;
      } else name = text.replace(/^@/, '');
      if (!USERNAME.test(name)) return refused('An Instagram username is at most 30 letters, digits, dots or underscores');
      return { ok: true, handle: name.toLowerCase(), profileUrl: `https://www.instagram.com/${name.toLowerCase()}` };
    }),
  recognizesIdentity: (input) => /^https?:\/\/(www\.)?instagram\.com\//i.test(input.trim()),
  authorKey: (handle) => handleKey(handle),
};
