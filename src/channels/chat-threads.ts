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
