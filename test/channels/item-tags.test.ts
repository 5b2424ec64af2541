/**
 * What a network tagged a post with survives into Chorus's item: Bluesky facets (UTF-8 byte
 * ranges) become links, mentions and tags; Mastodon mentions, tags, card titles and direct
 * visibility are kept.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderRichText, type Facet } from '../../src/channels/bluesky/facets.js';
import { itemFromPostView } from '../../src/channels/bluesky/items.js';
import { itemFromStatus } from '../../src/channels/mastodon/items.js';
import { safeHtml } from '../../src/lib/safe-html.js';

const utf8 = new TextEncoder();
/** The byte range of `part` inside `text`, as a Bluesky client computes it. */
function range(text: string, part: string): { byteStart: number; byteEnd: number } {
  const at = text.indexOf(part);
  const byteStart = utf8.encode(text.slice(0, at)).length;
  return { byteStart, byteEnd: byteStart + utf8.encode(part).length };
}

const BOB_DID = 'did:plc:bob0000000000000000000000';

function blueskyPost(text: string, facets: unknown[], embed?: unknown) {
  return {
    uri: 'at://did:plc:alice/app.bsky.feed.post/3kabc',
    cid: 'bafyrei',
    author: { did: 'did:plc:alice', handle: 'alice.test' },
    record: { $type: 'app.bsky.feed.post', text, createdAt: '2026-12-01T00:00:00.000Z', facets },
    ...(embed ? { embed } : {}),
    indexedAt: '2026-12-01T00:00:01.000Z',
  };
}

describe('Bluesky facets', () => {
  it('link, mention and tag after Japanese text and emoji land on the right characters', () => {
    const text = '新しいパン🍞は @bob.test さんの店で https://bread.example/rye #パン です';
    const facets = [
      { index: range(text, '@bob.test'), features: [{ $type: 'app.bsky.richtext.facet#mention', did: BOB_DID }] },
      { index: range(text, 'https://bread.example/rye'), features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://bread.example/rye' }] },
      { index: range(text, '#パン'), features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'パン' }] },
    ];
    const item = itemFromPostView(
      blueskyPost(text, facets, {
        $type: 'app.bsky.embed.external#view',
        external: { uri: 'https://bread.example/rye', title: ' Rye bread ', description: '' },
      }),
    )!;
    expect(item.links).toEqual(['https://bread.example/rye']);
    expect(item.mentions).toEqual([{ remoteId: BOB_DID, handle: 'bob.test', profileUrl: `https://bsky.app/profile/${BOB_DID}` }]);
    expect(item.tags).toEqual(['パン']);
    expect(item.cardTitle).toBe('Rye bread');
    expect(item.isDirect).toBe(false);
    expect(item.html).toBe(
      `<p>新しいパン🍞は <a href="https://bsky.app/profile/${BOB_DID}">@bob.test</a> さんの店で <a href="https://bread.example/rye">https://bread.example/rye</a> <a href="https://bsky.app/hashtag/%E3%83%91%E3%83%B3">#パン</a> です</p>`,
    );
  });

  it('ignores facets that split a character, overlap, run past the text or name nothing known; the text stays whole', () => {
    const text = 'パン @bob.test';
    const mention = range(text, '@bob.test');
    const rendered = renderRichText(
      text,
      [
        { index: { byteStart: 1, byteEnd: 3 }, features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://split.example' }] },
        { index: mention, features: [{ $type: 'app.bsky.richtext.facet#mention', did: BOB_DID }] },
        {
          index: { byteStart: mention.byteStart + 1, byteEnd: mention.byteEnd },
          features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://overlap.example' }],
        },
        { index: { byteStart: 0, byteEnd: 999 }, features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://past.example' }] },
        { index: { byteStart: 0, byteEnd: 3 }, features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'javascript:alert(1)' }] },
      ],
      { profile: () => 'https://profiles.example/bob', tag: () => null },
    );
    expect(rendered.links).toEqual([]);
    expect(rendered.html).toBe('<p>パン <a href="https://profiles.example/bob">@bob.test</a></p>');
  });

  it('for any text and facets: never throws, keeps the text, and renders nothing executable', () => {
    const feature = fc.oneof(
      fc.record({ $type: fc.constant('app.bsky.richtext.facet#link'), uri: fc.oneof(fc.webUrl(), fc.string(), fc.constant('javascript:alert(1)')) }),
      fc.record({ $type: fc.constant('app.bsky.richtext.facet#mention'), did: fc.oneof(fc.string(), fc.constant('did:plc:"><script>')) }),
      fc.record({ $type: fc.constant('app.bsky.richtext.facet#tag'), tag: fc.string() }),
    );
    const facet: fc.Arbitrary<Facet> = fc.record({
      index: fc.record({ byteStart: fc.nat(80), byteEnd: fc.nat(80) }),
      features: fc.array(feature, { maxLength: 2 }),
    });
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'パ', '🍞', '<', '&', '"', '\n', ' ', '#', '@'), maxLength: 40 }),
        fc.array(facet, { maxLength: 6 }),
        (text, facets) => {
          const rendered = renderRichText(text, facets, { profile: (did) => `https://profiles.example/${encodeURIComponent(did)}`, tag: () => null });
          if (rendered.html === null) return;
          expect(safeHtml(rendered.html)).not.toMatch(/<script|javascript:|onerror/);
          const plain = rendered.html
            .replace(/<br>/g, '\n')
            .replace(/<[^>]+>/g, '')
            .replace(/&(amp|lt|gt|quot|#39);/g, (_m, n: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[n]!);
          expect(plain).toBe(text);
        },
      ),
    );
  });
});

describe('Mastodon tags', () => {
  const status = (extra: Record<string, unknown>) => ({
    id: '700',
    uri: 'https://other.example/users/bob/statuses/700',
    url: 'https://other.example/@bob/700',
    created_at: '2026-12-01T00:00:00.000Z',
    account: { id: '1', username: 'bob', acct: 'bob@other.example', display_name: 'Bob', url: 'https://other.example/@bob' },
    content:
      '<p><span class="h-card"><a href="https://mastodon.example/@acme" class="u-url mention">@<span>acme</span></a></span> order? <a href="https://other.example/tags/bread" class="mention hashtag">#<span>bread</span></a> <a href="https://bread.example/rye">bread.example/rye</a></p>',
    spoiler_text: '',
    visibility: 'public',
    replies_count: 0,
    reblogs_count: 0,
    favourites_count: 0,
    media_attachments: [],
    mentions: [{ id: '109302', username: 'acme', acct: 'acme', url: 'https://mastodon.example/@acme' }],
    tags: [{ name: 'bread', url: 'https://other.example/tags/bread' }],
    card: { url: 'https://bread.example/rye', title: 'Rye bread', description: '', type: 'link' },
    ...extra,
  });

  it('keeps mentions, tags, the card title and whether the status is a direct message', () => {
    const item = itemFromStatus(status({}))!;
    expect(item).toMatchObject({
      mentions: [{ remoteId: '109302', handle: 'acme', profileUrl: 'https://mastodon.example/@acme' }],
      tags: ['bread'],
      cardTitle: 'Rye bread',
      isDirect: false,
      links: ['https://bread.example/rye'],
    });
    expect(item.html).toContain('href="https://other.example/tags/bread"');
    expect(itemFromStatus(status({ visibility: 'direct' }))!.isDirect).toBe(true);
    expect(itemFromStatus(status({ mentions: 'nonsense', tags: [{ nope: 1 }], card: { url: 'https://x.example' } }))).toMatchObject({
      mentions: [],
      tags: [],
      cardTitle: null,
    });
  });
});
