import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allNetworkRules,
  authorKey,
  NETWORKS,
  networkRules,
  privateReplyText,
  publishingNetworks,
  reactionsOn,
  type Network,
} from '../../core/networks/index.js';
import { imageLimitFor, imageTypesFor, MEDIA_PER_POST, mediaProblemsFor } from '../../core/networks/post-media.js';
import { blueskyCapabilities } from '../../src/channels/bluesky/connector.js';
import { CONNECTORS } from '../../src/channels/registry.js';
import { xCapabilities } from '../../src/channels/x/connector.js';
const anyText = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.string({ unit: 'grapheme', maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.webUrl().map((url) => `see ${url}`),
);

describe('the network rules registry', () => {
  it('has one rules object per network, under its own name, and the connectors show its label', () => {
    expect(allNetworkRules().map((rules) => rules.network)).toEqual([...NETWORKS]);
    for (const network of NETWORKS) expect(CONNECTORS[network]?.label).toBe(networkRules(network).label);
    expect(publishingNetworks()).toEqual(['bluesky', 'mastodon', 'x', 'team', 'line', 'threads', 'linkedin', 'facebook', 'instagram']);
  });

  it('is what the connectors declare', () => {
    expect(blueskyCapabilities).toBe(networkRules('bluesky').capabilities);
    expect(xCapabilities).toBe(networkRules('x').capabilities);
  });
});

describe('private replies', () => {
  it('name the person on Mastodon, where a direct status reaches only whom it mentions, and go out as written elsewhere', () => {
    expect(privateReplyText('mastodon', 'kaito@other.example', 'Saturday too')).toBe('@kaito@other.example Saturday too');
    expect(privateReplyText('mastodon', '@kaito@other.example', 'Thanks @Kaito@other.example!')).toBe('Thanks @Kaito@other.example!');
    // A longer handle that starts with theirs is someone else.
    expect(privateReplyText('mastodon', 'kai@other.example', 'cc @kaito@other.example')).toBe('@kai@other.example cc @kaito@other.example');
    expect(privateReplyText('facebook', 'kaito', 'Saturday too')).toBe('Saturday too');
    expect(privateReplyText('line', 'kaito', 'Saturday too')).toBe('Saturday too');
  });
});

describe('reactions', () => {
  it('offer on a direct message only what its network takes there: a Mastodon favourite, no boost; nothing on Messenger', () => {
    expect(reactionsOn('mastodon', false)).toEqual({ like: true, repost: true });
    expect(reactionsOn('mastodon', true)).toEqual({ like: true, repost: false });
    expect(reactionsOn('facebook', false)).toEqual({ like: true, repost: false });
    expect(reactionsOn('facebook', true)).toEqual({ like: false, repost: false });
    expect(reactionsOn('line', true)).toEqual({ like: false, repost: false });
    expect(reactionsOn('not-a-network', false)).toEqual({ like: false, repost: false });
  });

  it('never offer on a direct message what the network does not take at all', () => {
    for (const { network, capabilities } of allNetworkRules()) {
      const direct = reactionsOn(network, true);
      expect(!direct.like || capabilities.like, network).toBe(true);
      expect(!direct.repost || capabilities.repost, network).toBe(true);
    }
  });
});

describe('text measures', () => {
  it('give one answer about an empty text: without images it does not fit, with them it does', () => {
    for (const network of publishingNetworks()) {
      for (const blank of ['', '   ', '\n']) {
        expect(networkRules(network).measureText(blank)).toMatchObject({ empty: true, fits: false });
        if (network !== 'team') expect(networkRules(network).measureText(blank, { mediaCount: 1 })).toMatchObject({ empty: false, fits: true });
      }
    }
  });

  it('count X by twitter-text weights, the same in every copy', () => {
    const x = networkRules('x');
    expect(x.measureText('日本語のテキスト https://example.com')).toMatchObject({ length: 40, limit: 280, fits: true });
    expect(x.measureText('日'.repeat(140))).toMatchObject({ length: 280, fits: true });
    expect(x.measureText('日'.repeat(141))).toMatchObject({ length: 282, tooLong: true, fits: false });
    expect(x.measureText('a\uFEFF')).toMatchObject({ tooLong: false, fits: false });
  });

  it('count the team feed as the team feed stores it (trimmed) against its own 5,000', () => {
    expect(networkRules('team').measureText(`  ${'a'.repeat(5000)}  `)).toMatchObject({ length: 5000, fits: true });
    expect(networkRules('team').measureText('a'.repeat(5001))).toMatchObject({ tooLong: true, fits: false });
  });

  it('never throw, and fit exactly when neither too long nor empty, on any text (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...NETWORKS),
        anyText,
        fc.nat(4),
        fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }),
        (network, text, mediaCount, limit) => {
          const measure = networkRules(network).measureText(text, { mediaCount, limit });
          expect(measure.length).toBeGreaterThanOrEqual(0);
          expect(measure.tooLong).toBe(measure.length > measure.limit);
          expect(measure.empty).toBe(text.trim() === '' && mediaCount === 0);
          // Instagram also needs an image and at most 30 hashtags.
          if (network !== 'feed' && network !== 'x' && network !== 'instagram') expect(measure.fits).toBe(!measure.tooLong && !measure.empty);
          if (measure.fits) expect(measure.tooLong || measure.empty).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('media limits', () => {
  it('say the team feed keeps no images, with one problem and no noise about sizes or alt text', () => {
    expect(mediaProblemsFor('team', [{ id: 'm1', bytes: 10, alt: '', mimeType: 'image/png' }])).toEqual([
      { network: 'team', problem: 'too_many_images', value: 1, limit: 0 },
    ]);
    expect(mediaProblemsFor('team', [])).toEqual([]);
  });

  it('say LINE takes one JPEG or PNG, shown as its own preview (1 MB), and no alt text, so no alt is too long for it', () => {
    const wordy = 'あ'.repeat(5000);
    expect(mediaProblemsFor('line', [{ id: 'm1', bytes: 1_000_000, alt: wordy, mimeType: 'image/jpeg' }])).toEqual([]);
    expect(mediaProblemsFor('line', [{ id: 'm1', bytes: 1_000_001, alt: '焼きたてのパン', mimeType: 'image/png' }])).toEqual([
      { network: 'line', problem: 'image_too_large', mediaId: 'm1', value: 1_000_001, limit: 1_000_000 },
    ]);
    expect(mediaProblemsFor('line', [{ id: 'm1', bytes: 10, alt: ' ', mimeType: 'image/jpeg' }])).toEqual([
      { network: 'line', problem: 'alt_missing', mediaId: 'm1' },
    ]);
    expect(
      mediaProblemsFor(
        'line',
        [1, 2].map((n) => ({ id: `m${n}`, bytes: 10, alt: 'a', mimeType: 'image/jpeg' })),
      ),
    ).toEqual([{ network: 'line', problem: 'too_many_images', value: 2, limit: 1 }]);
    expect(mediaProblemsFor('line', [{ id: 'm1', mimeType: 'image/webp', bytes: 10, alt: 'a' }])).toEqual([
      { network: 'line', problem: 'wrong_type', mediaId: 'm1', mimeType: 'image/webp' },
    ]);
    expect(mediaProblemsFor('line', [{ id: 'm1', mimeType: 'image/png', bytes: 10, alt: 'a' }])).toEqual([]);
    expect(networkRules('line').measureText(' ', { mediaCount: 1 })).toMatchObject({ empty: false, fits: true });
  });

  it('name each image whose type a network refuses, so a post never waits to fail when it publishes', () => {
    const png = { id: 'm1', bytes: 1000, alt: 'A cup', mimeType: 'image/png' };
    const webp = { id: 'm2', bytes: 1000, alt: 'A plate', mimeType: 'image/webp' };
    expect(mediaProblemsFor('instagram', [png])).toEqual([{ network: 'instagram', problem: 'wrong_type', mediaId: 'm1', mimeType: 'image/png' }]);
    expect(mediaProblemsFor('threads', [webp])).toEqual([{ network: 'threads', problem: 'wrong_type', mediaId: 'm2', mimeType: 'image/webp' }]);
    expect(mediaProblemsFor('bluesky', [png, webp])).toEqual([]);
  });

  it('offer a post to several networks only the image types all of them take', () => {
    expect(imageTypesFor([])).toEqual(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);
    expect(imageTypesFor(['team'])).toEqual(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);
    expect(imageTypesFor(['line', 'threads'])).toEqual(['image/jpeg', 'image/png']);
    expect(imageTypesFor(['bluesky', 'instagram', 'team'])).toEqual(['image/jpeg']);
  });

  it('give a post to several networks the smallest image limit among those that keep images', () => {
    expect(imageLimitFor([])).toBe(MEDIA_PER_POST);
    expect(imageLimitFor(['team'])).toBe(MEDIA_PER_POST);
    expect(imageLimitFor(['bluesky', 'team'])).toBe(4);
    for (const networks of [['x'], ['bluesky', 'mastodon'], ['instagram', 'threads', 'x']] as Network[][])
      expect(imageLimitFor(networks)).toBe(Math.min(...networks.map((n) => networkRules(n).capabilities.media.maxImages)));
  });
});

/** A valid identity on a network, as its parser writes it back (its handle). */
const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
const domain = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[a-z]{2,6}$/)).map(([labels, tld]) => [...labels, tld].join('.'));
const identity: fc.Arbitrary<[Network, string]> = fc.oneof(
  domain.map((d): [Network, string] => ['bluesky', d]),
  fc.tuple(fc.stringMatching(/^[A-Za-z0-9_]{1,20}$/), domain).map(([u, d]): [Network, string] => ['mastodon', `${u}@${d}`]),
  fc.stringMatching(/^[A-Za-z0-9_]{1,15}$/).map((n): [Network, string] => ['x', n]),
);

describe('identity parsing', () => {
  it('reads its own output back: the handle and the profile URL both parse to the same identity (property)', () => {
    fc.assert(
      fc.property(identity, ([network, text]) => {
        const rules = networkRules(network);
        const first = rules.parseIdentity(text);
        if (!first.ok) throw new Error(`${network} refused ${text}: ${first.message}`);
        expect(rules.parseIdentity(first.handle)).toEqual(first);
        expect(rules.parseIdentity(`@${first.handle}`)).toEqual(first);
        expect(rules.parseIdentity(first.profileUrl!)).toEqual(first);
        expect(authorKey(network, first.handle, first.profileUrl)).not.toBe('');
        // A form recognizes a profile URL as this network's, and as no other.
        expect(
          allNetworkRules()
            .filter((r) => r.recognizesIdentity(first.profileUrl!))
            .map((r) => r.network),
        ).toEqual([network]);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on any string, and says why when it refuses (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...NETWORKS),
        fc.oneof(fc.string({ maxLength: 120 }), fc.webUrl(), fc.string({ unit: 'binary', maxLength: 60 }), fc.constant('https://%zz')),
        (network, text) => {
          const rules = networkRules(network);
          const parsed = rules.parseIdentity(text);
          if (parsed.ok) expect(parsed.handle).not.toBe('');
          else expect(parsed.message).not.toBe('');
          expect(typeof rules.recognizesIdentity(text)).toBe('boolean');
        },
      ),
      { numRuns: 2000 },
    );
  });
});
