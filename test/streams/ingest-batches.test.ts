import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { storeIngestedBatch } from '../../src/streams/ingest.js';
import { toStoredItem } from '../../src/streams/normalize.js';
import { benchItems } from '../../bench/ingest-fixtures.js';
import { buildTestServer, setUpOwner, type Person } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';

/** Ingest binds each batch's values into statements compiled once per row count: every value must land in its own column. */
describeEachStore('ingest batches', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  let columnIds: string[];
  beforeEach(async () => {
    // The columns are added before the fixtures' items were written (2026-01-01 on), so they arrive unread.
    app = await buildTestServer(current().store, { clock: () => new Date('2025-12-31T00:00:00Z') });
    owner = await setUpOwner(app);
    const org = `/api/orgs/${owner.orgId}`;
    const channelId = (await owner.client.post(`${org}/channels`, { network: 'team', credentials: {} })).body.channel.id;
    const board = await owner.client.post(`${org}/boards`, { name: 'B' });
    columnIds = [];
    for (const title of ['one', 'two']) {
      columnIds.push(
        (await owner.client.post(`${org}/boards/${board.body.board.id}/columns`, { kind: 'team', channelAccountId: channelId, title })).body.column.id,
      );
    }
  });
  afterEach(async () => {
    await app.close();
  });

  it('stores every column of every item of batches of several statements, once per remote id, in every column', async () => {
    const fetchedAt = '2026-11-28T00:00:00.000Z';
    // 1 201 items: three statements of 500, 500 and 201 rows; the last 20 repeat earlier remote ids within the batch.
    const first = [...benchItems(1_181), ...benchItems(20, 100)];
    const stored = await storeIngestedBatch(app.store.db, { orgId: owner.orgId, channelAccountId: null, items: first, columnIds, fetchedAt });
    expect(stored.newItemIds).toHaveLength(1_181);
    expect(stored.memberships).toHaveLength(2 * 1_181);

    // A later poll: 7 new items among 30 stored ones.
    const second = await storeIngestedBatch(app.store.db, { orgId: owner.orgId, channelAccountId: null, items: benchItems(37, 1_151), columnIds, fetchedAt });
    expect(second.newItemIds).toHaveLength(7);
    expect(second.memberships.map((m) => m.itemId).sort()).toEqual([...second.newItemIds, ...second.newItemIds].sort());

    const rows = await app.store.db.selectFrom('stream_items').selectAll().where('org_id', '=', owner.orgId).execute();
    expect(rows).toHaveLength(1_188);
    const expected = new Map(benchItems(1_188).map((item) => [item.remoteId, toStoredItem(item, fetchedAt)]));
    for (const row of rows) {
      const { seq: _seq, id, org_id, channel_account_id, fetched_at, ...columns } = row;
      expect(columns).toEqual(expected.get(row.remote_id));
      expect({ org_id, channel_account_id, fetched_at }).toEqual({ org_id: owner.orgId, channel_account_id: null, fetched_at: fetchedAt });
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    const members = await app.store.db.selectFrom('column_items').select(['column_id', 'item_id', 'created_at', 'read', 'done']).execute();
    expect(members).toHaveLength(2 * 1_188);
    const createdAt = new Map(rows.map((row) => [row.id, row.created_at]));
    for (const member of members) {
      expect(columnIds).toContain(member.column_id);
      expect(member).toMatchObject({ created_at: createdAt.get(member.item_id), read: 0, done: 0 });
    }
  });
});
