import { z } from 'zod';
import { DomainError } from '../lib/domain-error.js';

/** Position in the links list: links strictly older than (createdAt, id). */
export interface LinkCursor {
  createdAt: string;
  id: string;
}

const CursorShape = z.tuple([z.string().max(40), z.string().min(1).max(100)]);

export const encodeLinkCursor = (cursor: LinkCursor): string => Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');

export function decodeLinkCursor(value: string): LinkCursor {
  try {
    const parsed = CursorShape.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    if (parsed.success) return { createdAt: parsed.data[0], id: parsed.data[1] };
  } catch {
    // Not base64url JSON: the same answer as a wrong shape.
  }
  throw new DomainError('bad_cursor', 'That page cursor is not one Chorus gave out', 400);
}
