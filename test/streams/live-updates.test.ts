import type { FastifyInstance } from 'fastify';
import { afterEach, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.js';
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

  it('refuses a signed-out browser', async () => {
    const { app, url } = await startServer(current().store);
    const owner = await setUpOwner(app);
    const anonymous = await fetch(`${url}/api/orgs/${owner.orgId}/stream-events`);
    expect(anonymous.status).toBe(401);
  });
});
