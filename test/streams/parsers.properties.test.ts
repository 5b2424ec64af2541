import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NormalizedItem } from '../../src/channels/connector.js';
import { decodeCursor, encodeCursor } from '../../src/streams/cursor.js';
import { ITEM_LIMITS, toStoredItem } from '../../src/streams/normalize.js';
import { containsPattern, ftsPhrase, parseSearchQuery } from '../../src/streams/search/query.js';
import { itemJson, renderStoredViewOfRow } from '../../src/streams/views.js';

const hostileHtml = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://e.example"></iframe>',
    '<svg onload=alert(1)>',
    '<p style="x" onclick="y">t</p>',
  ),
  fc
    .array(fc.constantFrom('<script>', '</script>', '<a href="javascript:', '">', '<img onerror=', 'text', '<p>', '<!--', '-->', '<style>', '</style>'))
    .map((parts) => parts.join('')),
);

const item: fc.Arbitrary<NormalizedItem> = fc.record({
  network: fc.constantFrom('bluesky', 'mastodon', 'x', 'feed', 'team'),
  remoteId: fc.string({ minLength: 1, maxLength: 2000 }),
  url: fc.option(fc.oneof(fc.webUrl(), fc.string(), fc.constant('javascript:alert(1)'))),
  author: fc.record({
    remoteId: fc.string(),
    handle: fc.string(),
    displayName: fc.string(),
    avatarUrl: fc.option(fc.oneof(fc.webUrl(), fc.string())),
    profileUrl: fc.option(fc.webUrl()),
  }),
  text: fc.string({ maxLength: 30_000 }),
  html: fc.option(hostileHtml),
  title: fc.option(fc.string()),
  links: fc.array(fc.oneof(fc.webUrl(), fc.string()), { maxLength: 80 }),
  media: fc.array(fc.record({ url: fc.oneof(fc.webUrl(), fc.string()), alt: fc.string() }), { maxLength: 30 }),
  replyToRemoteId: fc.option(fc.string()),
  quoteOfRemoteId: fc.option(fc.string()),
  createdAt: fc.oneof(
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    fc.string(),
  ),
  language: fc.option(fc.string()),
  metrics: fc.option(fc.record({ likes: fc.nat(), reposts: fc.nat(), replies: fc.nat(), quotes: fc.nat(), views: fc.option(fc.nat()) })),
  mentions: fc.array(fc.record({ remoteId: fc.option(fc.string()), handle: fc.string(), profileUrl: fc.option(fc.oneof(fc.webUrl(), fc.string())) }), {
    maxLength: 60,
  }),
  tags: fc.array(fc.string(), { maxLength: 60 }),
  cardTitle: fc.option(fc.string()),
  isDirect: fc.boolean(),
});

describe('stream item normalization', () => {
  it('never throws; stores only http(s) URLs, clipped fields, a real date and HTML with nothing executable', () => {
    fc.assert(
      fc.property(item, (input) => {
        const row = toStoredItem(input, '2027-01-01T00:00:00.000Z');
        expect(row.text.length).toBeLessThanOrEqual(ITEM_LIMITS.text);
        expect(row.search_text.length).toBeLessThanOrEqual(ITEM_LIMITS.searchText);
        expect(row.search_text).toBe(row.search_text.toLowerCase());
        expect(new Date(row.created_at).toISOString()).toBe(row.created_at);
        for (const url of [
          row.url,
          row.author_avatar_url,
          row.author_profile_url,
          ...JSON.parse(row.links),
          ...JSON.parse(row.media).map((m: { url: string }) => m.url),
        ]) {
          if (url !== null) expect(url).toMatch(/^https?:\/\//i);
        }
        expect(JSON.parse(row.links).length).toBeLessThanOrEqual(ITEM_LIMITS.links);
        if (row.html !== null) {
          expect(row.html).not.toMatch(/<\s*(script|style|iframe|svg|object|embed)\b/i);
          expect(row.html).not.toMatch(/<[^>]*\son\w+\s*=/i);
          expect(row.html).not.toMatch(/href\s*=\s*"?\s*javascript:/i);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('item JSON built from the stored view', () => {
  it('is valid JSON equal to the item rendered field by field, for any item and reading state', () => {
    const state = fc.record({
      read: fc.boolean(),
      done: fc.boolean(),
      assignedToUserId: fc.option(fc.uuid()),
      channelAccountId: fc.option(fc.uuid()),
      viewer: fc.option(fc.record({ liked: fc.boolean(), reposted: fc.boolean() }), { nil: undefined }),
    });
    fc.assert(
      fc.property(item, fc.uuid(), fc.option(fc.uuid()), state, (input, id, firstAccount, reading) => {
        const row = { ...toStoredItem(input, '2027-01-01T00:00:00.000Z'), id, channel_account_id: firstAccount };
        const view = JSON.parse(itemJson(row, reading));
        expect(view).toEqual({
          id,
          network: row.network,
          remoteId: row.remote_id,
          url: row.url,
          author: { handle: row.author_handle, displayName: row.author_display_name, avatarUrl: row.author_avatar_url, profileUrl: row.author_profile_url },
          title: row.title,
          text: row.text,
          html: row.html,
          links: JSON.parse(row.links),
          media: JSON.parse(row.media),
          replyToRemoteId: row.reply_to_remote_id,
          quoteOfRemoteId: row.quote_of_remote_id,
          createdAt: row.created_at,
          // Only present when the entry's own date could not be read (the fetch time stands in).
          ...(row.created_at_approximate ? { createdAtApproximate: true } : {}),
          language: row.language,
          mentions: JSON.parse(row.mentions),
          tags: JSON.parse(row.tags),
          cardTitle: row.card_title,
          isDirect: row.is_direct === 1,
          metrics: input.metrics,
          channelAccountId: reading.channelAccountId ?? firstAccount,
          read: reading.read,
          done: reading.done,
          assignedToUserId: reading.assignedToUserId,
          // What the column's account did to it; no reaction known reads as not liked, not reposted.
          viewer: { liked: reading.viewer?.liked ?? false, reposted: reading.viewer?.reposted ?? false },
        });
        // A row read back from the store renders the same view as the one stored at ingest.
        expect(renderStoredViewOfRow(row)).toBe(row.view);
      }),
      { numRuns: 300 },
    );
  });
});

describe('item cursors', () => {
  it('round-trip every position and reject anything else', () => {
    fc.assert(
      fc.property(
        fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(Date.UTC(9999, 0)) }),
        fc.string({ minLength: 1, maxLength: 100 }),
        (date, itemId) => {
          const cursor = { createdAt: date.toISOString(), itemId };
          expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
        },
      ),
    );
    fc.assert(
      fc.property(fc.string(), (garbage) => {
        expect(() => decodeCursor(garbage)).not.toThrow();
      }),
    );
    expect(decodeCursor('not-a-cursor')).toBeNull();
  });
});

describe('search queries', () => {
  it('become lowercase literal terms; FTS phrases and LIKE patterns cannot carry syntax', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (query) => {
        const { terms } = parseSearchQuery(query);
        expect(terms.length).toBeLessThanOrEqual(10);
        for (const term of terms) {
          expect(term).toBe(term.toLowerCase());
          expect(term).not.toMatch(/\s/u);
          // Inside the phrase every double quote is doubled, so the phrase cannot end early.
          expect(ftsPhrase(term).slice(1, -1).replaceAll('""', '')).not.toContain('"');
          expect(
            containsPattern(term)
              .slice(1, -1)
              .replace(/\\[\\%_]/g, ''),
          ).not.toMatch(/[%_]/);
        }
      }),
    );
    expect(parseSearchQuery('AWS  障害 aws').terms).toEqual(['aws', '障害']);
  });
});
