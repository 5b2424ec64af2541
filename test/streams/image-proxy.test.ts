import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createUser } from '../../src/accounts/users.js';
import { buildServer } from '../../src/app/server.js';
import type { AddressPolicy } from '../../src/lib/outbound-http/address-policy.js';
import { storeIngestedBatch } from '../../src/streams/ingest.js';
import { streamNotifier } from '../../src/streams/live.js';
import { sniffImageType, type ImageProxySettings } from '../../src/image-proxy/fetch-image.js';
import { ImageUrlSigner } from '../../src/image-proxy/signature.js';
import { createOrg } from '../../src/teams/service.js';
import { ApiClient, PASSWORD, invitePerson, setUpOwner, type Person } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';
import { startLocalServer, type LocalServer } from '../channels/support/local-server.js';
import { openSse, signIn } from './sse-client.js';

/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
const MB = 1024 * 1024;

/** What the image host did: bytes of /huge.png sent, /held.png answers still open. */
interface HostState {
  huge: number;
  held: ServerResponse[];
}

/** The rest of a /held.png picture, sent when the test lets the held answers end. */
const TAIL = Buffer.from('the rest of the picture');

/** An image host on loopback (allowed through CHORUS_ALLOW_PRIVATE_NETWORK, as the feed tests do). */
function imageHost(server: LocalServer, sent: HostState) {
  server.handle((req, res) => {
    const path = new URL(req.url!, server.url).pathname;
    if (path === '/held.png') {
      // A whole PNG's bytes at once, then the body stays open until the test ends it with TAIL.
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(PNG);
      return void sent.held.push(res);
    }
    if (path === '/avatar.png' || path === '/inline.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    if (path === '/cacheable.png') return void res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'public, max-age=3600' }).end(PNG);
    if (path === '/no-store.png') return void res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'max-age=3600, no-store' }).end(PNG);
    if (path === '/charset.png') return void res.writeHead(200, { 'content-type': 'IMAGE/PNG; charset=binary' }).end(PNG);
    if (path === '/drawing.svg') return void res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(SVG);
    if (path === '/liar.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end('<html><script>alert(1)</script></html>');
    if (path === '/page.html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<p>hi</p>');
    if (path === '/gone.png') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('no');
    if (path === '/declared-huge.png') return void res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(60 * MB) }).write(PNG);
    if (path === '/hang.png') return;
    if (path === '/slow.png') {
      // Headers and a whole PNG's bytes at once, but the body never ends: the deadline must end it.
      res.writeHead(200, { 'content-type': 'image/png' });
      return void res.write(PNG);
    }
    if (path === '/huge.png') {
      // No Content-Length: only counting while streaming can stop it.
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(PNG.subarray(0, 33));
      const chunk = Buffer.alloc(MB, 1);
      const pump = () => {
        while (sent.huge < 50 * MB) {
          sent.huge += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => res.removeAllListeners('drain'));
      return pump();
    }
    res.writeHead(404).end();
  });
}

/** Reads the body to its end or its breaking point: how many bytes came, and whether it broke. */
async function drain(response: Response): Promise<{ bytes: number; broken: boolean }> {
  const reader = response.body!.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes, broken: false };
      bytes += value.length;
    }
  } catch {
    return { bytes, broken: true };
  }
}

const pathOf = (url: string | undefined) => new URL(url!, 'http://host').pathname;

describeEachStore('image proxy', (current) => {
  let app: FastifyInstance;
  let host: LocalServer;
  let owner: Person;
  let signer: ImageUrlSigner;
  const sent: HostState = { huge: 0, held: [] };
  const proxy = (orgId: string, url: string, sig: string) => `/api/orgs/${orgId}/image-proxy?${new URLSearchParams({ url, sig })}`;
  const signed = (url: string, orgId = owner.orgId) => proxy(orgId, url, signer.sign(orgId, url));

  /** The server judges every fetch by this object: a test closes it to act as a default install. */
  let addressPolicy: AddressPolicy;

  beforeEach(async () => {
    addressPolicy = { allowPrivateNetwork: true };
    sent.huge = 0;
    sent.held = [];
    host = await startLocalServer();
    imageHost(host, sent);
    app = await buildServer({ store: current().store, webRoot: null, imageProxy: { timeoutMs: 1500 }, databaseUrl: current().url, addressPolicy });
    await app.ready();
    owner = await setUpOwner(app);
    signer = new ImageUrlSigner(app.settings.secretKey);
  });
  afterEach(async () => {
    await app.close();
    await host.close();
  });

  async function columnWithImageItem() {
    const channel = await owner.client.post(`/api/orgs/${owner.orgId}/channels`, { network: 'team', credentials: {} });
    const board = await owner.client.post(`/api/orgs/${owner.orgId}/boards`, { name: 'Main' });
    const column = await owner.client.post(`/api/orgs/${owner.orgId}/boards/${board.body.board.id}/columns`, {
      kind: 'team',
      channelAccountId: channel.body.channel.id,
    });
    expect(column.status).toBe(201);
    const stored = await storeIngestedBatch(current().store.db, {
      orgId: owner.orgId,
      channelAccountId: channel.body.channel.id,
      columnIds: [column.body.column.id],
      fetchedAt: new Date().toISOString(),
      items: [
        {
          network: 'team',
          remoteId: 'with-images',
          url: null,
          author: { remoteId: 'u1', handle: 'pics', displayName: 'Pictures', avatarUrl: `${host.url}/avatar.png` },
          text: 'look',
          html: `<p>look <img src="${host.url}/inline.png?w=1&amp;h=2" alt="inline"> <img src="data:image/png;base64,AAAA"></p>`,
          links: [],
          media: [{ url: `${host.url}/drawing.svg`, alt: 'a drawing' }],
          replyToRemoteId: null,
          quoteOfRemoteId: null,
          createdAt: new Date().toISOString(),
          language: null,
          metrics: null,
        },
      ],
    });
    await streamNotifier(current().store).notify({ type: 'items', orgId: owner.orgId, memberships: stored.memberships });
    return column.body.column.id as string;
  }

  it('signs every image of the items it serves, and proxies exactly those', async () => {
    const columnId = await columnWithImageItem();
    const page = await owner.client.get(`/api/orgs/${owner.orgId}/columns/${columnId}/items`);
    expect(page.status).toBe(200);
    const signatures = page.body.imageSignatures as Record<string, string>;
    // The HTML's &amp; is the URL's &; the data: image is not a remote image and is not signed.
    expect(Object.keys(signatures).sort()).toEqual([`${host.url}/avatar.png`, `${host.url}/drawing.svg`, `${host.url}/inline.png?w=1&h=2`].sort());
    const search = await owner.client.get(`/api/orgs/${owner.orgId}/search?q=look`);
    expect(search.body.imageSignatures).toEqual(signatures);

    const token = (await owner.client.post('/api/me/tokens', { name: 'images' })).body.token;
    const avatar = await app.inject({
      method: 'GET',
      url: proxy(owner.orgId, `${host.url}/avatar.png`, signatures[`${host.url}/avatar.png`]!),
      headers: { authorization: `Bearer ${token}` },
    });
    expect(avatar.statusCode).toBe(200);
    expect(avatar.rawPayload.equals(PNG)).toBe(true);
    expect(avatar.headers['content-type']).toBe('image/png');
    expect(avatar.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
    expect(avatar.headers['x-content-type-options']).toBe('nosniff');
    expect(avatar.headers['content-security-policy']).toContain("default-src 'none'");
    expect(avatar.headers['content-security-policy']).toContain('sandbox');
    // Nothing of the reader goes upstream: no cookie, no referrer.
    const upstream = host.requests.at(-1)!;
    expect(upstream.headers.cookie).toBeUndefined();
    expect(upstream.headers.referer).toBeUndefined();

    const inline = await owner.client.get(proxy(owner.orgId, `${host.url}/inline.png?w=1&h=2`, signatures[`${host.url}/inline.png?w=1&h=2`]!));
    expect(inline.status).toBe(200);
  });

  it('the page may load images only from Chorus itself, so a missed rewrite cannot reach a tracker', async () => {
    const page = await owner.client.get('/api/session');
    expect(page.status).toBe(200);
    const imgSrc = String(page.headers['content-security-policy'])
      .split(';')
      .find((d) => d.trim().startsWith('img-src'));
    // blob: for the composer's previews of picked files (object URLs only this page can mint); no remote host.
    expect(imgSrc?.trim()).toBe("img-src 'self' data: blob:");
  });

  it('refuses unsigned, tampered and malformed requests before contacting anyone', async () => {
    const url = `${host.url}/avatar.png`;
    const sig = signer.sign(owner.orgId, url);
    const missing = await owner.client.get(`/api/orgs/${owner.orgId}/image-proxy?${new URLSearchParams({ url })}`);
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('validation_failed');
    const wrong = await owner.client.get(proxy(owner.orgId, url, 'A'.repeat(22)));
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('image_signature_invalid');
    // A signature is for one URL: moving it to another (a tracker, an internal host) does not work.
    expect((await owner.client.get(proxy(owner.orgId, `${host.url}/avatar.png?track=me`, sig))).body.error.code).toBe('image_signature_invalid');
    for (const bad of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      `http://user:pw@127.0.0.1:${host.port}/avatar.png`,
      'not a url',
      `${host.url}/${'a'.repeat(2100)}`,
    ]) {
      const res = await owner.client.get(proxy(owner.orgId, bad, signer.sign(owner.orgId, bad)));
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect(host.requests).toHaveLength(0);
  });

  it("is org-scoped: a signature from one org does not open another's proxy, and outsiders see no org", async () => {
    const url = `${host.url}/avatar.png`;
    const viewer = await invitePerson(owner, 'Vera Viewer', 'viewer');
    expect((await viewer.client.get(signed(url))).status).toBe(200);

    const mallory = await createUser(current().store.db, () => new Date(), { email: 'mallory@attacker.example', name: 'Mallory', password: PASSWORD });
    const otherOrg = await createOrg(current().store.db, () => new Date(), { name: 'Attacker LLC', ownerUserId: mallory.id });
    const attacker = new ApiClient(app, '198.51.100.66');
    expect((await attacker.post('/api/session', { email: 'mallory@attacker.example', password: PASSWORD })).status).toBe(200);
    const before = host.requests.length;
    const intoVictim = await attacker.get(signed(url));
    expect(intoVictim.status).toBe(404);
    expect(intoVictim.body.error.code).toBe('org_not_found');
    // The victim's signature replayed through the attacker's own org.
    const replayed = await attacker.get(proxy(otherOrg.id, url, signer.sign(owner.orgId, url)));
    expect(replayed.status).toBe(403);
    expect(replayed.body.error.code).toBe('image_signature_invalid');
    expect(host.requests.length).toBe(before);

    const anonymous = new ApiClient(app);
    expect((await anonymous.get(signed(url))).status).toBe(401);
  });

  it('passes only PNG, JPEG, GIF, WebP and AVIF, judged by the declared type and the bytes', async () => {
    expect((await owner.client.get(signed(`${host.url}/charset.png`))).headers['content-type']).toBe('image/png');
    for (const path of ['/drawing.svg', '/page.html', '/liar.png']) {
      const res = await owner.client.get(signed(`${host.url}${path}`));
      expect(res.status, path).toBe(502);
      expect(res.body.error.code, path).toBe('not_an_image');
      expect(res.raw).not.toContain('<script>');
    }
    expect(sniffImageType(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'))).toBe('image/gif');
    expect(sniffImageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image/jpeg');
    expect(sniffImageType(Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('image/webp');
    expect(sniffImageType(Buffer.from('\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1avifmiaf', 'latin1'))).toBe('image/avif');
    expect(sniffImageType(Buffer.from('\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom', 'latin1'))).toBeNull();
    expect(sniffImageType(Buffer.from(SVG))).toBeNull();
  });

  it('answers upstream failures in the error shape: missing, too large by declaration, silent, blocked', async () => {
    const gone = await owner.client.get(signed(`${host.url}/gone.png`));
    expect([gone.status, gone.body.error.code]).toEqual([502, 'image_unreachable']);
    const declared = await owner.client.get(signed(`${host.url}/declared-huge.png`));
    expect([declared.status, declared.body.error.code]).toEqual([502, 'image_too_large']);
    const hang = await owner.client.get(signed(`${host.url}/hang.png`));
    expect([hang.status, hang.body.error.code]).toEqual([504, 'image_timeout']);
    expect(hang.headers['cache-control']).toBe('no-store');
    // A signed URL is still judged by the address policy: loopback is closed unless the operator opens it.
    addressPolicy.allowPrivateNetwork = false;
    const blocked = await owner.client.get(signed(`${host.url}/avatar.png`));
    expect([blocked.status, blocked.body.error.code]).toEqual([502, 'image_unreachable']);
    expect(blocked.body.error.message).toContain('loopback');
  });

  it('does not serve HEAD, which Fastify would answer by fetching the whole image and dropping it', async () => {
    const token = (await owner.client.post('/api/me/tokens', { name: 'images' })).body.token;
    const head = await app.inject({ method: 'HEAD', url: signed(`${host.url}/avatar.png`), headers: { authorization: `Bearer ${token}` } });
    expect(head.statusCode).toBe(404);
    expect(host.requests).toHaveLength(0);
  });

  it('signs the images of an item whose state changed, as pages do', async () => {
    const columnId = await columnWithImageItem();
    const page = await owner.client.get(`/api/orgs/${owner.orgId}/columns/${columnId}/items`);
    const state = await owner.client.post(`/api/orgs/${owner.orgId}/items/${page.body.items[0].id}/state`, { read: true });
    expect(state.status).toBe(200);
    expect(state.body.item.read).toBe(true);
    expect(state.body.imageSignatures).toEqual(page.body.imageSignatures);
    expect(Object.keys(state.body.imageSignatures)).toHaveLength(3);
  });

  describe('limits and shared fetches, over a real connection', () => {
    let limited: FastifyInstance | null = null;
    afterEach(async () => {
      for (const res of sent.held) res.destroy();
      await limited?.close();
      limited = null;
    });
    /** A second server on the same store and key, with the proxy limits a test chooses. */
    async function proxyWith(limits: Partial<ImageProxySettings>, clock?: () => Date) {
      limited = await buildServer({
        store: current().store,
        webRoot: null,
        secretKey: app.settings.secretKey,
        addressPolicy,
        imageProxy: { timeoutMs: 5000, ...limits },
        databaseUrl: current().url,
        ...(clock ? { clock } : {}),
      });
      const base = await limited.listen({ port: 0, host: '127.0.0.1' });
      const token = (await owner.client.post('/api/me/tokens', { name: 'images' })).body.token;
      return (path: string, signal?: AbortSignal) => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` }, ...(signal ? { signal } : {}) });
    }

    it('answers 429 beyond the fetches one org may have in flight and waiting, and only for that org', async () => {
      const get = await proxyWith({ maxConcurrentPerOrg: 2, maxWaitingPerOrg: 0 });
      const first = await get(signed(`${host.url}/held.png?1`));
      const second = await get(signed(`${host.url}/held.png?2`));
      expect([first.status, second.status]).toEqual([200, 200]);
      const third = await get(signed(`${host.url}/avatar.png`));
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toBe('1');
      expect(third.headers.get('cache-control')).toBe('no-store');
      expect(await third.json()).toEqual({
        error: {
          code: 'image_rate_limited',
          message: expect.any(String),
          details: { limit: 'concurrent', retryAfterSeconds: 1 },
          params: { limit: 'concurrent', retryAfterSeconds: 1 },
        },
      });
      // Refused before contacting the host.
      expect(host.requests.map((r) => pathOf(r.url))).toEqual(['/held.png', '/held.png']);

      // Another org has an allowance of its own.
      const mallory = await createUser(current().store.db, () => new Date(), { email: 'mallory@attacker.example', name: 'Mallory', password: PASSWORD });
      const otherOrg = await createOrg(current().store.db, () => new Date(), { name: 'Other LLC', ownerUserId: mallory.id });
      const other = new ApiClient(limited!);
      expect((await other.post('/api/session', { email: 'mallory@attacker.example', password: PASSWORD })).status).toBe(200);
      expect((await other.get(signed(`${host.url}/avatar.png`, otherOrg.id))).status).toBe(200);

      // A fetch that ends gives its place back.
      for (const res of sent.held) res.end(TAIL);
      expect(await drain(first)).toEqual({ bytes: PNG.length + TAIL.length, broken: false });
      expect(await drain(second)).toEqual({ bytes: PNG.length + TAIL.length, broken: false });
      expect((await get(signed(`${host.url}/avatar.png`))).status).toBe(200);
    });

    it('lets a fetch past the limit wait for a place instead of failing', async () => {
      const get = await proxyWith({ maxConcurrentPerOrg: 1 });
      const first = await get(signed(`${host.url}/held.png`));
      expect(first.status).toBe(200);
      const waiting = get(signed(`${host.url}/avatar.png`));
      // The host has seen only the first fetch while the second waits for its place.
      await vi.waitFor(() => expect(sent.held).toHaveLength(1));
      expect(host.requests.map((r) => pathOf(r.url))).toEqual(['/held.png']);
      sent.held[0]!.end(TAIL);
      expect(await drain(first)).toEqual({ bytes: PNG.length + TAIL.length, broken: false });
      const second = await waiting;
      expect(second.status).toBe(200);
      expect(host.requests.map((r) => pathOf(r.url))).toEqual(['/held.png', '/avatar.png']);
    });

    it('answers 429 after waiting maxWaitMs for a place', async () => {
      const get = await proxyWith({ maxConcurrentPerOrg: 1, maxWaitMs: 50 });
      const first = await get(signed(`${host.url}/held.png`));
      const refused = await get(signed(`${host.url}/avatar.png`));
      expect(refused.status).toBe(429);
      expect((await refused.json()).error.details).toEqual({ limit: 'concurrent', retryAfterSeconds: 1 });
      expect(host.requests.map((r) => pathOf(r.url))).toEqual(['/held.png']);
      sent.held[0]!.end(TAIL);
      await drain(first);
    });

    it('answers 429 past the burst until the per-minute rate allows another fetch', async () => {
      const get = await proxyWith({ burstPerOrg: 2, fetchesPerMinutePerOrg: 1 });
      expect((await get(signed(`${host.url}/avatar.png?a`))).status).toBe(200);
      expect((await get(signed(`${host.url}/avatar.png?b`))).status).toBe(200);
      const third = await get(signed(`${host.url}/avatar.png?c`));
      expect(third.status).toBe(429);
      const body = await third.json();
      expect([body.error.code, body.error.details.limit]).toEqual(['image_rate_limited', 'rate']);
      // One fetch a minute: the next one is about a minute away.
      const retryAfter = Number(third.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(50);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(body.error.details.retryAfterSeconds).toBe(retryAfter);
      expect(host.requests).toHaveLength(2);
    });

    it('fetches an image once for every request that asks for it while it is being fetched', async () => {
      // One fetch in flight allowed: the requests that join it must not need a place of their own.
      const get = await proxyWith({ maxConcurrentPerOrg: 1 });
      const url = `${host.url}/held.png`;
      const readers = [await get(signed(url)), await get(signed(url)), await get(signed(url))];
      expect(readers.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(sent.held).toHaveLength(1);
      sent.held[0]!.end(TAIL);
      // Those that joined after the first bytes went by still get the whole picture.
      for (const reader of readers) expect(Buffer.from(await reader.arrayBuffer()).equals(Buffer.concat([PNG, TAIL]))).toBe(true);

      // Only fetches in progress are shared: once it has ended, the next request fetches again.
      const again = await get(signed(url));
      expect(again.status).toBe(200);
      expect(sent.held).toHaveLength(2);
      sent.held[1]!.end(TAIL);
      expect(await drain(again)).toEqual({ bytes: PNG.length + TAIL.length, broken: false });
    });

    it('stops the upstream fetch and frees its place as soon as the last reader goes away', async () => {
      // A deadline far beyond the test's own: if the upstream closes, the reader leaving closed it.
      const get = await proxyWith({ maxConcurrentPerOrg: 1, timeoutMs: 10 * 60_000 });
      const leaving = new AbortController();
      const response = await get(signed(`${host.url}/held.png`), leaving.signal);
      expect(response.status).toBe(200);
      const upstreamClosed = new Promise((resolve) => sent.held[0]!.once('close', resolve));
      leaving.abort();
      await upstreamClosed;
      await vi.waitFor(async () => expect((await get(signed(`${host.url}/avatar.png`))).status).toBe(200));
    });

    it("serves an image again from memory for as long as its host allows, up to the proxy's own limit", async () => {
      const clock = { now: Date.now() };
      const get = await proxyWith({ recentMaxSeconds: 60 }, () => new Date(clock.now));
      const fetchedPaths = () => host.requests.map((r) => pathOf(r.url));
      for (let i = 0; i < 3; i++) {
        const response = await get(signed(`${host.url}/cacheable.png`));
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('image/png');
        expect(response.headers.get('content-security-policy')).toContain('sandbox');
        expect(Buffer.from(await response.arrayBuffer()).equals(PNG)).toBe(true);
      }
      expect(fetchedPaths()).toEqual(['/cacheable.png']);
      // The host allows an hour; the proxy keeps it a minute.
      clock.now += 61_000;
      expect((await get(signed(`${host.url}/cacheable.png`))).status).toBe(200);
      expect(fetchedPaths()).toEqual(['/cacheable.png', '/cacheable.png']);
      // No Cache-Control, or no-store: fetched every time.
      for (const path of ['/avatar.png', '/avatar.png', '/no-store.png', '/no-store.png']) expect((await get(signed(`${host.url}${path}`))).status).toBe(200);
      expect(fetchedPaths().slice(2)).toEqual(['/avatar.png', '/avatar.png', '/no-store.png', '/no-store.png']);
    });

    it('answers a failed image again from memory, without asking its host, until failureSeconds have passed', async () => {
      const clock = { now: Date.now() };
      const get = await proxyWith({ failureSeconds: 60 }, () => new Date(clock.now));
      const fetchedPaths = () => host.requests.map((r) => pathOf(r.url));
      for (let i = 0; i < 3; i++) {
        const gone = await get(signed(`${host.url}/gone.png`));
        expect([gone.status, (await gone.json()).error.code, gone.headers.get('cache-control')]).toEqual([502, 'image_unreachable', 'no-store']);
      }
      expect(fetchedPaths()).toEqual(['/gone.png']);
      clock.now += 61_000;
      expect((await get(signed(`${host.url}/gone.png`))).status).toBe(502);
      expect(fetchedPaths()).toEqual(['/gone.png', '/gone.png']);
    });

    it('gives up on a host that has not begun to answer within answerTimeoutMs, but lets an arriving picture take the whole deadline', async () => {
      const get = await proxyWith({ answerTimeoutMs: 300, timeoutMs: 60_000 });
      const started = Date.now();
      const hang = await get(signed(`${host.url}/hang.png`));
      const body = await hang.json();
      expect([hang.status, body.error.code]).toEqual([504, 'image_timeout']);
      expect(body.error.message).toContain('did not begin to answer within 0.3 s');
      // Well before the whole-exchange deadline of a minute.
      expect(Date.now() - started).toBeLessThan(30_000);
      // The head came in time: the rest may take longer than the answer deadline.
      const held = await get(signed(`${host.url}/held.png`));
      expect(held.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 600));
      sent.held[0]!.end(TAIL);
      expect(await drain(held)).toEqual({ bytes: PNG.length + TAIL.length, broken: false });
    });

    it('stops asking a host whose fetches timed out twice in a row, for silentHostSeconds, and asks again after', async () => {
      const clock = { now: Date.now() };
      const get = await proxyWith({ answerTimeoutMs: 200, silentHostSeconds: 30 }, () => new Date(clock.now));
      const fetchedPaths = () => host.requests.map((r) => pathOf(r.url));
      for (const n of [1, 2]) expect((await get(signed(`${host.url}/hang.png?${n}`))).status).toBe(504);
      expect(fetchedPaths()).toEqual(['/hang.png', '/hang.png']);
      // Another image of the same host: answered at once, the host not asked.
      const silent = await get(signed(`${host.url}/avatar.png`));
      const body = await silent.json();
      expect([silent.status, body.error.code]).toEqual([504, 'image_timeout']);
      expect(body.error.message).toContain('has not answered lately');
      expect(fetchedPaths()).toHaveLength(2);
      // Once the time is up the host is asked again, and an answer clears its record.
      clock.now += 31_000;
      expect((await get(signed(`${host.url}/avatar.png`))).status).toBe(200);
      expect((await get(signed(`${host.url}/hang.png?3`))).status).toBe(504);
      expect((await get(signed(`${host.url}/cacheable.png`))).status).toBe(200);
      expect(fetchedPaths()).toEqual(['/hang.png', '/hang.png', '/avatar.png', '/hang.png', '/cacheable.png']);
    });

    it('keeps the size cap for every reader of a shared fetch', async () => {
      const get = await proxyWith({});
      const url = signed(`${host.url}/huge.png`);
      const readers = await Promise.all([get(url), get(url)]);
      for (const reader of readers) {
        expect(reader.status).toBe(200);
        const { bytes, broken } = await drain(reader);
        expect(broken).toBe(true);
        expect(bytes).toBeLessThanOrEqual(5 * MB);
      }
      expect(sent.huge).toBeLessThan(20 * MB);
    });
  });

  describe('over a real connection', () => {
    let base: string;
    let token: string;
    beforeEach(async () => {
      base = await app.listen({ port: 0, host: '127.0.0.1' });
      token = (await owner.client.post('/api/me/tokens', { name: 'images' })).body.token;
    });
    const get = (path: string) => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    it('signs the images of items that arrive live', async () => {
      const events = await openSse(`${base}/api/orgs/${owner.orgId}/stream-events`, await signIn(base, owner.email, PASSWORD));
      try {
        await columnWithImageItem();
        const live = await events.next((e) => e.event === 'item');
        expect(Object.keys(live.data.imageSignatures).sort()).toEqual(
          [`${host.url}/avatar.png`, `${host.url}/drawing.svg`, `${host.url}/inline.png?w=1&h=2`].sort(),
        );
        expect(signer.verify(owner.orgId, `${host.url}/avatar.png`, live.data.imageSignatures[`${host.url}/avatar.png`])).toBe(true);
      } finally {
        events.close();
      }
    });

    it('cuts an image off at the size cap while streaming, without trusting Content-Length', async () => {
      const response = await get(signed(`${host.url}/huge.png`));
      expect(response.status).toBe(200);
      const { bytes, broken } = await drain(response);
      // A broken connection, not a truncated picture that looks complete.
      expect(broken).toBe(true);
      expect(bytes).toBeLessThanOrEqual(5 * MB);
      // The upstream read stopped near the 5 MB cap instead of pulling all 50 MB.
      expect(sent.huge).toBeLessThan(20 * MB);
    });

    it('breaks off an image whose body stalls past the deadline', async () => {
      const response = await get(signed(`${host.url}/slow.png`));
      expect(response.status).toBe(200);
      expect(await drain(response)).toEqual({ bytes: PNG.length, broken: true });
    });
  });
});
