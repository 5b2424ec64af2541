import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConnectorResult, StreamPage } from '../../src/channels/connector.js';
import { FeedConnector } from '../../src/channels/feed/connector.js';
import { decodeFeedBytes } from '../../src/channels/feed/charset.js';
import { htmlToText, sanitizeFeedHtml } from '../../src/channels/feed/html.js';

const now = new Date('2026-11-27T10:00:00Z');
const guardian = fs.readFileSync('/work/shared/fixtures/feeds/guardian.rss', 'utf8').slice(0, 20_000);

/** The connector with a fetch that answers `body`, no network involved. */
function readWith(body: Uint8Array | string, contentType: string): Promise<ConnectorResult<StreamPage>> {
  const fetch = (async () => new Response(body as BodyInit, { status: 200, headers: { 'content-type': contentType } })) as unknown as typeof globalThis.fetch;
  return new FeedConnector({ url: 'https://feeds.example/feed' }, { fetch, now: () => now, saveCredentials: async () => {} }).readStream({
    kind: 'feed',
    limit: 500,
  });
}

function expectResult(result: ConnectorResult<StreamPage>): void {
  expect(typeof result.ok).toBe('boolean');
  if (result.ok) {
    for (const item of result.value.items) {
      expect(item.html ?? '').not.toMatch(/<script|javascript:|\son\w+=/i);
      expect(Number.isNaN(Date.parse(item.createdAt))).toBe(false);
      expectImageUrl(item.author.avatarUrl);
    }
  } else {
    expect(result.failure.message.length).toBeGreaterThan(0);
  }
}

/** An avatar is absent or an absolute http(s) URL the image proxy accepts. */
function expectImageUrl(url: string | null | undefined): void {
  if (url == null) return;
  expect(url).toMatch(/^https?:\/\//);
  expect(url.length).toBeLessThanOrEqual(2048);
}

const contentTypes = fc.constantFrom(
  'application/xml',
  'text/xml; charset=shift_jis',
  'application/json',
  'text/html; charset=utf-8',
  'application/rss+xml; charset=bogus-charset',
  '',
);

describe('feed connector on arbitrary input', () => {
  it('answers arbitrary bytes with a ConnectorResult, never a throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), contentTypes, async (bytes, type) => expectResult(await readWith(bytes, type))),
      { numRuns: 300 },
    );
  });

  it('answers arbitrary strings, including XML-ish and JSON-ish ones, with a ConnectorResult', async () => {
    const xmlish = fc
      .array(
        fc.oneof(
          fc.string(),
          fc.constantFrom(
            '<rss version="2.0">',
            '<channel>',
            '<item>',
            '</item>',
            '<title>',
            '</title>',
            '<![CDATA[',
            ']]>',
            '<feed xmlns="http://www.w3.org/2005/Atom">',
            '<entry>',
            '<link href="',
            '"/>',
            '&amp;',
            '&#0;',
            '&#x110000;',
            '<!DOCTYPE x>',
            '{"version":"https://jsonfeed.org/version/1","items":[',
            '{"id":1}',
            ']}',
          ),
        ),
        { maxLength: 40 },
      )
      .map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 2000 }), xmlish), contentTypes, async (text, type) =>
        expectResult(await readWith(text, type)),
      ),
      { numRuns: 300 },
    );
  });

  it('answers a real feed cut or corrupted anywhere with a ConnectorResult', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: guardian.length }), fc.nat({ max: guardian.length }), fc.string({ maxLength: 20 }), async (cut, at, noise) => {
        expectResult(await readWith(guardian.slice(0, cut), 'application/rss+xml'));
        expectResult(await readWith(guardian.slice(0, at) + noise + guardian.slice(at), 'application/rss+xml'));
      }),
      { numRuns: 100 },
    );
  });

  it('takes any declared feed image or author avatar without a throw, keeping only http(s) URLs', async () => {
    const url = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.constantFrom(
        'javascript:alert(1)',
        ' JaVaScRiPt:alert(1)',
        'data:image/png;base64,AAAA',
        '//cdn.example/x.png',
        '../x.png',
        'http://',
        'https://u:p@h.example/',
        'https://h.example/' + 'a'.repeat(3000),
        '\u0000',
        '&amp;',
      ),
    );
    const xml = (value: string) => value.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
    const feeds = fc.oneof(
      url.map((u) => ({
        body: `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://s.example/</link><image><url>${xml(u)}</url></image><item><guid>1</guid></item></channel></rss>`,
        type: 'application/rss+xml',
      })),
      fc.tuple(url, url).map(([icon, logo]) => ({
        body: `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>x</id><icon>${xml(icon)}</icon><logo>${xml(logo)}</logo><entry><id>1</id></entry></feed>`,
        type: 'application/atom+xml',
      })),
      fc.tuple(fc.oneof(url, fc.jsonValue()), fc.oneof(url, fc.jsonValue()), fc.oneof(url, fc.jsonValue())).map(([icon, favicon, avatar]) => ({
        body: JSON.stringify({
          version: 'https://jsonfeed.org/version/1.1',
          title: 't',
          icon,
          favicon,
          authors: [{ name: 'f', avatar }],
          items: [
            { id: '1', content_text: 'x', authors: [{ name: 'a', avatar }] },
            { id: '2', content_text: 'y' },
          ],
        }),
        type: 'application/feed+json',
      })),
    );
    await fc.assert(
      fc.asyncProperty(feeds, async ({ body, type }) => {
        const fetch = (async () => new Response(body, { status: 200, headers: { 'content-type': type } })) as unknown as typeof globalThis.fetch;
        const connector = new FeedConnector({ url: 'https://feeds.example/feed' }, { fetch, now: () => now, saveCredentials: async () => {} });
        const verified = await connector.verify();
        if (verified.ok) expectImageUrl(verified.value.avatarUrl);
        expectResult(await connector.readStream({ kind: 'feed' }));
      }),
      { numRuns: 300 },
    );
  });

  it('decodes any bytes under any declared charset without throwing', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2048 }),
        fc.constantFrom(null, 'text/xml; charset=euc-jp', 'text/xml; charset=utf-8', 'text/xml; charset=nonsense', 'text/xml; charset=utf-16'),
        (bytes, type) => {
          expect(typeof decodeFeedBytes(bytes, type).text).toBe('string');
        },
      ),
    );
  });

  it('sanitized HTML of any input carries no script, handler or javascript: URL', () => {
    const dangerous = fc.constantFrom(
      '<script>x</script>',
      '<img src=x onerror=alert(1)>',
      '<a href="javascript:alert(1)">',
      '<a href="jav&#x09;ascript:alert(1)">',
      '<iframe src=//e>',
      '<svg onload=x>',
      '<style>*{}</style>',
      '<a href=" javascript:x">',
      '<math><mi xlink:href="javascript:x">',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), dangerous), { maxLength: 20 }), (parts) => {
        const { html, links } = sanitizeFeedHtml(parts.join(''), 'https://blog.example/');
        expect(html).not.toMatch(/<script|<iframe|<style|<svg|javascript:|\son\w+=/i);
        for (const link of links) expect(link).toMatch(/^https?:/);
        expect(typeof htmlToText(parts.join(''))).toBe('string');
      }),
    );
  });
});
