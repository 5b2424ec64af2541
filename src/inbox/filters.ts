import { sql, type SelectQueryBuilder } from 'kysely';
import type { ConversationFilters } from '../../core/api/inbox.js';
import type { Database } from '../store/database.js';
import type { ConversationRow } from './views.js';

/** The conversations a filter keeps, in SQL; `me` is the member reading. */
export function whereFilters<O>(
  query: SelectQueryBuilder<Database, 'conversations', O>,
  filters: ConversationFilters,
  me: string,
): SelectQueryBuilder<Database, 'conversations', O> {
  let q = query;
  if (filters.status) q = q.where('conversations.status', '=', filters.status);
  if (filters.assignee === 'unassigned') q = q.where('conversations.assignee_user_id', 'is', null);
  else if (filters.assignee) q = q.where('conversations.assignee_user_id', '=', filters.assignee === 'me' ? me : filters.assignee);
  if (filters.network) q = q.where('conversations.network', '=', filters.network);
  if (filters.channelAccountId) q = q.where('conversations.channel_account_id', '=', filters.channelAccountId);
  // Tags are a JSON array of lowercased strings: match the quoted tag, which cannot occur inside another.
  if (filters.tag) {
    const pattern = `%${JSON.stringify(filters.tag.toLowerCase()).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where(sql<boolean>`conversations.tags like ${pattern} escape '\\'`);
  }
  return q;
}

/** The same test on one row, for deciding whose saved views a new conversation lands in. */
export function matchesFilters(row: ConversationRow, filters: ConversationFilters, me: string): boolean {
  if (filters.status && row.status !== filters.status) return false;
  if (filters.assignee === 'unassigned' && row.assignee_user_id !== null) return false;
  if (filters.assignee && filters.assignee !== 'unassigned' && row.assignee_user_id !== (filters.assignee === 'me' ? me : filters.assignee)) return false;
  if (filters.network && row.network !== filters.network) return false;
  if (filters.channelAccountId && row.channel_account_id !== filters.channelAccountId) return false;
  if (filters.tag && !(JSON.parse(row.tags) as string[]).includes(filters.tag.toLowerCase())) return false;
  return true;
}
