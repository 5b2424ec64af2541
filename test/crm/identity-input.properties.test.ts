import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NETWORKS, type Network } from '../../src/channels/connector.js';
import { authorKey } from '../../core/networks/index.js';
import { parseIdentity } from '../../src/crm/identity-input.js';
import { DomainError } from '../../src/lib/domain-error.js';

const parsedOrRejected = (network: Network, text: string) => {
  try {
    return parseIdentity(network, text);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'invalid_identity', status: 400 });
    return null;
  }
};

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
const domain = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[a-z]{2,6}$/)).map(([labels, tld]) => [...labels, tld].join('.'));
const xName = fc.stringMatching(/^[A-Za-z0-9_]{1,15}$/);
const mastodonUser = fc.stringMatching(/^[A-Za-z0-9_]{1,20}$/);
const feedName = fc.string({ minLength: 1, maxLength: 60 }).filter((s) => /^[\x21-\x7e][\x20-\x7e]*$/.test(s) && s.trim() === s && !s.startsWith('@'));

/** A valid identity as a user may type it, per network. */
const typedIdentity: fc.Arbitrary<{ network: Network; text: string }> = fc.oneof(
  domain.map((d) => ({ network: 'bluesky' as const, text: d })),
  fc.tuple(mastodonUser, domain).map(([u, d]) => ({ network: 'mastodon' as const, text: `${u}@${d}` })),
  xName.map((n) => ({ network: 'x' as const, text: n })),
  fc.tuple(fc.constantFrom<Network>('feed', 'team'), feedName).map(([network, text]) => ({ network, text })),
);

describe('identity input', () => {
  it('reads the usual ways of writing an identity', () => {
    for (const text of [
      '@alice.bsky.social',
      'alice.bsky.social',
      'https://bsky.app/profile/alice.bsky.social',
      ' https://bsky.app/profile/Alice.bsky.social/ ',
    ]) {
      expect(parseIdentity('bluesky', text)).toEqual({
        network: 'bluesky',
        handle: 'alice.bsky.social',
        profileUrl: 'https://bsky.app/profile/alice.bsky.social',
        matchKey: 'alice.bsky.social',
      });
    }
    for (const text of ['@alice@mastodon.social', 'alice@mastodon.social', 'https://mastodon.social/@alice']) {
      expect(parseIdentity('mastodon', text)).toEqual({
        network: 'mastodon',
        handle: 'alice@mastodon.social',
        profileUrl: 'https://mastodon.social/@alice',
        matchKey: 'mastodon.social/@alice',
      });
    }
    for (const text of ['@alice', 'alice', 'https://x.com/alice', 'https://twitter.com/alice']) {
      expect(parseIdentity('x', text)).toEqual({ network: 'x', handle: 'alice', profileUrl: 'https://x.com/alice', matchKey: 'alice' });
    }
    expect(parseIdentity('feed', '  Jane Doe ')).toEqual({ network: 'feed', handle: 'Jane Doe', profileUrl: null, matchKey: 'jane doe' });
    expect(parseIdentity('team', 'Olivia Owner')).toMatchObject({ handle: 'Olivia Owner', profileUrl: null });
  });

  it('matches the author key stored items get', () => {
    // A Mastodon item by a local account carries acct "alice" and the profile URL; the key is the URL's.
    expect(parseIdentity('mastodon', '@alice@mastodon.social').matchKey).toBe(authorKey('mastodon', 'alice', 'https://mastodon.social/@alice'));
    expect(parseIdentity('bluesky', '@Alice.bsky.social').matchKey).toBe(
      authorKey('bluesky', 'alice.bsky.social', 'https://bsky.app/profile/alice.bsky.social'),
    );
  });

  it('says what is wrong with input it cannot read', () => {
    const message = (network: Network, text: string) => {
      try {
        parseIdentity(network, text);
      } catch (error) {
        expect(error).toMatchObject({ code: 'invalid_identity', status: 400 });
        return (error as Error).message;
      }
      throw new Error(`${network} ${text} was accepted`);
    };
    expect(message('mastodon', '@alice')).toMatch(/needs its server/);
    expect(message('x', '@this_name_is_far_too_long')).toMatch(/1 to 15/);
    expect(message('x', 'https://x.com/alice/status/1')).toMatch(/x\.com\/alice/);
    expect(message('bluesky', 'https://bsky.app/profile/did:plc:abc')).toMatch(/DID/);
    expect(message('bluesky', 'alice')).toMatch(/not a Bluesky handle/);
    expect(message('bluesky', 'https://example.com/alice')).toMatch(/bsky\.app\/profile/);
    expect(message('feed', '   ')).toMatch(/empty/);
    expect(message('team', 'x'.repeat(301))).toMatch(/at most 300/);
  });

  it('never fails with anything but invalid_identity, whatever is typed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...NETWORKS),
        fc.oneof(fc.string({ maxLength: 80 }), fc.webUrl(), fc.string({ unit: 'binary', maxLength: 40 }), fc.constant('https://%zz')),
        (network, text) => {
          const parsed = parsedOrRejected(network, text);
          if (parsed) expect(parsed.matchKey.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('re-reads a parsed identity from its handle and its profile URL to the same key', () => {
    fc.assert(
      fc.property(typedIdentity, ({ network, text }) => {
        const parsed = parseIdentity(network, text);
        expect(parseIdentity(network, parsed.handle).matchKey).toBe(parsed.matchKey);
        if (parsed.profileUrl) expect(parseIdentity(network, parsed.profileUrl)).toEqual(parseIdentity(network, parsed.handle));
      }),
      { numRuns: 1000 },
    );
  });

  it('ignores case and a leading @ in the key', () => {
    fc.assert(
      fc.property(typedIdentity, fc.boolean(), ({ network, text }, upper) => {
        const key = parseIdentity(network, text).matchKey;
        expect(parseIdentity(network, `@${text}`).matchKey).toBe(key);
        expect(parseIdentity(network, upper ? text.toUpperCase() : text.toLowerCase()).matchKey).toBe(key);
      }),
      { numRuns: 1000 },
    );
  });
});
