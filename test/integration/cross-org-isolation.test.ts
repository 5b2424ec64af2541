import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/users.js';
import { createOrg } from '../../src/teams/service.js';
import { buildServer } from '../../src/http/server.js';
import { ApiClient, PASSWORD, invitePerson, setUpOwner } from '../support/api-client.js';
import { ScriptedNetwork, scriptedDirectory } from '../support/scripted-network.js';
import { describeEachStore } from '../support/stores.js';

/**
 * Walks EVERY registered route as a signed-in member of another org, with the victim org's
 * ids in every path parameter, and asserts 403/404 and that no victim data comes back.
 * A new route parameter must be added to `victimIds` below, or this test fails: that is the point.
 */
describeEachStore('cross-org isolation', (current) => {
  let app: FastifyInstance;
  let victimOrgId = '';
  beforeEach(async () => {
    // The victim org has a connected account, so publishing routes have real rows to aim at.
    const directory = scriptedDirectory(new ScriptedNetwork(), () => victimOrgId, [{ id: 'victim-bsky', network: 'bluesky', displayName: 'Victim on Bluesky' }]);
    app = await buildServer({ store: current().store, webRoot: null, channelDirectory: directory });
  });
  afterEach(() => app.close());

  it('gives a member of another org nothing on any route', async () => {
    const alice = await setUpOwner(app, 'Alice Victim', 'Victim Corp');
    victimOrgId = alice.orgId;
    const bob = await invitePerson(alice, 'Bob Victim', 'editor');
    const invitation = await alice.client.post(`/api/orgs/${alice.orgId}/invitations`, { role: 'viewer', email: 'pending@victim.example' });
    const apiToken = await alice.client.post('/api/me/tokens', { name: 'victim token' });
    const post = await alice.client.post(`/api/orgs/${alice.orgId}/posts`, { text: 'victim secret launch', channelAccountIds: ['victim-bsky'], action: 'draft' });
    expect(post.status).toBe(201);

    const mallory = await createUser(current().store.db, () => new Date(), { email: 'mallory@attacker.example', name: 'Mallory', password: PASSWORD });
    await createOrg(current().store.db, () => new Date(), { name: 'Attacker LLC', ownerUserId: mallory.id });
    const attacker = new ApiClient(app, '198.51.100.66');
    expect((await attacker.post('/api/session', { email: 'mallory@attacker.example', password: PASSWORD })).status).toBe(200);

    const victimIds: Record<string, string> = {
      orgId: alice.orgId,
      userId: bob.userId,
      invitationId: invitation.body.invitation.id,
      tokenId: apiToken.body.apiToken.id,
      postId: post.body.post.id,
      channelAccountId: 'victim-bsky',
      channelId: 'victim-bsky',
    };
    // Invitation links are capability URLs: holding the token is the permission, by design.
    const capabilityParams = new Set(['token']);
    const secrets = [alice.orgId, 'Victim Corp', bob.userId, bob.email, alice.email, alice.userId, invitation.body.invitation.id, 'pending@victim.example', apiToken.body.apiToken.id, 'victim token', post.body.post.id, 'victim secret launch'];

    const isSignOut = (r: { method: string; url: string }) => r.method === 'DELETE' && r.url === '/api/session';
    // Signing out last keeps the attacker signed in for every other route.
    const apiRoutes = app.registeredRoutes
      .filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'))
      .sort((a, b) => Number(isSignOut(a)) - Number(isSignOut(b)));
    expect(apiRoutes.length).toBeGreaterThan(20);
    let walked = 0;
    for (const route of apiRoutes) {
      const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      if (params.some((p) => capabilityParams.has(p))) continue;
      const unknown = params.filter((p) => !(p in victimIds));
      expect(unknown, `route ${route.method} ${route.url} has a parameter this test does not know: add a victim id for it`).toEqual([]);
      const url = route.url.replace(/:(\w+)/g, (_, name: string) => victimIds[name]!);
      const res = await attacker.request(route.method, url, route.method === 'GET' || route.method === 'DELETE' ? undefined : {});
      const label = `${route.method} ${route.url} answered ${res.status}: ${res.raw.slice(0, 200)}`;
      if (params.length > 0) expect([403, 404], label).toContain(res.status);
      for (const secret of secrets) expect(res.raw, label).not.toContain(secret);
      walked++;
    }
    expect(walked).toBeGreaterThan(15);

    // And nothing of the victim's changed.
    const members = await alice.client.get(`/api/orgs/${alice.orgId}/members`);
    expect(members.body.members).toHaveLength(2);
    expect((await alice.client.get(`/api/orgs/${alice.orgId}`)).body.org.name).toBe('Victim Corp');
    expect((await alice.client.get(`/api/orgs/${alice.orgId}/invitations`)).body.invitations).toHaveLength(1);
    expect((await alice.client.get('/api/me/tokens')).body.tokens).toHaveLength(1);
    expect((await alice.client.get(`/api/orgs/${alice.orgId}/posts/${post.body.post.id}`)).body.post).toMatchObject({ text: 'victim secret launch', workflow: 'draft' });
  });
});
