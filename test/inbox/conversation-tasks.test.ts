/** A task made from an inbox conversation is linked to it and to its contact, as the inbox's "Create task" sends it; a task links only to conversations and team posts of its own org; a task from a stream item carries the item's address. */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildTestServer, invitePerson, setUpOwner, type Person } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';
import { blueskyPost, ingestAndCollect, offlineBlueskyAccount } from './support.js';

describeEachStore('tasks from conversations', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  let org: string;
  let account: string;
  beforeEach(async () => {
    app = await buildTestServer(current().store);
    owner = await setUpOwner(app);
    org = `/api/orgs/${owner.orgId}`;
    account = await offlineBlueskyAccount(app, owner.orgId);
  });
  afterEach(() => app.close());

  it('links the task to the conversation and its contact, and lists it with the contact', async () => {
    const [conversationId] = await ingestAndCollect(
      app,
      owner.orgId,
      account,
      [blueskyPost('carol.test', '@acme.test can you call me back about the order?')],
      'mentions',
    );
    const conversation = (await owner.client.get(`${org}/conversations/${conversationId}`)).body.conversation;
    expect(conversation.contactId).toEqual(expect.any(String));
    const editor = await invitePerson(owner, 'Eddie Editor', 'editor');

    const made = await editor.client.post(`${org}/tasks`, {
      title: 'Follow up with @carol.test: can you call me back',
      conversationId,
      contactId: conversation.contactId,
      assigneeUserId: owner.userId,
    });
    expect(made.status, made.raw).toBe(201);
    expect(made.body.task).toMatchObject({
      conversationId,
      contactId: conversation.contactId,
      contactName: 'Carol',
      assigneeUserId: owner.userId,
      assigneeName: 'Olivia Owner',
      done: false,
    });

    expect((await owner.client.get(`${org}/tasks?mine=true`)).body.tasks.map((t: { id: string; conversationId: string }) => [t.id, t.conversationId])).toEqual([
      [made.body.task.id, conversationId],
    ]);
    expect((await owner.client.get(`${org}/tasks?contactId=${conversation.contactId}`)).body.tasks).toHaveLength(1);

    // A viewer reads the conversation but cannot make tasks; an empty title is refused.
    const viewer = await invitePerson(owner, 'Vera Viewer', 'viewer');
    expect((await viewer.client.post(`${org}/tasks`, { title: 'Nope', conversationId })).status).toBe(403);
    expect((await editor.client.post(`${org}/tasks`, { title: '  ', conversationId })).status).toBe(400);
  });

  it("refuses a conversation the org does not have: an unknown id, or another org's conversation (404), and stores no task", async () => {
    const second = await owner.client.post('/api/orgs', { name: 'Side shop' });
    expect(second.status, second.raw).toBe(201);
    const otherOrgId: string = second.body.org.id;
    const [elsewhere] = await ingestAndCollect(
      app,
      otherOrgId,
      await offlineBlueskyAccount(app, otherOrgId),
      [blueskyPost('dan.test', '@acme.test a question for the side shop')],
      'mentions',
    );
    expect((await owner.client.get(`/api/orgs/${otherOrgId}/conversations/${elsewhere}`)).status).toBe(200);

    for (const conversationId of [elsewhere, 'no-such-conversation']) {
      const refused = await owner.client.post(`${org}/tasks`, { title: 'Follow up', conversationId });
      expect(refused.status, refused.raw).toBe(404);
      expect(refused.body.error).toMatchObject({ code: 'conversation_not_found', message: 'Conversation not found in this organization' });
    }
    expect((await owner.client.get(`${org}/tasks?status=all`)).body.tasks).toEqual([]);
    // The same conversation is fine in its own org.
    expect((await owner.client.post(`/api/orgs/${otherOrgId}/tasks`, { title: 'Follow up', conversationId: elsewhere })).status).toBe(201);
  });
  it('refuses a team post the org does not have, and links one it has', async () => {
    const second = await owner.client.post('/api/orgs', { name: 'Side shop' });
    expect(second.status, second.raw).toBe(201);
    const elsewhere = await owner.client.post(`/api/orgs/${second.body.org.id}/team-feed/posts`, { text: 'Side shop stand-up notes' });
    expect(elsewhere.status, elsewhere.raw).toBe(201);
    for (const teamPostId of [elsewhere.body.post.id, 'no-such-post']) {
      const refused = await owner.client.post(`${org}/tasks`, { title: 'Follow up', teamPostId });
      expect(refused.status, refused.raw).toBe(404);
      expect(refused.body.error).toMatchObject({ code: 'team_post_not_found' });
    }
    expect((await owner.client.get(`${org}/tasks?status=all`)).body.tasks).toEqual([]);
    const own = await owner.client.post(`${org}/team-feed/posts`, { text: 'Order 42 needs a call back' });
    const made = await owner.client.post(`${org}/tasks`, { title: 'Call back about order 42', teamPostId: own.body.post.id });
    expect(made.status, made.raw).toBe(201);
    expect(made.body.task).toMatchObject({ teamPostId: own.body.post.id });
  });

  it("links a task made from a stream item to the item's address on its network, where the item has one", async () => {
    const withAddress = { ...blueskyPost('erin.test', 'Our beans arrived cold'), url: 'https://bsky.app/profile/erin.test/post/3k1' };
    const without = blueskyPost('finn.test', 'Any decaf?');
    await ingestAndCollect(app, owner.orgId, account, [withAddress, without], 'home');
    const items = await app.store.db.selectFrom('stream_items').select(['id', 'remote_id']).where('org_id', '=', owner.orgId).execute();
    const itemOf = (remoteId: string) => items.find((item) => item.remote_id === remoteId)!.id;
    for (const [item, itemUrl] of [
      [withAddress, withAddress.url],
      [without, null],
    ] as const) {
      const made = await owner.client.post(`${org}/tasks`, { title: `Answer ${item.author.handle}`, itemId: itemOf(item.remoteId) });
      expect(made.status, made.raw).toBe(201);
      expect(made.body.task).toMatchObject({ itemId: itemOf(item.remoteId), itemUrl });
    }
    const listed = (await owner.client.get(`${org}/tasks?status=all`)).body.tasks as { title: string; itemUrl: string | null }[];
    expect(listed.map(({ title, itemUrl }) => ({ title, itemUrl })).sort((a, b) => a.title.localeCompare(b.title))).toEqual([
      { title: 'Answer erin.test', itemUrl: withAddress.url },
      { title: 'Answer finn.test', itemUrl: null },
    ]);
  });
});
