import type { ImageUrlSigner } from './signature.js';

/** The parts of a presented stream item that make the browser load an image. */
export interface ItemWithImages {
  author: { avatarUrl: string | null };
  media: { url: string }[];
  html: string | null;
}

/** Longest URL the proxy accepts (and so the longest worth signing). */
export const MAX_IMAGE_URL_LENGTH = 2048;

/**
 * `src` of every <img> in HTML sanitized by `safeHtml` (src/lib/safe-html.ts). That output is
 * canonical: attributes in double quotes with only &amp; &lt; &gt; &quot; escaped, so a
 * pattern reads it exactly. The web UI rewrites the same attributes with the same pattern
 * (web/src/api/image-proxy.ts); a test holds the two together.
 */
const IMG_SRC = /<img\b[^>]*?\ssrc="([^"]*)"/gi;

export function imageSourcesInHtml(html: string): string[] {
  return [...html.matchAll(IMG_SRC)].map((match) => decodeAttribute(match[1]!));
}

function decodeAttribute(value: string): string {
  return value.replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

export function isProxiableImageUrl(url: string): boolean {
  if (url.length > MAX_IMAGE_URL_LENGTH) return false;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && !parsed.username && !parsed.password;
  } catch {
    return false;
  }
}

export function imageUrlsOf(item: ItemWithImages): string[] {
  const urls = [item.author.avatarUrl, ...item.media.map((m) => m.url), ...(item.html ? imageSourcesInHtml(item.html) : [])];
  return urls.filter((url): url is string => url !== null && isProxiableImageUrl(url));
}

/** Signatures by URL, added beside items in API responses (`imageSignatures`) so the web UI can point each image at the proxy. */
export function signImageUrls(signer: ImageUrlSigner, orgId: string, urls: Iterable<string>): Record<string, string> {
  const signatures: Record<string, string> = {};
  for (const url of urls) signatures[url] ??= signer.sign(orgId, url);
  return signatures;
}
