import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServerOnce } from '../ops/support/child-server.js';
import { startBlueskyNetwork, type BlueskyTestNetwork, type TestAccount } from '../support/bluesky-network.js';
import { testPostgresUrl } from '../support/postgres-url.js';
import { api, freshSchema, OWNER, postsOnPds, setUpOwner, startChorus, type ChorusProcess } from '../drills/zone-outage-chorus.js';

/**
 * Many processes, one cluster: two `chorus serve --no-worker` and two `chorus worker`
 * processes on one PostgreSQL schema. Nothing may live in one process's memory: a session
 * made on one server works on the other, login throttling counts failures from both, and
 * posts are published exactly once although both workers poll the same queue (counted on a
 * real local Bluesky PDS, not in Chorus's own tables).
 */

const POSTS = 24;
const pgUrl = testPostgresUrl();

describe.runIf(pgUrl)('two servers and two workers on one PostgreSQL', () => {
  let schema: { url: string; drop(): Promise<void> };
  let bluesky: BlueskyTestNetwork;
  const processes: ChorusProcess[] = [];
  let serverA: ChorusProcess;
  let serverB: ChorusProcess;
  let owner: Awaited<ReturnType<typeof setUpOwner>>;

  beforeAll(async () => {
    buildServerOnce();
    schema = await freshSchema(pgUrl!, `chorus_mp_${randomBytes(5).toString('hex')}`);
    bluesky = await startBlueskyNetwork();
    const env = {
      DATABASE_URL: schema.url,
      CHORUS_SECRET_KEY: `multi-process-${randomBytes(16).toString('hex')}`,
      // The local PDS lives on loopback, which Chorus refuses unless the operator allows it.
      CHORUS_ALLOW_PRIVATE_NETWORK: 'true',
    };
    // The first server migrates; the others find the schema current.
    serverA = await startChorus('serve', 'serve-a', env);
    processes.push(serverA);
    const rest = await Promise.all([startChorus('serve', 'serve-b', env), startChorus('worker', 'worker-1', env), startChorus('worker', 'worker-2', env)]);
    processes.push(...rest);
    serverB = rest[0];
    owner = await setUpOwner(serverA.baseUrl);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await bluesky?.close();
    await schema?.drop();
  });

  it('keeps a session made on one server valid on the other, and signing out on one ends it on both', async () => {
    const onB = await api(serverB.baseUrl, 'GET', '/api/session', { cookie: owner.cookie });
    expect(onB.status).toBe(200);
    expect(onB.body.user.email).toBe(OWNER.email);
    // A cookie write with the CSRF token issued by the other server.
    const renamed = await api(serverB.baseUrl, 'PATCH', `/api/orgs/${owner.orgId}`, {
      cookie: owner.cookie,
      csrf: owner.csrf,
      body: { name: 'Acme (renamed on B)' },
    });
    expect(renamed.status).toBe(200);
    const seenOnA = await api(serverA.baseUrl, 'GET', `/api/orgs/${owner.orgId}`, { cookie: owner.cookie });
    expect(seenOnA.body.org.name).toBe('Acme (renamed on B)');

    // Sign in on B, sign out on A: the session is gone everywhere.
    const login = await fetch(`${serverB.baseUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: OWNER.email, password: OWNER.password }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    expect((await api(serverA.baseUrl, 'DELETE', '/api/session', { cookie, csrf: csrfToken })).status).toBe(204);
    expect((await api(serverB.baseUrl, 'GET', '/api/session', { cookie })).status).toBe(401);
  });

  it('counts failed sign-ins from both servers toward one lockout', async () => {
    const attempt = (server: ChorusProcess, password: string) =>
      fetch(`${server.baseUrl}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: OWNER.email, password }),
      });
    // The account limit is 5: three wrong passwords on A, two on B.
    for (const server of [serverA, serverA, serverA, serverB, serverB]) expect((await attempt(server, 'wrong password')).status).toBe(401);
    for (const server of [serverA, serverB]) {
      const locked = await attempt(server, OWNER.password);
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('publishes every post exactly once with two workers polling the same queue', { timeout: 120_000 }, async () => {
    // The owner is locked out of password sign-in by the previous test; the API token still works.
    const accounts: TestAccount[] = [await bluesky.createAccount('mpalpha'), await bluesky.createAccount('mpbeta')];
    const channelIds: string[] = [];
    for (const account of accounts) {
      const connected = await api(serverA.baseUrl, 'POST', `/api/orgs/${owner.orgId}/channels`, {
        token: owner.token,
        body: { network: 'bluesky', credentials: { service: bluesky.pdsUrl, identifier: account.handle, appPassword: account.password } },
      });
      expect(connected.status, JSON.stringify(connected.body)).toBe(201);
      channelIds.push(connected.body.channel.id);
    }
    // Half the posts through each server, all due at once so both workers race for them.
    const dueAt = new Date(Date.now() + 3000).toISOString().slice(0, 19);
    const created = await Promise.all(
      Array.from({ length: POSTS }, (_, n) =>
        api(n % 2 ? serverB.baseUrl : serverA.baseUrl, 'POST', `/api/orgs/${owner.orgId}/posts`, {
          token: owner.token,
          body: { text: `multi-process post ${n}`, channelAccountIds: channelIds, action: 'schedule', scheduledAt: { local: dueAt, timeZone: 'UTC' } },
        }),
      ),
    );
    for (const response of created) expect(response.status, JSON.stringify(response.body)).toBe(201);
    const postIds = created.map((r) => r.body.post.id as string);

    const deadline = Date.now() + 90_000;
    let states: string[] = [];
    while (Date.now() < deadline) {
      const posts = await Promise.all(postIds.map((id) => api(serverB.baseUrl, 'GET', `/api/orgs/${owner.orgId}/posts/${id}`, { token: owner.token })));
      states = posts.flatMap((p) => (p.body.post.targets as { state: string }[]).map((t) => t.state));
      if (states.every((s) => s === 'published')) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(states.filter((s) => s !== 'published')).toEqual([]);

    for (const account of accounts) {
      const texts = (await postsOnPds(bluesky.pdsUrl, account.did)).map((r) => r.value.text).sort();
      expect(texts).toEqual(Array.from({ length: POSTS }, (_, n) => `multi-process post ${n}`).sort());
    }
    const workers = processes.filter((p) => p.kind === 'worker');
    for (const worker of workers) expect(worker.process.exitCode).toBeNull();
  });
});
