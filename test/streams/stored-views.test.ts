import { expect, it } from 'vitest';
import { createUser } from '../../src/accounts/users.js';
import type { NormalizedItem } from '../../src/channels/connector.js';
import { storeIngestedBatch } from '../../src/streams/ingest.js';
import { fillMissingItemViews } from '../../src/streams/stored-views.js';
import { columnItemJson } from '../../src/streams/item-json-sql.js';
import { presentItem } from '../../src/streams/views.js';
import { newId } from '../../src/lib/ids.js';
import { createOrg } from '../../src/teams/service.js';
import { describeEachStore } from '../support/stores.js';

const post = (n: number): NormalizedItem => ({
  network: 'mastodon',
  remoteId: `https://social.example/@shop/${n}`,
  url: `https://social.example/@shop/${n}`,
  author: { remoteId: 'shop', handle: 'shop@social.example', displayName: 'お店 "Shop"', avatarUrl: 'https://social.example/a.png', profileUrl: null },
  text: `AWSの障害から ${n}\nline two`,
  html: `<p>AWSの<b>障害</b>から ${n}<script>alert(1)</script></p>`,
  title: null,
  links: ['https://status.example/incident', 'javascript:alert(1)'],
  media: [{ url: 'https://social.example/m.jpg', alt: 'a "photo"' }],
  replyToRemoteId: null,
  quoteOfRemoteId: null,
  createdAt: new Date(Date.UTC(2027, 0, 1, 0, n)).toISOString(),
  language: 'ja',
  metrics: { likes: n, reposts: 0, replies: 1, quotes: 0, views: null },
});

describeEachStore('stored item views', (current) => {
  it('renders the views of items stored without one (older rows, older archives) exactly as ingest did', async () => {
    const { store } = current();
    const clock = () => new Date();
    const owner = await createUser(store.db, clock, { email: 'owner@example.com', name: 'Owner', password: 'correct horse battery staple' });
    const org = await createOrg(store.db, clock, { name: 'Shop', ownerUserId: owner.id });
    await storeIngestedBatch(store.db, {
      orgId: org.id,
      channelAccountId: null,
      items: Array.from({ length: 7 }, (_, n) => post(n)),
      columnIds: [],
      fetchedAt: new Date().toISOString(),
    });
    const rendered = await store.db.selectFrom('stream_items').select(['id', 'view']).orderBy('id').execute();
    expect(rendered).toHaveLength(7);
    expect(JSON.parse(rendered[0]!.view)).toMatchObject({
      network: 'mastodon',
      links: ['https://status.example/incident'],
      media: [{ url: 'https://social.example/m.jpg', alt: 'a "photo"' }],
    });

    await store.db.updateTable('stream_items').set({ view: '' }).where('id', 'in', [rendered[1]!.id, rendered[4]!.id, rendered[6]!.id]).execute();
    expect(await fillMissingItemViews(store.db)).toBe(3);
    expect(await store.db.selectFrom('stream_items').select(['id', 'view']).orderBy('id').execute()).toEqual(rendered);
    expect(await fillMissingItemViews(store.db)).toBe(0);
  });

  it('splices column-page JSON in the store exactly as presentItem does in JavaScript', async () => {
    const { store } = current();
    const clock = () => new Date();
    const owner = await createUser(store.db, clock, { email: 'owner@example.com', name: 'Owner', password: 'correct horse battery staple' });
    const org = await createOrg(store.db, clock, { name: 'Shop', ownerUserId: owner.id });
    const now = new Date().toISOString();
    const boardId = newId();
    await store.db
      .insertInto('boards')
      .values({ id: boardId, org_id: org.id, owner_user_id: owner.id, name: 'B', shared: 0, position: 0, created_at: now })
      .execute();
    const columnId = newId();
    // Added before the items were written, so they arrive unread whatever today's date.
    await store.db
      .insertInto('stream_columns')
      .values({
        id: columnId,
        org_id: org.id,
        board_id: boardId,
        title: 'Home',
        channel_account_id: null,
        kind: 'home',
        target: null,
        width: 'normal',
        position: 0,
        filters: '{}',
        created_at: '2026-12-31T00:00:00.000Z',
      })
      .execute();
    const items = Array.from({ length: 6 }, (_, n) => ({ ...post(n), metrics: n % 2 ? post(n).metrics : null, html: n === 3 ? null : post(n).html }));
    await storeIngestedBatch(store.db, { orgId: org.id, channelAccountId: null, items, columnIds: [columnId], fetchedAt: now });
    const ids = (await store.db.selectFrom('stream_items').select('id').orderBy('id').execute()).map((r) => r.id);
    await store.db.updateTable('column_items').set({ read: 1 }).where('item_id', 'in', ids.slice(0, 2)).execute();
    await store.db.updateTable('column_items').set({ done: 1 }).where('item_id', '=', ids[1]!).execute();
    await store.db.insertInto('item_states').values({ org_id: org.id, item_id: ids[2]!, assigned_to_user_id: owner.id, updated_at: now }).execute();

    for (const columnAccountId of [null, newId()]) {
      const spliced = await store.db
        .selectFrom('column_items')
        .innerJoin('stream_items', 'stream_items.id', 'column_items.item_id')
        .leftJoin('item_states', 'item_states.item_id', 'column_items.item_id')
        .selectAll('stream_items')
        .select([
          columnItemJson(store.dialect, columnAccountId === null ? null : JSON.stringify(columnAccountId)).as('json'),
          'column_items.read',
          'column_items.done',
          'item_states.assigned_to_user_id',
        ])
        .where('column_items.column_id', '=', columnId)
        .execute();
      expect(spliced).toHaveLength(6);
      for (const row of spliced) {
        const expected = presentItem(row, {
          read: row.read === 1,
          done: row.done === 1,
          assignedToUserId: row.assigned_to_user_id,
          channelAccountId: columnAccountId,
        });
        expect(JSON.parse(row.json)).toEqual(expected);
      }
      expect(spliced.filter((row) => JSON.parse(row.json).read)).toHaveLength(2);
      expect(spliced.filter((row) => JSON.parse(row.json).assignedToUserId === owner.id)).toHaveLength(1);
    }
  });
});
