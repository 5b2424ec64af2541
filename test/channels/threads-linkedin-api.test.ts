/**
 * Threads and LinkedIn through Chorus's own API on both stores, against one contract server
 * speaking both networks' documented shapes: connect (verified, sealed), the channel list's
 * limits and streams, Threads' publishing limit, the replies/comments streams, a Japanese post
 * published once to both by the publisher, and a refreshed token stored sealed.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { CredentialsCipher } from '../../src/channels/credentials-cipher.js';
import { channelDirectory } from '../../src/channels/publishing-directory.js';
import { buildServer } from '../../src/app/server.js';
import { publishDueTargets } from '../../src/publishing/publisher.js';
import { setUpOwner, type Person } from '../support/api-client.js';
import { startContractServer, type ContractServer } from '../support/contract-server.js';
import { describeEachStore } from '../support/stores.js';

const SECRET = 'threads-linkedin-test-secret-0123456789';
const THREADS_TOKEN = 'THQWJ'.padEnd(40, 't');
const LINKEDIN_TOKEN = 'AQV'.padEnd(40, 'l');
const ORG = 'urn:li:organization:2414183';

describeEachStore('Threads and LinkedIn through the channels API', (current) => {
  let remote: ContractServer;
  let app: FastifyInstance;
  let owner: Person;

  beforeAll(async () => {
    remote = await startContractServer();
  });
  afterAll(() => remote.close());
  beforeEach(async () => {
    remote.requests.length = 0;
    let containers = 0;
    let shares = 0;
    Object.assign(remote.routes, {
      'GET /v1.0/me': () => ({ json: { id: '17841400000000001', username: 'acme_bakery', name: 'ACME ベーカリー' } }),
      'GET /v1.0/me/threads': () => ({ json: { data: [{ id: 'p1', timestamp: '2026-12-04T10:00:00+0000' }] } }),
      'GET /v1.0/me/threads_publishing_limit': () => ({ json: { data: [{ quota_usage: 12, config: { quota_total: 250, quota_duration: 86400 } }] } }),
      'GET /v1.0/:id/replies': () => ({
        json: { data: [{ id: 'r1', text: '何時まで開いていますか？', username: 'hanako.t', timestamp: '2026-12-04T11:00:00+0000', replied_to: { id: 'p1' } }] },
      }),
      'POST /v1.0/me/threads': () => ({ json: { id: `container-${++containers}` } }),
      'POST /v1.0/me/threads_publish': () => ({ json: { id: `threads-post-${containers}` } }),
      'GET /v1.0/:id': (_r: unknown, params: Record<string, string>) => ({
        json: { id: params.id, permalink: `https://www.threads.net/@acme_bakery/post/${params.id}`, timestamp: '2026-12-05T01:30:00+0000' },
      }),
      'GET /refresh_access_token': () => ({ json: { access_token: 'refreshed'.padEnd(40, 'r'), token_type: 'bearer', expires_in: 5_184_000 } }),
      'GET /rest/organizations/:id': () => ({ json: { id: 2414183, localizedName: 'ACME ベーカリー', vanityName: 'acme-bakery' } }),
      'POST /rest/posts': () => ({ status: 201, headers: { 'x-restli-id': `urn:li:share:${++shares}` } }),
    });
    app = await buildServer({ store: current().store, webRoot: null, secretKey: SECRET, addressPolicy: { allowPrivateNetwork: true } });
    await app.ready();
    owner = await setUpOwner(app);
  });
  afterEach(async () => {
    await app.close();
  });

  const channels = () => `/api/orgs/${owner.orgId}/channels`;
  const connectThreads = (extra: Record<string, string> = {}) =>
    owner.client.post(channels(), { network: 'threads', credentials: { accessToken: THREADS_TOKEN, apiBase: remote.url, ...extra } });
  const connectLinkedin = () =>
    owner.client.post(channels(), {
      network: 'linkedin',
      credentials: { organizationId: '2414183', accessToken: LINKEDIN_TOKEN, apiBase: remote.url, authBase: remote.url },
    });

  it('connects both after verifying them, shows their limits and streams, and never returns the tokens', async () => {
    const threads = await connectThreads();
    expect(threads.status).toBe(201);
    expect(threads.body.channel).toMatchObject({
      network: 'threads',
      handle: 'acme_bakery',
      displayName: 'ACME ベーカリー',
      profileUrl: 'https://www.threads.net/@acme_bakery',
      health: { status: 'ok' },
    });
    const linkedin = await connectLinkedin();
    expect(linkedin.status).toBe(201);
    expect(linkedin.body.channel).toMatchObject({ network: 'linkedin', handle: 'acme-bakery', remoteId: ORG });
    const listed = await owner.client.get(channels());
    expect(listed.raw).not.toContain(THREADS_TOKEN);
    expect(listed.raw).not.toContain(LINKEDIN_TOKEN);
    expect(listed.body.networks).toEqual(
      expect.arrayContaining([
        { network: 'threads', label: 'Threads', oauth: false },
        { network: 'linkedin', label: 'LinkedIn', oauth: false },
      ]),
    );
    const byNetwork = Object.fromEntries(listed.body.channels.map((c: { network: string }) => [c.network, c]));
    expect(byNetwork.threads).toMatchObject({ textLimit: 500, streams: ['user_posts', 'mentions'] });
    expect(byNetwork.linkedin).toMatchObject({ textLimit: 3000, streams: ['user_posts', 'mentions'] });

    const quota = await owner.client.get(`${channels()}/${threads.body.channel.id}/quota`);
    expect(quota.body).toEqual({ quota: { unit: 'posts', period: 'day', limit: 250, used: 12 } });
    const replies = await owner.client.get(`${channels()}/${threads.body.channel.id}/stream?kind=mentions`);
    expect(replies.status).toBe(200);
    expect(replies.body.items).toMatchObject([
      { network: 'threads', remoteId: 'r1', text: '何時まで開いていますか？', author: { handle: 'hanako.t' }, replyToRemoteId: 'p1' },
    ]);
    const wrongKind = await owner.client.get(`${channels()}/${threads.body.channel.id}/stream?kind=home`);
    expect(wrongKind.status).toBe(400);
  });

  it('publishes one Japanese post to both, once each, and a repeated publish finds it', async () => {
    const threads = (await connectThreads()).body.channel.id;
    const linkedin = (await connectLinkedin()).body.channel.id;
    const text = '本日の新作：抹茶メロンパン (数量限定) https://acme.example/news';
    const created = await owner.client.post(`/api/orgs/${owner.orgId}/posts`, { text, channelAccountIds: [threads, linkedin], action: 'publish_now' });
    expect(created.status).toBe(201);
    const directory = channelDirectory(current().store.db, () => new Date(), app.channels);
    expect(await publishDueTargets({ store: current().store, clock: () => new Date(), directory, workerId: 'w' })).toBe(2);
    const post = (await owner.client.get(`/api/orgs/${owner.orgId}/posts/${created.body.post.id}`)).body.post;
    expect(post.status).toBe('published');
    expect(remote.sent('POST /v1.0/me/threads')).toHaveLength(1);
    expect(remote.sent('POST /v1.0/me/threads')[0]!.query.get('text')).toBe(text);
    expect(remote.sent('POST /v1.0/me/threads')[0]!.query.get('link_attachment')).toBe('https://acme.example/news');
    expect(remote.sent('POST /rest/posts')).toHaveLength(1);
    expect(remote.sent('POST /rest/posts')[0]!.json.commentary).toBe('本日の新作：抹茶メロンパン \\(数量限定\\) https://acme.example/news');

    // A worker that lost its lease tries again: the earlier post is found, nothing is created.
    remote.routes['GET /v1.0/me/threads'] = () => ({
      json: { data: [{ id: 'threads-post-1', text, timestamp: new Date().toISOString().replace(/\.\d+Z$/, '+0000') }] },
    });
    remote.routes['GET /rest/posts'] = () => ({
      json: {
        elements: [
          { id: 'urn:li:share:1', author: ORG, commentary: '本日の新作：抹茶メロンパン \\(数量限定\\) https://acme.example/news', createdAt: Date.now() },
        ],
      },
    });
    for (const [channelId, target] of [threads, linkedin].map(
      (id) => [id, post.targets.find((t: { channelAccountId: string }) => t.channelAccountId === id)] as const,
    )) {
      const opened = await directory.connectorFor(owner.orgId, channelId, owner.userId);
      if (!opened.ok) throw new Error(opened.reason);
      expect(await opened.connector.publish({ idempotencyKey: target.id, text, attempt: 2 })).toMatchObject({ ok: true, value: { alreadyExisted: true } });
    }
    expect(remote.sent('POST /v1.0/me/threads')).toHaveLength(1);
    expect(remote.sent('POST /rest/posts')).toHaveLength(1);
  });

  it('stores a refreshed Threads token sealed, in place of the old one', async () => {
    const soon = new Date(Date.now() + 2 * 24 * 3600_000).toISOString();
    const connected = await connectThreads({ expiresAt: soon });
    expect(connected.status).toBe(201);
    await owner.client.post(`${channels()}/${connected.body.channel.id}/check`, {});
    const row = await current()
      .store.db.selectFrom('channel_accounts')
      .select(['id', 'credentials'])
      .where('id', '=', connected.body.channel.id)
      .executeTakeFirstOrThrow();
    expect(row.credentials).not.toContain('refreshed');
    expect(new CredentialsCipher(SECRET).open(row.credentials, row.id)).toMatchObject({ accessToken: 'refreshed'.padEnd(40, 'r') });
  });
});
