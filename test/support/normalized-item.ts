import type { NormalizedItem } from '../../src/channels/connector.js';

/**
 * A stored-to-be item as a connector hands it over: a plain Mastodon post by a shop, text equal
 * to its remote id unless given. Suites set only the fields their test is about.
 */
export function normalizedItem(fields: Partial<NormalizedItem> & Pick<NormalizedItem, 'remoteId'>): NormalizedItem {
  return {
    network: 'mastodon',
    url: null,
    author: { remoteId: 'shop', handle: 'shop@social.example', displayName: 'Shop', avatarUrl: null, profileUrl: null },
    text: fields.remoteId,
    html: null,
    title: null,
    links: [],
    media: [],
    replyToRemoteId: null,
    quoteOfRemoteId: null,
    createdAt: '2027-01-01T00:00:00.000Z',
    language: null,
    metrics: null,
    ...fields,
  };
}
