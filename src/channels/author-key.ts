import type { Network } from './connector.js';

/** As long as a stored author handle may be (streams/normalize.ts clips handles to 300). */
export const AUTHOR_KEY_MAX = 300;

/**
 * The one string by which Chorus recognizes an author within a network: a stored item's
 * `author_key`, and the key a CRM contact identity matches items by. Both sides must compute it
 * here, so a contact made from an item, or typed in by hand, finds that author's items.
 *
 * - Mastodon: the profile URL without scheme (`mastodon.social/@alice`). An account's `acct` is
 *   `alice` on its own server and `alice@mastodon.social` everywhere else; its profile URL is
 *   the same from every server.
 * - Every other network: the handle without a leading `@`, lowercased (Bluesky handles and X
 *   usernames are case-insensitive; feed and team authors are names).
 */
export function authorKey(network: Network, handle: string, profileUrl: string | null): string {
  if (network === 'mastodon' && profileUrl) {
    const fromProfile = profileKey(profileUrl);
    if (fromProfile) return fromProfile;
  }
  return handle.trim().replace(/^@/, '').toLowerCase().slice(0, AUTHOR_KEY_MAX);
}

function profileKey(profileUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(profileUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const path = url.pathname.replace(/\/+$/, '');
  if (path === '') return null;
  return `${url.host}${path}`.toLowerCase().slice(0, AUTHOR_KEY_MAX);
}
