import type { FastifyInstance } from 'fastify';
import { afterEach, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { PASSWORD, invitePerson, setUpOwner } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';
import { openSse, signIn } from '../streams/sse-client.js';
import { blueskyPost, ingestAndCollect, offlineBlueskyAccount } from './support.js';

/**
 * The inbox's live events over real HTTP. On PostgreSQL the teammate's browser is connected to
 * another server process than the one that files items and takes the requests (LISTEN/NOTIFY);
 * SQLite has one server process.
 */
describeEachStore('live inbox events', (current, dialect) => {
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

  it("tells teammates who is viewing or replying, new conversations, and rings the assignee's bell", async () => {
    const working = await startServer(current().store);
    let watching = working;
    if (dialect === 'postgres') {
      const second = openStore(current().url);
      cleanups.push(() => second.close());
      watching = await startServer(second);
    }
    const owner = await setUpOwner(working.app);
    const editor = await invitePerson(owner, 'Eddie Editor', 'editor');
    const org = `/api/orgs/${owner.orgId}`;
    const account = await offlineBlueskyAccount(working.app, owner.orgId);
    await watching.app.ready();

    const editorEvents = await openSse(`${watching.url}${org}/inbox/events`, await signIn(watching.url, editor.email, PASSWORD));
    cleanups.push(async () => editorEvents.close());
    const ownerEvents = await openSse(`${watching.url}${org}/inbox/events`, await signIn(watching.url, owner.email, PASSWORD));
    cleanups.push(async () => ownerEvents.close());

    const [conversationId] = await ingestAndCollect(working.app, owner.orgId, account, [blueskyPost('carol.test', '@acme.test いつ届きますか?')]);
    expect((await editorEvents.next((e) => e.event === 'conversations')).data).toEqual({ conversationIds: [conversationId] });

    // The owner types a reply: the editor hears it; the owner does not hear themself.
    expect((await owner.client.post(`${org}/conversations/${conversationId}/presence`, { state: 'replying' })).status).toBe(204);
    const presence = await editorEvents.next((e) => e.event === 'presence');
    expect(presence.data).toMatchObject({ conversationId, userId: owner.userId, name: 'Olivia Owner', state: 'replying' });
    await expect(ownerEvents.next((e) => e.event === 'presence', 1_000)).rejects.toThrow(/no matching event/);

    // Assigning the editor rings the editor's bell only.
    await owner.client.patch(`${org}/conversations/${conversationId}`, { assigneeUserId: editor.userId });
    await editorEvents.next((e) => e.event === 'bell');
    await expect(ownerEvents.next((e) => e.event === 'bell', 1_000)).rejects.toThrow(/no matching event/);

    // Presence on an unknown conversation, or in an unknown state, is refused.
    expect((await owner.client.post(`${org}/conversations/nope/presence`, { state: 'viewing' })).status).toBe(404);
    expect((await owner.client.post(`${org}/conversations/${conversationId}/presence`, { state: 'dancing' })).status).toBe(400);
  });
});
