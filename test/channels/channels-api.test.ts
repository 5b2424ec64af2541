import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { failed, succeeded, type ChannelConnector } from '../../src/channels/connector.js';
import { CredentialsCipher } from '../../src/channels/credentials-cipher.js';
import { rotateCredentialsKey } from '../../src/channels/key-rotation.js';
import { CONNECTORS, networkEntry } from '../../src/channels/registry.js';
import { buildServer } from '../../src/app/server.js';
import type { AddressPolicy } from '../../src/lib/outbound-http/address-policy.js';
import { invitePerson, setUpOwner, type Person } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';
import { startLocalServer, type LocalServer } from './support/local-server.js';

const SECRET = 'test-secret-key-0123456789abcdef';
const feedXml = fs.readFileSync('/work/shared/fixtures/feeds/ja-blog-shift_jis.rss');

describeEachStore('channels API', (current) => {
  let app: FastifyInstance;
  let feeds: LocalServer;
  let feedStatus = 200;
  let owner: Person;
  /** The server judges every fetch by this object: a test closes it to act as a default install. */
  let addressPolicy: AddressPolicy;
  beforeAll(async () => {
    feeds = await startLocalServer();
  });
  afterAll(() => feeds.close());
  beforeEach(async () => {
    addressPolicy = { allowPrivateNetwork: true };
    feedStatus = 200;
    feeds.handle((req, res) => {
      if (req.url === '/page') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body>Blog</body></html>');
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
      res.writeHead(feedStatus, { etag: '"v1"', 'content-type': 'application/rss+xml' }).end(feedStatus === 200 ? feedXml : '');
    });
    app = await buildServer({ store: current().store, webRoot: null, secretKey: SECRET, addressPolicy });
    await app.ready();
    owner = await setUpOwner(app);
  });
  afterEach(async () => {
    await app.close();
  });

  const channels = (person: Person = owner) => `/api/orgs/${person.orgId}/channels`;
  const connectFeed = (url = `${feeds.url}/feed.xml`) => owner.client.post(channels(), { network: 'feed', credentials: { url } });

  it('connects a feed after verifying it, and never shows or stores its credentials in the clear', async () => {
    const res = await connectFeed();
    expect(res.status).toBe(201);
    expect(res.body.channel).toMatchObject({
      network: 'feed',
      displayName: 'クラウド・コンピューティング日記',
      handle: `127.0.0.1:${feeds.port}`,
      health: { status: 'ok' },
    });
    expect(JSON.stringify(res.body)).not.toContain('credentials');
    const listed = await owner.client.get(channels());
    expect(listed.body.channels).toHaveLength(1);
    expect(listed.body.networks).toEqual(
      expect.arrayContaining([
        { network: 'feed', label: 'RSS, Atom or JSON Feed', oauth: false },
        { network: 'mastodon', label: 'Mastodon', oauth: true },
      ]),
    );
    expect(listed.body.channels[0]).toMatchObject({ streams: ['feed'], textLimit: expect.any(Number) });
    expect(listed.raw).not.toContain('v1.');
    const row = await current().store.db.selectFrom('channel_accounts').selectAll().executeTakeFirstOrThrow();
    expect(row.credentials).toMatch(/^v1\.[\w-]{8}\.[\w-]+\.[\w-]+$/);
    expect(row.credentials).not.toContain('feed.xml');
    expect(new CredentialsCipher(SECRET).open(row.credentials, row.id)).toEqual({ url: `${feeds.url}/feed.xml` });
    const audit = await owner.client.get(`/api/orgs/${owner.orgId}/audit`);
    expect(audit.body.events.map((e: { action: string }) => e.action)).toContain('channel.connected');
  });

  it('explains in words why a channel cannot be connected', async () => {
    const notUrl = await owner.client.post(channels(), { network: 'feed', credentials: { url: 'not a url' } });
    expect(notUrl.status).toBe(400);
    expect(notUrl.body.error).toMatchObject({
      code: 'invalid_channel_credentials',
      message: expect.stringContaining('must be a web address'),
      details: { network: 'feed' },
    });
    const unknown = await owner.client.post(channels(), { network: 'myspace', credentials: {} });
    expect(unknown.body.error.code).toBe('unknown_network');
    const page = await connectFeed(`${feeds.url}/page`);
    expect(page.status).toBe(422);
    // The cause is coded too, for the web to say it in the reader's language.
    const pageDetails = { network: 'feed', failureKind: 'permanent', reason: 'not_a_feed' };
    expect(page.body.error).toEqual({
      code: 'channel_verification_failed',
      message: 'This address answers with a web page, not a feed',
      details: pageDetails,
      params: pageDetails,
    });
    addressPolicy.allowPrivateNetwork = false;
    const privateFeed = await connectFeed();
    expect(privateFeed.status).toBe(422);
    expect(privateFeed.body.error.message).toContain('CHORUS_ALLOW_PRIVATE_NETWORK=true');
    addressPolicy.allowPrivateNetwork = true;
    expect((await connectFeed()).status).toBe(201);
    const again = await connectFeed();
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('channel_already_connected');
  });

  it('says which setting allows a Bluesky server on a private address, and that metadata addresses never work', async () => {
    addressPolicy.allowPrivateNetwork = false;
    const requestsBefore = feeds.requests.length;
    const connectBluesky = (service: string) =>
      owner.client.post(channels(), { network: 'bluesky', credentials: { service, identifier: 'alice.test', appPassword: 'abcd-efgh-ijkl-mnop' } });
    const loopback = await connectBluesky(feeds.url);
    expect(loopback.status).toBe(422);
    expect(loopback.body.error).toEqual({
      code: 'channel_verification_failed',
      message:
        '127.0.0.1 is not reachable from Chorus: 127.0.0.1 is a loopback address. Private and loopback addresses are refused unless the operator sets CHORUS_ALLOW_PRIVATE_NETWORK=true',
      details: { network: 'bluesky', failureKind: 'permanent', reason: 'address_not_allowed' },
      params: { network: 'bluesky', failureKind: 'permanent', reason: 'address_not_allowed' },
    });
    const intranet = await connectBluesky('http://10.1.2.3:2583');
    expect(intranet.body.error.message).toBe(
      '10.1.2.3 is not reachable from Chorus: 10.1.2.3 is a private-network address. Private and loopback addresses are refused unless the operator sets CHORUS_ALLOW_PRIVATE_NETWORK=true',
    );
    addressPolicy.allowPrivateNetwork = true;
    const metadata = await connectBluesky('http://169.254.169.254');
    expect(metadata.status).toBe(422);
    expect(metadata.body.error.message).toBe(
      '169.254.169.254 is not reachable from Chorus: 169.254.169.254 is a cloud metadata address. Chorus never connects to such addresses, not even with CHORUS_ALLOW_PRIVATE_NETWORK=true',
    );
    expect(feeds.requests).toHaveLength(requestsBefore);
  });

  it('accepts only http and https addresses for network instances, with a 400 that says so', async () => {
    for (const address of ['file:///etc/passwd', 'gopher://127.0.0.1:6379/_INFO', 'dict://127.0.0.1:11211/stats', 'javascript:alert(1)', 'https://']) {
      const attempts = [
        { network: 'mastodon', credentials: { instanceUrl: address, accessToken: 'token' } },
        { network: 'bluesky', credentials: { service: address, identifier: 'alice.test', appPassword: 'app-password' } },
        { network: 'x', credentials: { clientId: 'client', accessToken: 'token', userId: '1', username: 'alice', apiBase: address } },
        { network: 'feed', credentials: { url: address } },
      ];
      for (const attempt of attempts) {
        const res = await owner.client.post(channels(), attempt);
        expect(res.status, `${attempt.network} ${address}: ${res.raw}`).toBe(400);
        expect(res.body.error).toMatchObject({
          code: 'invalid_channel_credentials',
          message: expect.stringContaining('must be a web address starting with http:// or https://'),
        });
      }
      const oauth = await owner.client.post(`${channels()}/oauth/mastodon/start`, { instanceUrl: address });
      expect(oauth.status, oauth.raw).toBe(400);
      expect(oauth.body.error.message).toContain('must be a web address starting with http:// or https://');
    }
  });

  it('reads a stream through the channel, with "nothing new" on an unchanged feed', async () => {
    const { body } = await connectFeed();
    const stream = `${channels()}/${body.channel.id}/stream`;
    const first = await owner.client.get(`${stream}?kind=feed&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: { title: string }) => i.title)).toEqual([
      'HootSuiteはAWSの障害から如何に回復したか',
      'クラウドコンピューティングとパワー・トゥ・ザ・ピープル',
    ]);
    expect(first.body.nextCursor).toBe('2');
    const older = await owner.client.get(`${stream}?kind=feed&limit=2&before=2`);
    expect(older.body.items).toHaveLength(1);
    // `cursor`, the old name of `before`, still works for one release.
    expect((await owner.client.get(`${stream}?kind=feed&limit=2&cursor=2`)).body.items).toEqual(older.body.items);
    const unchanged = await owner.client.get(`${stream}?kind=feed&pollState=${encodeURIComponent(first.body.pollState)}`);
    expect(unchanged.body).toMatchObject({ items: [], notModified: true });
    const wrongKind = await owner.client.get(`${stream}?kind=home`);
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.error.code).toBe('unsupported_stream');
  });

  it('records health from failures without touching the stored credentials, and recovers', async () => {
    const { body } = await connectFeed();
    const id = body.channel.id;
    const sealed = async () => (await current().store.db.selectFrom('channel_accounts').select('credentials').executeTakeFirstOrThrow()).credentials;
    const before = await sealed();
    feedStatus = 500;
    const broken = await owner.client.get(`${channels()}/${id}/stream?kind=feed`);
    expect(broken.status).toBe(502);
    expect(broken.body.error.code).toBe('channel_unavailable');
    expect((await owner.client.get(channels())).body.channels[0].health).toEqual({ status: 'degraded', reason: expect.stringContaining('500') });
    feedStatus = 404;
    const checked = await owner.client.post(`${channels()}/${id}/check`);
    expect(checked.body.channel.health).toEqual({ status: 'degraded', reason: 'The feed server says there is no feed at this address (404 Not Found)' });
    expect(await sealed()).toBe(before);
    feedStatus = 200;
    expect((await owner.client.post(`${channels()}/${id}/check`)).body.channel.health).toEqual({ status: 'ok' });
  });

  it('marks a channel whose credentials no longer open as needing reconnection, and reconnect fixes it', async () => {
    const { body } = await connectFeed();
    const id = body.channel.id;
    const foreign = new CredentialsCipher('some-other-secret-key-000000').seal({ url: `${feeds.url}/feed.xml` }, id);
    await current().store.db.updateTable('channel_accounts').set({ credentials: foreign }).execute();
    const checked = await owner.client.post(`${channels()}/${id}/check`);
    expect(checked.body.channel.health).toEqual({ status: 'needs_reconnect', reason: expect.stringContaining('different secret key') });
    expect((await current().store.db.selectFrom('channel_accounts').select('credentials').executeTakeFirstOrThrow()).credentials).toBe(foreign);
    const other = await owner.client.request('PUT', `${channels()}/${id}/credentials`, { credentials: { url: `${feeds.url}/other.xml` } });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('different_account');
    const fixed = await owner.client.request('PUT', `${channels()}/${id}/credentials`, { credentials: { url: `${feeds.url}/feed.xml` } });
    expect(fixed.body.channel.health).toEqual({ status: 'ok' });
  });

  it('keeps stored credentials when a token refresh fails, and saves refreshed ones encrypted', async () => {
    const original = CONNECTORS.x;
    // A stand-in network whose token refresh the test controls.
    let refreshWorks = true;
    CONNECTORS.x = networkEntry(
      'Test network',
      z.strictObject({ token: z.string() }),
      (credentials, context) =>
        ({
          network: 'x',
          capabilities: { streams: ['home'] } as ChannelConnector['capabilities'],
          verify: async () => succeeded({ remoteId: 'u1', handle: '@u1', displayName: 'U One' }),
          measureText: (text: string) => ({ length: text.length, limit: 280, tooLong: text.length > 280, empty: false, fits: text.length <= 280 }),
          readStream: async () => {
            if (credentials.token !== 'expired') return succeeded({ items: [], olderCursor: null });
            if (!refreshWorks) return failed({ kind: 'auth', message: 'The refresh token was revoked' });
            await context.saveCredentials({ token: 'fresh' });
            return succeeded({ items: [], olderCursor: null });
          },
        }) as unknown as ChannelConnector,
    );
    try {
      const { body } = await owner.client.post(channels(), { network: 'x', credentials: { token: 'expired' } });
      const stream = `${channels()}/${body.channel.id}/stream?kind=home`;
      const stored = async () => {
        const row = await current().store.db.selectFrom('channel_accounts').select(['id', 'credentials', 'health_status']).executeTakeFirstOrThrow();
        return { credentials: new CredentialsCipher(SECRET).open(row.credentials, row.id), health: row.health_status };
      };
      refreshWorks = false;
      const failedRead = await owner.client.get(stream);
      expect(failedRead.status).toBe(409);
      expect(failedRead.body.error.code).toBe('channel_needs_reconnect');
      expect(await stored()).toEqual({ credentials: { token: 'expired' }, health: 'needs_reconnect' });
      expect((await owner.client.get(channels())).body.channels).toHaveLength(1);
      refreshWorks = true;
      expect((await owner.client.get(stream)).status).toBe(200);
      expect(await stored()).toEqual({ credentials: { token: 'fresh' }, health: 'ok' });
    } finally {
      if (original) CONNECTORS.x = original;
      else delete CONNECTORS.x;
    }
  });

  it('lets viewers read but not manage, and hides channels from other orgs (404)', async () => {
    const { body } = await connectFeed();
    const id = body.channel.id;
    const viewer = await invitePerson(owner, 'Vera Viewer', 'viewer');
    expect((await viewer.client.get(channels())).body.channels).toHaveLength(1);
    expect((await viewer.client.get(`${channels()}/${id}/stream?kind=feed`)).status).toBe(200);
    const denied = await viewer.client.post(channels(), { network: 'feed', credentials: { url: `${feeds.url}/x.xml` } });
    expect(denied.status).toBe(403);
    expect((await viewer.client.delete(`${channels()}/${id}`)).status).toBe(403);

    const outsider = await viewer.client.post('/api/orgs', { name: 'Elsewhere' });
    const outsiderOrg = { ...viewer, orgId: outsider.body.org.id };
    const stranger = await setUpStranger();
    for (const [method, url] of [
      ['GET', channels()],
      ['GET', `${channels()}/${id}/stream?kind=feed`],
      ['POST', `${channels()}/${id}/check`],
      ['DELETE', `${channels()}/${id}`],
    ] as const) {
      const res = await stranger.client.request(method, url, method === 'POST' ? {} : undefined);
      expect(res.status).toBe(404);
    }
    // Even a member of both orgs cannot reach this org's channel through the other org's path.
    const crossPath = await viewer.client.get(`${channels(outsiderOrg)}/${id}/stream?kind=feed`);
    expect(crossPath.status).toBe(404);
    expect(crossPath.body.error.code).toBe('channel_not_found');
    expect((await viewer.client.delete(`${channels(outsiderOrg)}/${id}`)).status).toBe(404);
    expect((await owner.client.get(channels())).body.channels).toHaveLength(1);
  });

  async function setUpStranger(): Promise<Person> {
    const admin = await invitePerson(owner, 'Sam Stranger', 'viewer');
    await admin.client.delete(`/api/orgs/${owner.orgId}/membership`);
    const created = await admin.client.post('/api/orgs', { name: 'Stranger Inc' });
    return { ...admin, orgId: created.body.org.id };
  }

  it('removes a channel and its credentials', async () => {
    const { body } = await connectFeed();
    expect((await owner.client.delete(`${channels()}/${body.channel.id}`)).status).toBe(204);
    expect(await current().store.db.selectFrom('channel_accounts').selectAll().execute()).toEqual([]);
    expect((await owner.client.delete(`${channels()}/${body.channel.id}`)).status).toBe(404);
  });

  it('rotates the secret key: every row re-sealed in one go, readable only with the new key', async () => {
    await connectFeed();
    await connectFeed(`${feeds.url}/second.xml`);
    const newKey = 'the-new-secret-key-abcdefghijkl';
    expect(await rotateCredentialsKey(current().store.db, SECRET, newKey)).toEqual({ resealed: 2, alreadyNew: 0 });
    expect(await rotateCredentialsKey(current().store.db, SECRET, newKey)).toEqual({ resealed: 0, alreadyNew: 2 });
    const rows = await current().store.db.selectFrom('channel_accounts').selectAll().execute();
    for (const row of rows) {
      expect(new CredentialsCipher(newKey).open(row.credentials, row.id)).toEqual({ url: expect.stringContaining(feeds.url) });
      expect(() => new CredentialsCipher(SECRET).open(row.credentials, row.id)).toThrow(/different secret key/);
    }
    await expect(rotateCredentialsKey(current().store.db, 'a-wrong-old-key-0000000000', 'yet-another-key-000000000000')).rejects.toThrow(
      /different secret key/,
    );
    const after = await current().store.db.selectFrom('channel_accounts').select('credentials').execute();
    expect(after.map((r) => r.credentials).sort()).toEqual(rows.map((r) => r.credentials).sort());
  });
});
