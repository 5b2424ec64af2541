import { taggedBody, type TaggedBody } from '../http/revalidation.js';
import type { ItemPageBytes } from './item-pages.js';

/** 8 MiB: ~170 first pages of 50 items, 17 boards of 10 columns; gone at the first write. */
const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

/**
 * What a kept page costs beside its body (the map entry, its tag and object), counted so that
 * many small pages (empty ones, one per cursor a client makes up) stay within the budget too.
 */
export const ENTRY_OVERHEAD_BYTES = 256;

const keptBytes = (key: string, page: TaggedBody) => page.body.length + key.length + ENTRY_OVERHEAD_BYTES;

/**
 * Column pages kept while the store says nothing changed since they were built.
 *
 * A page is a function of stored rows alone (items, memberships, read/done, reactions, metrics,
 * the column and its filters, contacts) and of the process's image-signing key. So instead of
 * tracking which write touches which page, every page is dropped at the first change anywhere in
 * the store (`Store.changeStamp`: SQLite's own counters, PostgreSQL's snapshot): coarse, but it
 * cannot serve a stale page, whichever process or thread wrote. The stamp is read before and after
 * a page is built, and a page is kept only when both agree.
 *
 * What it saves is the reading and building of a page that many readers ask for between writes:
 * a board reloaded, teammates' boards refetching the same columns after a live event, a column
 * polled.
 */
export class ColumnPageCache {
  private readonly pages = new Map<string, TaggedBody>();
  private stampOfPages = '';
  private bytes = 0;

  constructor(
    private readonly changeStamp: () => Promise<string>,
    private readonly maxBytes = DEFAULT_MAX_BYTES,
  ) {}

  /**
   * `check` runs on every read, kept page or not (the caller's access); it runs after the stamp
   * is read, so what it returns (the column) may go into `build` on a miss without being read again.
   */
  async page<Checked>(key: string, check: () => Promise<Checked>, build: (checked: Checked) => Promise<ItemPageBytes>): Promise<TaggedBody> {
    const stamp = await this.changeStamp();
    const checked = await check();
    if (stamp !== this.stampOfPages) this.dropAll(stamp);
    const kept = this.pages.get(key);
    if (kept) {
      // Least recently used first: a hit moves to the end.
      this.pages.delete(key);
      this.pages.set(key, kept);
      return kept;
    }
    const page = taggedBody(await build(checked));
    // Kept only if the store did not change while it was built (its statements may each have read
    // a newer state), and no other read has meanwhile seen a newer stamp and dropped the pages.
    if ((await this.changeStamp()) === stamp && this.stampOfPages === stamp) this.keep(key, page);
    return page;
  }

  private keep(key: string, page: TaggedBody): void {
    if (keptBytes(key, page) > this.maxBytes) return;
    const previous = this.pages.get(key);
    if (previous) this.bytes -= keptBytes(key, previous);
    this.pages.set(key, page);
    this.bytes += keptBytes(key, page);
    for (const [oldest, kept] of this.pages) {
      if (this.bytes <= this.maxBytes) break;
      this.pages.delete(oldest);
      this.bytes -= keptBytes(oldest, kept);
    }
  }

  private dropAll(stamp: string): void {
    this.pages.clear();
    this.bytes = 0;
    this.stampOfPages = stamp;
  }
}
