import type { OrgScope } from '../teams/org-scope.js';

/** A stored item that mentions one of the org's accounts: what analytics counts and rates. */
export interface MentionItem {
  id: string;
  channelAccountId: string | null;
  text: string;
  language: string | null;
  createdAt: string;
}

/** Items of the org's Mentions columns created in [fromIso, toIso), each once however many columns hold it. */
export async function mentionItemsBetween(scope: OrgScope, fromIso: string, toIso: string, limit = 50_000): Promise<MentionItem[]> {
  const rows = await scope
    .selectFrom('stream_items')
    .select(['stream_items.id', 'stream_items.channel_account_id', 'stream_items.text', 'stream_items.language', 'stream_items.created_at'])
    .where('stream_items.created_at', '>=', fromIso)
    .where('stream_items.created_at', '<', toIso)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('column_items')
          .innerJoin('stream_columns', 'stream_columns.id', 'column_items.column_id')
          .select('column_items.item_id')
          .whereRef('column_items.item_id', '=', 'stream_items.id')
          .where('stream_columns.kind', '=', 'mentions'),
      ),
    )
    .orderBy('stream_items.created_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, channelAccountId: r.channel_account_id, text: r.text, language: r.language, createdAt: r.created_at }));
}
