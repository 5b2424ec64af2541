import { afterEach, describe, expect, it, vi } from 'vitest';
import { safeHtml } from '../../src/lib/safe-html.js';
import { imageUrlsOf, signImageUrls } from '../../src/image-proxy/item-images.js';
import { ImageUrlSigner } from '../../src/image-proxy/signature.js';
import { mediaBesideHtml, proxyItemImages } from '../../web/src/api/image-proxy.js';
import { columnItems, setItemState, type StreamItem } from '../../web/src/api/streams.js';

const ORG = 'org-1';
const signer = new ImageUrlSigner('a test secret key that is long enough');

/** What the browser will load for `src`: the proxy's url and sig, or null for anything else. */
function proxyTarget(src: string | null): { url: string; sig: string } | null {
  if (!src?.startsWith(`/api/orgs/${ORG}/image-proxy?`)) return null;
  const query = new URLSearchParams(src.split('?')[1]);
  return { url: query.get('url')!, sig: query.get('sig')! };
}

/** Every src the sanitized HTML will make the browser load, decoded as the browser decodes it. */
function sources(html: string): string[] {
  return [...html.matchAll(/<img\b[^>]*?\ssrc="([^"]*)"/g)].map((m) =>
    m[1]!.replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&'),
  );
}

function item(overrides: Partial<StreamItem> = {}): StreamItem {
  return {
    id: 'i1',
    network: 'feed',
    remoteId: 'r1',
    url: null,
    author: { handle: 'blog', displayName: 'Blog', avatarUrl: 'https://cdn.example/avatar.png', profileUrl: null },
    title: null,
    text: 'text',
    html: null,
    links: [],
    media: [{ url: 'http://plain-http.example/photo.jpg', alt: 'a photo' }],
    replyToRemoteId: null,
    quoteOfRemoteId: null,
    createdAt: '2027-01-10T09:00:00Z',
    language: null,
    mentions: [],
    tags: [],
    cardTitle: null,
    isDirect: false,
    metrics: null,
    channelAccountId: null,
    read: false,
    done: false,
    assignedToUserId: null,
    viewer: { liked: false, reposted: false },
    ...overrides,
  };
}

describe('stream images in the web UI', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('points the avatar, media and every HTML image the server signed at the proxy', () => {
    // Through the real ingest sanitizer, so the HTML is exactly what the server stores and sends.
    const html = safeHtml(
      '<p>Hi <img src="https://img.example/a.png?w=1&h=2" alt="a &quot;quoted&quot; src=&quot;https://evil.example/&quot; alt"> and <IMG ALT=x SRC=\'https://img.example/b.gif\'></p>',
    );
    const original = item({ html });
    const signed = proxyItemImages(ORG, original, signImageUrls(signer, ORG, imageUrlsOf(original)));

    for (const [src, url] of [
      [signed.author.avatarUrl, 'https://cdn.example/avatar.png'],
      [signed.media[0]!.url, 'http://plain-http.example/photo.jpg'],
    ] as const) {
      const target = proxyTarget(src);
      expect(target?.url).toBe(url);
      expect(signer.verify(ORG, target!.url, target!.sig)).toBe(true);
    }
    const inHtml = sources(signed.html!).map(proxyTarget);
    expect(inHtml.map((t) => t?.url)).toEqual(['https://img.example/a.png?w=1&h=2', 'https://img.example/b.gif']);
    for (const target of inHtml) expect(signer.verify(ORG, target!.url, target!.sig)).toBe(true);
    expect(signed.html!.match(/<img\b[^>]*>/gi)!.every((img) => img.includes(' loading="lazy" src="'))).toBe(true);
    // Nothing else in the HTML names a remote image host as something to load.
    expect(signed.html).toContain('alt="a &quot;quoted&quot; src=&quot;https://evil.example/&quot; alt"');
    expect(signed.media[0]!.alt).toBe('a photo');
  });

  it('shows no image it has no signature for, instead of loading it from its host', () => {
    const html = safeHtml('<p><img src="https://tracker.example/pixel.gif" alt="pixel"></p>');
    const shown = proxyItemImages(ORG, item({ html }), {});
    expect(shown.author.avatarUrl).toBeNull();
    expect(shown.media).toEqual([]);
    expect(shown.html).not.toContain('tracker.example');
    expect(shown.html).toContain('alt="pixel"');
  });

  it('does not show an inline picture a second time under the text', () => {
    // Feed connectors list a post's inline <img> among its media as well.
    const inline = 'https://img.example/inline.png?w=1&h=2';
    const html = safeHtml(`<p>Look:</p><p><img src="${inline.replace('&', '&amp;')}" alt="inline"></p>`);
    const enclosure = { url: 'https://img.example/enclosure.jpg', alt: '' };
    const original = item({ html, media: [enclosure, { url: inline, alt: 'inline' }] });
    const shown = proxyItemImages(ORG, original, signImageUrls(signer, ORG, imageUrlsOf(original)));

    expect(mediaBesideHtml(shown).map((m) => proxyTarget(m.url)?.url)).toEqual([enclosure.url]);
    expect(mediaBesideHtml(original)).toEqual([enclosure]);
    // Without HTML (Bluesky, X) every picture is media.
    expect(mediaBesideHtml({ ...shown, html: null })).toHaveLength(2);
  });

  it('hands the column pages it fetches to the UI already proxied', async () => {
    const original = item();
    const page = { items: [original], nextCursor: null, imageSignatures: signImageUrls(signer, ORG, imageUrlsOf(original)) };
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify(page), { status: 200, headers: { 'content-type': 'application/json' } }));
    const fetched = await columnItems(ORG, 'c1', null);
    expect(proxyTarget(fetched.items[0]!.author.avatarUrl)?.url).toBe('https://cdn.example/avatar.png');
    expect(proxyTarget(fetched.items[0]!.media[0]!.url)?.url).toBe('http://plain-http.example/photo.jpg');
  });

  it('hands the item a state change returns to the UI already proxied', async () => {
    const original = item();
    const answer = { item: original, imageSignatures: signImageUrls(signer, ORG, imageUrlsOf(original)) };
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } }));
    const { item: changed } = await setItemState(ORG, 'i1', { read: true });
    expect(proxyTarget(changed.author.avatarUrl)?.url).toBe('https://cdn.example/avatar.png');
    expect(proxyTarget(changed.media[0]!.url)?.url).toBe('http://plain-http.example/photo.jpg');
  });
});
