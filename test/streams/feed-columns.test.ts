import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildTestServer, setUpOwner, type Person } from '../support/api-client.js';
import { PRIVATE_NETWORK_ALLOWED } from '../support/private-network.js';
import { describeEachStore } from '../support/stores.js';
import { startLocalServer, type LocalServer } from '../channels/support/local-server.js';
import { ingestRound, movableClock } from './support.js';

const SHIFT_JIS_FEED = fs.readFileSync('/work/shared/fixtures/feeds/ja-blog-shift_jis.rss');
const HOSTILE_FEED = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Hostile</title><link>https://hostile.example/</link>
<item><title>Click me</title><link>https://hostile.example/1</link><guid>hostile-1</guid><pubDate>Wed, 01 Jan 2025 10:00:00 GMT</pubDate>
<description><![CDATA[<p onclick="alert(1)">Hello</p><script>alert('pwned')</script><img src="https://hostile.example/a.png" onerror="alert(2)"><a href="javascript:alert(3)">js</a><iframe src="https://evil.example"></iframe>]]></description></item>
</channel></rss>`;

describeEachStore('feed columns', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  let feeds: LocalServer;
  const etagRequests: (string | undefined)[] = [];
  beforeEach(async () => {
    app = await buildTestServer(current().store, { addressPolicy: PRIVATE_NETWORK_ALLOWED });
    owner = await setUpOwner(app);
    etagRequests.length = 0;
    feeds = await startLocalServer((req, res) => {
      if (req.url === '/ja.rss') {
        etagRequests.push(req.headers['if-none-match']);
        if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
        return void res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end(SHIFT_JIS_FEED);
      }
      if (req.url === '/hostile.rss') return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(HOSTILE_FEED);
      res.writeHead(404).end();
    });
  });
  afterEach(async () => {
    await app.close();
    await feeds.close();
  });
  const org = () => `/api/orgs/${owner.orgId}`;

  it('a feed URL column connects the feed once, decodes Shift_JIS, polls with ETag and stores each entry once', async () => {
    const board = await owner.client.post(`${org()}/boards`, { name: 'Blogs' });
    const url = `${feeds.url}/ja.rss`;
    const column = await owner.client.post(`${org()}/boards/${board.body.board.id}/columns`, { kind: 'feed', target: url });
    expect(column.status).toBe(201);
    expect(column.body.column).toMatchObject({ kind: 'feed', target: url, title: 'Feed' });
    const again = await owner.client.post(`${org()}/boards/${board.body.board.id}/columns`, { kind: 'feed', target: url, title: 'Same blog' });
    expect(again.body.column.channelAccountId).toBe(column.body.column.channelAccountId);
    expect((await owner.client.get(`${org()}/channels`)).body.channels.filter((c: { network: string }) => c.network === 'feed')).toHaveLength(1);

    const clock = movableClock();
    expect(await ingestRound(app, clock)).toBe(1);
    clock.advance(24 * 60 * 60_000);
    expect(await ingestRound(app, clock)).toBe(1);
    // The connect check asked without validators; the first poll too; the second sent the ETag and got 304.
    expect(etagRequests.at(-1)).toBe('"v1"');

    const items = (await owner.client.get(`${org()}/columns/${column.body.column.id}/items`)).body.items;
    expect(items.map((i: { title: string }) => i.title)).toEqual([
      'HootSuiteはAWSの障害から如何に回復したか',
      'クラウドコンピューティングとパワー・トゥ・ザ・ピープル',
      '2011年中小企業向け技術予想トップ10:第2話',
    ]);
    expect(items[0].html).toContain('<b>バックアップ</b>');
    expect(items[0].html).not.toContain('script');
    expect(items[0].html).not.toContain('alert');
    const both = await owner.client.get(`${org()}/columns/${again.body.column.id}/items`);
    expect(both.body.items.map((i: { id: string }) => i.id)).toEqual(items.map((i: { id: string }) => i.id));
    expect(
      await app.store.db
        .selectFrom('stream_items')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ).toEqual({ n: 3 });

    const found = await owner.client.get(`${org()}/search?q=${encodeURIComponent('障害')}`);
    expect(found.body.items.map((i: { id: string }) => i.id)).toEqual([items[0].id]);
  });

  it('nothing executable from a hostile feed survives into html', async () => {
    const board = await owner.client.post(`${org()}/boards`, { name: 'Hostile' });
    const column = await owner.client.post(`${org()}/boards/${board.body.board.id}/columns`, { kind: 'feed', target: `${feeds.url}/hostile.rss` });
    expect(column.status).toBe(201);
    await ingestRound(app);
    const [item] = (await owner.client.get(`${org()}/columns/${column.body.column.id}/items`)).body.items;
    expect(item.html).toContain('Hello');
    expect(item.html).not.toMatch(/<script|onclick|onerror|javascript:|<iframe|alert/i);
  });

  it('an unreachable feed URL is refused when the column is added', async () => {
    const board = await owner.client.post(`${org()}/boards`, { name: 'Broken' });
    const res = await owner.client.post(`${org()}/boards/${board.body.board.id}/columns`, { kind: 'feed', target: `${feeds.url}/missing.rss` });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('channel_verification_failed');
  });
});
