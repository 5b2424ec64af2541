import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/users.js';
import { storeIngestedBatch } from '../../src/streams/ingest.js';
import { toStoredItem } from '../../src/streams/normalize.js';
import { presentItem } from '../../src/streams/views.js';
import { migrateToLatest, migrateUpTo } from '../../src/app/migrations.js';
import { createOrg } from '../../src/teams/service.js';
import { normalizedItem } from '../support/normalized-item.js';
import { describeEachStore, openTestStore, testDialects } from '../support/stores.js';

const at = '2027-01-01T00:00:00.000Z';
const state = { read: false, done: false, assignedToUserId: null };

describeEachStore('tagged stream items', (current) => {
  it('stores mentions, tags, the card title and the direct-message flag, and shows them on the item view', async () => {
    const { store } = current();
    const clock = () => new Date(at);
    const owner = await createUser(store.db, clock, { email: 'owner@example.com', name: 'Owner', password: 'correct horse battery staple' });
    const org = await createOrg(store.db, clock, { name: 'Shop', ownerUserId: owner.id });
    const direct = normalizedItem({
      remoteId: '1',
      mentions: [
        { remoteId: '9', handle: 'acme', profileUrl: 'https://mastodon.example/@acme' },
        { remoteId: null, handle: 'x', profileUrl: 'javascript:alert(1)' },
      ],
      tags: ['#パン', 'bread', 'bread'],
      cardTitle: ' Rye ',
      isDirect: true,
    });
    await storeIngestedBatch(store.db, {
      orgId: org.id,
      channelAccountId: null,
      items: [direct, normalizedItem({ remoteId: '2' })],
      columnIds: [],
      fetchedAt: at,
    });
    const rows = await store.db
      .selectFrom('stream_items')
      .select(['id', 'view', 'metrics', 'channel_account_id', 'is_direct', 'mentions', 'tags', 'card_title'])
      .orderBy('remote_id')
      .execute();
    expect(rows.map((r) => [r.is_direct, r.card_title, JSON.parse(r.tags)])).toEqual([
      [1, 'Rye', ['パン', 'bread']],
      [0, null, []],
    ]);
    expect(presentItem(rows[0]!, state)).toMatchObject({
      isDirect: true,
      cardTitle: 'Rye',
      tags: ['パン', 'bread'],
      mentions: [
        { remoteId: '9', handle: 'acme', profileUrl: 'https://mastodon.example/@acme' },
        { remoteId: null, handle: 'x', profileUrl: null },
      ],
    });
    expect(presentItem(rows[1]!, state)).toMatchObject({ isDirect: false, cardTitle: null, tags: [], mentions: [] });
  });
});

for (const dialect of testDialects()) {
  describe(`migration 0406_stream_items_tagged [${dialect}]`, () => {
    it('gives views stored before it the new members with what their rows hold', async () => {
      const test = await openTestStore(dialect, { migrate: false });
      try {
        const { store } = test;
        await migrateUpTo(store, '0405_feed_item_identity');
        const clock = () => new Date(at);
        const owner = await createUser(store.db, clock, { email: 'owner@example.com', name: 'Owner', password: 'correct horse battery staple' });
        const org = await createOrg(store.db, clock, { name: 'Shop', ownerUserId: owner.id });
        const {
          mentions: _m,
          tags: _t,
          card_title: _c,
          is_direct: _d,
          ...columns
        } = toStoredItem(normalizedItem({ remoteId: '1', text: 'isDirect "quoted" 障害' }), at);
        const oldView = JSON.parse(columns.view) as Record<string, unknown>;
        delete oldView.mentions;
        delete oldView.tags;
        delete oldView.cardTitle;
        delete oldView.isDirect;
        await store.db
          .insertInto('stream_items' as never)
          .values({ ...columns, view: JSON.stringify(oldView), id: 'item-1', org_id: org.id, channel_account_id: null, fetched_at: at } as never)
          .execute();
        expect(await migrateToLatest(store)).toContain('0406_stream_items_tagged');
        const row = await store.db.selectFrom('stream_items').select(['id', 'view', 'metrics', 'channel_account_id']).executeTakeFirstOrThrow();
        expect(presentItem(row, state)).toEqual({
          id: 'item-1',
          metrics: null,
          channelAccountId: null,
          ...state,
          // No reaction recorded for the account it is shown as.
          viewer: { liked: false, reposted: false },
          ...oldView,
          mentions: [],
          tags: [],
          cardTitle: null,
          isDirect: false,
        });
      } finally {
        await test.dispose();
      }
    });
  });
}
