import { z } from 'zod';

/** Position in a newest-first list: items strictly older than (createdAt, itemId). */
export interface ItemCursor {
  createdAt: string;
  itemId: string;
}

const CursorShape = z.tuple([z.string().datetime({ offset: true }), z.string().min(1).max(100)]);

export const encodeCursor = (cursor: ItemCursor): string => Buffer.from(JSON.stringify([cursor.createdAt, cursor.itemId])).toString('base64url');

/** Null for anything Chorus did not hand out: the route answers 400 instead of guessing. */
export function decodeCursor(value: string): ItemCursor | null {
  try {
    const parsed = CursorShape.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    return parsed.success ? { createdAt: parsed.data[0], itemId: parsed.data[1] } : null;
  } catch {
    return null;
  }
}
