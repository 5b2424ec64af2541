/**
 * The public media host (src/public-media/): what `GET /m/<key>` serves, how keys are made and
 * how long copies are kept, and its wiring into the connectors Chorus builds for a channel.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectChannel, openConnector } from '../../src/channels/service.js';
import { PUBLIC_MEDIA_RETENTION_MS, publicImagesFor, publicMediaBase, publicMediaWarning } from '../../src/public-media/host.js';
import { pruneExpiredImages } from '../../src/public-media/service.js';
import { OrgScope } from '../../src/teams/org-scope.js';
import { buildTestServer, setUpOwner } from '../support/api-client.js';
import { fetchImage, startChorusMediaHost, type ChorusMediaHost } from '../support/chorus-media-host.js';
import { startContractServer, type ContractServer } from '../support/contract-server.js';
import { PRIVATE_NETWORK_ALLOWED } from '../support/private-network.js';
import { describeEachStore } from '../support/stores.js';

const START = new Date('2026-12-05T01:30:00Z');
const JPEG = { data: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...Array.from({ length: 200 }, (_, i) => (i * 91) % 256), 0xff, 0xd9]), mimeType: 'image/jpeg' };
const PNG = { data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xfe]), mimeType: 'image/png' };
const KEYED_ADDRESS = /\/m\/([A-Za-z0-9_-]{43})$/;

describe('the public media address', () => {
  it('is CHORUS_PUBLIC_URL when https; http only where private addresses are allowed; none when unset', () => {
    const strict = { allowPrivateNetwork: false };
    expect(publicMediaBase('https://chorus.example.com/', strict)).toBe('https://chorus.example.com');
    expect(publicMediaBase('http://chorus.example.com', strict)).toBeNull();
    expect(publicMediaBase('http://127.0.0.1:3000', PRIVATE_NETWORK_ALLOWED)).toBe('http://127.0.0.1:3000');
    expect(publicMediaBase(undefined, PRIVATE_NETWORK_ALLOWED)).toBeNull();
    expect(publicImagesFor({ publicUrl: 'http://chorus.example.com', addressPolicy: strict, secretKey: 'k'.repeat(32) })).toBeNull();
    // serve and worker say so at start, rather than leave it to the first failed post.
    expect(publicMediaWarning('http://chorus.example.com', strict)).toContain('CHORUS_PUBLIC_URL is not https');
    expect(publicMediaWarning('https://chorus.example.com', strict)).toBeNull();
    expect(publicMediaWarning(undefined, strict)).toBeNull();
  });
});

describeEachStore('public media', (current) => {
  let now: Date;
  let chorus: ChorusMediaHost;
  beforeEach(async () => {
    now = START;
    chorus = await startChorusMediaHost(current().store, { clock: () => now });
  });
  afterEach(() => chorus.close());

  it('serves a handed-out image with its content type, nosniff and long cache headers; unknown keys are 404', async () => {
    const address = await chorus.images.publicUrlFor(JPEG);
    expect(address).toMatch(new RegExp(`^${chorus.url}/m/[A-Za-z0-9_-]{43}$`));
    const response = await fetch(address);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe(`public, max-age=${PUBLIC_MEDIA_RETENTION_MS / 1000}, immutable`);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(JPEG.data);
    expect(await fetchImage(await chorus.images.publicUrlFor(PNG))).toEqual({ status: 200, contentType: 'image/png', bytes: PNG.data });

    for (const unknown of [`${chorus.url}/m/${'A'.repeat(43)}`, `${chorus.url}/m/not-a-key`, address.slice(0, -1)]) {
      const missing = await fetch(unknown);
      expect(missing.status, unknown).toBe(404);
      expect(missing.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await missing.json()).toMatchObject({ error: { code: 'media_not_found' } });
    }
  });

  it('keeps one copy per org and image, under a key that is neither the content hash nor shared by orgs or secret keys', async () => {
    const { store } = current();
    const first = await chorus.images.publicUrlFor(JPEG);
    expect(await chorus.images.publicUrlFor({ ...JPEG, data: new Uint8Array(JPEG.data) })).toBe(first);
    const rows = await store.db.selectFrom('public_media').select(['key', 'sha256', 'org_id', 'bytes']).execute();
    expect(rows).toEqual([{ key: first.match(KEYED_ADDRESS)![1], sha256: expect.stringMatching(/^[0-9a-f]{64}$/), org_id: chorus.owner.orgId, bytes: 206 }]);
    expect(Buffer.from(rows[0]!.key, 'base64url').toString('hex')).not.toBe(rows[0]!.sha256);

    const other = await chorus.owner.client.post('/api/orgs', { name: 'Other org' });
    expect(other.status).toBe(201);
    const otherScope = new OrgScope(store.db, other.body.org.id, { userId: chorus.owner.userId, role: 'owner' }, () => now);
    const ofOtherOrg = await chorus.app.channels.publicImages!(otherScope).publicUrlFor(JPEG);
    expect(ofOtherOrg).not.toBe(first);
    const anotherSecret = publicImagesFor({ publicUrl: chorus.url, addressPolicy: PRIVATE_NETWORK_ALLOWED, secretKey: 'another-secret-key-of-this-instance' })!;
    const scope = new OrgScope(store.db, chorus.owner.orgId, { userId: chorus.owner.userId, role: 'owner' }, () => now);
    expect(await anotherSecret(scope).publicUrlFor(JPEG)).not.toBe(first);
  });

  it('keeps a copy 7 days after it was last handed out, answers 404 after, and prunes it', async () => {
    const { store } = current();
    const address = await chorus.images.publicUrlFor(JPEG);
    now = new Date(START.getTime() + PUBLIC_MEDIA_RETENTION_MS - 60_000);
    expect((await fetch(address)).status).toBe(200);
    // Handed out again (a retry): the period starts anew.
    expect(await chorus.images.publicUrlFor(JPEG)).toBe(address);
    now = new Date(START.getTime() + PUBLIC_MEDIA_RETENTION_MS + 60_000);
    expect((await fetch(address)).status).toBe(200);
    expect(await pruneExpiredImages(store.db, () => now)).toBe(0);

    now = new Date(START.getTime() + 2 * PUBLIC_MEDIA_RETENTION_MS);
    expect((await fetch(address)).status).toBe(404);
    expect(await pruneExpiredImages(store.db, () => now)).toBe(1);
    expect(await store.db.selectFrom('public_media').select('key').execute()).toEqual([]);
  });
});

describeEachStore('connectors built for a channel', (current) => {
  const IG = '17841400000000001';
  let graph: ContractServer;
  let fetched: Awaited<ReturnType<typeof fetchImage>>[];
  beforeEach(async () => {
    fetched = [];
    graph = await startContractServer({
      [`GET /v21.0/${IG}`]: () => ({ json: { id: IG, username: 'acme.bakery', name: 'ACME' } }),
      [`GET /v21.0/${IG}/content_publishing_limit`]: () => ({ json: { data: [{ quota_usage: 0, config: { quota_total: 50 } }] } }),
      [`POST /v21.0/${IG}/media`]: async (request) => {
        fetched.push(await fetchImage(request.form!.get('image_url')!));
        return { json: { id: 'container-1' } };
      },
      'GET /v21.0/container-1': () => ({ json: { status_code: 'FINISHED' } }),
      [`POST /v21.0/${IG}/media_publish`]: () => ({ json: { id: '17900000000000001' } }),
    });
  });
  afterEach(() => graph.close());

  /** An Instagram channel connected through the server's own channels environment, opened as the publisher opens it. */
  async function instagramOf(app: Awaited<ReturnType<typeof buildTestServer>>, orgId: string, userId: string) {
    const scope = new OrgScope(current().store.db, orgId, { userId, role: 'owner' }, app.clock);
    const credentials = { igUserId: IG, accessToken: 'EAAB'.padEnd(60, 'y'), appSecret: 'abcdef0123456789abcdef0123456789', apiBase: graph.url };
    const channel = await connectChannel(scope, app.channels, { network: 'instagram', credentials });
    const row = await scope.selectFrom('channel_accounts').selectAll().where('id', '=', channel.id).executeTakeFirstOrThrow();
    const opened = await openConnector(scope, app.channels, row);
    if (!opened.ok) throw new Error(opened.reason);
    return opened.connector;
  }

  it('get the public image host from CHORUS_PUBLIC_URL, and Instagram fetches the image from Chorus', async () => {
    const chorus = await startChorusMediaHost(current().store);
    try {
      const connector = await instagramOf(chorus.app, chorus.owner.orgId, chorus.owner.userId);
      const published = await connector.publish({ idempotencyKey: 'k', text: 'パン', images: [{ ...JPEG, alt: 'パン' }], attempt: 1 });
      expect(published).toMatchObject({ ok: true, value: { remoteId: '17900000000000001' } });
      expect(fetched).toEqual([{ status: 200, contentType: 'image/jpeg', bytes: JPEG.data }]);
    } finally {
      await chorus.close();
    }
  });

  it('answer media_host_missing without CHORUS_PUBLIC_URL, telling the operator to set it', async () => {
    const app = await buildTestServer(current().store, { addressPolicy: PRIVATE_NETWORK_ALLOWED });
    try {
      expect(app.channels.publicImages).toBeNull();
      const owner = await setUpOwner(app);
      const connector = await instagramOf(app, owner.orgId, owner.userId);
      expect(await connector.publish({ idempotencyKey: 'k', text: 'パン', images: [{ ...JPEG, alt: 'パン' }], attempt: 1 })).toEqual({
        ok: false,
        failure: { kind: 'permanent', code: 'media_host_missing', message: expect.stringContaining('set CHORUS_PUBLIC_URL') },
      });
      expect(graph.sent(`POST /v21.0/${IG}/media`)).toHaveLength(0);
    } finally {
      await app.close();
    }
  });
});
