import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { livePostUrl } from '../../core/networks/index.js';
import { LIVE_POST_URL_MAX } from '../../core/networks/live-post-url.js';
import { postUrl } from '../../src/channels/bluesky/items.js';

const AT_URI = 'at://did:plc:abcdefghijklmnopqrstuvwx/app.bsky.feed.post/3kabcdefghij2';

/** What a browser would do with the href: only an https page with a host and no credentials is safe. */
function expectSafe(result: string | null): void {
  if (result === null) return;
  const url = new URL(result);
  expect(url.protocol).toBe('https:');
  expect(result.startsWith('https://')).toBe(true);
  expect(url.hostname).not.toBe('');
  expect(url.username + url.password).toBe('');
}

describe('livePostUrl', () => {
  it('keeps the web URLs the connectors answer at publish time', () => {
    for (const url of [
      postUrl('kissa.bsky.social', AT_URI),
      'https://mastodon.social/@kissa/113456789012345678',
      'https://x.com/kissahanako/status/1460000000000001000',
      'https://www.facebook.com/123456789_987654321',
      'https://www.linkedin.com/feed/update/urn:li:share:7123456789012345678/',
      'https://www.threads.net/@kissa/post/C1a2b3c4d5e',
    ])
      expect(livePostUrl(url)).toBe(url);
    expect(postUrl('kissa.bsky.social', AT_URI)).toBe('https://bsky.app/profile/kissa.bsky.social/post/3kabcdefghij2');
  });

  it('gives no link for a Bluesky post outside the main network: its at-uri is not a web page', () => {
    expect(postUrl('kissa.example.com', AT_URI, null)).toBe(AT_URI);
    expect(livePostUrl(postUrl('kissa.example.com', AT_URI, null))).toBeNull();
  });

  it('refuses what a hostile network could answer instead of a post URL', () => {
    for (const url of [
      'javascript:alert(document.cookie)',
      'JaVaScRiPt:alert(1)',
      ' \tjavascript:alert(1)',
      'java\nscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'http://mastodon.example/@kissa/1',
      'file:///etc/passwd',
      '//evil.example/post',
      '/relative/post',
      'https://x.com@evil.example/status/1',
      'https://user:secret@mastodon.example/@kissa/1',
      `https://mastodon.example/${'a'.repeat(LIVE_POST_URL_MAX)}`,
      '',
      null,
      undefined,
    ])
      expect(livePostUrl(url)).toBeNull();
  });

  it('never yields anything but an https page, whatever the network answers', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => expectSafe(livePostUrl(text))));
    fc.assert(fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => expectSafe(livePostUrl(url))));
    const scheme = fc.constantFrom('javascript:', 'JAVASCRIPT:', 'data:', 'vbscript:', 'http:', 'at:', 'file:', 'blob:');
    const noise = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', '\u0000', '\u001f'), maxLength: 4 });
    fc.assert(
      fc.property(noise, scheme, fc.string({ maxLength: 80 }), (before, s, rest) => {
        expect(livePostUrl(`${before}${s}${rest}`)).toBeNull();
      }),
    );
  });

  it('keeps every https post URL as it is', () => {
    const https = fc
      .webUrl({ validSchemes: ['https'], withQueryParameters: true, withFragments: true })
      .filter((u) => !new URL(u).username && !new URL(u).password);
    fc.assert(
      fc.property(https, (url) => {
        expect(livePostUrl(url)).toBe(new URL(url).href);
      }),
    );
  });
});
