import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildTestServer, setUpOwner, type Person } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';

const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const CRAWLER = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

describeEachStore('short links', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  let org: string;
  beforeEach(async () => {
    // Clicks go through the server's own connection (no writer thread): the outage test breaks that connection.
    app = await buildTestServer(current().store, { shortLinks: { baseUrl: 'https://go.example.com', ratePerMinute: 5, offThreadWrites: false } });
    owner = await setUpOwner(app);
    org = `/api/orgs/${owner.orgId}`;
  });
  afterEach(() => app.close());

  const visit = (code: string, agent: string, ip = '203.0.113.7', referer?: string) =>
    app.inject({ method: 'GET', url: `/s/${code}`, remoteAddress: ip, headers: { 'user-agent': agent, ...(referer ? { referer } : {}) } });

  it('makes a link, redirects to it, and counts human and bot clicks apart', async () => {
    const created = await owner.client.post(`${org}/links`, { url: 'https://shop.example.com/sale?x=1', campaign: '  Spring sale ' });
    expect(created.status).toBe(201);
    const link = created.body.link;
    expect(link).toMatchObject({
      url: 'https://shop.example.com/sale?x=1',
      targetUrl: 'https://shop.example.com/sale?x=1',
      campaign: 'Spring sale',
      postId: null,
    });
    expect(link.code).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(link.shortUrl).toBe(`https://go.example.com/s/${link.code}`);

    const first = await visit(link.code, BROWSER, '203.0.113.7', 'https://bsky.app/profile/someone/post/1?secret=1');
    expect(first.statusCode).toBe(302);
    expect(first.headers.location).toBe('https://shop.example.com/sale?x=1');
    expect(first.headers['cache-control']).toBe('private, no-store');
    expect((await visit(link.code, PHONE)).statusCode).toBe(302);
    expect((await visit(link.code, CRAWLER)).statusCode).toBe(302);
    expect(await app.clickRecorder.flush()).toBe(3);

    const list = await owner.client.get(`${org}/links`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ links: [{ id: link.id, code: link.code, clicks: { human: 2, bot: 1 } }], nextCursor: null });
    const rows = await app.store.db.selectFrom('link_clicks').selectAll().orderBy('clicked_at').execute();
    expect(rows.map((r) => [r.device, r.bot, r.referrer_host, r.campaign])).toEqual(
      expect.arrayContaining([
        ['desktop', 0, 'bsky.app', 'Spring sale'],
        ['mobile', 0, null, 'Spring sale'],
      ]),
    );
    // No column can hold the visitor's address.
    expect(Object.keys(rows[0]!)).not.toContain('ip');
    expect(JSON.stringify(rows)).not.toContain('203.0.113.7');
  });

  it('refuses targets that are not http(s) and answers unknown codes with 404', async () => {
    for (const url of ['javascript:alert(1)', 'ftp://example.com/file', '/relative', 'https://user:pw@example.com/', 'not a url']) {
      const res = await owner.client.post(`${org}/links`, { url });
      expect(res.status, url).toBe(400);
      expect(res.body.error.code).toBe('invalid_url');
    }
    expect((await visit('AAAAAAAAAAA', BROWSER)).statusCode).toBe(404);
    expect((await visit('../../etc', BROWSER)).statusCode).toBe(404);
  });

  it('adds UTM parameters when the org turns them on, without overriding the author’s own', async () => {
    expect((await owner.client.patch(`${org}/analytics/settings`, { utmEnabled: true })).body.settings).toMatchObject({ utmEnabled: true });
    const made = await owner.client.post(`${org}/links`, { url: 'https://shop.example.com/?utm_source=newsletter', campaign: 'Autumn', network: 'bluesky' });
    expect(made.body.link.targetUrl).toBe('https://shop.example.com/?utm_source=newsletter&utm_medium=social&utm_campaign=Autumn');
  });

  it('limits redirects per address and keeps other addresses served', async () => {
    const link = (await owner.client.post(`${org}/links`, { url: 'https://example.com/' })).body.link;
    for (let i = 0; i < 5; i++) expect((await visit(link.code, BROWSER, '198.51.100.1')).statusCode).toBe(302);
    const limited = await visit(link.code, BROWSER, '198.51.100.1');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await visit(link.code, BROWSER, '198.51.100.2')).statusCode).toBe(302);
  });

  it('keeps redirecting known codes while the store is unavailable, and writes their clicks once it is back', async () => {
    const link = (await owner.client.post(`${org}/links`, { url: 'https://example.com/kept' })).body.link;
    expect((await visit(link.code, BROWSER)).statusCode).toBe(302);
    await app.clickRecorder.flush();
    const db = app.store.db as any;
    // The store "goes away": every query fails, as in a failover.
    const original = db.selectFrom.bind(db);
    const originalTx = db.transaction.bind(db);
    db.selectFrom = () => {
      throw new Error('connection lost');
    };
    db.transaction = () => {
      throw new Error('connection lost');
    };
    try {
      // A fresh cache entry answers; the click waits in memory.
      expect((await visit(link.code, BROWSER)).statusCode).toBe(302);
      await expect(app.clickRecorder.flush()).rejects.toThrow('connection lost');
      expect(app.clickRecorder.stats().pending).toBe(1);
    } finally {
      db.selectFrom = original;
      db.transaction = originalTx;
    }
    expect(await app.clickRecorder.flush()).toBe(1);
    expect((await owner.client.get(`${org}/links`)).body.links[0].clicks).toEqual({ human: 2, bot: 0 });
  });

  it('shortens every URL in a post text and pages the list with a cursor', async () => {
    const res = await owner.client.post(`${org}/links/shorten-text`, {
      text: '新作はこちら https://shop.example.com/new 。詳細: https://shop.example.com/info.',
      network: 'x',
    });
    expect(res.status).toBe(201);
    expect(res.body.links).toHaveLength(2);
    expect(res.body.text).toBe(`新作はこちら ${res.body.links[0].shortUrl} 。詳細: ${res.body.links[1].shortUrl}.`);
    const page = await owner.client.get(`${org}/links?limit=1`);
    expect(page.body.links).toHaveLength(1);
    const next = await owner.client.get(`${org}/links?limit=1&before=${page.body.nextCursor}`);
    expect(next.body.links).toHaveLength(1);
    expect(next.body.links[0].id).not.toBe(page.body.links[0].id);
    expect(next.body.nextCursor).toBeNull();
    expect((await owner.client.get(`${org}/links?before=garbage`)).status).toBe(400);
  });
});
