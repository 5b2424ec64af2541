import fc from 'fast-check';
import { expect, it } from 'vitest';
import { createUser } from '../../src/accounts/users.js';
import type { NormalizedItem } from '../../src/channels/connector.js';
import { storeIngestedBatch } from '../../src/streams/ingest.js';
import { coveringTrigrams, parseSearchQuery } from '../../src/streams/search/query.js';
import { searchItems } from '../../src/streams/search/search.js';
import { sql } from 'kysely';
import { migrateToLatest } from '../../src/app/migrations.js';
import { createOrg } from '../../src/teams/service.js';
import { describeEachStore, openTestStore } from '../support/stores.js';

/**
 * Search is "every term occurs as a substring of the item's title, text, author name or handle",
 * lowercased. On SQLite the trigram index keeps no positions, so an item holding every trigram of a
 * term, in another order, is only a candidate: these texts come from a tiny alphabet so that such
 * near misses ("abcd xbcde" for "abcde") are common, and the store's answer must equal the model's.
 */

const alphabet = ['a', 'b', 'c', 'A', 'の', '障', '害', ' '];
const textOf = fc.array(fc.constantFrom(...alphabet), { minLength: 0, maxLength: 24 }).map((chars) => chars.join(''));
const queryOf = fc.array(fc.constantFrom(...alphabet, ' '), { minLength: 1, maxLength: 9 }).map((chars) => chars.join(''));

const item = (n: number, text: string): NormalizedItem => ({
  network: 'mastodon',
  remoteId: `https://social.example/@shop/${n}`,
  url: null,
  author: { remoteId: 'shop', handle: 'shop@social.example', displayName: 'Shop', avatarUrl: null, profileUrl: null },
  text,
  html: null,
  title: null,
  links: [],
  media: [],
  replyToRemoteId: null,
  quoteOfRemoteId: null,
  createdAt: new Date(Date.UTC(2027, 0, 1, 0, 0, n)).toISOString(),
  language: null,
  metrics: null,
});

it('covering trigrams are 3-character substrings that cover every character of the term', () => {
  fc.assert(
    fc.property(fc.string({ minLength: 3, maxLength: 40, unit: 'grapheme' }), (term) => {
      const chars = [...term];
      fc.pre(chars.length >= 3);
      const trigrams = coveringTrigrams(term);
      for (const trigram of trigrams) {
        expect([...trigram]).toHaveLength(3);
        expect(term).toContain(trigram);
      }
      expect(trigrams).toContain(chars.slice(0, 3).join(''));
      expect(trigrams).toContain(chars.slice(-3).join(''));
      expect(trigrams.length).toBeLessThanOrEqual(Math.ceil(chars.length / 3) + 1);
    }),
  );
  expect(coveringTrigrams('abcde')).toEqual(['abc', 'cde']);
  expect(coveringTrigrams('障害から')).toEqual(['障害か', '害から']);
});

describeEachStore('search against a substring model', (current) => {
  it('finds exactly the items holding every term, near misses included', { timeout: 120_000 }, async () => {
    const { store } = current();
    const clock = () => new Date();
    const owner = await createUser(store.db, clock, { email: 'owner@example.com', name: 'Owner', password: 'correct horse battery staple' });
    const org = await createOrg(store.db, clock, { name: 'Shop', ownerUserId: owner.id });
    const texts = ['abcd xbcde', 'abcde', 'AWSの障害から', 'の障 害から', ...fc.sample(textOf, { numRuns: 120, seed: 7 })];
    await storeIngestedBatch(store.db, {
      orgId: org.id,
      channelAccountId: null,
      items: texts.map((text, n) => item(n, text)),
      columnIds: [],
      fetchedAt: new Date().toISOString(),
    });
    const stored = await store.db.selectFrom('stream_items').select(['id', 'search_text']).execute();

    const check = async (query: string) => {
      const { terms } = parseSearchQuery(query);
      const expected = stored.filter((row) => terms.every((term) => row.search_text.includes(term))).map((row) => row.id);
      const found = await searchItems(store.db, store.dialect, org.id, query, { limit: 1000, before: null });
      expect(found.map((row) => row.id).sort(), `query ${JSON.stringify(query)}`).toEqual(expected.sort());
    };
    await check('abcde');
    expect((await searchItems(store.db, store.dialect, org.id, 'abcde', { limit: 10, before: null })).length).toBe(1);
    await check('障害から');
    await fc.assert(fc.asyncProperty(queryOf, check), { numRuns: 150, seed: 11 });
  });
});

it('an index with positions, from before migration 0402, is rebuilt without them and finds the same items', async () => {
  const test = await openTestStore('sqlite');
  try {
    const { store } = test;
    // Put the database back as 0401 left it: the index with positions, 0402 not applied.
    await sql`drop table stream_items_fts`.execute(store.db);
    await sql`create virtual table stream_items_fts using fts5(search_text, content='stream_items', content_rowid='seq', tokenize='trigram')`.execute(store.db);
    await sql`delete from chorus_migrations where name = '0402_search_index_without_positions'`.execute(store.db);
    const clock = () => new Date();
    const owner = await createUser(store.db, clock, { email: 'owner@example.com', name: 'Owner', password: 'correct horse battery staple' });
    const org = await createOrg(store.db, clock, { name: 'Shop', ownerUserId: owner.id });
    await storeIngestedBatch(store.db, {
      orgId: org.id,
      channelAccountId: null,
      items: ['AWSの障害から復旧しました', 'abcd xbcde', 'abcde'].map((text, n) => item(n, text)),
      columnIds: [],
      fetchedAt: new Date().toISOString(),
    });
    const found = async (query: string) => (await searchItems(store.db, 'sqlite', org.id, query, { limit: 10, before: null })).length;

    expect(await migrateToLatest(store)).toEqual(['0402_search_index_without_positions']);
    const { rows } = await sql<{ sql: string }>`select sql from sqlite_master where name = 'stream_items_fts'`.execute(store.db);
    expect(rows[0]!.sql).toContain('detail=none');
    expect(await found('障害から')).toBe(1);
    expect(await found('abcde')).toBe(1);
    expect(await found('bcd')).toBe(2);
    // New items still reach the rebuilt index through the ingest trigger.
    await storeIngestedBatch(store.db, {
      orgId: org.id,
      channelAccountId: null,
      items: [item(9, '障害からの復旧')],
      columnIds: [],
      fetchedAt: new Date().toISOString(),
    });
    expect(await found('障害から')).toBe(2);
  } finally {
    await test.dispose();
  }
});
