import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ApiClient, PASSWORD, buildTestServer, invitePerson, setUpOwner } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';

describeEachStore('teams', (current) => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await buildTestServer(current().store);
  });
  afterEach(() => app.close());

  it('invites by link: preview, sign up, join with the invited role; the link works once', async () => {
    const owner = await setUpOwner(app);
    const invite = await owner.client.post(`/api/orgs/${owner.orgId}/invitations`, { role: 'editor', email: 'Ed@Example.com' });
    expect(invite.status).toBe(201);
    expect(invite.body.url).toBe(`http://localhost:80/invite/${invite.body.token}`.replace(':80', ''));
    const stored = await current().store.db.selectFrom('invitations').selectAll().executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toBe(invite.body.token);

    const visitor = new ApiClient(app);
    const preview = await visitor.get(`/api/invitations/${invite.body.token}`);
    expect(preview.body.invitation).toMatchObject({ orgName: 'Acme', role: 'editor', email: 'ed@example.com', invitedBy: 'Olivia Owner' });
    const signup = await visitor.post(`/api/invitations/${invite.body.token}/signup`, { name: 'Ed Editor', email: 'ed@example.com', password: PASSWORD });
    expect(signup.status).toBe(201);
    expect(signup.body.orgs).toEqual([expect.objectContaining({ id: owner.orgId, role: 'editor' })]);

    const members = await owner.client.get(`/api/orgs/${owner.orgId}/members`);
    expect(members.body.members.map((m: any) => [m.name, m.role])).toEqual([
      ['Ed Editor', 'editor'],
      ['Olivia Owner', 'owner'],
    ]);
    const reused = await new ApiClient(app).post(`/api/invitations/${invite.body.token}/signup`, {
      name: 'Mallory',
      email: 'm@example.com',
      password: PASSWORD,
    });
    expect(reused.status).toBe(404);
    expect(reused.body.error.code).toBe('invitation_invalid');
    expect(await current().store.db.selectFrom('users').select('email').where('email', '=', 'm@example.com').executeTakeFirst()).toBeUndefined();
  });

  it('lists members in the order the store sorts their names, lowercase ones included', async () => {
    const owner = await setUpOwner(app);
    for (const name of ['zed Viewer', 'Adam Admin', 'eddie Editor']) await invitePerson(owner, name, 'viewer');
    // The dialect's collation decides where lowercase names go (SQLite: after uppercase), as for any name list.
    const sorted = await current().store.db.selectFrom('users').select('name').orderBy('name').execute();
    const members = await owner.client.get(`/api/orgs/${owner.orgId}/members`);
    expect(members.body.members.map((m: { name: string }) => m.name)).toEqual(sorted.map((u) => u.name));
    expect(members.body.members).toHaveLength(4);
  });

  it('lets a signed-in user of another org accept an invitation, and revokes links', async () => {
    const owner = await setUpOwner(app);
    const other = await invitePerson(owner, 'Vera Viewer', 'viewer');
    const second = await other.client.post('/api/orgs', { name: 'Vera Co' });
    expect(second.status).toBe(201);
    const invite = await owner.client.post(`/api/orgs/${owner.orgId}/invitations`, { role: 'admin' });
    const revoked = await owner.client.post(`/api/orgs/${owner.orgId}/invitations`, { role: 'editor' });
    expect((await owner.client.delete(`/api/orgs/${owner.orgId}/invitations/${revoked.body.invitation.id}`)).status).toBe(204);
    expect((await owner.client.get(`/api/orgs/${owner.orgId}/invitations`)).body.invitations.map((i: any) => i.id)).toEqual([invite.body.invitation.id]);
    expect((await new ApiClient(app).get(`/api/invitations/${revoked.body.token}`)).status).toBe(404);
    const already = await other.client.post(`/api/invitations/${invite.body.token}/accept`);
    expect(already.status).toBe(409);
    expect(already.body.error.code).toBe('already_member');
  });

  it('enforces roles: viewers and editors cannot manage members; admins cannot create owners', async () => {
    const owner = await setUpOwner(app);
    const viewer = await invitePerson(owner, 'Vera Viewer', 'viewer');
    const editor = await invitePerson(owner, 'Ed Editor', 'editor');
    const admin = await invitePerson(owner, 'Ada Admin', 'admin');
    for (const person of [viewer, editor]) {
      const res = await person.client.post(`/api/orgs/${owner.orgId}/invitations`, { role: 'viewer' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect((await person.client.patch(`/api/orgs/${owner.orgId}/members/${viewer.userId}`, { role: 'admin' })).status).toBe(403);
      expect((await person.client.get(`/api/orgs/${owner.orgId}/members`)).status).toBe(200);
    }
    expect((await admin.client.patch(`/api/orgs/${owner.orgId}/members/${viewer.userId}`, { role: 'editor' })).status).toBe(200);
    const grantOwner = await admin.client.patch(`/api/orgs/${owner.orgId}/members/${viewer.userId}`, { role: 'owner' });
    expect(grantOwner.status).toBe(403);
    expect(grantOwner.body.error.code).toBe('role_not_assignable');
    expect((await admin.client.delete(`/api/orgs/${owner.orgId}/members/${owner.userId}`)).status).toBe(403);
    expect((await admin.client.post(`/api/orgs/${owner.orgId}/invitations`, { role: 'owner' })).status).toBe(403);
    expect((await admin.client.delete(`/api/orgs/${owner.orgId}`)).status).toBe(403);
    expect((await admin.client.delete(`/api/orgs/${owner.orgId}/members/${editor.userId}`)).status).toBe(204);
    expect((await editor.client.get(`/api/orgs/${owner.orgId}`)).status).toBe(404);
  });

  it('never leaves an org without an owner', async () => {
    const owner = await setUpOwner(app);
    const admin = await invitePerson(owner, 'Ada Admin', 'admin');
    const demote = await owner.client.patch(`/api/orgs/${owner.orgId}/members/${owner.userId}`, { role: 'admin' });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('last_owner');
    expect((await owner.client.delete(`/api/orgs/${owner.orgId}/membership`)).status).toBe(409);
    expect((await owner.client.patch(`/api/orgs/${owner.orgId}/members/${admin.userId}`, { role: 'owner' })).status).toBe(200);
    expect((await owner.client.delete(`/api/orgs/${owner.orgId}/membership`)).status).toBe(204);
    expect((await admin.client.get(`/api/orgs/${owner.orgId}/members`)).body.members.map((m: any) => m.role)).toEqual(['owner']);
  });

  it('records who did what in the audit log, for admins only', async () => {
    const owner = await setUpOwner(app);
    const editor = await invitePerson(owner, 'Ed Editor', 'editor');
    await owner.client.patch(`/api/orgs/${owner.orgId}`, { name: 'Acme Inc' });
    await owner.client.patch(`/api/orgs/${owner.orgId}/members/${editor.userId}`, { role: 'viewer' });
    const log = await owner.client.get(`/api/orgs/${owner.orgId}/audit`);
    expect(log.body.events.map((e: any) => e.action)).toEqual(
      expect.arrayContaining(['org.created', 'invitation.created', 'invitation.accepted', 'org.renamed', 'member.role_changed']),
    );
    expect(log.body.events.find((e: any) => e.action === 'member.role_changed').detail).toEqual({ userId: editor.userId, from: 'editor', to: 'viewer' });
    expect((await editor.client.get(`/api/orgs/${owner.orgId}/audit`)).status).toBe(403);
  });

  it('deletes an org with everything in it, owners only', async () => {
    const owner = await setUpOwner(app);
    await invitePerson(owner, 'Ed Editor', 'editor');
    expect((await owner.client.delete(`/api/orgs/${owner.orgId}`)).status).toBe(204);
    const db = current().store.db;
    expect(await db.selectFrom('memberships').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('invitations').selectAll().execute()).toEqual([]);
    expect((await owner.client.get('/api/orgs')).body.orgs).toEqual([]);
  });
});
