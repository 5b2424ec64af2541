/** As long as a stored author handle may be (streams/normalize.ts clips handles to 300). */
export const AUTHOR_KEY_MAX = 300;

/** A handle without a leading `@`, lowercased: names and case-insensitive handles. */
export const handleKey = (handle: string): string => handle.trim().replace(/^@/, '').toLowerCase().slice(0, AUTHOR_KEY_MAX);

/** A profile URL without its scheme (`mastodon.social/@alice`), or null when it is not an http(s) URL with a path. */
export function profileKey(profileUrl: string): string | null {
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
