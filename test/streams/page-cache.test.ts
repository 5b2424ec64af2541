import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { storeIngestedBatch } from '../../src/streams/ingest.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { buildTestServer, invitePerson, setUpOwner, type Person } from '../support/api-client.js';
import { normalizedItem } from '../support/normalized-item.js';
import { describeEachStore } from '../support/stores.js';

const post = (name: string, minute: number) =>
  normalizedItem({
    remoteId: `https://social.example/@shop/${name}`,
    url: `https://social.example/@shop/${name}`,
    text: name,
    createdAt: new Date(Date.UTC(2027, 2, 1, 9, minute)).toISOString(),
    language: 'en',
  });

/**
 * Column pages are kept between writes (streams/page-cache.ts): whatever writes, through this
 * server or any other connection to the store, the next read shows it, and access is checked on
 * every read.
 */
describeEachStore('column page cache', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  let channelId: string;
  let columnId: string;
  let other: Store;
  const org = () => `/api/orgs/${owner.orgId}`;
  const texts = async () => (await owner.client.get(`${org()}/columns/${columnId}/items`)).body.items.map((item: { text: string }) => item.text);
  const ingest = (db: Store['db'], names: [string, number][]) =>
    storeIngestedBatch(db, {
      orgId: owner.orgId,
      channelAccountId: channelId,
      items: names.map(([name, minute]) => post(name, minute)),
      columnIds: [columnId],
      fetchedAt: new Date().toISOString(),
    });

  beforeEach(async () => {
    app = await buildTestServer(current().store);
    owner = await setUpOwner(app);
    channelId = (await owner.client.post(`${org()}/channels`, { network: 'team', credentials: {} })).body.channel.id;
    const boardId = (await owner.client.post(`${org()}/boards`, { name: 'Main' })).body.board.id;
    columnId = (await owner.client.post(`${org()}/boards/${boardId}/columns`, { kind: 'team', channelAccountId: channelId, title: 'Team' })).body.column.id;
    await ingest(app.store.db, [
      ['first', 1],
      ['second', 2],
    ]);
    // A second connection to the same store, as a worker process or the CLI has.
    other = openStore(current().url);
  });
  afterEach(async () => {
    await other.close();
    await app.close();
  });

  it('answers an unchanged column with the same bytes and tag, and a 304 to a reload that has them', async () => {
    const first = await owner.client.get(`${org()}/columns/${columnId}/items`);
    const again = await owner.client.get(`${org()}/columns/${columnId}/items`);
    expect(first.status).toBe(200);
    expect(again.raw).toBe(first.raw);
    expect(again.headers.etag).toBe(first.headers.etag);
    const reload = await owner.client.request('GET', `${org()}/columns/${columnId}/items`, undefined, { 'if-none-match': String(first.headers.etag) });
    expect(reload.status).toBe(304);
    // Pages are cached per cursor and limit too.
    const small = await owner.client.get(`${org()}/columns/${columnId}/items?limit=1`);
    expect(small.body.items.map((item: { text: string }) => item.text)).toEqual(['second']);
    const older = await owner.client.get(`${org()}/columns/${columnId}/items?limit=1&before=${encodeURIComponent(small.body.nextCursor)}`);
    expect(older.body.items.map((item: { text: string }) => item.text)).toEqual(['first']);
  });

  it('shows items another connection stored, and a change made on the server’s own connection, at the next read', async () => {
    expect(await texts()).toEqual(['second', 'first']);
    await ingest(other.db, [['third', 3]]);
    expect(await texts()).toEqual(['third', 'second', 'first']);

    // No API call and no live event: only the rows change.
    const reads = async () => (await owner.client.get(`${org()}/columns/${columnId}/items`)).body.items.map((item: { read: boolean }) => item.read);
    expect(await reads()).toEqual([false, false, false]);
    await app.store.db.updateTable('column_items').set({ read: 1 }).where('column_id', '=', columnId).execute();
    expect(await reads()).toEqual([true, true, true]);

    await other.db.deleteFrom('column_items').where('column_id', '=', columnId).execute();
    expect(await texts()).toEqual([]);
  });

  it('shows read state set through the API at once', async () => {
    const before = (await owner.client.get(`${org()}/columns/${columnId}/items`)).body.items;
    expect(before.map((item: { read: boolean }) => item.read)).toEqual([false, false]);
    await owner.client.post(`${org()}/columns/${columnId}/read`, { upTo: before[0].id });
    const after = (await owner.client.get(`${org()}/columns/${columnId}/items`)).body.items;
    expect(after.map((item: { read: boolean }) => item.read)).toEqual([true, true]);
  });

  it("checks the caller's access on every read, even for a page already kept", async () => {
    const editor = await invitePerson(owner, 'Eddie Editor', 'editor');
    expect((await owner.client.get(`${org()}/columns/${columnId}/items`)).status).toBe(200);
    // The owner's board is private: the page is kept, but the editor may not read it.
    const refused = await editor.client.get(`${org()}/columns/${columnId}/items`);
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('column_not_found');
  });

  it("the store's change stamp moves with every write, its own or another connection's, and not with reads", async () => {
    const stamp = () => app.store.changeStamp();
    const start = await stamp();
    await texts();
    expect(await stamp()).toBe(start);
    await ingest(other.db, [['from elsewhere', 4]]);
    const afterOther = await stamp();
    expect(afterOther).not.toBe(start);
    await app.store.db.updateTable('column_items').set({ read: 1 }).where('column_id', '=', columnId).execute();
    const afterOwn = await stamp();
    expect(afterOwn).not.toBe(afterOther);
    // A read-only transaction takes no transaction id and changes nothing.
    await other.db.transaction().execute((tx) => tx.selectFrom('stream_items').select('id').execute());
    expect(await stamp()).toBe(afterOwn);
  });
});
