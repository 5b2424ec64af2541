import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { authorKey } from '../../core/networks/index.js';
import { feedChannelUrls } from '../channels/service.js';
import type { Database } from '../store/database.js';
import { imageUrlsOf } from '../image-proxy/item-images.js';
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
      .select([
        'id',
        'network',
        'remote_id',
        'url',
        'author_handle',
        'author_display_name',
        'author_avatar_url',
        'author_profile_url',
        'title',
        'text',
        'html',
        'links',
        'media',
        'reply_to_remote_id',
        'quote_of_remote_id',
        'created_at',
        'language',
        'view',
      ])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) return filled;
    for (const row of rows) {
      if (row.view !== '') continue;
      const media = JSON.parse(row.media) as { url: string }[];
      const imageUrls = imageUrlsOf({ author: { avatarUrl: row.author_avatar_url }, media, html: row.html });
      // Only rows from before migration 0401 lack a view, and they predate the approximate-time flag (0405) and what the network tagged (0406), which migration 0401 cannot select.
      const view = renderStoredViewOfRow({ ...row, created_at_approximate: 0, mentions: '[]', tags: '[]', card_title: null, is_direct: 0 });
      await db
        .updateTable('stream_items')
        .set({ view, image_urls: JSON.stringify(imageUrls) })
        .where('id', '=', row.id)
        .execute();
      filled++;
    }
    after = rows.at(-1)!.id;
  }
}

/**
 * Gives stored views from before migration 0406 (and rows of archives exported before it) the
 * members added then, with the values their rows hold: nothing tagged, no card title, not direct.
 * One statement: the view is a JSON object written by Chorus, so its closing brace is its last character.
 */
export async function fillMissingViewTags(db: Kysely<Database>): Promise<void> {
  await db
    .updateTable('stream_items')
    .set({ view: sql<string>`substr(view, 1, length(view) - 1) || ${',"mentions":[],"tags":[],"cardTitle":null,"isDirect":false}'}` })
    .where('view', '<>', '')
    .where('view', 'not like', '%"isDirect":%')
    .execute();
}

/**
 * Computes `author_key` where it is empty: rows stored before the column existed (migration 0404)
 * and rows imported from an archive exported before it. Same walk as above.
 */
export async function fillMissingAuthorKeys(db: Kysely<Database>): Promise<number> {
  let filled = 0;
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('stream_items')
      .select(['id', 'network', 'author_handle', 'author_profile_url', 'author_key'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) return filled;
    for (const row of rows) {
      if (row.author_key !== '') continue;
      const key = authorKey(row.network, row.author_handle, row.author_profile_url);
      if (key === '') continue;
      await db.updateTable('stream_items').set({ author_key: key }).where('id', '=', row.id).execute();
      filled++;
    }
    after = rows.at(-1)!.id;
  }
}

/**
 * Gives feed items without an id scope the address of the feed that fetched them (its channel's
 * remote id): items stored before migration 0405 and rows imported from an archive exported before
 * it. Items of a feed no longer connected keep the empty scope until retention removes them.
 */
export async function fillMissingFeedScopes(db: Kysely<Database>): Promise<void> {
  for (const feed of await feedChannelUrls(db)) {
    await db
      .updateTable('stream_items')
      .set({ id_scope: feed.url })
      .where('channel_account_id', '=', feed.id)
      .where('network', '=', 'feed')
      .where('id_scope', '=', '')
      .execute();
  }
}
