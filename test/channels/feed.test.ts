import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedItem } from '../../src/channels/connector.js';
import { failure, page } from '../support/connector-results.js';
import { FeedConnector } from '../../src/channels/feed/connector.js';
import { createSafeFetch } from '../../src/lib/outbound-http/safe-fetch.js';
import { startLocalServer, type Handler, type LocalServer } from './support/local-server.js';

const FIXTURES = '/work/shared/fixtures/feeds';
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
const now = new Date('2026-11-27T10:00:00Z');

function connectorFor(url: string, options: { allowPrivateNetwork?: boolean; timeoutMs?: number; maxResponseBytes?: number } = {}) {
  const fetch = createSafeFetch({
    policy: { allowPrivateNetwork: options.allowPrivateNetwork ?? true },
    timeoutMs: options.timeoutMs ?? 5000,
    maxResponseBytes: options.maxResponseBytes ?? 10 * 1024 * 1024,
  });
  return new FeedConnector({ url }, { fetch, now: () => now, saveCredentials: async () => {} });
}

/** What must hold for every item from any feed: safe HTML, absolute http(s) links, a real date. */
function expectSafeItem(item: NormalizedItem): void {
  expect(item.network).toBe('feed');
  expect(item.remoteId.length).toBeGreaterThan(0);
  expect(new Date(item.createdAt).toISOString()).toBe(item.createdAt);
  for (const link of item.links) expect(link).toMatch(/^https?:\/\//);
  for (const media of item.media) expect(media.url).toMatch(/^https?:\/\//);
  if (item.html) {
    expect(item.html).not.toMatch(/<\s*(script|style|iframe|object|embed|form)\b/i);
    expect(item.html).not.toMatch(/\son\w+\s*=/i);
    expect(item.html).not.toMatch(/javascript:/i);
    for (const anchor of item.html.match(/<a\b[^>]*>/g) ?? []) expect(anchor).toContain('rel="noopener noreferrer nofollow" target="_blank"');
  }
}

describe('feed connector', () => {
  let server: LocalServer;
  const serve = (handler: Handler) => server.handle(handler);
  beforeAll(async () => {
    server = await startLocalServer();
  });
  afterAll(() => server.close());
  afterEach(() => serve((_req, res) => res.end('ok')));

  const expected: Record<string, { format: string; items: number }> = {
    'craigslist.rss': { format: 'rdf', items: 25 },
    'encoding.rss': { format: 'rss', items: 40 },
    'feedburner.atom': { format: 'atom', items: 25 },
    'guardian.rss': { format: 'rss', items: 55 },
    'heise.atom': { format: 'atom', items: 15 },
    'instant-article.rss': { format: 'rss', items: 1 },
    'ja-blog-shift_jis.rss': { format: 'rss', items: 3 },
    'many-links.rss': { format: 'atom', items: 25 },
    'missing-fields.atom': { format: 'atom', items: 1 },
    'reddit-atom.rss': { format: 'rss', items: 24 },
    'rss-1.rss': { format: 'rdf', items: 69 },
  };

  it('has an expectation for every fixture file', () => {
    const files = fs.readdirSync(FIXTURES).filter((f) => !f.startsWith('LICENSE'));
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [name, want] of Object.entries(expected)) {
    it(`reads ${name} served over HTTP: every entry, safe`, async () => {
      serve((_req, res) => res.writeHead(200, { 'content-type': 'application/xml' }).end(fixture(name)));
      const connector = connectorFor(`${server.url}/${name}`);
      const verified = await connector.verify();
      expect(verified.ok).toBe(true);
      const result = page(await connector.readStream({ kind: 'feed', limit: 500 }));
      expect(result.items).toHaveLength(want.items);
      result.items.forEach(expectSafeItem);
      expect(new Set(result.items.map((i) => i.remoteId)).size).toBe(want.items);
    });
  }

  it('decodes ISO-8859-1 and UTF-8 accents correctly', async () => {
    serve((req, res) => res.writeHead(200, { 'content-type': 'text/xml' }).end(fixture(req.url!.slice(1))));
    const portuguese = page(await connectorFor(`${server.url}/encoding.rss`).readStream({ kind: 'feed', limit: 500 }));
    expect(portuguese.items.map((i) => i.title)).toContain('Mãe de utente é a nova presidente da Raríssimas');
    const german = await connectorFor(`${server.url}/heise.atom`).verify();
    expect(german.ok && german.value.displayName).toBe('heise developer neueste Meldungen');
    const heise = page(await connectorFor(`${server.url}/heise.atom`).readStream({ kind: 'feed' }));
    expect(heise.items.some((i) => /[äöüß]/.test(i.text + i.title))).toBe(true);
  });

  const japaneseTitle = 'HootSuiteはAWSの障害から如何に回復したか';

  it('reads a Shift_JIS blog as Japanese, drops its script, and keeps its author and date', async () => {
    serve((_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(fixture('ja-blog-shift_jis.rss')));
    const connector = connectorFor(`${server.url}/ja`);
    const verified = await connector.verify();
    expect(verified.ok && verified.value.displayName).toBe('クラウド・コンピューティング日記');
    const [first, second] = page(await connector.readStream({ kind: 'feed' })).items;
    expect(first!.title).toBe(japaneseTitle);
    expect(first!.author.displayName).toBe('管理人');
    expect(first!.createdAt).toBe('2011-04-26T00:12:00.000Z');
    expect(first!.html).toBe('<p>AWSの障害は数日続き、大きな話題となりました。</p><p>HootSuiteは<b>バックアップ</b>からサービスを回復した。</p>');
    expect(first!.text).toBe('AWSの障害は数日続き、大きな話題となりました。 HootSuiteはバックアップからサービスを回復した。');
    expect(second!.remoteId).toBe('cloud-diary-0002');
  });

  it('trusts the XML declaration when the server wrongly claims UTF-8', async () => {
    serve((_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(fixture('ja-blog-shift_jis.rss')));
    const [first] = page(await connectorFor(`${server.url}/ja`).readStream({ kind: 'feed' })).items;
    expect(first!.title).toBe(japaneseTitle);
  });

  it('reads EUC-JP from the HTTP header and from the XML declaration', async () => {
    const eucJp = iconv.encode(iconv.decode(fixture('ja-blog-shift_jis.rss'), 'shift_jis').replace('encoding="Shift_JIS"', 'encoding="EUC-JP"'), 'euc-jp');
    serve((req, res) =>
      res.writeHead(200, { 'content-type': req.url === '/header' ? 'text/xml; charset=EUC-JP' : 'text/xml' }).end(req.url === '/header' ? eucJp : eucJp),
    );
    for (const route of ['/header', '/declaration']) {
      const [first] = page(await connectorFor(`${server.url}${route}`).readStream({ kind: 'feed' })).items;
      expect(first!.title).toBe(japaneseTitle);
    }
  });

  it('reads a UTF-16 feed with a byte-order mark, and a JSON Feed', async () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      iconv.encode(iconv.decode(fixture('ja-blog-shift_jis.rss'), 'shift_jis').replace('encoding="Shift_JIS"', 'encoding="UTF-16"'), 'utf-16le'),
    ]);
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'JSON blog',
      home_page_url: 'https://blog.example/',
      items: [
        {
          id: 'j1',
          url: '/posts/1',
          content_html: '<p>Hi <a href="/about" onclick="x()">me</a></p>',
          date_published: '2026-01-02T03:04:05Z',
          authors: [{ name: 'Jo' }],
        },
      ],
    });
    serve((req, res) => (req.url === '/json' ? res.writeHead(200, { 'content-type': 'application/feed+json' }).end(json) : res.end(utf16)));
    expect(page(await connectorFor(`${server.url}/utf16`).readStream({ kind: 'feed' })).items[0]!.title).toBe(japaneseTitle);
    const [item] = page(await connectorFor(`${server.url}/json`).readStream({ kind: 'feed' })).items;
    expect(item).toMatchObject({
      remoteId: 'j1',
      url: 'https://blog.example/posts/1',
      text: 'Hi me',
      createdAt: '2026-01-02T03:04:05.000Z',
      author: { displayName: 'Jo' },
    });
    expect(item!.html).toBe('<p>Hi <a href="https://blog.example/about" rel="noopener noreferrer nofollow" target="_blank">me</a></p>');
  });

  it('asks with ETag and Last-Modified and treats 304 as "nothing new"', async () => {
    const seen: Record<string, string | undefined>[] = [];
    serve((req, res) => {
      seen.push({ etag: req.headers['if-none-match'], since: req.headers['if-modified-since'] });
      if (req.headers['if-none-match'] === '"abc"') return void res.writeHead(304).end();
      res
        .writeHead(200, { etag: '"abc"', 'last-modified': 'Wed, 25 Nov 2026 10:00:00 GMT', 'content-type': 'application/xml' })
        .end(fixture('instant-article.rss'));
    });
    const connector = connectorFor(server.url);
    const first = page(await connector.readStream({ kind: 'feed' }));
    expect(first.items).toHaveLength(1);
    expect(first.notModified).toBe(false);
    const second = page(await connector.readStream({ kind: 'feed', pollState: first.pollState! }));
    expect(second).toMatchObject({ items: [], notModified: true });
    expect(seen).toEqual([{}, { etag: '"abc"', since: 'Wed, 25 Nov 2026 10:00:00 GMT' }]);
    expect(JSON.parse(second.pollState!)).toEqual({ etag: '"abc"', lastModified: 'Wed, 25 Nov 2026 10:00:00 GMT' });
  });

  it('pages through a long feed with a cursor', async () => {
    serve((_req, res) => res.end(fixture('rss-1.rss')));
    const connector = connectorFor(server.url);
    const first = page(await connector.readStream({ kind: 'feed', limit: 50 }));
    expect(first.items).toHaveLength(50);
    const rest = page(await connector.readStream({ kind: 'feed', limit: 50, cursor: first.olderCursor! }));
    expect(rest.items).toHaveLength(19);
    expect(rest.olderCursor).toBeNull();
    expect(failure(await connector.readStream({ kind: 'feed', cursor: 'nope' })).kind).toBe('permanent');
    expect(failure(await connector.readStream({ kind: 'home' })).kind).toBe('permanent');
  });

  it('strips scripts, styles, iframes, handlers and javascript: links from entry HTML', async () => {
    const hostile = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://evil.example/</link><item><title>&lt;img src=x onerror=alert(1)&gt;Hello</title><link>javascript:alert(1)</link><guid>g1</guid>
      <description><![CDATA[<p style="x" onclick="steal()">Text<script>alert(1)</script><style>body{}</style><iframe src="https://evil.example"></iframe>
      <a href="javascript:alert(1)">bad</a> <a href="JaVaScRiPt:alert(1)">bad2</a> <a href="/rel">rel</a> <img src="data:image/png;base64,AAAA" onerror="x()"><img src="/pic.png" alt="pic"><form><input></form><svg onload="x()"></svg></p>]]></description></item></channel></rss>`;
    serve((_req, res) => res.end(hostile));
    const [item] = page(await connectorFor(server.url).readStream({ kind: 'feed' })).items;
    expectSafeItem(item!);
    expect(item!.url).toBeNull();
    expect(item!.title).toBe('Hello');
    expect(item!.html).toContain('<a href="https://evil.example/rel" rel="noopener noreferrer nofollow" target="_blank">rel</a>');
    expect(item!.html).toContain('<img src="https://evil.example/pic.png" alt="pic" />');
    expect(item!.html).not.toContain('data:');
    expect(item!.media).toEqual([{ url: 'https://evil.example/pic.png', alt: 'pic', mimeType: null }]);
  });

  describe("the feed's image as avatar of the channel and of its entries' authors", () => {
    /** The channel profile's avatar and every item's author avatar, for a feed served at /blog/feed. */
    async function avatarsOf(body: string): Promise<{ profile: string | null | undefined; items: (string | null | undefined)[] }> {
      serve((_req, res) => res.end(body));
      const connector = connectorFor(`${server.url}/blog/feed`);
      const verified = await connector.verify();
      if (!verified.ok) throw new Error(`expected a profile, got ${JSON.stringify(verified.failure)}`);
      const { items } = page(await connector.readStream({ kind: 'feed' }));
      items.forEach(expectSafeItem);
      return { profile: verified.value.avatarUrl, items: items.map((i) => i.author.avatarUrl) };
    }
    const rss = (image: string) =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>R</title><link>https://site.example/blog/</link>${image}<item><guid>r1</guid><title>one</title><author>a@site.example (Ann)</author></item><item><guid>r2</guid><title>two</title></item></channel></rss>`;
    const atom = (images: string) =>
      `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id><link href="https://site.example/blog/"/>${images}<entry><id>a1</id><title>one</title><author><name>Ann</name></author></entry></feed>`;
    const json = (feed: Record<string, unknown>) =>
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'J',
        home_page_url: 'https://site.example/blog/',
        items: [{ id: 'j1', content_text: 'one' }],
        ...feed,
      });
    const refused = [
      'javascript:alert(1)',
      'data:image/png;base64,AAAA',
      'ftp://site.example/i.png',
      'https://user:secret@site.example/i.png',
      `https://site.example/${'a'.repeat(2100)}.png`,
    ];

    it('RSS: <channel><image><url>, relative to the site, for the channel and every entry author', async () => {
      expect(await avatarsOf(rss('<image><url>https://cdn.example/r.png</url><title>R</title><link>https://site.example/</link></image>'))).toEqual({
        profile: 'https://cdn.example/r.png',
        items: ['https://cdn.example/r.png', 'https://cdn.example/r.png'],
      });
      expect(await avatarsOf(rss('<image><url>img/r.png</url></image>'))).toEqual({
        profile: 'https://site.example/blog/img/r.png',
        items: ['https://site.example/blog/img/r.png', 'https://site.example/blog/img/r.png'],
      });
      for (const url of refused)
        expect(await avatarsOf(rss(`<image><url>${url.replaceAll('&', '&amp;')}</url></image>`)), url).toEqual({ profile: null, items: [null, null] });
      expect(await avatarsOf(rss(''))).toEqual({ profile: null, items: [null, null] });
    });

    it('Atom: the square <icon> over the <logo>, the logo when alone, relative URLs resolved', async () => {
      expect(await avatarsOf(atom('<logo>https://cdn.example/logo.png</logo><icon>https://cdn.example/icon.png</icon>'))).toEqual({
        profile: 'https://cdn.example/icon.png',
        items: ['https://cdn.example/icon.png'],
      });
      expect(await avatarsOf(atom('<logo>/logo.png</logo>'))).toEqual({ profile: 'https://site.example/logo.png', items: ['https://site.example/logo.png'] });
      for (const url of refused) expect(await avatarsOf(atom(`<icon>${url}</icon>`)), url).toEqual({ profile: null, items: [null] });
      expect(await avatarsOf(atom(''))).toEqual({ profile: null, items: [null] });
    });

    it("JSON Feed: icon over favicon, and an item author's own avatar over both", async () => {
      expect(await avatarsOf(json({ favicon: 'https://cdn.example/f.ico', icon: 'https://cdn.example/icon.png' }))).toEqual({
        profile: 'https://cdn.example/icon.png',
        items: ['https://cdn.example/icon.png'],
      });
      expect(await avatarsOf(json({ favicon: '../f.ico' }))).toEqual({ profile: 'https://site.example/f.ico', items: ['https://site.example/f.ico'] });
      const authored = await avatarsOf(
        json({
          icon: 'https://cdn.example/icon.png',
          items: [
            { id: 'j1', content_text: 'own', date_published: '2026-01-03T00:00:00Z', authors: [{ name: 'Jo', avatar: 'jo.png' }] },
            { id: 'j2', content_text: 'bad own', date_published: '2026-01-02T00:00:00Z', authors: [{ name: 'Al', avatar: 'javascript:alert(1)' }] },
            { id: 'j3', content_text: 'none', date_published: '2026-01-01T00:00:00Z' },
          ],
        }),
      );
      expect(authored).toEqual({
        profile: 'https://cdn.example/icon.png',
        items: ['https://site.example/blog/jo.png', 'https://cdn.example/icon.png', 'https://cdn.example/icon.png'],
      });
      for (const url of refused) expect(await avatarsOf(json({ icon: url })), url).toEqual({ profile: null, items: [null] });
      expect(
        await avatarsOf(
          json({
            icon: { url: 'https://cdn.example/i.png' },
            favicon: { href: 'x.png' },
            items: [{ id: 'j1', content_text: 'one', authors: [{ name: 'Jo', avatar: { src: 'a.png' } }] }],
          }),
        ),
      ).toEqual({ profile: null, items: [null] });
      expect(await avatarsOf(json({}))).toEqual({ profile: null, items: [null] });
    });

    it('real feeds: the image they declare', async () => {
      const declared: Record<string, string | null> = {
        'guardian.rss': 'https://assets.guim.co.uk/images/guardian-logo-rss.c45beb1bafa34b347ac333af2e6fe23f.png',
        'reddit-atom.rss': 'https://www.redditstatic.com/reddit.com.header.png',
        'heise.atom': 'http://www.heise.de/developer/icons/heise_developer_logo_weiss.gif',
        'instant-article.rss': null,
      };
      for (const [name, url] of Object.entries(declared)) {
        const { profile, items } = await avatarsOf(fixture(name).toString('utf8'));
        expect(profile, name).toBe(url);
        expect(new Set(items), name).toEqual(new Set([url]));
      }
    });
  });

  describe('hostile and broken servers: a clear failure, never a crash or a hang', () => {
    it('truncated XML', async () => {
      serve((_req, res) => res.end(fixture('guardian.rss').subarray(0, 2000)));
      const result = await connectorFor(server.url).readStream({ kind: 'feed' });
      if (result.ok) result.value.items.forEach(expectSafeItem);
      else expect(result.failure).toMatchObject({ kind: 'permanent', code: 'malformed' });
    });

    it('billion laughs entity expansion', async () => {
      const entities = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
      serve((_req, res) =>
        res.end(
          `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">${entities}]><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>`,
        ),
      );
      expect(failure(await connectorFor(server.url).readStream({ kind: 'feed' }))).toMatchObject({ kind: 'permanent', code: 'unsafe' });
    });

    it('a 50 MB body', async () => {
      const chunk = Buffer.alloc(1024 * 1024, ' ');
      let sent = 0;
      serve((_req, res) => {
        res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>big</title>');
        const pump = () => {
          while (sent < 50) {
            sent++;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end('</channel></rss>');
        };
        pump();
      });
      const before = process.memoryUsage().rss;
      const result = failure(await connectorFor(server.url, { maxResponseBytes: 5 * 1024 * 1024 }).readStream({ kind: 'feed' }));
      expect(result).toMatchObject({ kind: 'permanent', code: 'feed_too_large' });
      expect(sent).toBeLessThan(20);
      expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
    });

    it('a gzip bomb', async () => {
      const bomb = zlib.gzipSync(Buffer.concat([Buffer.from('<rss version="2.0"><channel><title>'), Buffer.alloc(64 * 1024 * 1024, ' ')]));
      serve((_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb));
      expect(failure(await connectorFor(server.url, { maxResponseBytes: 5 * 1024 * 1024 }).readStream({ kind: 'feed' }))).toMatchObject({
        code: 'feed_too_large',
      });
    });

    it('an HTML page instead of a feed', async () => {
      serve((_req, res) =>
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><head><title>Blog</title></head><body>Hi</body></html>'),
      );
      const result = failure(await connectorFor(server.url).verify());
      expect(result).toMatchObject({ kind: 'permanent', code: 'not_a_feed', message: 'This address answers with a web page, not a feed' });
    });

    it('a wrong charset label (Shift_JIS bytes declared as UTF-8 everywhere) still yields readable text', async () => {
      const lying = Buffer.from(fixture('ja-blog-shift_jis.rss').toString('latin1').replace('encoding="Shift_JIS"', 'encoding="UTF-8"'), 'latin1');
      serve((_req, res) => res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(lying));
      page(await connectorFor(server.url).readStream({ kind: 'feed' })).items.forEach(expectSafeItem);
    });

    it('a server that never finishes', async () => {
      serve((_req, res) => {
        res.writeHead(200);
        res.write('<rss version="2.0"><channel>');
      });
      expect(failure(await connectorFor(server.url, { timeoutMs: 300 }).readStream({ kind: 'feed' }))).toMatchObject({ kind: 'transient' });
    });

    it('HTTP errors become typed failures', async () => {
      serve((req, res) => {
        const status = Number(req.url!.slice(1));
        res.writeHead(status, status === 429 ? { 'retry-after': '120' } : {}).end();
      });
      const at = (status: number) => connectorFor(`${server.url}/${status}`).readStream({ kind: 'feed' }).then(failure);
      expect(await at(404)).toMatchObject({ kind: 'permanent', code: 'feed_gone' });
      expect(await at(410)).toMatchObject({ kind: 'permanent', code: 'feed_gone' });
      expect(await at(403)).toMatchObject({ kind: 'permanent', code: 'feed_forbidden' });
      expect(await at(429)).toEqual({ kind: 'rate_limited', message: expect.any(String), retryAfterMs: 120_000 });
      expect(await at(500)).toMatchObject({ kind: 'transient' });
    });

    it('a private address without the operator setting', async () => {
      serve((_req, res) => res.end(fixture('instant-article.rss')));
      const result = failure(await connectorFor(server.url, { allowPrivateNetwork: false }).verify());
      expect(result).toMatchObject({ kind: 'permanent', code: 'address_not_allowed' });
      expect(result.message).toContain('CHORUS_ALLOW_PRIVATE_NETWORK');
    });
  });
});
