import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/users.js';
import { AUTHOR_KEY_MAX } from '../../core/networks/author-key.js';
import { authorKey } from '../../core/networks/index.js';
import { NETWORKS, type NormalizedItem } from '../../src/channels/connector.js';
import { storeIngestedBatch } from '../../src/streams/ingest.js';
import { migrateToLatest } from '../../src/app/migrations.js';
import { createOrg } from '../../src/teams/service.js';
import { normalizedItem } from '../support/normalized-item.js';
import { openTestStore } from '../support/stores.js';

const network = fc.constantFrom(...NETWORKS);
const anyProfileUrl = fc.option(fc.oneof(fc.webUrl(), fc.string()), { nil: null });

describe('author keys', () => {
  it('never throws, and stays within the stored handle length, whatever a network sends', () => {
    fc.assert(
      fc.property(network, fc.string({ maxLength: 400 }), anyProfileUrl, (net, handle, profileUrl) => {
        const key = authorKey(net, handle, profileUrl);
        expect(key.length).toBeLessThanOrEqual(AUTHOR_KEY_MAX);
      }),
      { numRuns: 500 },
    );
  });

  it('ignores case and a leading @ in handles', () => {
    const handle = fc.stringMatching(/^[a-zA-Z0-9_.-]{1,40}$/);
    fc.assert(
      fc.property(fc.constantFrom('bluesky', 'x', 'feed', 'team') as fc.Arbitrary<'bluesky' | 'x' | 'feed' | 'team'>, handle, (net, h) => {
        expect(authorKey(net, `@${h.toUpperCase()}`, null)).toBe(authorKey(net, h.toLowerCase(), null));
      }),
    );
  });

  it('knows a Mastodon account by its profile URL, whichever server reports its acct', () => {
    const atHome = authorKey('mastodon', 'alice', 'https://Mastodon.Social/@Alice');
    const elsewhere = authorKey('mastodon', 'alice@mastodon.social', 'https://mastodon.social/@alice/');
    expect(atHome).toBe('mastodon.social/@alice');
    expect(elsewhere).toBe(atHome);
    // Another account of the same name on another server is someone else.
    expect(authorKey('mastodon', 'alice@hachyderm.io', 'https://hachyderm.io/@alice')).not.toBe(atHome);
    // Without a usable profile URL the acct is all there is.
    expect(authorKey('mastodon', '@Alice@mastodon.social', null)).toBe('alice@mastodon.social');
    expect(authorKey('mastodon', 'alice@mastodon.social', 'javascript:alert(1)')).toBe('alice@mastodon.social');
  });
});

it('migration 0404 gives items stored before it their author keys', async () => {
  const test = await openTestStore('sqlite');
  try {
    const { store } = test;
    const clock = () => new Date();
    const owner = await createUser(store.db, clock, { email: 'owner@example.com', name: 'Owner', password: 'correct horse battery staple' });
    const org = await createOrg(store.db, clock, { name: 'Shop', ownerUserId: owner.id });
    const item = (n: number, author: NormalizedItem['author'], network: NormalizedItem['network']) =>
      normalizedItem({ network, remoteId: `post-${n}`, author, text: `post ${n}`, createdAt: new Date(Date.UTC(2027, 0, 1, 0, n)).toISOString() });
    await storeIngestedBatch(store.db, {
      orgId: org.id,
      channelAccountId: null,
      items: [
        item(
          1,
          {
            remoteId: 'did:plc:a',
            handle: 'Alice.bsky.social',
            displayName: 'Alice',
            avatarUrl: null,
            profileUrl: 'https://bsky.app/profile/alice.bsky.social',
          },
          'bluesky',
        ),
        item(2, { remoteId: '1', handle: 'bob', displayName: 'Bob', avatarUrl: null, profileUrl: 'https://mastodon.social/@bob' }, 'mastodon'),
      ],
      columnIds: [],
      fetchedAt: new Date().toISOString(),
    });
    // Put the table back as 0403 left it: no author_key column, 0404 not applied.
    await sql`drop index stream_items_author`.execute(store.db);
    await sql`alter table stream_items drop column author_key`.execute(store.db);
    await sql`delete from chorus_migrations where name = '0404_stream_items_author_key'`.execute(store.db);

    expect(await migrateToLatest(store)).toEqual(['0404_stream_items_author_key']);
    const keys = await store.db.selectFrom('stream_items').select(['remote_id', 'author_key']).orderBy('remote_id').execute();
    expect(keys).toEqual([
      { remote_id: 'post-1', author_key: 'alice.bsky.social' },
      { remote_id: 'post-2', author_key: 'mastodon.social/@bob' },
    ]);
  } finally {
    await test.dispose();
  }
});
