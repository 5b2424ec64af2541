import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { NormalizedItem } from '../../src/channels/connector.js';
import { storeIngestedBatch } from '../../src/streams/ingest.js';
import { itemsForColumns } from '../../src/streams/items.js';
import { OrgScope } from '../../src/teams/org-scope.js';
import { buildTestServer, setUpOwner, type Person } from '../support/api-client.js';
import { normalizedItem } from '../support/normalized-item.js';
import { describeEachStore } from '../support/stores.js';

const T0 = Date.parse('2027-03-01T09:00:00.000Z');

/** A Mastodon post; a local author's acct has no server, so only the profile URL says who they are. */
const post = (name: string, acct: string, profileUrl: string, minute: number) =>
  normalizedItem({
    remoteId: `https://social.example/posts/${name}`,
    author: { remoteId: acct, handle: acct, displayName: acct, avatarUrl: null, profileUrl },
    text: name,
    createdAt: new Date(T0 + minute * 60_000).toISOString(),
    language: 'en',
  });

/** The column filter "from contacts only": reading, unread counts, search and live events agree on it. */
describeEachStore('from-contacts column filter', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  const org = () => `/api/orgs/${owner.orgId}`;

  beforeEach(async () => {
    app = await buildTestServer(current().store, { clock: () => new Date(T0) });
    owner = await setUpOwner(app);
  });
  afterEach(() => app.close());

  // Few contacts are read author by author, many by probing the column's items: both must agree.
  for (const [plan, others] of [
    ['author by author', 0],
    ['item by item', 40],
  ] as const) {
    it(`keeps only items whose author is a contact, matched across servers by profile URL (${plan})`, async () => {
      for (let n = 0; n < others; n++) {
        const other = await owner.client.post(`${org()}/contacts`, { displayName: `Other ${n}`, identities: [{ network: 'x', handle: `other_${n}` }] });
        expect(other.status).toBe(201);
      }
      const channelId: string = (await owner.client.post(`${org()}/channels`, { network: 'team', credentials: {} })).body.channel.id;
      const boardId: string = (await owner.client.post(`${org()}/boards`, { name: 'Main' })).body.board.id;
      const column = await owner.client.post(`${org()}/boards/${boardId}/columns`, {
        kind: 'team',
        channelAccountId: channelId,
        title: 'Customers',
        filters: { fromContactsOnly: true },
      });
      expect(column.status).toBe(201);
      const columnId: string = column.body.column.id;
      const saved = await owner.client.post(`${org()}/boards/${boardId}/columns`, {
        kind: 'saved_search',
        target: 'order',
        filters: { fromContactsOnly: true },
      });
      const savedId: string = saved.body.column.id;

      const ingest = (items: NormalizedItem[]) =>
        storeIngestedBatch(app.store.db, {
          orgId: owner.orgId,
          channelAccountId: channelId,
          items,
          columnIds: [columnId],
          fetchedAt: new Date(T0).toISOString(),
        });
      // Alice as her home server shows her (acct "alice"), then as another server shows her (acct "alice@mastodon.social").
      const first = await ingest([
        post('order from alice at home', 'alice', 'https://mastodon.social/@alice', 1),
        post('order from bob', 'bob@other.example', 'https://other.example/@bob', 2),
      ]);
      const read = async (id: string) => ((await owner.client.get(`${org()}/columns/${id}/items`)).body.items as { text: string }[]).map((i) => i.text).sort();
      const unread = async () =>
        (await owner.client.get(`${org()}/boards`)).body.boards
          .flatMap((b: { columns: { id: string; unread: number }[] }) => b.columns)
          .find((c: { id: string }) => c.id === columnId).unread;

      // No contacts yet: the filtered column is empty and counts nothing.
      expect(await read(columnId)).toEqual([]);
      expect(await unread()).toBe(0);

      const aliceItem = first.newItemIds[0]!;
      const added = await owner.client.post(`${org()}/contacts/from-item`, { itemId: aliceItem });
      expect(added.status).toBe(201);

      const second = await ingest([
        post('order from alice elsewhere', 'alice@mastodon.social', 'https://mastodon.social/@alice', 3),
        post('another order from bob', 'bob@other.example', 'https://other.example/@bob', 4),
      ]);
      expect(await read(columnId)).toEqual(['order from alice at home', 'order from alice elsewhere']);
      expect(await unread()).toBe(2);
      // Paging back one item at a time walks the same items, newest first.
      const newest = await owner.client.get(`${org()}/columns/${columnId}/items?limit=1`);
      const older = await owner.client.get(`${org()}/columns/${columnId}/items?limit=1&before=${newest.body.nextCursor}`);
      expect([...newest.body.items, ...older.body.items].map((i: { text: string }) => i.text)).toEqual([
        'order from alice elsewhere',
        'order from alice at home',
      ]);
      expect(await read(savedId)).toEqual(['order from alice at home', 'order from alice elsewhere']);
      const search = await owner.client.get(`${org()}/search?q=order`);
      expect(search.body.items).toHaveLength(4);

      // Live: of the second poll, only Alice's post is announced in the filtered column.
      const scope = new OrgScope(app.store.db, owner.orgId, { userId: owner.userId, role: 'owner' }, () => new Date(T0));
      const live = await itemsForColumns(scope, second.memberships);
      expect(live.map((view) => view.item.text)).toEqual(['order from alice elsewhere']);

      // Turning the filter off brings Bob back, stored all along.
      const edited = await owner.client.patch(`${org()}/columns/${columnId}`, { filters: {} });
      expect(edited.status).toBe(200);
      expect(await read(columnId)).toHaveLength(4);
    });
  }
});
