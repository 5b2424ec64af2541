import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildTestServer, setUpOwner, type Person } from '../support/api-client.js';
import { PRIVATE_NETWORK_ALLOWED } from '../support/private-network.js';
import { describeEachStore } from '../support/stores.js';
import { startLocalServer, type LocalServer } from '../channels/support/local-server.js';
import { ingestRound } from './support.js';

/** Jornal de Notícias in ISO-8859-1 (test/fixtures/feeds/README.md), its XML declaration removed: nothing says Latin-1. */
const LATIN1_UNDECLARED = Buffer.from(
  fs
    .readFileSync('test/fixtures/feeds/encoding.rss')
    .toString('latin1')
    .replace(/^<\?xml[^>]*\?>/, ''),
  'latin1',
);

/** A blog whose entries number themselves, as WordPress's `?p=` guids and many generators do: `<guid isPermaLink="false">1</guid>`. */
const numbered = (title: string, entries: { n: number; title: string; date?: string; extra?: string }[]) =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>${title ? `<title>${title}</title>` : ''}<link>https://blog.example/</link>` +
  entries
    .map((e) => `<item><title>${e.title}</title><guid isPermaLink="false">${e.n}</guid>${e.date ? `<pubDate>${e.date}</pubDate>` : ''}${e.extra ?? ''}</item>`)
    .join('') +
  '</channel></rss>';

describeEachStore('feeds from the wild in columns', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  let feeds: LocalServer;
  const documents = new Map<string, string | Buffer>();
  beforeEach(async () => {
    app = await buildTestServer(current().store, { addressPolicy: PRIVATE_NETWORK_ALLOWED });
    owner = await setUpOwner(app);
    documents.clear();
    feeds = await startLocalServer((req, res) => {
      const body = documents.get(req.url!);
      if (body === undefined) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': typeof body === 'string' ? 'application/rss+xml; charset=utf-8' : 'text/xml' }).end(body);
    });
  });
  afterEach(async () => {
    await app.close();
    await feeds.close();
  });
  const org = () => `/api/orgs/${owner.orgId}`;
  const addColumn = async (path: string) => {
    const board = await owner.client.post(`${org()}/boards`, { name: path });
    const column = await owner.client.post(`${org()}/boards/${board.body.board.id}/columns`, { kind: 'feed', target: `${feeds.url}${path}` });
    expect(column.status).toBe(201);
    return column.body.column as { id: string; channelAccountId: string };
  };
  /** Every item of a column, paging back with nextCursor as the web UI's scroll-back does. */
  const allItems = async (columnId: string) => {
    const items: { remoteId: string; title: string; text: string; createdAt: string; createdAtApproximate?: boolean }[] = [];
    for (let before: string | null = null; ;) {
      const page: { body: { items: typeof items; nextCursor: string | null } } = await owner.client.get(
        `${org()}/columns/${columnId}/items?limit=200${before ? `&before=${encodeURIComponent(before)}` : ''}`,
      );
      items.push(...page.body.items);
      before = page.body.nextCursor;
      if (!before) return items;
    }
  };
  const channelOf = async (id: string) =>
    (
      (await owner.client.get(`${org()}/channels`)).body.channels as {
        id: string;
        displayName: string;
        handle: string;
        notes: { code: string; details: Record<string, unknown> }[];
      }[]
    ).find((c) => c.id === id)!;

  it('keeps apart the entries of two feeds whose guids are equal: each column shows its own', async () => {
    documents.set(
      '/a.rss',
      numbered('Blog A', [
        { n: 2, title: 'A two', date: 'Tue, 02 Jan 2024 10:00:00 GMT' },
        { n: 1, title: 'A one', date: 'Mon, 01 Jan 2024 10:00:00 GMT' },
      ]),
    );
    documents.set('/b.rss', numbered('Blog B', [{ n: 1, title: 'B one', date: 'Mon, 01 Jan 2024 12:00:00 GMT' }]));
    const a = await addColumn('/a.rss');
    const b = await addColumn('/b.rss');
    await ingestRound(app);
    expect((await allItems(a.id)).map((i) => i.title)).toEqual(['A two', 'A one']);
    expect((await allItems(b.id)).map((i) => [i.remoteId, i.title])).toEqual([['1', 'B one']]);
    // A second column on feed A shares its items (and their reading state), as before.
    const again = await addColumn('/a.rss');
    expect(again.channelAccountId).toBe(a.channelAccountId);
  });

  it("reaches the oldest of a feed's 730 entries by scrolling back, reads non-English dates, and marks the times it could not read", async () => {
    const entries = Array.from({ length: 730 }, (_, i) => ({
      n: i + 1,
      title: `Entry ${i + 1}`,
      date: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toUTCString(),
    }));
    // Shapes of real feeds: a Brazilian WordPress in Portuguese, a German CMS with MEST, and a date field holding "0".
    entries[729] = { n: 730, title: 'Portuguese', date: 'Seg, 24 Set 2018 10:00:00 -0300' };
    entries[728] = { n: 729, title: 'German', date: 'Mo, 24 Sep 2018 10:00:00 MEST' };
    entries[727] = { n: 728, title: 'No date', date: '0' };
    documents.set('/long.rss', numbered('Long', entries));
    const column = await addColumn('/long.rss');
    await ingestRound(app);
    const items = await allItems(column.id);
    expect(items).toHaveLength(730);
    expect(items.find((i) => i.title === 'Entry 1')).toMatchObject({ createdAt: '2024-01-01T00:00:00.000Z' });
    expect(items.find((i) => i.title === 'Portuguese')).toMatchObject({ createdAt: '2018-09-24T13:00:00.000Z' });
    expect(items.find((i) => i.title === 'German')).toMatchObject({ createdAt: '2018-09-24T08:00:00.000Z' });
    expect(items.find((i) => i.title === 'Portuguese')!.createdAtApproximate).toBeUndefined();
    expect(items.find((i) => i.title === 'No date')).toMatchObject({ createdAtApproximate: true });
    expect((await channelOf(column.channelAccountId)).notes).toEqual([]);
  });

  it('shows with the channel which entries it skipped and why, and which charset it read and why', async () => {
    // An entry holding nothing but an empty author, and one repeating an earlier entry's guid.
    documents.set(
      '/odd.rss',
      numbered('Odd', [
        { n: 1, title: 'one' },
        { n: 2, title: 'two' },
        { n: 1, title: 'one again' },
      ]).replace('</channel>', '<item><author></author></item></channel>'),
    );
    documents.set('/latin1.rss', LATIN1_UNDECLARED);
    const odd = await addColumn('/odd.rss');
    const latin = await addColumn('/latin1.rss');
    await ingestRound(app);
    expect((await allItems(odd.id)).map((i) => i.title).sort()).toEqual(['one', 'two']);
    expect((await channelOf(odd.channelAccountId)).notes).toEqual([
      { code: 'entries_skipped', message: '1 entry skipped as empty (no id, title, link, text or date)', details: { reason: 'empty', count: 1, limit: 5000 } },
      {
        code: 'entries_skipped',
        message: '1 entry skipped for repeating the id of an earlier entry of the feed',
        details: { reason: 'duplicate_id', count: 1, limit: 5000 },
      },
    ]);
    const channel = await channelOf(latin.channelAccountId);
    expect(channel.displayName).toBe('Jornal de Notícias - Últimas Notícias');
    expect(channel.notes).toEqual([
      {
        code: 'charset_detected',
        message: 'Read as windows-1252: the feed declares no charset and its bytes are not UTF-8',
        details: { charset: 'windows-1252', reason: 'undeclared_not_utf8', declared: null, declaredIn: null },
      },
    ]);
    expect((await allItems(latin.id)).some((i) => /alterações|negociações/.test(i.text))).toBe(true);
  });

  it('names untitled feeds of one host apart, by their address', async () => {
    documents.set('/news/feed.xml', numbered('', [{ n: 1, title: 'one' }]));
    documents.set('/blog/feed.xml', numbered('', [{ n: 1, title: 'one' }]));
    const news = await channelOf((await addColumn('/news/feed.xml')).channelAccountId);
    const blog = await channelOf((await addColumn('/blog/feed.xml')).channelAccountId);
    const host = new URL(feeds.url).host;
    expect([news.displayName, news.handle]).toEqual([`${host}/news/feed.xml`, host]);
    expect([blog.displayName, blog.handle]).toEqual([`${host}/blog/feed.xml`, host]);
  });
});
