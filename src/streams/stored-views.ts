import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { imageUrlsOf } from './image-proxy/item-images.js';
import { renderStoredViewOfRow } from './views.js';

const BATCH = 500;

/**
 * Renders the stored view (and image URLs) of every item that has none: rows stored before the column existed
 * (the migration calls this) and rows imported from an archive exported before it (the import
 * does). Walks the primary key in batches, so it is linear however many items there are.
 */
export async function fillMissingItemViews(db: Kysely<Database>): Promise<number> {
  let filled = 0;
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('stream_items')
      .select(['id', 'network', 'remote_id', 'url', 'author_handle', 'author_display_name', 'author_avatar_url', 'author_profile_url', 'title', 'text', 'html', 'links', 'media', 'reply_to_remote_id', 'quote_of_remote_id', 'created_at', 'language', 'view'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) return filled;
    for (const row of rows) {
      if (row.view !== '') continue;
      const media = JSON.parse(row.media) as { url: string }[];
      const imageUrls = imageUrlsOf({ author: { avatarUrl: row.author_avatar_url }, media, html: row.html });
      await db.updateTable('stream_items').set({ view: renderStoredViewOfRow(row), image_urls: JSON.stringify(imageUrls) }).where('id', '=', row.id).execute();
      filled++;
    }
    after = rows.at(-1)!.id;
  }
}
