import { segment } from './client.js';

/**
 * Stream images never load from their own hosts: that would hand every reader's IP and reading
 * time to feed and network hosts, break plain-http images and let trackers in. The server signs
 * each image URL of the items it sends (`imageSignatures`, url → signature) and serves them at
 * /api/orgs/:orgId/image-proxy. An image without a signature is not shown at all.
 */
export type ImageSignatures = Record<string, string>;

/** The parts of a stream item that load images. */
interface WithImages {
  author: { avatarUrl: string | null };
  media: { url: string; alt: string }[];
  html: string | null;
}

export function proxiedImageUrl(orgId: string, url: string, signatures: ImageSignatures | undefined): string | null {
  const sig = signatures && Object.hasOwn(signatures, url) ? signatures[url] : undefined;
  return sig ? `/api/orgs/${segment(orgId)}/image-proxy?${new URLSearchParams({ url, sig })}` : null;
}

/**
 * `src` of each <img> in server-sanitized HTML: canonical output (double quotes, only &amp;
 * &lt; &gt; &quot; escaped), read with the same pattern as src/image-proxy/item-images.ts.
 */
const IMG_SRC = /(<img\b[^>]*?)\ssrc="([^"]*)"/gi;

const decodeAttribute = (value: string) => value.replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
const encodeAttribute = (value: string) => value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

export function proxyHtmlImages(orgId: string, html: string, signatures: ImageSignatures | undefined): string {
  return html.replace(IMG_SRC, (_match, start: string, src: string) => {
    const proxied = proxiedImageUrl(orgId, decodeAttribute(src), signatures);
    // Without a signature the <img> keeps its alt text but loads nothing. Lazy: a picture below the
    // column's fold does not take one of the browser's few connections to Chorus while the page loads.
    return proxied ? `${start} loading="lazy" src="${encodeAttribute(proxied)}"` : start;
  });
}

/** Every image URL the (sanitized, possibly proxied) HTML loads, decoded as the browser decodes it. */
export function htmlImageSources(html: string | null): Set<string> {
  return new Set(html ? [...html.matchAll(IMG_SRC)].map((m) => decodeAttribute(m[2]!)) : []);
}

/**
 * The media to show under the item's text: feed connectors list a post's inline <img> among its
 * media too, and the HTML already shows those where the author put them. Compare after
 * proxyItemImages (one URL, one proxy URL) or before; not one before and one after.
 */
export function mediaBesideHtml<M extends { url: string }>(item: { media: M[]; html: string | null }): M[] {
  const inline = htmlImageSources(item.html);
  return inline.size === 0 ? item.media : item.media.filter((m) => !inline.has(m.url));
}

/** The item as the page shows it: every image through the proxy, unsigned ones left out. */
export function proxyItemImages<T extends WithImages>(orgId: string, item: T, signatures: ImageSignatures | undefined): T {
  const media: WithImages['media'] = [];
  for (const m of item.media) {
    const url = proxiedImageUrl(orgId, m.url, signatures);
    if (url) media.push({ ...m, url });
  }
  return {
    ...item,
    author: { ...item.author, avatarUrl: item.author.avatarUrl ? proxiedImageUrl(orgId, item.author.avatarUrl, signatures) : null },
    media,
    html: item.html === null ? null : proxyHtmlImages(orgId, item.html, signatures),
  };
}
