import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';

/** What the redirect needs of a link: where to send the visitor and what the click counts for. */
export interface CachedLink {
  id: string;
  orgId: string;
  targetUrl: string;
  postId: string | null;
  network: string | null;
  campaign: string | null;
  contactId: string | null;
}

export interface LinkCacheOptions {
  /** Codes kept in memory (least recently used leave first). */
  maxEntries?: number;
  /** A cached answer older than this is read again from the store, unless the store fails. */
  freshMs?: number;
  now?: () => number;
}

/**
 * Codes answered from memory: the redirect is the hottest public path and must keep working
 * while the store is briefly unavailable. A stale entry is used only when the store fails; an
 * unknown code is remembered for `freshMs` too, so scanning for codes does not reach the store
 * on every guess.
 */
export class LinkCache {
  private readonly entries = new Map<string, { link: CachedLink | null; at: number }>();
  private readonly maxEntries: number;
  private readonly freshMs: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Kysely<Database>,
    options: LinkCacheOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 50_000;
    this.freshMs = options.freshMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  async lookup(code: string): Promise<CachedLink | null> {
    const cached = this.entries.get(code);
    const now = this.now();
    if (cached && now - cached.at < this.freshMs) {
      // Map order is recency order: move it to the end.
      this.entries.delete(code);
      this.entries.set(code, cached);
      return cached.link;
    }
    let link: CachedLink | null;
    try {
      link = await this.read(code);
    } catch (error) {
      if (cached) return cached.link;
      throw error;
    }
    this.remember(code, link, now);
    return link;
  }

  private async read(code: string): Promise<CachedLink | null> {
    const row = await this.db
      .selectFrom('short_links')
      .select(['id', 'org_id', 'target_url', 'post_id', 'network', 'campaign', 'contact_id'])
      .where('code', '=', code)
      .executeTakeFirst();
    return row
      ? {
          id: row.id,
          orgId: row.org_id,
          targetUrl: row.target_url,
          postId: row.post_id,
          network: row.network,
          campaign: row.campaign,
          contactId: row.contact_id,
        }
      : null;
  }

  private remember(code: string, link: CachedLink | null, at: number): void {
    this.entries.delete(code);
    this.entries.set(code, { link, at });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
