import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { NormalizedItem } from '../../src/channels/connector.js';
import { storeIngestedBatch } from '../../src/streams/ingest.js';
import type { StreamChange } from '../../src/streams/live.js';
import { ingestDueJobs } from '../../src/streams/poller.js';
import { matchSavedSearches } from '../../src/streams/search/saved-searches.js';
import { buildTestServer, invitePerson, setUpOwner, type Person } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';

const post = (remoteId: string, text: string): NormalizedItem => ({
  network: 'mastodon',
  remoteId,
  url: null,
  author: { remoteId: 'bob', handle: 'bob@social.example', displayName: 'Bob' },
  text,
  html: null,
  links: [],
  media: [],
  replyToRemoteId: null,
  quoteOfRemoteId: null,
  createdAt: `2026-02-01T00:00:${remoteId.padStart(2, '0')}.000Z`,
  language: null,
  metrics: null,
});

/** Saved-search columns hold no memberships: new items reach them live by matching the query. */
describeEachStore('saved-search columns, live', (current, dialect) => {
  let app: FastifyInstance;
  let owner: Person;
  const org = () => `/api/orgs/${owner.orgId}`;
  beforeEach(async () => {
    app = await buildTestServer(current().store);
    owner = await setUpOwner(app);
  });
  afterEach(async () => {
    await app.close();
  });

  async function board(person: Person, name: string, orgId = person.orgId): Promise<string> {
    const res = await person.client.post(`/api/orgs/${orgId}/boards`, { name });
    expect(res.status).toBe(201);
    return res.body.board.id;
  }
  async function savedSearch(person: Person, boardId: string, target: string, orgId = person.orgId): Promise<string> {
    const res = await person.client.post(`/api/orgs/${orgId}/boards/${boardId}/columns`, { kind: 'saved_search', target });
    expect(res.status).toBe(201);
    return res.body.column.id;
  }

  it('matches only the new items, exactly as reading the column does', async () => {
    const editor = await invitePerson(owner, 'Eddie Editor', 'editor');
    const mine = await board(owner, 'Mine');
    const theirs = await board(editor, 'Theirs');
    const queries = ['障害', 'outage report', 'AI', '100%', 'a_b', 'nothing-says-this'];
    const columns = new Map<string, string>();
    for (const q of queries) columns.set(q, await savedSearch(owner, mine, q));
    // The same terms written differently, on another member's board: matched by the same statement.
    const sameTerms = await savedSearch(editor, theirs, '  REPORT outage ');
    // Another org's saved search never hears about this org's items.
    const other = await owner.client.post('/api/orgs', { name: 'Other' });
    const otherColumn = await savedSearch(owner, await board(owner, 'Elsewhere', other.body.org.id), '障害', other.body.org.id);

    const batch = (items: NormalizedItem[]) =>
      storeIngestedBatch(app.store.db, { orgId: owner.orgId, channelAccountId: null, items, columnIds: [], fetchedAt: new Date().toISOString() });
    // Stored before: they match too, but they are not new.
    await batch([post('1', 'AWSの障害 yesterday'), post('2', 'An outage report, old')]);
    const fresh = await batch([
      post('1', 'AWSの障害 yesterday'),
      post('3', 'AWSの障害から復旧しました'),
      post('4', 'Report: the AI cluster had an outage'),
      post('5', 'Now 100% done'),
      post('6', '100 percent done, axb'),
      post('7', 'a_b testing'),
      post('8', '新作の予約を開始'),
    ]);
    expect(fresh.newItemIds).toHaveLength(6);
    const idOf = async (remoteId: string) =>
      (await app.store.db.selectFrom('stream_items').select('id').where('org_id', '=', owner.orgId).where('remote_id', '=', remoteId).executeTakeFirstOrThrow())
        .id;

    const matches = await matchSavedSearches(app.store.db, dialect, owner.orgId, fresh.newItemIds);
    const byColumn = (columnId: string) =>
      matches
        .filter((m) => m.columnId === columnId)
        .map((m) => m.itemId)
        .sort();
    const expected = async (...remoteIds: string[]) => (await Promise.all(remoteIds.map(idOf))).sort();
    expect(byColumn(columns.get('障害')!)).toEqual(await expected('3'));
    expect(byColumn(columns.get('outage report')!)).toEqual(await expected('4'));
    expect(byColumn(sameTerms)).toEqual(await expected('4'));
    expect(byColumn(columns.get('AI')!)).toEqual(await expected('4'));
    expect(byColumn(columns.get('100%')!)).toEqual(await expected('5'));
    expect(byColumn(columns.get('a_b')!)).toEqual(await expected('7'));
    expect(byColumn(columns.get('nothing-says-this')!)).toEqual([]);
    expect(byColumn(otherColumn)).toEqual([]);
    expect(new Set(matches.map((m) => `${m.columnId} ${m.itemId}`)).size).toBe(matches.length);

    // The live match agrees with what each column shows when read (its new items, that is).
    for (const columnId of [...columns.values(), sameTerms]) {
      const reader = columnId === sameTerms ? editor : owner;
      const read = await reader.client.get(`${org()}/columns/${columnId}/items?limit=100`);
      expect(read.status).toBe(200);
      const shown = (read.body.items as { id: string }[]).map((i) => i.id).filter((id) => fresh.newItemIds.includes(id));
      expect(byColumn(columnId)).toEqual(shown.sort());
    }
  });

  it('applies the column filters to a saved search, when read and when matched live', async () => {
    const boardId = await board(owner, 'Mine');
    const plain = await savedSearch(owner, boardId, 'outage');
    const filtered = await savedSearch(owner, boardId, 'outage');
    const edited = await owner.client.patch(`${org()}/columns/${filtered}`, { filters: { language: 'en', excludeKeywords: ['postmortem'] } });
    expect(edited.status).toBe(200);
    const withLanguage = (remoteId: string, text: string, language: string | null) => ({ ...post(remoteId, text), language });
    const fresh = await storeIngestedBatch(app.store.db, {
      orgId: owner.orgId,
      channelAccountId: null,
      items: [
        withLanguage('1', 'outage in Tokyo', 'ja'),
        withLanguage('2', 'outage report', 'en-GB'),
        withLanguage('3', 'outage postmortem', 'en'),
        withLanguage('4', 'outage, no language', null),
      ],
      columnIds: [],
      fetchedAt: new Date().toISOString(),
    });
    const textOf = new Map<string, string>();
    for (const id of fresh.newItemIds)
      textOf.set(id, (await app.store.db.selectFrom('stream_items').select('text').where('id', '=', id).executeTakeFirstOrThrow()).text);
    const matches = await matchSavedSearches(app.store.db, dialect, owner.orgId, fresh.newItemIds);
    const live = (columnId: string) =>
      matches
        .filter((m) => m.columnId === columnId)
        .map((m) => textOf.get(m.itemId))
        .sort();
    const read = async (columnId: string) =>
      ((await owner.client.get(`${org()}/columns/${columnId}/items`)).body.items as { text: string }[]).map((i) => i.text).sort();
    expect(live(plain)).toEqual(['outage in Tokyo', 'outage postmortem', 'outage report', 'outage, no language']);
    expect(live(filtered)).toEqual(['outage report']);
    expect(await read(plain)).toEqual(live(plain));
    expect(await read(filtered)).toEqual(live(filtered));
  });

  it('finds nothing without saved searches or without new items', async () => {
    const [item] = (
      await storeIngestedBatch(app.store.db, {
        orgId: owner.orgId,
        channelAccountId: null,
        items: [post('1', 'AWSの障害')],
        columnIds: [],
        fetchedAt: new Date().toISOString(),
      })
    ).newItemIds as [string];
    expect(await matchSavedSearches(app.store.db, dialect, owner.orgId, [item])).toEqual([]);
    await savedSearch(owner, await board(owner, 'B'), '障害');
    expect(await matchSavedSearches(app.store.db, dialect, owner.orgId, [])).toEqual([]);
  });

  it('an ingest round announces matching new items to saved-search columns, without unread counts', async () => {
    const channel = await owner.client.post(`${org()}/channels`, { network: 'team', credentials: {} });
    const boardId = await board(owner, 'Main');
    const team = await owner.client.post(`${org()}/boards/${boardId}/columns`, { kind: 'team', channelAccountId: channel.body.channel.id });
    const teamColumn: string = team.body.column.id;
    const launches = await savedSearch(owner, boardId, 'launch');
    const changes: StreamChange[] = [];
    const round = () =>
      ingestDueJobs({
        store: app.store,
        clock: () => new Date(),
        env: app.channels,
        notifier: { notify: async (change) => void changes.push(change) },
        workerId: 'w',
      });

    expect((await owner.client.post(`${org()}/team-feed/posts`, { text: 'We launch on Monday' })).status).toBe(201);
    expect((await owner.client.post(`${org()}/team-feed/posts`, { text: 'Lunch menu' })).status).toBe(201);
    expect(await round()).toBe(1);
    const items = await owner.client.get(`${org()}/columns/${teamColumn}/items`);
    const idOf = (text: string) => (items.body.items as { id: string; text: string }[]).find((i) => i.text === text)!.id;

    expect(changes).toHaveLength(2);
    const [arrived, unread] = changes as [Extract<StreamChange, { type: 'items' }>, StreamChange];
    expect(arrived.type).toBe('items');
    expect(arrived.memberships).toHaveLength(3);
    expect(arrived.memberships).toEqual(
      expect.arrayContaining([
        { columnId: teamColumn, itemId: idOf('We launch on Monday') },
        { columnId: teamColumn, itemId: idOf('Lunch menu') },
        { columnId: launches, itemId: idOf('We launch on Monday') },
      ]),
    );
    expect(unread).toEqual({ type: 'unread', orgId: owner.orgId, columnIds: [teamColumn] });

    // Seen again by the next poll: stored already, so nothing is announced.
    await app.store.db
      .updateTable('ingest_jobs')
      .set({ next_poll_at: new Date(0).toISOString() })
      .execute();
    changes.length = 0;
    expect(await round()).toBe(1);
    expect(changes).toEqual([]);
  });
});
