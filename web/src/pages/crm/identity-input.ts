import type { ContactNetwork } from '../../api/contacts.js';

/**
 * The network a pasted handle or profile URL most likely belongs to, so pasting
 * https://bsky.app/profile/alice.bsky.social picks Bluesky by itself. Null when it cannot tell
 * (a bare @alice is X or anything else): the user's choice stands. The server reads the handle.
 */
export function guessNetwork(input: string): ContactNetwork | null {
  const value = input.trim().toLowerCase();
  if (!value) return null;
  const url = parseUrl(value);
  if (url) {
    if (url.host === 'bsky.app') return 'bluesky';
    if (url.host === 'x.com' || url.host === 'twitter.com' || url.host.endsWith('.x.com') || url.host.endsWith('.twitter.com')) return 'x';
    if (url.pathname.startsWith('/@')) return 'mastodon';
    return null;
  }
  if (/^@?[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) return 'mastodon';
  if (/^@?[^@\s/]+\.bsky\.social$/.test(value)) return 'bluesky';
  return null;
}

function parseUrl(value: string): URL | null {
  if (!/^https?:\/\//.test(value)) return null;
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
