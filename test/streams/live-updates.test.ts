import type { FastifyInstance } from 'fastify';
import { afterEach, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { PASSWORD, invitePerson, setUpOwner } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';
import { openSse, signIn } from './sse-client.js';
import { ingestRound } from './support.js';

/**
 * Live updates end to end over real HTTP. On PostgreSQL the item is ingested through one server
 * process's store and must reach an SSE client connected to another (LISTEN/NOTIFY); SQLite has
 * one server process, so it is delivered in-process.
 */
describeEachStore('live stream updates', (current, dialect) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function startServer(store: Store): Promise<{ app: FastifyInstance; url: string }> {
    const app = await buildServer({ store, webRoot: null, databaseUrl: current().url, secretKey: 'k'.repeat(43) });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => app.close());
    return { app, url };
  }

  it('sends item and unread events to members who can see the column', async () => {
    const ingesting = await startServer(current().store);
    let serving = ingesting;
    if (dialect === 'postgres') {
      const second = openStore(current().url);
      cleanups.push(() => second.close());
      serving = await startServer(second);
    }
    const owner = await setUpOwner(ingesting.app);
    const editor = await invitePerson(owner, 'Eddie Editor', 'editor');
    const org = `/api/orgs/${owner.orgId}`;
    const channel = await owner.client.post(`${org}/channels`, { network: 'team', credentials: {} });
    const board = await editor.client.post(`${org}/boards`, { name: 'Live' });
    const column = await editor.client.post(`${org}/boards/${board.body.board.id}/columns`, { kind: 'team', channelAccountId: channel.body.channel.id });
    expect(column.status).toBe(201);

    await serving.app.ready();
    const editorEvents = await openSse(`${serving.url}${org}/stream-events`, await signIn(serving.url, editor.email, PASSWORD));
    // The owner cannot see the editor's private board: it hears nothing about it.
    const ownerEvents = await openSse(`${serving.url}${org}/stream-events`, await signIn(serving.url, owner.email, PASSWORD));
    cleanups.push(async () => {
      editorEvents.close();
      ownerEvents.close();
    });

    await owner.client.post(`${org}/team-feed/posts`, { text: '新しい投稿 live' });
    expect(await ingestRound(ingesting.app)).toBe(1);

    const item = await editorEvents.next((e) => e.event === 'item');
    expect(item.data).toMatchObject({ columnIds: [column.body.column.id], item: { text: '新しい投稿 live', read: false, network: 'team' } });
    const unread = await editorEvents.next((e) => e.event === 'unread');
    expect(unread.data).toEqual({ columnId: column.body.column.id, unread: 1 });

    await editor.client.post(`${org}/columns/${column.body.column.id}/read`, { upTo: item.data.item.id });
    expect((await editorEvents.next((e) => e.event === 'unread')).data).toEqual({ columnId: column.body.column.id, unread: 0 });
    await expect(ownerEvents.next(() => true, 500)).rejects.toThrow(/no matching event/);
  });

  it('brings new items matching a saved search into that column live', async () => {
    const ingesting = await startServer(current().store);
    let serving = ingesting;
    if (dialect === 'postgres') {
      const second = openStore(current().url);
      cleanups.push(() => second.close());
      serving = await startServer(second);
    }
    const owner = await setUpOwner(ingesting.app);
    const editor = await invitePerson(owner, 'Eddie Editor', 'editor');
    const org = `/api/orgs/${owner.orgId}`;
    const channel = await owner.client.post(`${org}/channels`, { network: 'team', credentials: {} });
    // The owner's private column is what makes the team feed polled; the editor only searches.
    const ownerBoard = await owner.client.post(`${org}/boards`, { name: 'Team' });
    const teamColumn = await owner.client.post(`${org}/boards/${ownerBoard.body.board.id}/columns`, {
      kind: 'team',
      channelAccountId: channel.body.channel.id,
    });
    const editorBoard = await editor.client.post(`${org}/boards`, { name: 'Launches' });
    const launches = await editor.client.post(`${org}/boards/${editorBoard.body.board.id}/columns`, { kind: 'saved_search', target: 'LAUNCH' });
    expect(launches.status).toBe(201);

    await serving.app.ready();
    const editorEvents = await openSse(`${serving.url}${org}/stream-events`, await signIn(serving.url, editor.email, PASSWORD));
    const ownerEvents = await openSse(`${serving.url}${org}/stream-events`, await signIn(serving.url, owner.email, PASSWORD));
    cleanups.push(async () => {
      editorEvents.close();
      ownerEvents.close();
    });

    const pollNow = () =>
      ingesting.app.store.db
        .updateTable('ingest_jobs')
        .set({ next_poll_at: new Date(0).toISOString() })
        .execute();
    await owner.client.post(`${org}/team-feed/posts`, { text: 'Lunch menu' });
    expect(await ingestRound(ingesting.app)).toBe(1);
    await owner.client.post(`${org}/team-feed/posts`, { text: 'We launch on Monday' });
    await pollNow();
    expect(await ingestRound(ingesting.app)).toBe(1);

    // Changes arrive in order: had the lunch post reached the saved search, it would come first.
    const item = await editorEvents.next((e) => e.event === 'item');
    expect(item.data).toMatchObject({ columnIds: [launches.body.column.id], item: { text: 'We launch on Monday', network: 'team' } });
    // The owner cannot see the editor's private saved search: only the owner's own column is named.
    const ownerItem = await ownerEvents.next((e) => e.event === 'item' && e.data.item.text === 'We launch on Monday');
    expect(ownerItem.data.columnIds).toEqual([teamColumn.body.column.id]);
    // The column reads the item the event brought, at the top.
    const read = await editor.client.get(`${org}/columns/${launches.body.column.id}/items`);
    expect(read.body.items.map((i: { id: string }) => i.id)).toEqual([item.data.item.id]);
  });

  it('refuses a signed-out browser', async () => {
    const { app, url } = await startServer(current().store);
    const owner = await setUpOwner(app);
    const anonymous = await fetch(`${url}/api/orgs/${owner.orgId}/stream-events`);
    expect(anonymous.status).toBe(401);
  });
});
