/** A Bluesky profile's web address; its own module so callers need not load the AT Protocol client. */
export function profileUrl(handle: string): string {
  return `https://bsky.app/profile/${handle}`;
}
