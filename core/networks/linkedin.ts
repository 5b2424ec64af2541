import { profileKey } from './author-key.js';
import { readIdentityText, refused, segments } from './identity-text.js';
import type { NetworkRules } from './network-rules.js';
import { textMeasure } from './text-measure.js';

/** A post's commentary holds at most 3 000 characters (Posts API). */
export const LINKEDIN_COMMENTARY_LIMIT = 3000;
/**
 * Images through the Images API: JPG, PNG or GIF; LinkedIn documents a 36 152 320-pixel cap, not bytes, so Chorus keeps 10 MB.
 * 2 to 20 images make a MultiImage post (Posts API, MultiImage content).
 */
export const LINKEDIN_IMAGE_LIMITS = { maxImages: 20, maxBytes: 10 * 1024 * 1024, mimeTypes: ['image/jpeg', 'image/png', 'image/gif'], altTextMaxLength: 4086 };

const HOSTS = new Set(['linkedin.com', 'www.linkedin.com']);
/** A public profile or page slug: letters, digits, - and _ (LinkedIn allows 3 to 100). */
const SLUG = /^[A-Za-z0-9_-]{2,100}$/;

/**
 * LinkedIn organization pages (Posts API). Chorus posts as the page; the `mentions` stream is
 * the comments on the page's recent posts. People are known by their profile address
 * (linkedin.com/in/<slug>) or a page's (linkedin.com/company/<slug>): LinkedIn has no handle.
 */
export const linkedinRules: NetworkRules = {
  network: 'linkedin',
  label: 'LinkedIn',
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
    media: LINKEDIN_IMAGE_LIMITS,
  },
  // LinkedIn counts characters; counted here in UTF-16 code units like its JavaScript clients (to be confirmed on a first real run).
  measureText: (text, options = {}) => textMeasure(text, text.length, options.limit ?? LINKEDIN_COMMENTARY_LIMIT, options),
  parseIdentity: (input) =>
    readIdentityText(input, (text, url) => {
      if (!url) return refused('Paste the LinkedIn profile address, like https://www.linkedin.com/in/alice or https://www.linkedin.com/company/acme');
      const path = segments(url);
      if (!HOSTS.has(url.hostname.toLowerCase()) || path.length !== 2 || !['in', 'company'].includes(path[0]!) || !SLUG.test(path[1]!))
        return refused('A LinkedIn profile address looks like https://www.linkedin.com/in/alice or https://www.linkedin.com/company/acme');
      const profileUrl = `https://www.linkedin.com/${path[0]}/${path[1]!.toLowerCase()}`;
      return { ok: true, handle: path[1]!.toLowerCase(), profileUrl };
    }),
  recognizesIdentity: (input) => {
    const match = /^https?:\/\/([^/?#]+)/i.exec(input.trim());
    return match !== null && HOSTS.has(match[1]!.toLowerCase());
  },
  // A slug is only unique within /in/ or /company/: the key is the profile address.
  authorKey: (handle, profileUrl) => (profileUrl ? profileKey(profileUrl) : null) ?? handle.trim().toLowerCase(),
};
