import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/app/migrations.js';
import { ApiClient, PASSWORD, buildTestServer, invitePerson, setUpOwner, type Person } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';

const CHROME_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SAFARI_ON_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

describeEachStore('sessions list', (current) => {
  let app: FastifyInstance;
  let now: Date;
  let owner: Person;
  beforeEach(async () => {
    now = new Date('2026-11-27T10:00:00Z');
    app = await buildTestServer(current().store, { clock: () => now });
    owner = await setUpOwner(app);
  });
  afterEach(() => app.close());

  /** Signs the owner in from another browser. */
  async function signIn(ip: string, userAgent: string): Promise<ApiClient> {
    const client = new ApiClient(app, ip);
    const res = await client.request('POST', '/api/session', { email: owner.email, password: PASSWORD }, { 'user-agent': userAgent });
    expect(res.status).toBe(200);
    return client;
  }

  it('lists the signed-in browsers with device, address and which one is this, never the cookie digest', async () => {
    const laptop = await signIn('198.51.100.7', CHROME_ON_LINUX);
    now = new Date(now.getTime() + 5 * 60_000);
    await signIn('203.0.113.5', SAFARI_ON_IPHONE);
    const res = await laptop.get('/api/me/sessions');
    expect(res.status).toBe(200);
    expect(res.body.sessions).toEqual([
      expect.objectContaining({ browser: 'Safari', os: 'iOS', ip: '203.0.113.5', current: false, createdAt: '2026-11-27T10:05:00.000Z' }),
      expect.objectContaining({
        browser: 'Chrome',
        os: 'Linux',
        ip: '198.51.100.7',
        current: true,
        createdAt: '2026-11-27T10:00:00.000Z',
        userAgent: CHROME_ON_LINUX,
      }),
      expect.objectContaining({ browser: null, os: null, ip: '127.0.0.1', current: false }),
    ]);
    const digests = await current().store.db.selectFrom('sessions').select('id_hash').execute();
    for (const { id_hash } of digests) expect(res.raw).not.toContain(id_hash);
    // Another user sees only their own.
    const editor = await invitePerson(owner, 'Erin Editor', 'editor');
    expect((await editor.client.get('/api/me/sessions')).body.sessions).toEqual([expect.objectContaining({ current: true })]);
  });

  it('writes last seen at most once a minute, with the address it was seen from', async () => {
    const laptop = await signIn('198.51.100.7', CHROME_ON_LINUX);
    const lastSeen = async () =>
      await current().store.db.selectFrom('sessions').select(['last_seen_at', 'ip']).where('user_agent', '=', CHROME_ON_LINUX).executeTakeFirstOrThrow();
    now = new Date(now.getTime() + 50_000);
    const moved = new ApiClient(app, '192.0.2.44');
    (moved as any).cookie = (laptop as any).cookie;
    expect((await moved.get('/api/session')).status).toBe(200);
    expect(await lastSeen()).toEqual({ last_seen_at: '2026-11-27T10:00:00.000Z', ip: '198.51.100.7' });
    now = new Date(now.getTime() + 20_000);
    expect((await moved.get('/api/session')).status).toBe(200);
    expect(await lastSeen()).toEqual({ last_seen_at: '2026-11-27T10:01:10.000Z', ip: '192.0.2.44' });
  });

  it('signs out one session, the current one too, and nobody else’s', async () => {
    const laptop = await signIn('198.51.100.7', CHROME_ON_LINUX);
    const phone = await signIn('203.0.113.5', SAFARI_ON_IPHONE);
    const editor = await invitePerson(owner, 'Erin Editor', 'editor');
    const sessions = (await laptop.get('/api/me/sessions')).body.sessions as { id: string; browser: string | null; current: boolean }[];
    const phoneSession = sessions.find((s) => s.browser === 'Safari')!;
    const laptopSession = sessions.find((s) => s.current)!;

    const editorsSession = (await editor.client.get('/api/me/sessions')).body.sessions[0].id;
    const foreign = await laptop.delete(`/api/me/sessions/${editorsSession}`);
    expect(foreign.status).toBe(404);
    expect((await editor.client.get('/api/session')).status).toBe(200);

    expect((await laptop.delete(`/api/me/sessions/${phoneSession.id}`)).status).toBe(204);
    expect((await phone.get('/api/session')).status).toBe(401);
    expect((await laptop.delete(`/api/me/sessions/${phoneSession.id}`)).status).toBe(404);
    expect((await laptop.get('/api/session')).status).toBe(200);

    const own = await laptop.delete(`/api/me/sessions/${laptopSession.id}`);
    expect(own.status).toBe(204);
    expect(String(own.headers['set-cookie'])).toMatch(/chorus_session=;/);
    expect((await laptop.get('/api/session')).status).toBe(401);
    expect((await owner.client.get('/api/session')).status).toBe(200);
  });

  it('signs out everywhere else, or everywhere including here', async () => {
    const laptop = await signIn('198.51.100.7', CHROME_ON_LINUX);
    const phone = await signIn('203.0.113.5', SAFARI_ON_IPHONE);
    const others = await laptop.delete('/api/me/sessions?except=current');
    expect(others.status).toBe(200);
    expect(others.body).toEqual({ ended: 2 });
    expect((await phone.get('/api/session')).status).toBe(401);
    expect((await owner.client.get('/api/session')).status).toBe(401);
    expect((await laptop.get('/api/me/sessions')).body.sessions).toEqual([expect.objectContaining({ current: true })]);

    const again = await signIn('203.0.113.5', SAFARI_ON_IPHONE);
    expect((await laptop.delete('/api/me/sessions?except=everyone')).status).toBe(400);
    const everywhere = await laptop.delete('/api/me/sessions');
    expect(everywhere.body).toEqual({ ended: 2 });
    expect((await laptop.get('/api/session')).status).toBe(401);
    expect((await again.get('/api/session')).status).toBe(401);
    expect(await current().store.db.selectFrom('sessions').selectAll().execute()).toEqual([]);
  });

  it('gives sessions signed in before the upgrade an id of their own, and they stay signed in', async () => {
    const laptop = await signIn('198.51.100.7', CHROME_ON_LINUX);
    const { store } = current();
    // Put the tables back as 0001 left them: no session ids, no two-factor tables.
    await sql`drop index sessions_id`.execute(store.db);
    await sql`alter table sessions drop column id`.execute(store.db);
    await sql`drop table two_factor_recovery_codes`.execute(store.db);
    await sql`drop table two_factor_credentials`.execute(store.db);
    await sql`delete from chorus_migrations where name = '0005_session_ids_and_two_factor'`.execute(store.db);

    expect(await migrateToLatest(store)).toEqual(['0005_session_ids_and_two_factor']);
    const ids = (await store.db.selectFrom('sessions').select('id').execute()).map((r) => r.id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const listed = await laptop.get('/api/me/sessions');
    expect(listed.body.sessions.map((s: { id: string }) => s.id).sort()).toEqual(ids.sort());
  });

  it('changing the password ends the other sessions, and revokes the API tokens when asked', async () => {
    const laptop = await signIn('198.51.100.7', CHROME_ON_LINUX);
    const token = (await owner.client.post('/api/me/tokens', { name: 'ci' })).body.token as string;
    const script = new ApiClient(app);
    script.bearer = token;
    const kept = await owner.client.post('/api/me/password', { currentPassword: PASSWORD, newPassword: 'a second long password' });
    expect(kept.status).toBe(204);
    expect((await laptop.get('/api/session')).status).toBe(401);
    expect((await owner.client.get('/api/me/sessions')).body.sessions).toHaveLength(1);
    expect((await script.get('/api/orgs')).status).toBe(200);

    const revoked = await owner.client.post('/api/me/password', {
      currentPassword: 'a second long password',
      newPassword: 'a third long password',
      revokeApiTokens: true,
    });
    expect(revoked.status).toBe(204);
    expect((await script.get('/api/orgs')).status).toBe(401);
    expect((await owner.client.get('/api/me/tokens')).body.tokens).toEqual([]);
    expect((await owner.client.get('/api/session')).status).toBe(200);
  });
});
