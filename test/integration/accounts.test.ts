import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ApiClient, PASSWORD, buildTestServer, setUpOwner } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';

describeEachStore('accounts and sessions', (current) => {
  let app: FastifyInstance;
  let now: Date;
  beforeEach(async () => {
    now = new Date('2026-11-27T10:00:00Z');
    app = await buildTestServer(current().store, { clock: () => now });
  });
  afterEach(() => app.close());

  it('creates the owner once, then refuses a second setup', async () => {
    const anonymous = new ApiClient(app);
    expect((await anonymous.get('/api/setup')).body).toEqual({ setupRequired: true });
    const owner = await setUpOwner(app);
    expect((await anonymous.get('/api/setup')).body).toEqual({ setupRequired: false });
    const session = await owner.client.get('/api/session');
    expect(session.status).toBe(200);
    expect(session.body.user.email).toBe('olivia@example.com');
    expect(session.body.orgs).toEqual([expect.objectContaining({ name: 'Acme', role: 'owner' })]);
    expect(JSON.stringify(session.body)).not.toContain('password');
    const again = await anonymous.post('/api/setup', { name: 'Eve', email: 'eve@example.com', password: PASSWORD, orgName: 'Evil' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_set_up');
  });

  it('stores only a hash of the password and of the session cookie', async () => {
    const owner = await setUpOwner(app);
    const user = await current().store.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(user.password_hash).not.toContain(PASSWORD);
    const sessions = await current().store.db.selectFrom('sessions').selectAll().execute();
    expect(sessions).toHaveLength(1);
    const cookie = (owner.client as any).cookie as string;
    expect(sessions[0]!.id_hash).not.toBe(cookie.split('=')[1]);
  });

  it('signs in, sets an HttpOnly SameSite cookie, and signs out', async () => {
    await setUpOwner(app);
    const client = new ApiClient(app);
    const wrong = await client.post('/api/session', { email: 'olivia@example.com', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    const ok = await client.post('/api/session', { email: 'OLIVIA@example.com ', password: PASSWORD });
    expect(ok.status).toBe(200);
    const cookie = String(ok.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect((await client.get('/api/session')).status).toBe(200);
    expect((await client.delete('/api/session')).status).toBe(204);
    expect((await client.get('/api/session')).status).toBe(401);
  });

  it('rejects cookie-authenticated writes without the CSRF token', async () => {
    const owner = await setUpOwner(app);
    const token = owner.client.csrfToken;
    owner.client.csrfToken = null;
    const forged = await owner.client.post('/api/orgs', { name: 'Forged' });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('csrf_failed');
    owner.client.csrfToken = 'wrong-token';
    expect((await owner.client.post('/api/orgs', { name: 'Forged' })).status).toBe(403);
    owner.client.csrfToken = token;
    expect((await owner.client.post('/api/orgs', { name: 'Real' })).status).toBe(201);
    const orgs = await current().store.db.selectFrom('orgs').select('name').execute();
    expect(orgs.map((o) => o.name).sort()).toEqual(['Acme', 'Real']);
  });

  it('issues personal API tokens that work without cookies or CSRF, stored hashed, revocable', async () => {
    const owner = await setUpOwner(app);
    const created = await owner.client.post('/api/me/tokens', { name: 'ci script', expiresInDays: 30 });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^chorus_pat_[A-Za-z0-9_-]{43}$/);
    const stored = await current().store.db.selectFrom('api_tokens').selectAll().executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(created.body.token);

    const script = new ApiClient(app);
    script.bearer = created.body.token;
    expect((await script.get('/api/orgs')).body.orgs).toHaveLength(1);
    expect((await script.post('/api/orgs', { name: 'Via token' })).status).toBe(201);
    expect((await owner.client.get('/api/me/tokens')).body.tokens[0].lastUsedAt).not.toBeNull();

    expect((await owner.client.delete(`/api/me/tokens/${created.body.apiToken.id}`)).status).toBe(204);
    const revoked = await script.get('/api/orgs');
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.code).toBe('invalid_token');
  });

  it('expires API tokens', async () => {
    const owner = await setUpOwner(app);
    const created = await owner.client.post('/api/me/tokens', { name: 'short', expiresInDays: 1 });
    const script = new ApiClient(app);
    script.bearer = created.body.token;
    expect((await script.get('/api/orgs')).status).toBe(200);
    now = new Date(now.getTime() + 2 * 86_400_000);
    expect((await script.get('/api/orgs')).status).toBe(401);
  });

  it('changing the password signs out other sessions and needs the current password', async () => {
    const owner = await setUpOwner(app);
    const laptop = new ApiClient(app);
    await laptop.post('/api/session', { email: owner.email, password: PASSWORD });
    const wrong = await owner.client.post('/api/me/password', { currentPassword: 'nope', newPassword: 'another long password' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('wrong_password');
    expect((await owner.client.post('/api/me/password', { currentPassword: PASSWORD, newPassword: 'another long password' })).status).toBe(204);
    expect((await laptop.get('/api/session')).status).toBe(401);
    expect((await owner.client.get('/api/session')).status).toBe(200);
    const fresh = new ApiClient(app);
    expect((await fresh.post('/api/session', { email: owner.email, password: 'another long password' })).status).toBe(200);
  });

  it('saves the language choice on the user', async () => {
    const owner = await setUpOwner(app);
    const res = await owner.client.patch('/api/me', { locale: 'ja' });
    expect(res.body.user.locale).toBe('ja');
    expect((await owner.client.patch('/api/me', { locale: 'fr' })).status).toBe(400);
    expect((await owner.client.get('/api/session')).body.user.locale).toBe('ja');
  });
});
