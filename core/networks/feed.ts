import { handleKey } from './author-key.js';
import { parseAuthorName } from './identity-text.js';
import type { NetworkRules } from './network-rules.js';
import { textMeasure } from './text-measure.js';

/** RSS, Atom and JSON Feed: read-only, so no text fits and no image is kept. */
export const feedRules: NetworkRules = {
  network: 'feed',
  label: 'RSS, Atom or JSON Feed',
  capabilities: {
    streams: ['feed'],
    publish: false,
    reply: false,
    quote: false,
    like: false,
    repost: false,
    direct: { like: false, repost: false },
    delete: false,
    postMetrics: false,
    accountMetrics: false,
    media: { maxImages: 0, maxBytes: 0, mimeTypes: [], altTextMaxLength: 0 },
  },
  measureText: (text, options = {}) => ({ ...textMeasure(text, [...text].length, 0, options), fits: false }),
  parseIdentity: (input) => parseAuthorName('feed', input),
  recognizesIdentity: () => false,
  // Authors are names.
  authorKey: (handle) => handleKey(handle),
};
