import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { channelDirectory } from '../../src/channels/publishing-directory.js';
import { buildServer } from '../../src/app/server.js';
import { publishDueTargets } from '../../src/publishing/publisher.js';
import { invitePerson, setUpOwner } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';

/** Publishing through the real channels module into Chorus's own team feed: no scripted network. */
describeEachStore('publishing to the team feed', (current) => {
  let app: FastifyInstance;
  const secretKey = 'team-channel-test-secret-key-0123456789';
  beforeEach(async () => {
    app = await buildServer({ store: current().store, webRoot: null, secretKey });
  });
  afterEach(() => app.close());

  it('imports a bulk CSV through the real channel directory without blocking the store', async () => {
    const owner = await setUpOwner(app);
    const channel = await owner.client.post(`/api/orgs/${owner.orgId}/channels`, { network: 'team', credentials: {} });
    const csv = [
      'account,time,text',
      `${channel.body.channel.id},2099-01-02 09:00,New year stand-up`,
      `${channel.body.channel.id},2099-01-03 09:00,Second day`,
    ].join('\n');
    const imported = await owner.client.post(`/api/orgs/${owner.orgId}/posts/bulk`, { csv, timeZone: 'Asia/Tokyo' });
    expect(imported.status).toBe(200);
    expect(imported.body.report).toMatchObject({ rows: 2, valid: 2, imported: 2 });
    // The store is still free: on SQLite a lookup outside the import's transaction would have hung here.
    const listed = await owner.client.get(`/api/orgs/${owner.orgId}/posts`);
    expect(listed.body.posts.map((p: { text: string; dueAt: string }) => [p.text, p.dueAt])).toEqual([
      ['New year stand-up', '2099-01-02T00:00:00.000Z'],
      ['Second day', '2099-01-03T00:00:00.000Z'],
    ]);
  });

  it("posts as the post's author, exactly once, even when the publish is repeated", async () => {
    const owner = await setUpOwner(app);
    const editor = await invitePerson(owner, 'Ed Editor', 'editor');
    const channel = await owner.client.post(`/api/orgs/${owner.orgId}/channels`, { network: 'team', credentials: {} });
    expect(channel.status).toBe(201);
    const submitted = await editor.client.post(`/api/orgs/${owner.orgId}/posts`, {
      text: 'Team lunch at noon',
      channelAccountIds: [channel.body.channel.id],
      action: 'submit',
    });
    await owner.client.post(`/api/orgs/${owner.orgId}/posts/${submitted.body.post.id}/approve`, {});

    const directory = channelDirectory(current().store.db, () => new Date(), app.channels);
    expect(await publishDueTargets({ store: current().store, clock: () => new Date(), directory, workerId: 'w' })).toBe(1);
    const post = (await owner.client.get(`/api/orgs/${owner.orgId}/posts/${submitted.body.post.id}`)).body.post;
    expect(post.status).toBe('published');

    const feed = await owner.client.get(`/api/orgs/${owner.orgId}/team-feed/posts`);
    const items = feed.body.posts ?? feed.body.items;
    expect(items).toHaveLength(1);
    expect(JSON.stringify(items[0])).toContain('Team lunch at noon');
    expect(JSON.stringify(items[0])).toContain(editor.userId);

    // A worker that lost its lease repeats the publish with the same key: still one team post.
    const connector = await directory.connectorFor(owner.orgId, channel.body.channel.id, editor.userId);
    if (!connector.ok) throw new Error(connector.reason);
    const again = await connector.connector.publish({ idempotencyKey: post.targets[0].id, text: 'Team lunch at noon', attempt: 2 });
    expect(again).toMatchObject({ ok: true, value: { alreadyExisted: true } });
    const after = await owner.client.get(`/api/orgs/${owner.orgId}/team-feed/posts`);
    expect(after.body.posts ?? after.body.items).toHaveLength(1);
  });
});
