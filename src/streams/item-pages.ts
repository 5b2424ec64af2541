import { DomainError } from '../lib/domain-error.js';
import { decodeCursor, encodeCursor, type ItemCursor } from './cursor.js';

/** A page of items, newest first; `nextCursor` asks for the page after it (core/api/streams.ts). */
export type { ItemPage } from '../../core/api/streams.js';

/** An ItemPage already as JSON: pages are built from the stored views without parsing them. */
export type ItemPageJson = string;

/** An ItemPage as the UTF-8 bytes of its JSON, ready to send. */
export type ItemPageBytes = Buffer;

export function cursorFrom(value: string | undefined): ItemCursor | null {
  if (value === undefined) return null;
  const cursor = decodeCursor(value);
  if (!cursor) throw new DomainError('bad_cursor', 'That page cursor is not one Chorus gave out', 400);
  return cursor;
}

export const nextCursorOf = (page: { created_at: string; id: string }[], limit: number): string | null => {
  const last = page.at(-1);
  return page.length === limit && last ? encodeCursor({ createdAt: last.created_at, itemId: last.id }) : null;
};

/** The image URLs listed at ingest (stream_items.image_urls). */
export const storedImageUrls = (imageUrls: string): string[] => JSON.parse(imageUrls) as string[];
