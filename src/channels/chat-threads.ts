import { z } from 'zod';

/** A page cursor that Chorus did not give out (or that was altered): the caller answers bad_cursor. */
export class BadChatCursor extends Error {}

const CursorShape = z.tuple([z.string().max(40), z.string().min(1).max(100)]);

/** The cursor to the page after this row, in a chat table read newest first by (occurred_at, id). */
export const encodeChatCursor = (row: { occurred_at: string; id: string }): string =>
  Buffer.from(JSON.stringify([row.occurred_at, row.id])).toString('base64url');

/** The (occurred_at, id) a cursor stands for; anything else is a BadChatCursor. */
export function decodeChatCursor(value: string): [string, string] {
  try {
    const parsed = CursorShape.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // Not base64url JSON: the same answer as a wrong shape.
  }
  throw new BadChatCursor('That page cursor is not one Chorus gave out');
}

/**
 * Chats (LINE, Messenger) have no reply chain: the inbox keeps one person's messages in one
 * conversation when each message names the same sender's message before it. Given a page of
 * messages, newest first, this finds that previous message: later in the page, or else through
 * `earlierFromSender`, a query of the network's own table for the sender's newest older message.
 */
export async function withPreviousFromSender<Row>(
  page: Row[],
  senderOf: (row: Row) => string | null,
  messageIdOf: (row: Row) => string | null,
  earlierFromSender: (row: Row, sender: string) => Promise<string | null>,
): Promise<{ row: Row; previousId: string | null }[]> {
  const found: { row: Row; previousId: string | null }[] = [];
  for (const [index, row] of page.entries()) {
    const sender = senderOf(row);
    if (sender === null) {
      found.push({ row, previousId: null });
      continue;
    }
    const later = page.slice(index + 1).find((other) => senderOf(other) === sender);
    found.push({ row, previousId: later ? messageIdOf(later) : await earlierFromSender(row, sender) });
  }
  return found;
}
