import { describe, expect, it } from 'vitest';
import { taggedBody } from '../../src/http/revalidation.js';
import { ColumnPageCache, ENTRY_OVERHEAD_BYTES } from '../../src/streams/page-cache.js';

/** The access check of a column anyone may read. */
const anyone = async () => undefined;

/** A store stamp tests move by hand, and a page builder that counts its builds. */
function fixture(maxBytes?: number) {
  let stamp = 1;
  const builds: string[] = [];
  const cache = new ColumnPageCache(async () => String(stamp), maxBytes);
  const build =
    (key: string, body = `page ${key} at ${stamp}`) =>
    async () => {
      builds.push(key);
      return Buffer.from(body);
    };
  return {
    cache,
    builds,
    write: () => void stamp++,
    read: async (key: string, body?: string) => (await cache.page(key, anyone, build(key, body))).body.toString(),
  };
}

describe('ColumnPageCache', () => {
  it('builds a page once while the store is unchanged, with the tag of its bytes', async () => {
    const { cache, builds, read } = fixture();
    expect(await read('a')).toBe('page a at 1');
    expect(await read('a')).toBe('page a at 1');
    expect(await read('b')).toBe('page b at 1');
    expect(builds).toEqual(['a', 'b']);
    const page = await cache.page('a', anyone, async () => Buffer.from('never built'));
    expect(page.tag).toBe(taggedBody(Buffer.from('page a at 1')).tag);
  });

  it('runs the access check on every read, kept page or not, and builds from what it returned', async () => {
    const cache = new ColumnPageCache(async () => '1');
    let allowed = true;
    const check = async () => {
      if (!allowed) throw new Error('column_not_found');
      return 'the column';
    };
    expect((await cache.page('a', check, async (column) => Buffer.from(`built from ${column}`))).body.toString()).toBe('built from the column');
    allowed = false;
    await expect(cache.page('a', check, async () => Buffer.from('never built'))).rejects.toThrow('column_not_found');
  });

  it('drops every page at the first change anywhere in the store', async () => {
    const { builds, read, write } = fixture();
    await read('a');
    await read('b');
    write();
    expect(await read('a')).toBe('page a at 2');
    expect(await read('b')).toBe('page b at 2');
    expect(builds).toEqual(['a', 'b', 'a', 'b']);
  });

  it('does not file a page built from an older stamp once a newer one was seen', async () => {
    let stamp = 1;
    const cache = new ColumnPageCache(async () => String(stamp));
    let release!: () => void;
    const slowBuild = cache.page('a', anyone, () => new Promise<Buffer>((resolve) => (release = () => resolve(Buffer.from('old')))));
    stamp = 2; // a write lands while the slow page is built
    expect((await cache.page('b', anyone, async () => Buffer.from('b new'))).body.toString()).toBe('b new');
    release();
    expect((await slowBuild).body.toString()).toBe('old'); // the caller gets what it asked for...
    expect((await cache.page('a', anyone, async () => Buffer.from('new'))).body.toString()).toBe('new'); // ...but it was not kept
  });

  it('keeps to its byte budget, dropping the least recently used page first', async () => {
    // Three pages of 10 bytes under one-letter keys, each with its overhead, fill the budget.
    const { builds, read } = fixture(3 * (10 + 1 + ENTRY_OVERHEAD_BYTES));
    await read('a', 'x'.repeat(10));
    await read('b', 'y'.repeat(10));
    await read('a', 'unused'); // a hit: a is now the most recently used
    await read('c', 'z'.repeat(10)); // all three fit
    await read('d', 'w'.repeat(10)); // b goes
    expect(builds).toEqual(['a', 'b', 'c', 'd']);
    await read('a');
    await read('c');
    await read('d');
    expect(builds).toEqual(['a', 'b', 'c', 'd']);
    await read('b');
    expect(builds).toEqual(['a', 'b', 'c', 'd', 'b']);
    const tooLarge = 'v'.repeat(3 * (10 + 1 + ENTRY_OVERHEAD_BYTES)); // larger than the budget: sent, never kept
    await read('e', tooLarge);
    await read('e', tooLarge);
    expect(builds.filter((key) => key === 'e')).toHaveLength(2);
  });

  it('counts each kept page beside its body, so many empty pages (made-up cursors) stay within the budget', async () => {
    const { builds, read } = fixture(10 * (3 + ENTRY_OVERHEAD_BYTES));
    const keys = Array.from({ length: 100 }, (_, i) => `k${String(i).padStart(2, '0')}`);
    for (const key of keys) await read(key, '');
    for (const key of keys.slice(90)) await read(key, '');
    expect(builds).toHaveLength(100);
    await read('k89', '');
    expect(builds).toHaveLength(101);
  });

  it('does not keep a page when the store changed while it was being built', async () => {
    let stamp = 1;
    const cache = new ColumnPageCache(async () => String(stamp));
    let built = 0;
    const buildDuringWrite = async () => {
      stamp++; // e.g. a commit between the page's statements
      return Buffer.from(`build ${++built}`);
    };
    expect((await cache.page('a', anyone, buildDuringWrite)).body.toString()).toBe('build 1');
    expect((await cache.page('a', anyone, async () => Buffer.from(`build ${++built}`))).body.toString()).toBe('build 2');
    expect((await cache.page('a', anyone, async () => Buffer.from('not built'))).body.toString()).toBe('build 2');
  });
});
