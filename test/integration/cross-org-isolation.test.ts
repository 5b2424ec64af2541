import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/users.js';
import { collectConversations } from '../../src/inbox/collect.js';
import { storeIngestedBatch } from '../../src/streams/ingest.js';
import { createOrg } from '../../src/teams/service.js';
import { ApiClient, PASSWORD, buildTestServer, invitePerson, setUpOwner } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';

/**
 * Walks EVERY registered route as a signed-in member of another org, with the victim org's
 * ids in every path parameter, and asserts 403/404 and that no victim data comes back.
 * A new route parameter must be added to `victimIdFor` below, or this test fails: that is the point.
 */
describeEachStore('cross-org isolation', (current) => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await buildTestServer(current().store);
  });
  afterEach(() => app.close());

  it('gives a member of another org nothing on any route', async () => {
    const alice = await setUpOwner(app, 'Alice Victim', 'Victim Corp');
    const bob = await invitePerson(alice, 'Bob Victim', 'editor');
    const org = `/api/orgs/${alice.orgId}`;
    const invitation = await alice.client.post(`${org}/invitations`, { role: 'viewer', email: 'pending@victim.example' });
    const apiToken = await alice.client.post('/api/me/tokens', { name: 'victim token' });
    const aliceSession = (await alice.client.get('/api/me/sessions')).body.sessions[0];
    // The team feed is a channel that needs no outside network, so every channel route has a real row to aim at.
    const channel = await alice.client.post(`${org}/channels`, { network: 'team', credentials: {} });
    expect(channel.status).toBe(201);
    const post = await alice.client.post(`${org}/posts`, { text: 'victim secret launch', channelAccountIds: [channel.body.channel.id], action: 'draft' });
    expect(post.status).toBe(201);
    const media = await alice.client.post(`${org}/media`, {
      mimeType: 'image/gif',
      dataBase64: Buffer.from('GIF89a victim image').toString('base64'),
      alt: 'victim alt text',
    });
    expect(media.status).toBe(201);
    const group = await alice.client.post(`${org}/team-feed/groups`, { name: 'victim-inner-circle' });
    const teamPost = await alice.client.post(`${org}/team-feed/posts`, {
      text: 'victim team gossip',
      groupId: group.body.group.id,
      attachments: [{ name: 'victim-plan.txt', contentType: 'text/plain', dataBase64: Buffer.from('victim plan').toString('base64') }],
    });
    expect(teamPost.status).toBe(201);
    const webhook = await alice.client.post(`${org}/webhooks`, { url: 'https://hooks.victim.example/chorus', events: ['post.target_failed'] });
    expect(webhook.status).toBe(201);
    const incident = await alice.client.post('/api/ops/incidents', { title: 'victim incident', message: 'investigating', components: ['store'] });
    expect(incident.status).toBe(201);
    const board = await alice.client.post(`${org}/boards`, { name: 'victim-board', shared: true });
    const column = await alice.client.post(`${org}/boards/${board.body.board.id}/columns`, {
      kind: 'team',
      channelAccountId: channel.body.channel.id,
      title: 'victim-column',
    });
    expect(column.status).toBe(201);
    const stored = await storeIngestedBatch(current().store.db, {
      orgId: alice.orgId,
      channelAccountId: channel.body.channel.id,
      columnIds: [column.body.column.id],
      fetchedAt: new Date().toISOString(),
      items: [
        {
          network: 'team',
          remoteId: 'victim-item',
          url: null,
          author: { remoteId: alice.userId, handle: 'alice', displayName: 'Alice Victim' },
          text: 'victim stream item',
          html: null,
          links: [],
          media: [],
          replyToRemoteId: null,
          quoteOfRemoteId: null,
          createdAt: new Date().toISOString(),
          language: null,
          metrics: null,
        },
      ],
    });
    // A mention in the team channel's mentions stream opens a conversation (filed as the ingest worker does).
    const mention = await storeIngestedBatch(current().store.db, {
      orgId: alice.orgId,
      channelAccountId: channel.body.channel.id,
      columnIds: [],
      fetchedAt: new Date().toISOString(),
      items: [
        {
          network: 'bluesky',
          remoteId: 'at://did:plc:victimfan/app.bsky.feed.post/1',
          url: null,
          author: { remoteId: 'did:plc:victimfan', handle: 'victimfan.test', displayName: 'Victim Fan' },
          text: 'victim conversation',
          html: null,
          links: [],
          media: [],
          replyToRemoteId: null,
          quoteOfRemoteId: null,
          createdAt: new Date().toISOString(),
          language: null,
          metrics: null,
        },
      ],
    });
    const [conversationId] = await collectConversations(current().store, () => new Date(), {
      orgId: alice.orgId,
      channelAccountId: channel.body.channel.id,
      kind: 'mentions',
      itemIds: mention.newItemIds,
    });
    const conversationMessage = (await alice.client.get(`${org}/conversations/${conversationId}`)).body.messages[0];
    const inboxView = await alice.client.post(`${org}/inbox/views`, { name: 'victim-view', filters: { tag: 'victim' } });
    expect(inboxView.status).toBe(201);
    const contact = await alice.client.post(`${org}/contacts`, {
      displayName: 'victim-contact',
      email: 'contact@victim.example',
      identities: [{ network: 'team', handle: 'alice' }],
    });
    expect(contact.status).toBe(201);
    const contactNote = await alice.client.post(`${org}/contacts/${contact.body.contact.id}/notes`, { body: 'victim contact note' });
    expect(contactNote.status).toBe(201);
    const company = await alice.client.post(`${org}/companies`, { name: 'victim-company', domain: 'victim-company.example' });
    const task = await alice.client.post(`${org}/tasks`, { title: 'victim-task' });
    const form = await alice.client.post(`${org}/forms`, { name: 'victim-form', fields: [{ name: 'email', type: 'email', required: true }] });
    const campaign = await alice.client.post(`${org}/campaigns`, { name: 'victim-campaign-entity' });
    for (const created of [company, task, form, campaign]) expect(created.status, created.raw).toBe(201);
    const link = await alice.client.post(`${org}/links`, {
      url: 'https://victim-link-target.example/launch',
      postId: post.body.post.id,
      campaign: 'victim-campaign',
    });
    expect(link.status).toBe(201);

    const mallory = await createUser(current().store.db, () => new Date(), { email: 'mallory@attacker.example', name: 'Mallory', password: PASSWORD });
    await createOrg(current().store.db, () => new Date(), { name: 'Attacker LLC', ownerUserId: mallory.id });
    const attacker = new ApiClient(app, '198.51.100.66');
    expect((await attacker.post('/api/session', { email: 'mallory@attacker.example', password: PASSWORD })).status).toBe(200);

    const victimIdFor = (param: string, url: string): string | undefined =>
      ({
        orgId: alice.orgId,
        userId: bob.userId,
        invitationId: invitation.body.invitation.id,
        tokenId: apiToken.body.apiToken.id,
        sessionId: aliceSession.id,
        postId: url.includes('/team-feed/') ? teamPost.body.post.id : post.body.post.id,
        channelAccountId: channel.body.channel.id,
        channelId: channel.body.channel.id,
        groupId: group.body.group.id,
        attachmentId: teamPost.body.post.attachments[0].id,
        incidentId: incident.body.incident.id,
        boardId: board.body.board.id,
        columnId: column.body.column.id,
        itemId: stored.newItemIds[0],
        webhookId: webhook.body.webhook.id,
        mediaId: media.body.media.id,
        contactId: contact.body.contact.id,
        identityId: contact.body.contact.identities[0].id,
        noteId: contactNote.body.note.id,
        conversationId,
        messageId: conversationMessage.id,
        viewId: inboxView.body.view.id,
        companyId: company.body.company.id,
        taskId: task.body.task.id,
        formId: form.body.form.id,
        campaignId: campaign.body.campaign.id,
        report: 'links',
      })[param];
    // Invitation links are capability URLs: holding the token is the permission, by design.
    const capabilityParams = new Set(['token']);
    const secrets = [
      alice.orgId,
      'Victim Corp',
      bob.userId,
      bob.email,
      alice.email,
      alice.userId,
      invitation.body.invitation.id,
      'pending@victim.example',
      apiToken.body.apiToken.id,
      'victim token',
      aliceSession.id,
      post.body.post.id,
      'victim secret launch',
      media.body.media.id,
      'victim alt text',
      channel.body.channel.id,
      'victim-inner-circle',
      'victim team gossip',
      'victim-plan.txt',
      'victim-board',
      'victim-column',
      'victim stream item',
      stored.newItemIds[0]!,
      'hooks.victim.example',
      webhook.body.secret,
      contact.body.contact.id,
      'victim-contact',
      'contact@victim.example',
      'victim contact note',
      conversationId!,
      'victim conversation',
      'victimfan.test',
      'victim-view',
      'victim-link-target',
      'victim-campaign',
      'victim-company',
      'victim-task',
      'victim-form',
      'victim-campaign-entity',
      link.body.link.code,
    ];

    const isSignOut = (r: { method: string; url: string }) => r.method === 'DELETE' && (r.url === '/api/session' || r.url === '/api/me/sessions');
    // Signing out (here, or everywhere) last keeps the attacker signed in for every other route.
    const apiRoutes = app.registeredRoutes
      .filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'))
      .sort((a, b) => Number(isSignOut(a)) - Number(isSignOut(b)));
    expect(apiRoutes.length).toBeGreaterThan(40);
    let walked = 0;
    for (const route of apiRoutes) {
      const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      if (params.some((p) => capabilityParams.has(p))) continue;
      const unknown = params.filter((p) => victimIdFor(p, route.url) === undefined);
      expect(unknown, `route ${route.method} ${route.url} has a parameter this test does not know: add a victim id for it`).toEqual([]);
      const url = route.url.replace(/:(\w+)/g, (_, name: string) => victimIdFor(name, route.url)!);
      const res = await attacker.request(route.method, url, route.method === 'GET' || route.method === 'DELETE' ? undefined : {});
      const label = `${route.method} ${route.url} answered ${res.status}: ${res.raw.slice(0, 200)}`;
      if (params.length > 0) expect([403, 404], label).toContain(res.status);
      for (const secret of secrets) expect(res.raw, label).not.toContain(secret);
      walked++;
    }
    expect(walked).toBeGreaterThan(35);

    // And nothing of the victim's changed.
    expect((await alice.client.get(`${org}/members`)).body.members).toHaveLength(2);
    expect((await alice.client.get(org)).body.org.name).toBe('Victim Corp');
    expect((await alice.client.get(`${org}/invitations`)).body.invitations).toHaveLength(1);
    expect((await alice.client.get('/api/me/tokens')).body.tokens).toHaveLength(1);
    expect((await alice.client.get('/api/me/sessions')).body.sessions).toEqual([expect.objectContaining({ id: aliceSession.id })]);
    expect((await alice.client.get(`${org}/posts/${post.body.post.id}`)).body.post).toMatchObject({ text: 'victim secret launch', workflow: 'draft' });
    expect((await alice.client.get(`${org}/channels`)).body.channels).toHaveLength(1);
    expect((await alice.client.get(`${org}/contacts/${contact.body.contact.id}`)).body).toMatchObject({
      contact: { displayName: 'victim-contact', identities: [{ handle: 'alice' }] },
      notes: [{ body: 'victim contact note' }],
    });
    expect((await alice.client.get(`${org}/team-feed/posts`)).body.posts ?? (await alice.client.get(`${org}/team-feed/posts`)).body.items).toHaveLength(1);
  });
});
