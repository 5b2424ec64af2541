import fs from 'node:fs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamPage } from '../../src/channels/connector.js';
import { failure, page } from '../support/connector-results.js';
import { FeedConnector } from '../../src/channels/feed/connector.js';
import { createSafeFetch } from '../../src/lib/outbound-http/safe-fetch.js';
import { startLocalServer, type LocalServer } from './support/local-server.js';

const fixture = (name: string) => fs.readFileSync(`test/fixtures/feeds/${name}`);
const now = new Date('2026-11-27T10:00:00Z');
const JAPANESE_TITLE = 'HootSuiteはAWSの障害から如何に回復したか';
/** The Shift_JIS blog as text, still declaring encoding="Shift_JIS". */
const japanese = iconv.decode(fixture('ja-blog-shift_jis.rss'), 'shift_jis');

describe('feeds from the wild', () => {
  let server: LocalServer;
  let answer: { body: Buffer | string; type?: string; status?: number } = { body: '' };
  beforeAll(async () => {
    server = await startLocalServer((_req, res) => res.writeHead(answer.status ?? 200, answer.type ? { 'content-type': answer.type } : {}).end(answer.body));
  });
  afterAll(() => server.close());

  const read = async (body: Buffer | string, type?: string, options: { limit?: number } = {}) => {
    answer = { body, ...(type ? { type } : {}) };
    const fetch = createSafeFetch({ policy: { allowPrivateNetwork: true }, timeoutMs: 5000, maxResponseBytes: 10 * 1024 * 1024 });
    return new FeedConnector({ url: `${server.url}/feed` }, { fetch, now: () => now, saveCredentials: async () => {} }).readStream({
      kind: 'feed',
      limit: options.limit ?? 500,
    });
  };
  const charsetNote = (result: StreamPage) => result.notes?.find((n) => n.code === 'charset_detected')?.details ?? null;

  describe('charsets', () => {
    it('reads Latin-1 with no XML declaration and no charset as Latin-1, and says it detected it', async () => {
      const undeclared = Buffer.from(
        fixture('encoding.rss')
          .toString('latin1')
          .replace(/^<\?xml[^>]*\?>/, ''),
        'latin1',
      );
      const result = page(await read(undeclared, 'text/xml'));
      expect(result.items.some((i) => i.text.includes('alterações'))).toBe(true);
      expect(result.items.map((i) => i.text).join('')).not.toContain('\uFFFD');
      expect(charsetNote(result)).toEqual({ charset: 'windows-1252', reason: 'undeclared_not_utf8', declared: null, declaredIn: null });
    });

    it('reads a feed declaring Shift_JIS whose bytes are UTF-8 as UTF-8, and says the declaration was wrong', async () => {
      const result = page(await read(Buffer.from(japanese, 'utf8'), 'application/rss+xml'));
      expect(result.items[0]!.title).toBe(JAPANESE_TITLE);
      expect(charsetNote(result)).toEqual({ charset: 'utf-8', reason: 'declared_contradicted', declared: 'shift_jis', declaredIn: 'xml' });
    });

    it('keeps reading a declared charset that fits, with no note', async () => {
      const result = page(await read(fixture('ja-blog-shift_jis.rss'), 'application/rss+xml'));
      expect(result.items[0]!.title).toBe(JAPANESE_TITLE);
      expect(result.notes).toEqual([]);
    });

    it('reads UTF-16 without a byte-order mark, either byte order, instead of text full of NULs', async () => {
      const text = japanese.replace('encoding="Shift_JIS"', 'encoding="UTF-16"');
      for (const charset of ['utf-16le', 'utf-16be']) {
        const result = page(await read(iconv.encode(text, charset), 'application/xml'));
        expect(result.items[0]!.title).toBe(JAPANESE_TITLE);
        expect(result.notes).toEqual([]);
      }
      // Served as UTF-8 by a server that knows no better: the NULs win, and the note says so.
      const mislabelled = page(await read(iconv.encode(japanese.replace('encoding="Shift_JIS"', ''), 'utf-16le'), 'text/xml; charset=utf-8'));
      expect(mislabelled.items[0]!.title).toBe(JAPANESE_TITLE);
      expect(charsetNote(mislabelled)).toEqual({ charset: 'utf-16le', reason: 'utf16_without_bom', declared: 'utf-8', declaredIn: 'http' });
    });

    it("honours a single-quoted charset parameter (charset='gb2312')", async () => {
      const chinese =
        '<?xml version="1.0"?><rss version="2.0"><channel><title>新闻</title><item><guid>1</guid><title>中国经济发展的新阶段</title></item></channel></rss>';
      const result = page(await read(iconv.encode(chinese, 'gb2312'), "text/xml; charset='gb2312'"));
      expect(result.items[0]!.title).toBe('中国经济发展的新阶段');
      expect(result.notes).toEqual([]);
    });

    it('refuses an unknown charset label out loud: the bytes are read as what they are, and the note names the label', async () => {
      const utf8 = page(await read(Buffer.from(japanese.replace('encoding="Shift_JIS"', 'encoding="x-klingon"'), 'utf8'), 'text/xml'));
      expect(utf8.items[0]!.title).toBe(JAPANESE_TITLE);
      expect(charsetNote(utf8)).toEqual({ charset: 'utf-8', reason: 'declared_unknown', declared: 'x-klingon', declaredIn: 'xml' });
      const sjis = page(await read(fixture('ja-blog-shift_jis.rss'), 'text/xml; charset=bogus-charset'));
      expect(sjis.items[0]!.title).toBe(JAPANESE_TITLE);
      expect(charsetNote(sjis)).toEqual({ charset: 'shift_jis', reason: 'declared_unknown', declared: 'bogus-charset', declaredIn: 'http' });
    });
  });

  describe('entries', () => {
    const rss = (items: string) =>
      `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>https://blog.example/</link>${items}</channel></rss>`;
    const entries = (count: number) =>
      Array.from(
        { length: count },
        (_, i) =>
          `<item><guid isPermaLink="false">${i}</guid><title>Entry ${i}</title><pubDate>${new Date(Date.UTC(2020, 0, 1) + i * 60_000).toUTCString()}</pubDate></item>`,
      ).join('');

    it('reads every entry of a 730-entry feed, newest first, and pages the rest', async () => {
      const all = page(await read(rss(entries(730)), 'application/rss+xml', { limit: 5000 }));
      expect(all.items).toHaveLength(730);
      expect(all.items.at(-1)!.title).toBe('Entry 0');
      expect(all.olderCursor).toBeNull();
      expect(all.notes).toEqual([]);
      expect(page(await read(rss(entries(730)), 'application/rss+xml', { limit: 50 })).olderCursor).toBe('50');
    });

    it('reads at most 5000 entries of one document and says how many it left out', async () => {
      const result = page(await read(rss(entries(5003)), 'application/rss+xml', { limit: 5000 }));
      expect(result.items).toHaveLength(5000);
      expect(result.notes).toEqual([
        {
          code: 'entries_skipped',
          message: '3 entries beyond the first 5000 of the feed not read',
          details: { reason: 'beyond_limit', count: 3, limit: 5000 },
        },
      ]);
    });

    it('counts empty entries in Atom and JSON Feed too', async () => {
      const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>a</title><id>urn:a</id><entry><id>1</id><title>one</title></entry><entry><author><name></name></author></entry><!-- <entry> in a comment is no entry --></feed>`;
      expect(page(await read(atom, 'application/atom+xml')).notes).toEqual([expect.objectContaining({ details: { reason: 'empty', count: 1, limit: 5000 } })]);
      const json = JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'j',
        items: [{ id: '1', content_text: 'one' }, { authors: [{ name: '' }] }, {}],
      });
      expect(page(await read(json, 'application/feed+json')).notes).toEqual([expect.objectContaining({ details: { reason: 'empty', count: 2, limit: 5000 } })]);
    });
  });

  describe('error texts say what happened', () => {
    it('a 404 says the server has no feed there, without claiming there ever was one; a 410 says it was removed', async () => {
      answer = { body: '', status: 404 };
      const fetch = createSafeFetch({ policy: { allowPrivateNetwork: true }, timeoutMs: 5000, maxResponseBytes: 1024 * 1024 });
      const connector = new FeedConnector({ url: `${server.url}/feed` }, { fetch, now: () => now, saveCredentials: async () => {} });
      expect(failure(await connector.verify())).toEqual({
        kind: 'permanent',
        code: 'feed_gone',
        message: 'The feed server says there is no feed at this address (404 Not Found)',
        params: { status: 404 },
      });
      answer = { body: '', status: 410 };
      expect(failure(await connector.verify())).toEqual({
        kind: 'permanent',
        code: 'feed_gone',
        message: 'The feed server says the feed at this address was removed for good (410 Gone)',
        params: { status: 410 },
      });
    });

    it('an empty 200 says the document was empty', async () => {
      for (const body of ['', '  \n\t ']) {
        expect(failure(await read(body, 'application/rss+xml'))).toEqual({
          kind: 'permanent',
          code: 'empty_feed',
          message: 'The feed server answered with an empty document: there is no RSS, Atom or JSON Feed in it',
        });
      }
    });

    it('says the private-network setting opens a loopback address and that nothing opens a cloud metadata address', async () => {
      const closed = (resolve: string) =>
        new FeedConnector(
          { url: 'http://feeds.example/feed' },
          {
            fetch: createSafeFetch({ policy: { allowPrivateNetwork: false }, resolve: async () => [{ address: resolve, family: 4 }] }),
            now: () => now,
            saveCredentials: async () => {},
          },
        );
      const metadata = failure(await closed('169.254.169.254').verify());
      expect(metadata).toMatchObject({ kind: 'permanent', code: 'address_not_allowed' });
      expect(metadata.message).toBe(
        'feeds.example is not reachable from Chorus: 169.254.169.254 is a cloud metadata address. Chorus never connects to such addresses, not even with CHORUS_ALLOW_PRIVATE_NETWORK=true',
      );
      const loopback = failure(await closed('127.0.0.1').verify());
      expect(loopback.message).toBe(
        'feeds.example is not reachable from Chorus: 127.0.0.1 is a loopback address. Private and loopback addresses are refused unless the operator sets CHORUS_ALLOW_PRIVATE_NETWORK=true',
      );
    });
  });
});
