import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/users.js';
import type { NormalizedItem } from '../../src/channels/connector.js';
import { storeIngestedBatch } from '../../src/streams/ingest.js';
import { toStoredItem } from '../../src/streams/normalize.js';
import { searchItems } from '../../src/streams/search/search.js';
import { migrateToLatest, migrateUpTo } from '../../src/app/migrations.js';
import { createOrg } from '../../src/teams/service.js';
import { normalizedItem } from '../support/normalized-item.js';
import { openTestStore, testDialects } from '../support/stores.js';

const FEED_A = 'http://feeds.example/a.xml';
const FEED_B = 'http://feeds.example/b.xml';
const at = '2027-01-01T00:00:00.000Z';

const feedEntry = (remoteId: string, text: string): NormalizedItem =>
  normalizedItem({
    network: 'feed',
    remoteId,
    text,
    author: { remoteId: FEED_A, handle: 'feeds.example', displayName: 'Blog A', avatarUrl: null, profileUrl: 'http://feeds.example/' },
  });

for (const dialect of testDialects()) {
  describe(`migration 0405_feed_item_identity [${dialect}]`, () => {
    it('scopes stored feed entries by their feed, keeps read, done and assignees, drops what showed another feed its entry, and reads every feed whole again', async () => {
      const test = await openTestStore(dialect, { migrate: false });
      try {
        const { store } = test;
        await migrateUpTo(store, '0404_stream_items_author_key');
        const db = store.db;
        const clock = () => new Date(at);
        const owner = await createUser(db, clock, { email: 'owner@example.com', name: 'Owner', password: 'correct horse battery staple' });
        const org = await createOrg(db, clock, { name: 'Shop', ownerUserId: owner.id });
        const channel = (id: string, network: 'feed' | 'mastodon', remoteId: string) => ({
          id,
          org_id: org.id,
          network,
          display_name: id,
          handle: id,
          remote_id: remoteId,
          profile_url: null,
          avatar_url: null,
          credentials: 'sealed',
          health_status: 'ok' as const,
          health_reason: null,
          created_by: null,
          created_at: at,
          updated_at: at,
          last_checked_at: null,
          text_limit: null,
        });
        await db
          .insertInto('channel_accounts')
          .values([channel('ch-a', 'feed', FEED_A), channel('ch-b', 'feed', FEED_B), channel('ch-m1', 'mastodon', '1'), channel('ch-m2', 'mastodon', '2')])
          .execute();
        await db
          .insertInto('boards')
          .values({ id: 'board', org_id: org.id, owner_user_id: owner.id, name: 'B', shared: 0, position: 0, created_at: at })
          .execute();
        const column = (id: string, channelId: string, kind: 'feed' | 'home', position: number) => ({
          id,
          org_id: org.id,
          board_id: 'board',
          title: id,
          channel_account_id: channelId,
          kind,
          target: null,
          width: 'normal' as const,
          position,
          filters: '{}',
          created_at: at,
        });
        await db
          .insertInto('stream_columns')
          .values([
            column('col-a', 'ch-a', 'feed', 0),
            column('col-b', 'ch-b', 'feed', 1),
            column('col-m1', 'ch-m1', 'home', 2),
            column('col-m2', 'ch-m2', 'home', 3),
          ])
          .execute();

        // As 0404 stored them: feed A's <guid>1</guid> is the one item feed B's guid 1 was merged into.
        const row = (id: string, channelId: string, item: NormalizedItem) => {
          const {
            id_scope: _scope,
            created_at_approximate: _approximate,
            mentions: _m,
            tags: _t,
            card_title: _c,
            is_direct: _d,
            ...columns
          } = toStoredItem(item, at);
          return { ...columns, id, org_id: org.id, channel_account_id: channelId, fetched_at: at };
        };
        // The table as 0404 left it, without the columns the Database type now has.
        await db
          .insertInto('stream_items' as never)
          .values([
            row('item-1', 'ch-a', feedEntry('1', 'A says one 障害')),
            row('item-2', 'ch-a', feedEntry('a-2', 'A says two')),
            row('item-m', 'ch-m1', normalizedItem({ remoteId: '109' })),
          ] as never)
          .execute();
        const membership = (columnId: string, itemId: string, read: number, done: number) => ({
          org_id: org.id,
          column_id: columnId,
          item_id: itemId,
          created_at: at,
          read,
          done,
        });
        await db
          .insertInto('column_items')
          .values([
            membership('col-a', 'item-1', 1, 1),
            membership('col-b', 'item-1', 1, 0),
            membership('col-a', 'item-2', 0, 1),
            membership('col-m1', 'item-m', 1, 0),
            membership('col-m2', 'item-m', 0, 1),
          ])
          .execute();
        await db.insertInto('item_states').values({ org_id: org.id, item_id: 'item-1', assigned_to_user_id: owner.id, updated_at: at }).execute();
        const job = (id: string, channelId: string, network: 'feed' | 'mastodon', kind: 'feed' | 'home') => ({
          id,
          org_id: org.id,
          channel_account_id: channelId,
          network,
          kind,
          target: '',
          next_poll_at: '2027-06-01T00:00:00.000Z',
          interval_ms: 60_000,
          lease_owner: null,
          lease_expires_at: null,
          poll_state: '{"etag":"\\"v1\\"","lastModified":null}',
          newest_remote_id: 'newest',
          budget_window_start: at,
          budget_used: 0,
          last_polled_at: at,
          last_error: null,
          failures: 0,
          watched_until: null,
        });
        await db
          .insertInto('ingest_jobs')
          .values([job('job-a', 'ch-a', 'feed', 'feed'), job('job-m', 'ch-m1', 'mastodon', 'home')])
          .execute();

        expect(await migrateToLatest(store)).toEqual(expect.arrayContaining(['0405_channel_read_notes', '0405_feed_item_identity']));

        expect(await db.selectFrom('stream_items').select(['id', 'id_scope', 'created_at_approximate']).orderBy('id').execute()).toEqual([
          { id: 'item-1', id_scope: FEED_A, created_at_approximate: 0 },
          { id: 'item-2', id_scope: FEED_A, created_at_approximate: 0 },
          { id: 'item-m', id_scope: '', created_at_approximate: 0 },
        ]);
        // Read and done stay where they were true; only feed B's membership of feed A's entry is gone.
        expect(await db.selectFrom('column_items').select(['column_id', 'item_id', 'read', 'done']).orderBy('column_id').orderBy('item_id').execute()).toEqual([
          { column_id: 'col-a', item_id: 'item-1', read: 1, done: 1 },
          { column_id: 'col-a', item_id: 'item-2', read: 0, done: 1 },
          { column_id: 'col-m1', item_id: 'item-m', read: 1, done: 0 },
          { column_id: 'col-m2', item_id: 'item-m', read: 0, done: 1 },
        ]);
        expect(await db.selectFrom('item_states').select(['item_id', 'assigned_to_user_id']).execute()).toEqual([
          { item_id: 'item-1', assigned_to_user_id: owner.id },
        ]);
        const jobs = await db.selectFrom('ingest_jobs').select(['id', 'poll_state', 'newest_remote_id', 'next_poll_at']).orderBy('id').execute();
        expect(jobs[0]).toMatchObject({ id: 'job-a', poll_state: null, newest_remote_id: null });
        expect(Date.parse(jobs[0]!.next_poll_at)).toBeLessThanOrEqual(Date.now());
        expect(jobs[1]).toEqual({
          id: 'job-m',
          poll_state: '{"etag":"\\"v1\\"","lastModified":null}',
          newest_remote_id: 'newest',
          next_poll_at: '2027-06-01T00:00:00.000Z',
        });

        // The search index still finds the rebuilt rows (SQLite keeps them by rowid).
        expect((await searchItems(db, store.dialect, org.id, '障害', { limit: 10, before: null })).map((r) => r.id)).toEqual(['item-1']);

        // Feed B's own guid 1 is now an item of its own; feed A's is still the stored one; Mastodon dedupes across accounts as before.
        const batch = (channelAccountId: string, columnId: string, items: NormalizedItem[]) =>
          storeIngestedBatch(db, { orgId: org.id, channelAccountId, items, columnIds: [columnId], fetchedAt: at });
        const fromB = await batch('ch-b', 'col-b', [{ ...feedEntry('1', 'B says one'), idScope: FEED_B }]);
        expect(fromB.newItemIds).toHaveLength(1);
        expect(fromB.memberships).toEqual([{ columnId: 'col-b', itemId: fromB.newItemIds[0] }]);
        expect((await batch('ch-a', 'col-a', [{ ...feedEntry('1', 'A again'), idScope: FEED_A }])).newItemIds).toEqual([]);
        expect((await batch('ch-m2', 'col-m2', [normalizedItem({ remoteId: '109' })])).newItemIds).toEqual([]);
        expect(
          await db.selectFrom('column_items').select(['read', 'done']).where('column_id', '=', 'col-a').where('item_id', '=', 'item-1').executeTakeFirst(),
        ).toEqual({ read: 1, done: 1 });
      } finally {
        await test.dispose();
      }
    });
  });
}
