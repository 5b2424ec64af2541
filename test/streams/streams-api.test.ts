import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ItemPage, ItemView } from '../../core/api/streams.js';
import { buildTestServer, invitePerson, setUpOwner, type Person } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';
import { ingestRound, movableClock } from './support.js';

describeEachStore('streams API', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  let editor: Person;
  let viewer: Person;
  let teamChannelId: string;
  const clock = movableClock(Date.parse('2027-01-10T09:00:00Z'));
  const org = (p: Person) => `/api/orgs/${p.orgId}`;

  beforeEach(async () => {
    app = await buildTestServer(current().store);
    owner = await setUpOwner(app);
    editor = await invitePerson(owner, 'Eddie Editor', 'editor');
    viewer = await invitePerson(owner, 'Vera Viewer', 'viewer');
    const channel = await owner.client.post(`${org(owner)}/channels`, { network: 'team', credentials: {} });
    expect(channel.status).toBe(201);
    teamChannelId = channel.body.channel.id;
  });
  afterEach(() => app.close());

  async function teamPost(text: string) {
    const res = await owner.client.post(`${org(owner)}/team-feed/posts`, { text });
    expect(res.status).toBe(201);
  }

  async function boardWithTeamColumn(person: Person, shared = false) {
    const board = await person.client.post(`${org(person)}/boards`, { name: 'Main', shared });
    expect(board.status).toBe(201);
    const column = await person.client.post(`${org(person)}/boards/${board.body.board.id}/columns`, { kind: 'team', channelAccountId: teamChannelId });
    expect(column.status).toBe(201);
    return { boardId: board.body.board.id as string, columnId: column.body.column.id as string };
  }

  it('boards and columns: create, list with unread, edit, reorder, delete', async () => {
    const { boardId, columnId } = await boardWithTeamColumn(editor);
    const second = await editor.client.post(`${org(editor)}/boards/${boardId}/columns`, {
      kind: 'saved_search',
      target: '障害',
      title: 'Outages',
      width: 'wide',
      filters: { hasLink: true },
    });
    expect(second.status).toBe(201);
    expect(second.body.column).toMatchObject({
      kind: 'saved_search',
      target: '障害',
      width: 'wide',
      channelAccountId: null,
      filters: { hasLink: true },
      unread: 0,
    });

    const listed = await editor.client.get(`${org(editor)}/boards`);
    expect(listed.body.boards).toEqual([
      {
        id: boardId,
        name: 'Main',
        shared: false,
        ownerUserId: editor.userId,
        position: 0,
        columns: [
          expect.objectContaining({
            id: columnId,
            title: 'Team feed',
            kind: 'team',
            channelAccountId: teamChannelId,
            target: null,
            width: 'normal',
            position: 0,
            filters: {},
            unread: 0,
          }),
          expect.objectContaining({ id: second.body.column.id, position: 1 }),
        ],
      },
    ]);
    const reordered = await editor.client.request('PUT', `${org(editor)}/boards/${boardId}/column-order`, { columnIds: [second.body.column.id, columnId] });
    expect(reordered.body.board.columns.map((c: { id: string }) => c.id)).toEqual([second.body.column.id, columnId]);
    expect((await editor.client.request('PUT', `${org(editor)}/boards/${boardId}/column-order`, { columnIds: [columnId] })).body.error.code).toBe(
      'column_order_mismatch',
    );

    const edited = await editor.client.patch(`${org(editor)}/columns/${columnId}`, { title: 'Team', width: 'narrow', filters: { language: 'ja' } });
    expect(edited.body.column).toMatchObject({ title: 'Team', width: 'narrow', filters: { language: 'ja' } });
    expect((await editor.client.patch(`${org(editor)}/boards/${boardId}`, { name: 'Renamed', shared: true })).body.board).toMatchObject({
      name: 'Renamed',
      shared: true,
    });

    expect((await editor.client.delete(`${org(editor)}/columns/${columnId}`)).status).toBe(204);
    expect((await editor.client.delete(`${org(editor)}/boards/${boardId}`)).status).toBe(204);
    expect((await editor.client.get(`${org(editor)}/boards`)).body.boards).toEqual([]);
    // No column reads the team stream any more, so its poll job is gone too.
    expect(await app.store.db.selectFrom('ingest_jobs').selectAll().execute()).toEqual([]);
  });

  it('a column needs a stream its channel has, and a target where one is meaningful', async () => {
    const board = await editor.client.post(`${org(editor)}/boards`, { name: 'B' });
    const url = `${org(editor)}/boards/${board.body.board.id}/columns`;
    expect((await editor.client.post(url, { kind: 'home', channelAccountId: teamChannelId })).body.error.code).toBe('unsupported_stream');
    expect((await editor.client.post(url, { kind: 'search', channelAccountId: teamChannelId })).body.error.code).toBe('target_required');
    expect((await editor.client.post(url, { kind: 'mentions' })).body.error.code).toBe('channel_required');
    expect((await editor.client.post(url, { kind: 'team', channelAccountId: 'nope' })).status).toBe(404);
    expect((await editor.client.post(url, { kind: 'weather' })).body.error.code).toBe('validation_failed');
  });

  it('boards are private unless shared; only the owner (or an admin, for shared boards) changes them; viewers read', async () => {
    const mine = await boardWithTeamColumn(editor);
    const shared = await boardWithTeamColumn(editor, true);
    const seen = await viewer.client.get(`${org(viewer)}/boards`);
    expect(seen.body.boards.map((b: { id: string }) => b.id)).toEqual([shared.boardId]);
    expect((await viewer.client.get(`${org(viewer)}/columns/${mine.columnId}/items`)).status).toBe(404);
    expect((await viewer.client.get(`${org(viewer)}/columns/${shared.columnId}/items`)).status).toBe(200);
    expect((await viewer.client.post(`${org(viewer)}/boards`, { name: 'mine' })).status).toBe(403);
    const other = await invitePerson(owner, 'Edna Editor', 'editor');
    expect((await other.client.patch(`${org(other)}/boards/${shared.boardId}`, { name: 'x' })).body.error.code).toBe('board_not_yours');
    expect((await owner.client.patch(`${org(owner)}/boards/${shared.boardId}`, { name: 'Tidied' })).status).toBe(200);
    expect((await owner.client.patch(`${org(owner)}/boards/${mine.boardId}`, { name: 'x' })).status).toBe(404);
  });

  it('ingests the team feed into every column reading it, once, newest first, paged, with read and done', async () => {
    const a = await boardWithTeamColumn(editor);
    const b = await boardWithTeamColumn(owner);
    for (let i = 1; i <= 5; i++) {
      clock.advance(1000);
      await teamPost(`update ${i} https://example.com/${i}`);
    }
    expect(await ingestRound(app, clock)).toBe(1);
    // Due again only after its interval: polling now claims nothing; later polls store nothing twice.
    expect(await ingestRound(app, clock)).toBe(0);
    clock.advance(60 * 60_000);
    expect(await ingestRound(app, clock)).toBe(1);
    expect(
      await app.store.db
        .selectFrom('stream_items')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ).toEqual({ n: 5 });

    const page1 = await editor.client.get(`${org(editor)}/columns/${a.columnId}/items?limit=2`);
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((i: { text: string }) => i.text)).toEqual(['update 5 https://example.com/5', 'update 4 https://example.com/4']);
    // Pages are sent as prebuilt JSON, past the serializer: they must still be exactly the declared ItemPage.
    expect(ItemPage.strict().parse(page1.body)).toEqual(page1.body);
    expect(page1.body.items.map((item: unknown) => ItemView.strict().parse(item))).toEqual(page1.body.items);
    expect(page1.body.items[0]).toMatchObject({
      network: 'team',
      author: { displayName: 'Olivia Owner' },
      read: false,
      done: false,
      assignedToUserId: null,
      channelAccountId: teamChannelId,
    });
    const page2 = await editor.client.get(`${org(editor)}/columns/${a.columnId}/items?limit=2&before=${page1.body.nextCursor}`);
    expect(page2.body.items.map((i: { text: string }) => i.text)).toEqual(['update 3 https://example.com/3', 'update 2 https://example.com/2']);
    expect((await editor.client.get(`${org(editor)}/columns/${a.columnId}/items?before=garbage`)).body.error.code).toBe('bad_cursor');

    // A reload whose page did not change is a 304 without a body; any change to the page is a new tag.
    expect(page1.headers['cache-control']).toBe('private, no-cache');
    const tag = String(page1.headers.etag);
    const unchanged = await editor.client.request('GET', `${org(editor)}/columns/${a.columnId}/items?limit=2`, undefined, { 'if-none-match': tag });
    expect(unchanged.status).toBe(304);
    expect(unchanged.raw).toBe('');
    expect(
      (await editor.client.request('GET', `${org(editor)}/columns/${a.columnId}/items?limit=2`, undefined, { 'if-none-match': `"other", W/${tag}` })).status,
    ).toBe(304);
    // Another member, even with the same tag, is answered from their own authorization: a viewer of someone else's column gets no 304.
    expect((await viewer.client.request('GET', `${org(viewer)}/columns/${a.columnId}/items?limit=2`, undefined, { 'if-none-match': tag })).status).toBe(404);

    const unreadOf = async (p: Person, columnId: string) =>
      (await p.client.get(`${org(p)}/boards`)).body.boards.flatMap((x: any) => x.columns).find((c: any) => c.id === columnId).unread;
    expect(await unreadOf(editor, a.columnId)).toBe(5);
    const marked = await editor.client.post(`${org(editor)}/columns/${a.columnId}/read`, { upTo: page1.body.items[1].id });
    // Everything from the given item back is read: only the newer "update 5" stays unread.
    expect(marked.body).toEqual({ unread: 1 });
    // Another member's column keeps its own reading state.
    expect(await unreadOf(owner, b.columnId)).toBe(5);

    const item = page1.body.items[0];
    const state = await editor.client.post(`${org(editor)}/items/${item.id}/state`, { done: true, assignedToUserId: viewer.userId });
    expect(state.body.item).toMatchObject({ id: item.id, done: true, assignedToUserId: viewer.userId });
    expect((await editor.client.post(`${org(editor)}/items/${item.id}/state`, { assignedToUserId: 'someone-else' })).body.error.code).toBe('not_a_member');
    const changed = await editor.client.request('GET', `${org(editor)}/columns/${a.columnId}/items?limit=2`, undefined, { 'if-none-match': tag });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(tag);
    const after = await owner.client.get(`${org(owner)}/columns/${b.columnId}/items?limit=1`);
    expect(after.body.items[0]).toMatchObject({ id: item.id, done: false, assignedToUserId: viewer.userId });

    const filtered = await editor.client.patch(`${org(editor)}/columns/${a.columnId}`, { filters: { excludeKeywords: ['UPDATE 5', 'update 3'] } });
    expect(filtered.body.column.unread).toBe(0);
    const shown = await editor.client.get(`${org(editor)}/columns/${a.columnId}/items`);
    expect(shown.body.items.map((i: { text: string }) => i.text)).toEqual([
      'update 4 https://example.com/4',
      'update 2 https://example.com/2',
      'update 1 https://example.com/1',
    ]);
    expect((await viewer.client.post(`${org(viewer)}/items/${item.id}/state`, { done: true })).status).toBe(403);
  });

  it('searches every stored item: Japanese substrings of any length, English, mixed, AND of words', async () => {
    await boardWithTeamColumn(editor);
    const texts = [
      'AWSの障害から復旧しました',
      'Maintenance window tonight',
      '新作の予約を開始しました https://shop.example/new',
      'AWS outage postmortem',
      '障害',
      'AI',
    ];
    for (const text of texts) {
      clock.advance(1000);
      await teamPost(text);
    }
    await ingestRound(app, clock);
    const search = async (q: string) =>
      (await viewer.client.get(`${org(viewer)}/search?q=${encodeURIComponent(q)}`)).body.items.map((i: { text: string }) => i.text);
    expect(await search('障害')).toEqual(['障害', 'AWSの障害から復旧しました']);
    expect(await search('障害から')).toEqual(['AWSの障害から復旧しました']);
    expect(await search('予約')).toEqual(['新作の予約を開始しました https://shop.example/new']);
    expect(await search('aws')).toEqual(['AWS outage postmortem', 'AWSの障害から復旧しました']);
    expect(await search('AWS 障害')).toEqual(['AWSの障害から復旧しました']);
    expect(await search('maintenance')).toEqual(['Maintenance window tonight']);
    expect(await search('ai')).toEqual(['AI', 'Maintenance window tonight']);
    expect(await search('"quoted" OR *')).toEqual([]);
    expect(await search('100%')).toEqual([]);
    const paged = await viewer.client.get(`${org(viewer)}/search?q=aws&limit=1`);
    const next = await viewer.client.get(`${org(viewer)}/search?q=aws&limit=1&before=${paged.body.nextCursor}`);
    expect(next.body.items.map((i: { text: string }) => i.text)).toEqual(['AWSの障害から復旧しました']);
  });

  it('a saved search has no read state of its own: marking it read is refused, its items stay unread where they arrived', async () => {
    const { boardId, columnId } = await boardWithTeamColumn(editor);
    await teamPost('AWSの障害から復旧しました');
    await ingestRound(app, clock);
    const saved = await editor.client.post(`${org(editor)}/boards/${boardId}/columns`, { kind: 'saved_search', target: '障害' });
    const found = await editor.client.get(`${org(editor)}/columns/${saved.body.column.id}/items`);
    expect(found.body.items).toHaveLength(1);
    const refused = await editor.client.post(`${org(editor)}/columns/${saved.body.column.id}/read`, { upTo: found.body.items[0].id });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('column_has_no_read_state');
    const team = await editor.client.get(`${org(editor)}/columns/${columnId}/items`);
    expect(team.body.items[0]).toMatchObject({ id: found.body.items[0].id, read: false });
  });

  it('retention: members read it, admins set it', async () => {
    expect((await viewer.client.get(`${org(viewer)}/stream-settings`)).body).toEqual({ retentionDays: 90 });
    expect((await editor.client.request('PUT', `${org(editor)}/stream-settings`, { retentionDays: 7 })).status).toBe(403);
    expect((await owner.client.request('PUT', `${org(owner)}/stream-settings`, { retentionDays: 7 })).body).toEqual({ retentionDays: 7 });
    expect((await viewer.client.get(`${org(viewer)}/stream-settings`)).body).toEqual({ retentionDays: 7 });
  });
});
