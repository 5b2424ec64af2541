/**
 * Conversations on both stores: which items open or join one, status, assignee, tags, saved views,
 * SLA and the bell, automatic contacts (one contact however many files at once), and the API's errors.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/channels/publishing-directory.js';
import { contactFromItem } from '../../src/crm/service.js';
import { linkContact } from '../../src/inbox/collect.js';
import { warnAboutSla } from '../../src/inbox/worker.js';
import { OrgScope } from '../../src/teams/org-scope.js';
import { buildTestServer, invitePerson, setUpOwner, type Person } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';
import { blueskyPost, ingestAndCollect, offlineBlueskyAccount } from './support.js';

describeEachStore('inbox conversations', (current) => {
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

  const list = async (query = '') => (await owner.client.get(`${org}/conversations${query}`)).body;

  it('a mention opens a conversation with its author, a reply in the thread joins it, other posts and our own stay out', async () => {
    const mention = blueskyPost('carol.test', '@acme.test 予約はいつから?');
    await ingestAndCollect(app, owner.orgId, account, [
      mention,
      blueskyPost('dave.test', 'nothing for us here'),
      blueskyPost('acme.test', '@acme.test talking to myself'),
    ]);
    const first = await list();
    expect(first.conversations).toHaveLength(1);
    expect(first.conversations[0]).toMatchObject({
      network: 'bluesky',
      status: 'open',
      author: { handle: 'carol.test' },
      preview: '@acme.test 予約はいつから?',
      firstResponseAt: null,
      channelAccountId: account,
    });

    // A reply to Carol's post that does not name us still belongs to the thread; mentions of a longer handle do not count.
    await ingestAndCollect(app, owner.orgId, account, [
      blueskyPost('erin.test', 'same question', { replyTo: mention.remoteId }),
      blueskyPost('frank.test', 'hi @acme.testing'),
    ]);
    const after = await list();
    expect(after.conversations).toHaveLength(1);
    const detail = (await owner.client.get(`${org}/conversations/${after.conversations[0].id}`)).body;
    expect(detail.messages.map((m: { authorHandle: string; direction: string }) => [m.authorHandle, m.direction])).toEqual([
      ['carol.test', 'inbound'],
      ['erin.test', 'inbound'],
    ]);

    // Whatever the text says, a network's mentions stream addresses the account.
    await ingestAndCollect(app, owner.orgId, account, [blueskyPost('gina.test', 'replying to you')], 'mentions');
    expect((await list()).conversations.map((c: { author: { handle: string } }) => c.author.handle)).toEqual(['gina.test', 'carol.test']);
  });

  it('makes a contact of a new author automatically, once per author, or only by hand when the org says so', async () => {
    await ingestAndCollect(app, owner.orgId, account, [blueskyPost('carol.test', '@acme.test hello'), blueskyPost('carol.test', '@acme.test again')]);
    const conversations = (await list()).conversations;
    expect(conversations).toHaveLength(2);
    expect(conversations[0].contactId).not.toBeNull();
    expect(conversations[1].contactId).toBe(conversations[0].contactId);
    const contacts = (await owner.client.get(`${org}/contacts`)).body.contacts;
    expect(contacts).toEqual([
      expect.objectContaining({ displayName: 'Carol', identities: [expect.objectContaining({ network: 'bluesky', handle: 'carol.test' })] }),
    ]);

    expect((await owner.client.patch(`${org}/inbox/settings`, { autoContacts: 'manual' })).body).toEqual({ slaMinutes: null, autoContacts: 'manual' });
    await ingestAndCollect(app, owner.orgId, account, [blueskyPost('dave.test', '@acme.test hi')]);
    const dave = (await list()).conversations.find((c: { author: { handle: string } }) => c.author.handle === 'dave.test');
    expect(dave.contactId).toBeNull();
    const linked = await owner.client.post(`${org}/conversations/${dave.id}/contact`);
    expect(linked.status).toBe(200);
    expect(linked.body.conversation.contactId).toEqual(expect.any(String));
    expect((await owner.client.get(`${org}/contacts`)).body.contacts).toHaveLength(2);
  });

  it('two concurrent automatic creates for one author make one contact', async () => {
    await owner.client.patch(`${org}/inbox/settings`, { autoContacts: 'manual' });
    await ingestAndCollect(app, owner.orgId, account, [blueskyPost('hana.test', '@acme.test 一件目'), blueskyPost('hana.test', '@acme.test 二件目')]);
    const [a, b] = (await list()).conversations;
    const scope = new OrgScope(app.store.db, owner.orgId, SYSTEM_ACTOR, app.clock);
    const itemOf = async (conversationId: string) => (await owner.client.get(`${org}/conversations/${conversationId}`)).body.messages[0].itemId as string;
    const [itemA, itemB] = [await itemOf(a.id), await itemOf(b.id)];
    const linked = await Promise.all([
      linkContact(scope, a.id, itemA, { automatic: true }),
      linkContact(scope, b.id, itemB, { automatic: true }),
      contactFromItem(scope, itemA, { automatic: true }).then((r) => r.contact.id),
    ]);
    expect(new Set(linked).size).toBe(1);
    const contacts = await app.store.db.selectFrom('contacts').select(['id', 'created_by_user_id']).where('org_id', '=', owner.orgId).execute();
    expect(contacts).toEqual([{ id: linked[0], created_by_user_id: null }]);
  });

  it('assigns, tags, closes and reopens; saved views and the list filters find them; closing records the resolution time', async () => {
    const editor = await invitePerson(owner, 'Eddie Editor', 'editor');
    await ingestAndCollect(app, owner.orgId, account, [blueskyPost('carol.test', '@acme.test one'), blueskyPost('dave.test', '@acme.test two')]);
    const [dave, carol] = (await list()).conversations;

    const assigned = await owner.client.patch(`${org}/conversations/${carol.id}`, { assigneeUserId: editor.userId, tags: [' VIP ', 'vip', 'order'] });
    expect(assigned.status).toBe(200);
    expect(assigned.body.conversation).toMatchObject({ assigneeUserId: editor.userId, tags: ['vip', 'order'] });
    // Assigning rings the assignee's bell, not the assigner's.
    const bell = (await editor.client.get(`${org}/notifications`)).body;
    expect(bell.unread).toBe(1);
    expect(bell.notifications[0]).toMatchObject({ kind: 'conversation.assigned', link: `/orgs/${owner.orgId}/inbox?conversation=${carol.id}` });
    expect((await owner.client.get(`${org}/notifications`)).body.unread).toBe(0);

    const ids = (page: { conversations: { id: string }[] }) => page.conversations.map((c) => c.id);
    expect(ids((await editor.client.get(`${org}/conversations?assignee=me`)).body)).toEqual([carol.id]);
    expect(ids(await list('?assignee=unassigned'))).toEqual([dave.id]);
    expect(ids(await list('?tag=VIP'))).toEqual([carol.id]);
    expect(ids(await list('?network=mastodon'))).toEqual([]);
    expect(ids(await list(`?channelAccountId=${account}`))).toEqual([dave.id, carol.id]);
    const page = await list('?limit=1');
    expect(ids(page)).toEqual([dave.id]);
    expect(ids(await list(`?limit=1&before=${page.nextCursor}`))).toEqual([carol.id]);
    expect((await list('?before=not-a-cursor')).error.code).toBe('bad_cursor');

    const saved = await editor.client.post(`${org}/inbox/views`, { name: 'VIP', filters: { tag: 'vip' }, notify: false });
    expect(saved.status).toBe(201);
    expect((await editor.client.get(`${org}/inbox/views`)).body.views).toEqual([
      expect.objectContaining({ name: 'VIP', filters: { tag: 'vip' }, notify: false }),
    ]);
    expect((await owner.client.get(`${org}/inbox/views`)).body.views).toEqual([]);
    expect((await owner.client.delete(`${org}/inbox/views/${saved.body.view.id}`)).status).toBe(404);

    const closed = (await editor.client.patch(`${org}/conversations/${carol.id}`, { status: 'closed' })).body.conversation;
    expect(closed).toMatchObject({ status: 'closed', resolvedAt: expect.any(String), resolutionMs: expect.any(Number) });
    expect(ids(await list('?status=closed'))).toEqual([carol.id]);
    // Carol writes again in the thread: the conversation needs the team again.
    const first = (await owner.client.get(`${org}/conversations/${carol.id}`)).body.messages[0];
    await ingestAndCollect(app, owner.orgId, account, [blueskyPost('carol.test', 'one more thing', { replyTo: first.remoteId })]);
    expect((await owner.client.get(`${org}/conversations/${carol.id}`)).body.conversation).toMatchObject({
      status: 'open',
      resolvedAt: null,
      resolutionMs: null,
    });
  });

  it('rings the bell for new conversations in a notifying saved view, and warns once before the SLA breaches', async () => {
    const editor = await invitePerson(owner, 'Eddie Editor', 'editor');
    await editor.client.post(`${org}/inbox/views`, { name: 'Bluesky, unassigned', filters: { network: 'bluesky', assignee: 'unassigned' }, notify: true });
    await owner.client.post(`${org}/inbox/views`, { name: 'Mine', filters: { assignee: 'me' }, notify: true });
    expect((await owner.client.patch(`${org}/inbox/settings`, { slaMinutes: 120 })).body.slaMinutes).toBe(120);

    const opened = new Date(Date.now() - 100 * 60_000).toISOString();
    await ingestAndCollect(app, owner.orgId, account, [blueskyPost('carol.test', '@acme.test 急ぎです', { createdAt: opened })]);
    const bell = (await editor.client.get(`${org}/notifications`)).body;
    expect(bell.notifications.map((n: { kind: string }) => n.kind)).toEqual(['conversation.opened']);
    expect((await owner.client.get(`${org}/notifications`)).body.unread).toBe(0);

    // 100 of 120 minutes gone unanswered: about to breach.
    const [conversation] = (await list()).conversations;
    expect(conversation.sla).toEqual({ state: 'at_risk', dueAt: new Date(Date.parse(opened) + 120 * 60_000).toISOString() });
    expect(await warnAboutSla(app.store, app.clock)).toBe(1);
    expect(await warnAboutSla(app.store, app.clock)).toBe(0);
    // Unassigned: every editor and above hears it.
    for (const person of [owner, editor]) {
      expect((await person.client.get(`${org}/notifications`)).body.notifications.map((n: { kind: string }) => n.kind)).toContain('conversation.sla_warning');
    }
  });

  it('rings the bell of a teammate @mentioned in the team feed', async () => {
    const editor = await invitePerson(owner, 'Eddie Editor', 'editor');
    expect((await owner.client.post(`${org}/team-feed/posts`, { text: '@eddie can you take the Bluesky inbox today?' })).status).toBe(201);
    const bell = (await editor.client.get(`${org}/notifications`)).body;
    expect(bell.unread).toBe(1);
    expect(bell.notifications[0]).toMatchObject({ kind: 'team.mention', body: '@eddie can you take the Bluesky inbox today?' });
  });

  it('answers bad input with the error shape: unknown conversation, non-member assignee, viewers cannot change, bad filters', async () => {
    await ingestAndCollect(app, owner.orgId, account, [blueskyPost('carol.test', '@acme.test hello')]);
    const [conversation] = (await list()).conversations;
    expect((await owner.client.get(`${org}/conversations/nope`)).body.error.code).toBe('conversation_not_found');
    const stranger = await owner.client.patch(`${org}/conversations/${conversation.id}`, { assigneeUserId: 'someone-else' });
    expect([stranger.status, stranger.body.error.code]).toEqual([422, 'not_a_member']);
    const viewer = await invitePerson(owner, 'Vera Viewer', 'viewer');
    expect((await viewer.client.get(`${org}/conversations`)).status).toBe(200);
    expect((await viewer.client.patch(`${org}/conversations/${conversation.id}`, { status: 'closed' })).status).toBe(403);
    expect((await owner.client.get(`${org}/conversations?status=archived`)).body.error.code).toBe('validation_failed');
    expect((await owner.client.patch(`${org}/inbox/settings`, { slaMinutes: 0 })).status).toBe(400);
    expect((await viewer.client.patch(`${org}/inbox/settings`, { slaMinutes: 60 })).status).toBe(403);
  });
});
