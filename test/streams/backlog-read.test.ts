import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { NormalizedItem } from '../../src/channels/connector.js';
import { storeIngestedBatch } from '../../src/streams/ingest.js';
import { itemsForColumns } from '../../src/streams/items.js';
import { matchSavedSearches } from '../../src/streams/search/saved-searches.js';
import { OrgScope } from '../../src/teams/org-scope.js';
import { buildTestServer, setUpOwner, type Person } from '../support/api-client.js';
import { normalizedItem } from '../support/normalized-item.js';
import { describeEachStore } from '../support/stores.js';
import { ingestRound, movableClock } from './support.js';

const T0 = Date.parse('2027-03-01T09:00:00.000Z');
const HOUR = 60 * 60_000;
const at = (ms: number) => new Date(ms).toISOString();

const post = (name: string, createdAt: string) =>
  normalizedItem({ remoteId: `https://social.example/@shop/${name}`, url: `https://social.example/@shop/${name}`, text: name, createdAt, language: 'en' });

/** A new column's backlog arrives read: items created before a column was added enter it read, per column. */
describeEachStore('backlog of a new column', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  let channelId: string;
  let boardId: string;
  const clock = movableClock(T0);
  const org = () => `/api/orgs/${owner.orgId}`;

  beforeEach(async () => {
    clock.advance(T0 - clock().getTime());
    app = await buildTestServer(current().store, { clock });
    owner = await setUpOwner(app);
    channelId = (await owner.client.post(`${org()}/channels`, { network: 'team', credentials: {} })).body.channel.id;
    boardId = (await owner.client.post(`${org()}/boards`, { name: 'Main' })).body.board.id;
  });
  afterEach(() => app.close());

  async function addColumn(title: string): Promise<string> {
    const column = await owner.client.post(`${org()}/boards/${boardId}/columns`, { kind: 'team', channelAccountId: channelId, title });
    expect(column.status).toBe(201);
    return column.body.column.id;
  }
  const readState = async (columnId: string) =>
    Object.fromEntries(
      (await owner.client.get(`${org()}/columns/${columnId}/items`)).body.items.map((item: { text: string; read: boolean }) => [item.text, item.read]),
    );
  const unreadOf = async (columnId: string) =>
    (await owner.client.get(`${org()}/boards`)).body.boards.flatMap((b: { columns: unknown[] }) => b.columns).find((c: { id: string }) => c.id === columnId)
      .unread;
  const ingest = (items: NormalizedItem[], columnIds: string[]) =>
    storeIngestedBatch(app.store.db, { orgId: owner.orgId, channelAccountId: channelId, items, columnIds, fetchedAt: clock().toISOString() });

  it('items created before the column was added arrive read in it, later ones unread; each column by its own age', async () => {
    const older = await addColumn('older'); // added at T0
    clock.advance(HOUR);
    const newer = await addColumn('newer'); // added at T0 + 1 h
    clock.advance(HOUR);
    await ingest(
      [
        post('before both', at(T0 - 1)),
        post('at the older one', at(T0)),
        post('between', at(T0 + HOUR / 2)),
        post('at the newer one', at(T0 + HOUR)),
        post('after both', at(T0 + HOUR + 1)),
      ],
      [older, newer],
    );

    expect(await readState(older)).toEqual({ 'before both': true, 'at the older one': false, between: false, 'at the newer one': false, 'after both': false });
    expect(await readState(newer)).toEqual({ 'before both': true, 'at the older one': true, between: true, 'at the newer one': false, 'after both': false });
    expect(await unreadOf(older)).toBe(4);
    expect(await unreadOf(newer)).toBe(2);
  });

  it('an item an older column holds unread arrives read in a column added after it, and stays unread in the older one', async () => {
    const older = await addColumn('older');
    clock.advance(HOUR);
    await ingest([post('seen by the older column', at(T0 + HOUR / 2))], [older]);
    clock.advance(HOUR);
    const newer = await addColumn('newer');
    clock.advance(HOUR);
    // The next poll brings the same item again, now for both columns, and one created since.
    const stored = await ingest(
      [post('seen by the older column', at(T0 + HOUR / 2)), post('created later, polled later', at(T0 + 2 * HOUR + 1))],
      [older, newer],
    );
    expect(stored.newItemIds).toHaveLength(1);

    expect(await readState(older)).toEqual({ 'seen by the older column': false, 'created later, polled later': false });
    expect(await readState(newer)).toEqual({ 'seen by the older column': true, 'created later, polled later': false });
    expect(await unreadOf(older)).toBe(2);
    expect(await unreadOf(newer)).toBe(1);

    // Live events say the same: one view per reading state, each naming the columns it holds for.
    const scope = new OrgScope(app.store.db, owner.orgId, { userId: owner.userId, role: 'owner' }, clock);
    const live = await itemsForColumns(scope, stored.memberships);
    const events = live
      .map(({ item, columnIds }) => ({ text: item.text, read: item.read, columnIds }))
      .sort((a, b) => `${a.text}${a.read}`.localeCompare(`${b.text}${b.read}`));
    expect(events).toEqual([
      { text: 'created later, polled later', read: false, columnIds: expect.arrayContaining([older, newer]) },
      { text: 'seen by the older column', read: true, columnIds: [newer] },
    ]);
    expect(events[0]!.columnIds).toHaveLength(2);
  });

  it('a saved search (no read state of its own) announces matches created before it was added as read, so they do not look new', async () => {
    const teamColumn = await addColumn('Team');
    clock.advance(HOUR);
    const saved = await owner.client.post(`${org()}/boards/${boardId}/columns`, { kind: 'saved_search', target: 'roast' });
    expect(saved.status).toBe(201);
    const savedId: string = saved.body.column.id;
    const stored = await ingest([post('roast-early', at(T0 + HOUR / 2)), post('roast-late', at(T0 + 2 * HOUR))], [teamColumn]);
    const matches = await matchSavedSearches(app.store.db, app.store.dialect, owner.orgId, stored.newItemIds);
    expect(matches.filter((m) => m.columnId === savedId)).toHaveLength(2);
    const scope = new OrgScope(app.store.db, owner.orgId, { userId: owner.userId, role: 'owner' }, clock);
    const live = await itemsForColumns(scope, matches);
    const readIn = (columnId: string) => Object.fromEntries(live.filter((v) => v.columnIds.includes(columnId)).map((v) => [v.item.text, v.item.read]));
    expect(readIn(savedId)).toEqual({ 'roast-early': true, 'roast-late': false });
    // Reading the saved search still shows no read state: that stays with the columns items arrive in.
    expect(Object.values(await readState(savedId))).toEqual([false, false]);
  });

  it('a poll of the team feed: posts written before the column was added arrive read, posts written after unread', async () => {
    for (const text of ['backlog 1', 'backlog 2']) {
      clock.advance(1000);
      expect((await owner.client.post(`${org()}/team-feed/posts`, { text })).status).toBe(201);
    }
    clock.advance(1000);
    const column = await addColumn('team');
    clock.advance(1000);
    expect((await owner.client.post(`${org()}/team-feed/posts`, { text: 'news' })).status).toBe(201);
    expect(await ingestRound(app, clock)).toBe(1);

    expect(await readState(column)).toEqual({ news: false, 'backlog 1': true, 'backlog 2': true });
    expect(await unreadOf(column)).toBe(1);
  });
});
