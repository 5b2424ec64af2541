import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Network, NormalizedItem } from '../../src/channels/connector.js';
import { storeIngestedBatch } from '../../src/streams/ingest.js';
import { createUser } from '../../src/accounts/users.js';
import { createOrg } from '../../src/teams/service.js';
import { ApiClient, PASSWORD, buildTestServer, invitePerson, setUpOwner, type Person } from '../support/api-client.js';
import { normalizedItem } from '../support/normalized-item.js';
import { describeEachStore } from '../support/stores.js';
import { parse } from 'csv-parse/sync';

/** A stored item as a connector would hand it over. */
const item = (network: Network, remoteId: string, createdAt: string, author: NormalizedItem['author']) =>
  normalizedItem({ network, remoteId, author, text: `post ${remoteId}`, createdAt });

const alice = {
  remoteId: 'did:plc:alice',
  handle: 'alice.bsky.social',
  displayName: 'Alice Liddell',
  avatarUrl: 'https://cdn.bsky.app/alice.jpg',
  profileUrl: 'https://bsky.app/profile/alice.bsky.social',
};
// A local account: its acct has no server; its profile URL has.
const aliceOnMastodon = { remoteId: '1', handle: 'alice', displayName: 'Alice M', avatarUrl: null, profileUrl: 'https://mastodon.social/@alice' };
const bob = { remoteId: 'did:plc:bob', handle: 'bob.bsky.social', displayName: 'Bob', avatarUrl: null, profileUrl: 'https://bsky.app/profile/bob.bsky.social' };

describeEachStore('contacts API', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  let editor: Person;
  let viewer: Person;
  const org = (p: Person) => `/api/orgs/${p.orgId}`;

  beforeEach(async () => {
    app = await buildTestServer(current().store);
    owner = await setUpOwner(app);
    editor = await invitePerson(owner, 'Eddie Editor', 'editor');
    viewer = await invitePerson(owner, 'Vera Viewer', 'viewer');
  });
  afterEach(() => app.close());

  async function store(orgId: string, items: NormalizedItem[]): Promise<string[]> {
    return (await storeIngestedBatch(app.store.db, { orgId, channelAccountId: null, columnIds: [], fetchedAt: new Date().toISOString(), items })).newItemIds;
  }

  async function create(person: Person, body: Record<string, unknown>) {
    const res = await person.client.post(`${org(person)}/contacts`, body);
    expect(res.status, res.raw).toBe(201);
    return res.body.contact;
  }

  async function auditActions(): Promise<string[]> {
    return (
      await app.store.db
        .selectFrom('audit_events')
        .select('action')
        .where('org_id', '=', owner.orgId)
        .where('action', 'like', 'contact.%')
        .orderBy('at')
        .execute()
    ).map((r) => r.action);
  }

  it('creates, lists by name, searches, filters by tag and pages', async () => {
    const carol = await create(editor, {
      displayName: 'carol Chen',
      email: 'carol@example.com',
      company: 'Initech',
      tags: ['VIP', ' vip', 'Press'],
      identities: [{ network: 'x', handle: 'https://x.com/CarolC' }],
    });
    expect(carol).toMatchObject({
      displayName: 'carol Chen',
      email: 'carol@example.com',
      company: 'Initech',
      tags: ['press', 'vip'],
      noteCount: 0,
      lastSeenAt: null,
      avatarUrl: null,
    });
    expect(carol.identities).toEqual([
      {
        id: expect.any(String),
        network: 'x',
        handle: 'CarolC',
        displayName: null,
        profileUrl: 'https://x.com/CarolC',
        avatarUrl: null,
        createdAt: expect.any(String),
      },
    ]);
    await create(editor, { displayName: 'Bea Brown', company: '100%_Real', tags: ['press'] });
    await create(editor, { displayName: 'Adam Ant', identities: [{ network: 'bluesky', handle: '@adam.bsky.social' }] });
    await create(editor, { displayName: 'Dora', email: 'dora@initech.example' });

    const url = `${org(viewer)}/contacts`;
    expect((await viewer.client.get(url)).body.contacts.map((c: { displayName: string }) => c.displayName)).toEqual([
      'Adam Ant',
      'Bea Brown',
      'carol Chen',
      'Dora',
    ]);
    const names = async (query: string) => (await viewer.client.get(`${url}?${query}`)).body.contacts.map((c: { displayName: string }) => c.displayName);
    expect(await names('q=INITECH')).toEqual(['carol Chen', 'Dora']);
    expect(await names('q=adam.bsky')).toEqual(['Adam Ant']);
    expect(await names('q=carolc')).toEqual(['carol Chen']);
    // LIKE wildcards are matched literally.
    expect(await names('q=0%25_')).toEqual(['Bea Brown']);
    expect(await names('q=_')).toEqual(['Bea Brown']);
    expect(await names('tag=PRESS')).toEqual(['Bea Brown', 'carol Chen']);
    expect(await names('tag=press&q=carol')).toEqual(['carol Chen']);
    expect((await viewer.client.get(`${url}/tags`)).body.tags).toEqual([
      { tag: 'press', count: 2 },
      { tag: 'vip', count: 1 },
    ]);

    const first = await viewer.client.get(`${url}?limit=3`);
    expect(first.body.contacts).toHaveLength(3);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await viewer.client.get(`${url}?limit=3&before=${first.body.nextCursor}`);
    expect(second.body.contacts.map((c: { displayName: string }) => c.displayName)).toEqual(['Dora']);
    expect(second.body.nextCursor).toBeNull();
    expect((await viewer.client.get(`${url}?before=not-a-cursor`)).body.error.code).toBe('bad_cursor');
    expect((await viewer.client.get(`${url}?before=${Buffer.from('[1,2]').toString('base64url')}`)).status).toBe(400);
  });

  it('edits, clears and deletes a contact; audits every change', async () => {
    const contact = await create(editor, { displayName: 'Eve', email: 'eve@example.com', company: 'Acme' });
    const patched = await editor.client.patch(`${org(editor)}/contacts/${contact.id}`, { displayName: 'Eve Adams', email: null, tags: ['lead'] });
    expect(patched.status).toBe(200);
    expect(patched.body.contact).toMatchObject({ displayName: 'Eve Adams', email: null, company: 'Acme', tags: ['lead'] });
    expect((await editor.client.patch(`${org(editor)}/contacts/${contact.id}`, {})).body.error.code).toBe('validation_failed');
    expect((await editor.client.delete(`${org(editor)}/contacts/${contact.id}`)).status).toBe(204);
    expect((await editor.client.get(`${org(editor)}/contacts/${contact.id}`)).body.error.code).toBe('contact_not_found');
    expect(await auditActions()).toEqual(['contact.created', 'contact.updated', 'contact.deleted']);
  });

  it('makes a contact from an item, then finds it again; its timeline spans identities and networks', async () => {
    const [first, older] = await store(owner.orgId, [
      item('bluesky', 'at://alice/1', '2026-11-20T10:00:00.000Z', alice),
      item('bluesky', 'at://alice/0', '2026-11-19T10:00:00.000Z', alice),
    ]);
    const [onMastodon] = await store(owner.orgId, [item('mastodon', 'm1', '2026-11-21T10:00:00.000Z', aliceOnMastodon)]);
    const [byBob] = await store(owner.orgId, [item('bluesky', 'at://bob/1', '2026-11-22T10:00:00.000Z', bob)]);

    const made = await editor.client.post(`${org(editor)}/contacts/from-item`, { itemId: first });
    expect(made.status).toBe(201);
    expect(made.body.created).toBe(true);
    expect(made.body.contact).toMatchObject({ displayName: 'Alice Liddell', avatarUrl: alice.avatarUrl, lastSeenAt: '2026-11-20T10:00:00.000Z' });
    expect(made.body.contact.identities).toEqual([
      expect.objectContaining({
        network: 'bluesky',
        handle: 'alice.bsky.social',
        displayName: 'Alice Liddell',
        profileUrl: alice.profileUrl,
        avatarUrl: alice.avatarUrl,
      }),
    ]);
    expect(made.body.imageSignatures[alice.avatarUrl]).toEqual(expect.any(String));
    const contactId = made.body.contact.id;

    const again = await editor.client.post(`${org(editor)}/contacts/from-item`, { itemId: older });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, contact: { id: contactId } });
    expect((await editor.client.post(`${org(editor)}/contacts/from-item`, { itemId: 'no-such-item' })).body.error.code).toBe('item_not_found');
    // Two people add Bob at the same moment: one contact, one 201.
    const both = await Promise.all([
      editor.client.post(`${org(editor)}/contacts/from-item`, { itemId: byBob }),
      owner.client.post(`${org(owner)}/contacts/from-item`, { itemId: byBob }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 201]);
    expect(both[0]!.body.contact.id).toBe(both[1]!.body.contact.id);

    // The Mastodon identity typed by hand matches the item stored under the acct "alice".
    const added = await editor.client.post(`${org(editor)}/contacts/${contactId}/identities`, { network: 'mastodon', handle: '@Alice@mastodon.social' });
    expect(added.status).toBe(201);
    expect(added.body.contact.identities.map((i: { handle: string }) => i.handle)).toEqual(['alice.bsky.social', 'Alice@mastodon.social']);
    // Every identity by network and author key, as the web marks items whose author is a contact (viewers too).
    const authors = await viewer.client.get(`${org(viewer)}/contacts/authors`);
    expect(authors.body.authors).toEqual(
      expect.arrayContaining([
        { network: 'bluesky', matchKey: 'alice.bsky.social', contactId },
        { network: 'mastodon', matchKey: 'mastodon.social/@alice', contactId },
      ]),
    );
    expect(added.body.contact.lastSeenAt).toBe('2026-11-21T10:00:00.000Z');

    const timeline = `${org(viewer)}/contacts/${contactId}/timeline`;
    const all = await viewer.client.get(timeline);
    expect(all.status).toBe(200);
    expect(all.body.items.map((i: { id: string }) => i.id)).toEqual([onMastodon, first, older]);
    expect(all.body.items[0]).toMatchObject({ network: 'mastodon', author: { handle: 'alice' }, read: false, done: false });
    expect(all.body.items.map((i: { id: string }) => i.id)).not.toContain(byBob);
    expect(all.body.imageSignatures[alice.avatarUrl]).toEqual(expect.any(String));
    const page = await viewer.client.get(`${timeline}?limit=2`);
    expect(page.body.items.map((i: { id: string }) => i.id)).toEqual([onMastodon, first]);
    const rest = await viewer.client.get(`${timeline}?limit=2&before=${page.body.nextCursor}`);
    expect(rest.body.items.map((i: { id: string }) => i.id)).toEqual([older]);
    expect(rest.body.nextCursor).toBeNull();
    expect((await viewer.client.get(`${timeline}?before=garbage`)).body.error.code).toBe('bad_cursor');

    // Removing an identity drops its items from the timeline and from lastSeenAt.
    const mastodonId = added.body.contact.identities[1].id;
    expect((await editor.client.delete(`${org(editor)}/contacts/${contactId}/identities/${mastodonId}`)).status).toBe(204);
    expect((await editor.client.delete(`${org(editor)}/contacts/${contactId}/identities/${mastodonId}`)).body.error.code).toBe('identity_not_found');
    expect((await viewer.client.get(timeline)).body.items.map((i: { id: string }) => i.id)).toEqual([first, older]);
    expect((await viewer.client.get(`${org(viewer)}/contacts/${contactId}`)).body.contact.lastSeenAt).toBe('2026-11-20T10:00:00.000Z');
    expect(await auditActions()).toEqual(['contact.created', 'contact.created', 'contact.identity_added', 'contact.identity_removed']);
  });

  it('an identity belongs to one contact: identity_taken names it', async () => {
    const first = await create(editor, { displayName: 'Frank', identities: [{ network: 'x', handle: '@frank' }] });
    const second = await create(editor, { displayName: 'Frank again' });
    const taken = await editor.client.post(`${org(editor)}/contacts/${second.id}/identities`, { network: 'x', handle: 'https://twitter.com/FRANK' });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'identity_taken', details: { contactId: first.id } });
    const onCreate = await editor.client.post(`${org(editor)}/contacts`, { displayName: 'Frank 3', identities: [{ network: 'x', handle: 'frank' }] });
    expect(onCreate.body.error).toMatchObject({ code: 'identity_taken', details: { contactId: first.id } });
    // Nothing of the failed create was kept.
    expect((await editor.client.get(`${org(editor)}/contacts?q=frank 3`)).body.contacts).toEqual([]);
  });

  it('merges another contact in: identities, notes and tags move, empty fields fill, the other goes', async () => {
    const kept = await create(editor, { displayName: 'Gina', company: 'Kept Co', tags: ['a', 'shared'], identities: [{ network: 'x', handle: 'gina' }] });
    const other = await create(editor, {
      displayName: 'G. R.',
      email: 'gina@example.com',
      company: 'Other Co',
      tags: ['shared', 'b'],
      identities: [{ network: 'bluesky', handle: 'gina.bsky.social' }],
    });
    expect((await editor.client.post(`${org(editor)}/contacts/${other.id}/notes`, { body: 'Met at the fair' })).status).toBe(201);

    expect((await editor.client.post(`${org(editor)}/contacts/${kept.id}/merge`, { otherContactId: kept.id })).body.error.code).toBe('merge_with_itself');
    expect((await editor.client.post(`${org(editor)}/contacts/${kept.id}/merge`, { otherContactId: 'missing' })).body.error.code).toBe('contact_not_found');
    const merged = await editor.client.post(`${org(editor)}/contacts/${kept.id}/merge`, { otherContactId: other.id });
    expect(merged.status).toBe(200);
    expect(merged.body.contact).toMatchObject({
      id: kept.id,
      displayName: 'Gina',
      email: 'gina@example.com',
      company: 'Kept Co',
      tags: ['a', 'b', 'shared'],
      noteCount: 1,
    });
    expect(merged.body.contact.identities.map((i: { handle: string }) => i.handle).sort()).toEqual(['gina', 'gina.bsky.social']);
    expect((await editor.client.get(`${org(editor)}/contacts/${other.id}`)).status).toBe(404);
    const shown = await viewer.client.get(`${org(viewer)}/contacts/${kept.id}`);
    expect(shown.body.notes).toEqual([expect.objectContaining({ body: 'Met at the fair', authorUserId: editor.userId, authorName: 'Eddie Editor' })]);
    expect(await auditActions()).toEqual(['contact.created', 'contact.created', 'contact.note_added', 'contact.merged']);
  });

  it('notes: viewers read, editors write and delete their own, admins delete anyone’s', async () => {
    const contact = await create(owner, { displayName: 'Hank' });
    const notes = `${org(editor)}/contacts/${contact.id}/notes`;
    const denied = await viewer.client.post(notes, { body: 'viewer note' });
    expect(denied.status).toBe(403);
    expect((await viewer.client.post(`${org(viewer)}/contacts`, { displayName: 'Nope' })).status).toBe(403);
    const mine = await editor.client.post(notes, { body: 'first' });
    expect(mine.status).toBe(201);
    expect(mine.body.note).toEqual({
      id: expect.any(String),
      body: 'first',
      authorUserId: editor.userId,
      authorName: 'Eddie Editor',
      createdAt: expect.any(String),
    });
    const owners = await owner.client.post(notes, { body: 'second' });
    const admin = await invitePerson(owner, 'Ada Admin', 'admin');
    const adminsNote = await admin.client.post(notes, { body: 'third' });

    expect((await viewer.client.get(`${org(viewer)}/contacts/${contact.id}`)).body.notes.map((n: { body: string }) => n.body)).toHaveLength(3);
    const notYours = await editor.client.delete(`${notes}/${owners.body.note.id}`);
    expect(notYours.status).toBe(403);
    expect(notYours.body.error.code).toBe('note_not_yours');
    expect((await viewer.client.delete(`${notes}/${mine.body.note.id}`)).status).toBe(403);
    expect((await editor.client.delete(`${notes}/${mine.body.note.id}`)).status).toBe(204);
    expect((await admin.client.delete(`${notes}/${owners.body.note.id}`)).status).toBe(204);
    expect((await owner.client.delete(`${notes}/${adminsNote.body.note.id}`)).status).toBe(204);
    expect((await owner.client.delete(`${notes}/${adminsNote.body.note.id}`)).body.error.code).toBe('note_not_found');
    expect((await viewer.client.get(`${org(viewer)}/contacts/${contact.id}`)).body.contact.noteCount).toBe(0);
    expect((await editor.client.post(notes, { body: '   ' })).body.error.code).toBe('validation_failed');
    expect((await editor.client.post(notes, { body: 'x'.repeat(10_001) })).status).toBe(400);
    expect((await auditActions()).filter((a) => a.startsWith('contact.note'))).toEqual([
      'contact.note_added',
      'contact.note_added',
      'contact.note_added',
      'contact.note_deleted',
      'contact.note_deleted',
      'contact.note_deleted',
    ]);
  });

  it('another org cannot see or touch a contact, nor match its items', async () => {
    const contact = await create(editor, { displayName: 'Ivy', identities: [{ network: 'bluesky', handle: 'alice.bsky.social' }] });
    const oscar = await createUser(app.store.db, () => new Date(), { email: 'oscar@other.example', name: 'Oscar Outsider', password: PASSWORD });
    const otherOrg = await createOrg(app.store.db, () => new Date(), { name: 'Other Org', ownerUserId: oscar.id });
    const outsider: Person = { client: new ApiClient(app, '198.51.100.7'), userId: oscar.id, orgId: otherOrg.id, email: 'oscar@other.example' };
    expect((await outsider.client.post('/api/session', { email: outsider.email, password: PASSWORD })).status).toBe(200);
    const [theirItem] = await store(outsider.orgId, [item('bluesky', 'at://alice/9', '2026-11-25T10:00:00.000Z', alice)]);
    expect((await outsider.client.get(`${org(owner)}/contacts/${contact.id}`)).status).toBe(404);
    const viaOwnOrg = await outsider.client.get(`${org(outsider)}/contacts/${contact.id}`);
    expect(viaOwnOrg.status).toBe(404);
    expect(viaOwnOrg.body.error.code).toBe('contact_not_found');
    expect((await outsider.client.delete(`${org(outsider)}/contacts/${contact.id}`)).status).toBe(404);
    expect((await outsider.client.get(`${org(outsider)}/contacts`)).body.contacts).toEqual([]);
    // The same author in another org is that org's: the contact's timeline and lastSeenAt ignore it.
    expect((await editor.client.get(`${org(editor)}/contacts/${contact.id}/timeline`)).body.items).toEqual([]);
    expect((await editor.client.get(`${org(editor)}/contacts/${contact.id}`)).body.contact.lastSeenAt).toBeNull();
    // And the other org can make its own contact for the same author.
    expect((await outsider.client.post(`${org(outsider)}/contacts/from-item`, { itemId: theirItem })).status).toBe(201);
  });

  it('answers bad input with 400s and codes, never 500', async () => {
    const url = `${org(editor)}/contacts`;
    const code = async (body: unknown) => {
      const res = await editor.client.post(url, body);
      expect(res.status, res.raw).toBe(400);
      return res.body.error.code;
    };
    expect(await code({})).toBe('validation_failed');
    expect(await code({ displayName: '  ' })).toBe('validation_failed');
    expect(await code({ displayName: 'A', extra: 1 })).toBe('validation_failed');
    expect(await code({ displayName: 'A', email: 'not-an-email' })).toBe('validation_failed');
    expect(await code({ displayName: 'A', tags: ['x'.repeat(41)] })).toBe('validation_failed');
    expect(await code({ displayName: 'A', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) })).toBe('validation_failed');
    expect(await code({ displayName: 'A', identities: [{ network: 'myspace', handle: 'a' }] })).toBe('validation_failed');
    expect(await code({ displayName: 'A', identities: [{ network: 'mastodon', handle: '@alice' }] })).toBe('invalid_identity');
    const message = (await editor.client.post(url, { displayName: 'A', identities: [{ network: 'x', handle: 'way_too_long_for_x' }] })).body.error.message;
    expect(message).toMatch(/X username/);
    expect((await editor.client.get(`${url}?limit=0`)).status).toBe(400);
    expect((await editor.client.get(`${url}?limit=101`)).status).toBe(400);
    expect((await editor.client.request('POST', url, '{"displayName":', { 'content-type': 'application/json' })).body.error.code).toBe('malformed_json');
    expect((await editor.client.post(`${url}/from-item`, {})).status).toBe(400);
    expect((await editor.client.post(`${url}/missing/merge`, { otherContactId: '' })).status).toBe(400);
    expect((await editor.client.get(`${url}/missing/timeline`)).body.error.code).toBe('contact_not_found');
    expect((await editor.client.post(`${url}/missing/identities`, { network: 'x', handle: 'bob' })).body.error.code).toBe('contact_not_found');
  });

  it('documents its routes in the OpenAPI document', async () => {
    const spec = await viewer.client.get('/api/docs/json');
    expect(spec.status).toBe(200);
    const contacts = spec.body.paths['/api/orgs/{orgId}/contacts'];
    expect(contacts.get.tags).toEqual(['contacts']);
    expect(contacts.post.requestBody.content['application/json'].schema.properties.identities.items.properties.network.enum).toEqual([
      'bluesky',
      'mastodon',
      'x',
      'feed',
      'team',
      'line',
      'threads',
      'linkedin',
      'facebook',
      'instagram',
    ]);
    const listQuery = contacts.get.parameters.filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name);
    expect(listQuery).toEqual(expect.arrayContaining(['q', 'tag', 'stage', 'owner', 'minScore', 'before', 'limit']));
    const exportQuery = spec.body.paths['/api/orgs/{orgId}/contacts/export.csv'].get.parameters.map((p: { name: string }) => p.name);
    expect(exportQuery).toEqual(expect.arrayContaining(['q', 'tag', 'stage', 'owner', 'minScore']));
    expect(Object.keys(spec.body.paths).filter((p) => p.includes('/contacts'))).toHaveLength(16);
  });
  it('exports contacts as CSV a spreadsheet reads: UTF-8 with BOM, Japanese intact, formulas kept as text, list filters applied', async () => {
    await create(editor, {
      displayName: '山田 花子',
      company: '喫茶ヤマダ',
      tags: ['wholesale', 'VIP'],
      identities: [{ network: 'bluesky', handle: '@hanako.bsky.social' }],
    });
    // A display name a hostile network could send: a spreadsheet must not run it.
    await create(editor, { displayName: '=HYPERLINK("https://evil.example","click")', email: 'x@example.com', tags: ['wholesale'] });
    await create(editor, { displayName: 'Zed', company: 'ACME\n+1+1\r\n=2', tags: ['other'] });

    const all = await viewer.client.get(`${org(viewer)}/contacts/export.csv`);
    // A line break inside a field is quoted, and the line after it cannot start a formula either.
    expect(all.raw.split(/\r\n|\r|\n/).filter((line: string) => /^"?[=+\-@\t]/.test(line))).toEqual([]);
    expect(all.status).toBe(200);
    expect(all.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(all.headers['content-disposition']).toMatch(/^attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(all.raw.startsWith('\uFEFF')).toBe(true);
    const rows = parse(all.raw.slice(1)) as string[][];
    expect(rows[0]).toEqual([
      'name',
      'email',
      'company',
      'tags',
      'identities',
      'profile_urls',
      'notes',
      'last_seen_at',
      'created_at',
      'stage',
      'owner',
      'score',
    ]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['\'=HYPERLINK("https://evil.example","click")', 'Zed', '山田 花子']);
    expect(rows.find((r) => r[0] === 'Zed')![2]).toBe("ACME\n'+1+1\r\n'=2");
    expect(rows.find((r) => r[0] === '山田 花子')!.slice(1, 6)).toEqual([
      '',
      '喫茶ヤマダ',
      'vip; wholesale',
      'bluesky:hanako.bsky.social',
      'https://bsky.app/profile/hanako.bsky.social',
    ]);

    const tagged = parse((await viewer.client.get(`${org(viewer)}/contacts/export.csv?tag=wholesale`)).raw.slice(1)) as string[][];
    expect(tagged.slice(1).map((r) => r[0])).toEqual(['\'=HYPERLINK("https://evil.example","click")', '山田 花子']);
    expect((await viewer.client.get(`${org(viewer)}/contacts/export.csv?format=xlsx`)).status).toBe(400);
  });

  it('answers two people adding the same new handle at once with one contact and a 409 naming it', async () => {
    // A few times over: the second request may find the identity taken before inserting or hit the unique key.
    for (const n of [1, 2, 3]) {
      const body = { displayName: `Carol ${n}`, identities: [{ network: 'x', handle: `@carol_${n}` }] };
      const racing = await Promise.all([editor.client.post(`${org(editor)}/contacts`, body), owner.client.post(`${org(owner)}/contacts`, body)]);
      expect(racing.map((r) => r.status).sort(), racing.map((r) => r.raw).join('\n')).toEqual([201, 409]);
      const [made, refused] = racing[0]!.status === 201 ? racing : [racing[1]!, racing[0]!];
      expect(refused!.body.error).toMatchObject({ code: 'identity_taken', details: { contactId: made!.body.contact.id } });
    }
  });
});
