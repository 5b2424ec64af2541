/**
 * Where a published post can be opened in a browser: the web URL its connector answered at publish
 * time (stored as the target's `remote_url`), kept only when it is a plain https page. A network's
 * answer is untrusted: a hostile Mastodon server may say `javascript:…`, and a Bluesky post on a PDS
 * outside the main network has only its at-uri, which no browser opens. Pure and browser-safe.
 */

/** Longer than any real post URL; a longer answer is refused rather than cut into a wrong link. */
export const LIVE_POST_URL_MAX = 2_048;

/** The https URL of a live post, or null when there is none a browser can open safely. */
export function livePostUrl(remoteUrl: string | null | undefined): string | null {
  if (!remoteUrl || remoteUrl.length > LIVE_POST_URL_MAX) return null;
  let url: URL;
  try {
    url = new URL(remoteUrl);
  } catch {
    return null;
  }
  // Credentials in a link are a phishing trick (https://x.com@evil.example/), never a post.
  if (url.protocol !== 'https:' || !url.hostname || url.username || url.password) return null;
  return url.href;
}
