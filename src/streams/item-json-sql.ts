import { sql, type RawBuilder } from 'kysely';
import { jsonText } from '../store/dialect-sql.js';
import type { Dialect } from '../store/store.js';

const flag = (column: string): RawBuilder<string> => sql<string>`case when ${sql.ref(column)} = 1 then 'true' else 'false' end`;

/** Whether the account the item is shown as (`account`, its id as JSON) liked (reposted) it: one primary-key probe. */
const reacted = (dialect: Dialect, account: RawBuilder<string>, kind: 'like' | 'repost'): RawBuilder<string> =>
  sql<string>`case when exists (select 1 from item_reactions where item_reactions.item_id = stream_items.id and ${jsonText(dialect, 'item_reactions.channel_account_id')} = ${account} and item_reactions.kind = ${kind} and item_reactions.undone_at is null) then 'true' else 'false' end`;

/**
 * The JSON of one item in a column page, the same as itemJson() in views.ts, but spliced by the
 * store: each page row is then one string instead of eight values, and better-sqlite3 spends
 * about half a microsecond on every value it hands to JavaScript (bench/README.md, column read).
 * ltrim drops the view's opening brace without counting characters, as substr would.
 * Expects stream_items, column_items and a left-joined item_states in the query. A column with an
 * account of its own shows its items as that account's: `columnAccountJson` is its id as JSON.
 */
export function columnItemJson(dialect: Dialect, columnAccountJson: string | null): RawBuilder<string> {
  const account = sql<string>`coalesce(${columnAccountJson}, ${jsonText(dialect, 'stream_items.channel_account_id')})`;
  return sql<string>`'{"id":' || ${jsonText(dialect, 'stream_items.id')} || ',"metrics":' || coalesce(stream_items.metrics, 'null')
    || ',"channelAccountId":' || ${account} || ',"read":' || ${flag('column_items.read')} || ',"done":' || ${flag('column_items.done')}
    || ',"assignedToUserId":' || ${jsonText(dialect, 'item_states.assigned_to_user_id')}
    || ',"viewer":{"liked":' || ${reacted(dialect, account, 'like')} || ',"reposted":' || ${reacted(dialect, account, 'repost')} || '},' || ltrim(stream_items.view, '{')`;
}
