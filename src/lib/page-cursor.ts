import { z } from 'zod';
import { DomainError } from './domain-error.js';

/**
 * The opaque `before` / `nextCursor` of a newest-first list (docs/api.md#pagination): the sort key
 * and id of the last row handed out. Lists whose rows sort by a time and an id use this one.
 */
export interface PagePosition {
  key: string;
  id: string;
}

const PositionShape = z.tuple([z.string().min(1).max(100), z.string().min(1).max(100)]);

export const encodePageCursor = (position: PagePosition): string => Buffer.from(JSON.stringify([position.key, position.id])).toString('base64url');

/** Anything Chorus did not hand out is a 400, not a guess at a position. */
export function decodePageCursor(value: string): PagePosition {
  try {
    const parsed = PositionShape.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    if (parsed.success) return { key: parsed.data[0], id: parsed.data[1] };
  } catch {
    // Not base64url JSON: the same answer as a wrong shape.
  }
  throw new DomainError('bad_cursor', 'That page cursor is not one Chorus gave out', 400);
}

/** The cursor of the next page, or null when this page was not full (the last one). */
export function nextCursorOf<T>(rows: readonly T[], limit: number, positionOf: (row: T) => PagePosition): string | null {
  const last = rows.at(-1);
  return rows.length === limit && last !== undefined ? encodePageCursor(positionOf(last)) : null;
}
