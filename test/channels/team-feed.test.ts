import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TeamConnector } from '../../src/channels/team/connector.js';
import { resolveMentions } from '../../core/networks/team.js';
import { OrgScope } from '../../src/teams/org-scope.js';
import { buildTestServer, invitePerson, setUpOwner, type Person } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';

describe('@mentions', () => {
  const members = [
    { userId: 'o', name: 'Olivia Owner', email: 'olivia@example.com' },
    { userId: 'e', name: 'Eddie Editor', email: 'ed@example.com' },
    { userId: 'e2', name: 'Eddie Other', email: 'eddie.o@example.com' },
    { userId: 'h', name: '花子 山田', email: 'hanako@example.jp' },
  ];
  it('resolves email local parts, whole names and unique first names; ignores ambiguous and unknown ones', () => {
    expect(resolveMentions('thanks @olivia and @EddieEditor!', members).sort()).toEqual(['e', 'o']);
    expect(resolveMentions('@Eddie please look', members)).toEqual([]);
    expect(resolveMentions('@ed, @eddie.o.', members).sort()).toEqual(['e', 'e2']);
    expect(resolveMentions('@花子 さん、確認お願いします', members)).toEqual(['h']);
    expect(resolveMentions('mail olivia@example.com, @nobody', members)).toEqual([]);
  });
});

describeEachStore('team feed', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  let editor: Person;
  beforeEach(async () => {
    app = await buildTestServer(current().store);
    owner = await setUpOwner(app);
    editor = await invitePerson(owner, 'Eddie Editor', 'editor');
  });
  afterEach(() => app.close());
  const feed = (p: Person) => `/api/orgs/${p.orgId}/team-feed`;

  it('posts status updates with resolved @mentions, newest first, paged', async () => {
    const first = await owner.client.post(`${feed(owner)}/posts`, { text: 'Launch moved to Friday, @eddie please update the calendar' });
    expect(first.status).toBe(201);
    expect(first.body.post).toMatchObject({
      author: { userId: owner.userId, name: 'Olivia Owner' },
      mentions: [{ userId: editor.userId, name: 'Eddie Editor' }],
      groupId: null,
    });
    for (let i = 0; i < 3; i++) await editor.client.post(`${feed(editor)}/posts`, { text: `update ${i}` });
    const page1 = await editor.client.get(`${feed(editor)}/posts?limit=3`);
    expect(page1.body.posts).toHaveLength(3);
    const page2 = await editor.client.get(`${feed(editor)}/posts?limit=3&before=${encodeURIComponent(page1.body.nextCursor)}`);
    expect(page2.body.posts.map((p: { id: string }) => p.id)).toEqual([first.body.post.id]);
    expect(page2.body.nextCursor).toBeNull();
    // `cursor`, the old name of `before`, still works for one release.
    const legacy = await editor.client.get(`${feed(editor)}/posts?limit=3&cursor=${encodeURIComponent(page1.body.nextCursor)}`);
    expect(legacy.body.posts).toEqual(page2.body.posts);
    const mine = await editor.client.get(`${feed(editor)}/posts?mentioningMe=true`);
    expect(mine.body.posts.map((p: { id: string }) => p.id)).toEqual([first.body.post.id]);
    expect((await owner.client.post(`${feed(owner)}/posts`, { text: '   ' })).body.error.code).toBe('empty_post');
  });

  it('groups: create, join, post only as a member, leave', async () => {
    const created = await owner.client.post(`${feed(owner)}/groups`, { name: 'Launch', description: 'Friday launch' });
    expect(created.status).toBe(201);
    const groupId = created.body.group.id;
    expect((await owner.client.post(`${feed(owner)}/groups`, { name: 'Launch' })).status).toBe(409);
    const outside = await editor.client.post(`${feed(editor)}/posts`, { text: 'hi', groupId });
    expect(outside.status).toBe(403);
    expect(outside.body.error.code).toBe('not_in_group');
    expect((await editor.client.post(`${feed(editor)}/groups/${groupId}/members`)).status).toBe(204);
    expect((await editor.client.get(`${feed(editor)}/groups`)).body.groups).toEqual([
      expect.objectContaining({ name: 'Launch', memberCount: 2, joined: true }),
    ]);
    expect((await editor.client.post(`${feed(editor)}/posts`, { text: 'in the group', groupId })).status).toBe(201);
    await owner.client.post(`${feed(owner)}/posts`, { text: 'to everyone' });
    const inGroup = await owner.client.get(`${feed(owner)}/posts?groupId=${groupId}`);
    expect(inGroup.body.posts.map((p: { text: string }) => p.text)).toEqual(['in the group']);
    expect((await editor.client.delete(`${feed(editor)}/groups/${groupId}/members`)).status).toBe(204);
    expect((await editor.client.get(`${feed(editor)}/posts`)).body.posts.map((p: { text: string }) => p.text)).toEqual(['to everyone']);
    expect((await editor.client.get(`${feed(editor)}/groups`)).body.groups[0]).toMatchObject({ memberCount: 1, joined: false });
  });

  it('stores attachments up to the size limit and serves them only as downloads', async () => {
    const pdf = Buffer.from('%PDF-1.4 minutes');
    const posted = await owner.client.post(`${feed(owner)}/posts`, {
      text: 'minutes attached',
      attachments: [{ name: '議事録.pdf', contentType: 'application/pdf', dataBase64: pdf.toString('base64') }],
    });
    expect(posted.status).toBe(201);
    const [attachment] = posted.body.post.attachments;
    expect(attachment).toMatchObject({ name: '議事録.pdf', contentType: 'application/pdf', size: pdf.length });
    const download = await editor.client.get(`${feed(editor)}/attachments/${attachment.id}`);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/octet-stream');
    expect(download.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('議事録.pdf')}`);
    expect(download.raw).toBe(pdf.toString());
    const tooBig = await owner.client.post(`${feed(owner)}/posts`, {
      text: 'big',
      attachments: [{ name: 'big.bin', contentType: 'application/octet-stream', dataBase64: Buffer.alloc(1024 * 1024 + 1).toString('base64') }],
    });
    expect(tooBig.status).toBe(400);
  });

  it('appears as a channel: connect the team network, read its stream, publish idempotently', async () => {
    const connected = await owner.client.post(`/api/orgs/${owner.orgId}/channels`, { network: 'team', credentials: {} });
    expect(connected.status).toBe(201);
    expect(connected.body.channel).toMatchObject({ network: 'team', displayName: 'Acme team', remoteId: owner.orgId });
    await editor.client.post(`${feed(editor)}/posts`, { text: 'Hello @olivia, see https://example.com/plan' });
    const stream = await owner.client.get(`/api/orgs/${owner.orgId}/channels/${connected.body.channel.id}/stream?kind=team`);
    expect(stream.status).toBe(200);
    expect(stream.body.items).toEqual([
      expect.objectContaining({
        network: 'team',
        text: 'Hello @olivia, see https://example.com/plan',
        links: ['https://example.com/plan'],
        author: expect.objectContaining({ displayName: 'Eddie Editor' }),
      }),
    ]);
    const mentions = await owner.client.get(`/api/orgs/${owner.orgId}/channels/${connected.body.channel.id}/stream?kind=mentions`);
    expect(mentions.body.items).toHaveLength(1);
    const connector = new TeamConnector(new OrgScope(current().store.db, owner.orgId, { userId: owner.userId, role: 'owner' }, () => new Date()));
    const once = await connector.publish({ idempotencyKey: 'post-1', text: 'Scheduled hello' });
    const twice = await connector.publish({ idempotencyKey: 'post-1', text: 'Scheduled hello' });
    expect(once.ok && twice.ok && [once.value.alreadyExisted, twice.value.alreadyExisted, twice.value.remoteId === once.value.remoteId]).toEqual([
      false,
      true,
      true,
    ]);
    expect((await owner.client.get(`${feed(owner)}/posts`)).body.posts.filter((p: { text: string }) => p.text === 'Scheduled hello')).toHaveLength(1);
  });

  it("keeps each org's team feed to itself", async () => {
    const posted = await owner.client.post(`${feed(owner)}/posts`, {
      text: 'internal',
      attachments: [{ name: 'a.txt', contentType: 'text/plain', dataBase64: Buffer.from('secret').toString('base64') }],
    });
    const other = await editor.client.post('/api/orgs', { name: 'Other' });
    const elsewhere = `/api/orgs/${other.body.org.id}/team-feed`;
    expect((await editor.client.get(`${elsewhere}/posts`)).body.posts).toEqual([]);
    expect((await editor.client.get(`${elsewhere}/attachments/${posted.body.post.attachments[0].id}`)).status).toBe(404);
    expect((await editor.client.delete(`${elsewhere}/posts/${posted.body.post.id}`)).status).toBe(404);
    const stranger = await setUpStranger();
    expect((await stranger.get(`${feed(owner)}/posts`)).status).toBe(404);
  });

  async function setUpStranger() {
    const person = await invitePerson(owner, 'Sam Stranger', 'viewer');
    await person.client.delete(`/api/orgs/${owner.orgId}/membership`);
    return person.client;
  }
});
