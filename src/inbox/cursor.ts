import { z } from 'zod';
import { DomainError } from '../lib/domain-error.js';

/** Position in the conversation list (newest activity first): conversations strictly before (lastMessageAt, id). */
export interface ConversationCursor {
  lastMessageAt: string;
  id: string;
}

const CursorShape = z.tuple([z.string().min(1).max(100), z.string().min(1).max(100)]);

export const encodeConversationCursor = (cursor: ConversationCursor): string =>
  Buffer.from(JSON.stringify([cursor.lastMessageAt, cursor.id])).toString('base64url');

/** Anything Chorus did not hand out is a 400, not a guess at a position. */
export function decodeConversationCursor(value: string): ConversationCursor {
  try {
    const parsed = CursorShape.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    if (parsed.success) return { lastMessageAt: parsed.data[0], id: parsed.data[1] };
  } catch {
    // Not base64url JSON: the same answer as a wrong shape.
  }
  throw new DomainError('bad_cursor', 'That page cursor is not one Chorus gave out', 400);
}
