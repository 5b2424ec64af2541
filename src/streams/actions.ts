import { connectorFailureHttp } from '../channels/failure-http.js';
import { DomainError } from '../lib/domain-error.js';
import type { ChannelDirectory } from '../channels/channel-directory.js';
import type { OrgScope } from '../teams/org-scope.js';
import { readableColumn } from './boards.js';

export type ItemAction = 'like' | 'repost';

/** Whether the account an item is shown as liked and reposted it (through Chorus, or as the network said when polled). */
export interface ViewerState {
  liked: boolean;
  reposted: boolean;
}

const NOT_REACTED: ViewerState = { liked: false, reposted: false };

/**
 * Like or repost an item through a connected account, or take it back (`undo`): the column's
 * account when the item was shown in a column, else the account that fetched it.
 * Answers the account's state afterwards.
 */
export async function actOnItem(
  scope: OrgScope,
  directory: ChannelDirectory,
  itemId: string,
  input: { action: ItemAction; undo?: boolean | undefined; columnId?: string | undefined },
): Promise<ViewerState> {
  const item = await storedItem(scope, itemId);
  const channelId = input.columnId ? (await readableColumn(scope, input.columnId)).channel_account_id : item.channel_account_id;
  return react(scope, directory, item, { action: input.action, undo: input.undo, channelAccountId: channelId });
}

type ActedItem = { id: string; remote_id: string; network: string; is_direct: number };
type Reacting = { action: ItemAction; undo?: boolean | undefined; channelAccountId: string | null };

async function storedItem(scope: OrgScope, itemId: string) {
  const item = await scope
    .selectFrom('stream_items')
    .select(['id', 'remote_id', 'network', 'channel_account_id', 'is_direct'])
    .where('id', '=', itemId)
    .executeTakeFirst();
  if (!item) throw new DomainError('item_not_found', 'Item not found', 404);
  return item;
}

/**
 * The one way a like or repost is made or taken back, whether from a column or the inbox: through
 * `channelAccountId`, recorded on the item (item_reactions), so every place that shows the item as
 * that account's shows it. A like when this account already liked it is a no-op (nothing is
 * sent), as is undoing one it never made. Answers the account's state afterwards.
 */
export async function reactToItem(scope: OrgScope, directory: ChannelDirectory, itemId: string, input: Reacting): Promise<ViewerState> {
  return react(scope, directory, await storedItem(scope, itemId), input);
}

async function react(scope: OrgScope, directory: ChannelDirectory, item: ActedItem, input: Reacting): Promise<ViewerState> {
  const channelId = input.channelAccountId;
  if (!channelId) throw new DomainError('no_account', 'No connected account can act on this item', 422);
  const existing = await scope
    .selectFrom('item_reactions')
    .select(['record_id'])
    .where('item_id', '=', item.id)
    .where('channel_account_id', '=', channelId)
    .where('kind', '=', input.action)
    .where('undone_at', 'is', null)
    .executeTakeFirst();
  if (input.undo ? !existing : existing) return viewerOf(scope, item.id, channelId);
  const opened = await directory.connectorFor(scope.orgId, channelId);
  if (!opened.ok) throw new DomainError('channel_unavailable', opened.reason, 422);
  const { connector } = opened;
  if (connector.network !== item.network)
    throw new DomainError('wrong_network', `A ${connector.network} account cannot ${input.action} a ${item.network} item`, 422);
  if (!connector.capabilities[input.action])
    throw new DomainError('unsupported_action', `${item.network} items cannot be ${input.action === 'like' ? 'liked' : 'reposted'} from Chorus`, 422);
  if (item.is_direct && !connector.capabilities.direct[input.action])
    throw new DomainError(
      'unsupported_action',
      `A ${item.network} direct message cannot be ${input.action === 'like' ? 'liked' : 'reposted'} from Chorus`,
      422,
    );
  const post = { remoteId: item.remote_id };
  const where = (scope: OrgScope) =>
    scope.deleteFrom('item_reactions').where('item_id', '=', item.id).where('channel_account_id', '=', channelId).where('kind', '=', input.action);
  if (input.undo) {
    const recordId = existing?.record_id ?? null;
    const result = input.action === 'like' ? await connector.unlike(post, recordId) : await connector.unrepost(post, recordId);
    if (!result.ok) throw connectorFailureHttp(result.failure, input.action);
    // Kept with its time: a poll that read the network before this undo must not bring it back.
    await scope
      .updateTable('item_reactions')
      .set({ record_id: null, undone_at: scope.now() })
      .where('item_id', '=', item.id)
      .where('channel_account_id', '=', channelId)
      .where('kind', '=', input.action)
      .execute();
    await scope.audit(`stream_item.un${input.action}d`, { itemId: item.id, channelAccountId: channelId });
  } else {
    const result = input.action === 'like' ? await connector.like(post) : await connector.repost(post);
    if (!result.ok) throw connectorFailureHttp(result.failure, input.action);
    // A concurrent like of the same item may have stored it first (the network kept one: see the connectors).
    await scope.transaction(async (tx) => {
      await where(tx).execute();
      await tx.insertInto('item_reactions', {
        item_id: item.id,
        channel_account_id: channelId,
        kind: input.action,
        record_id: result.value.recordId,
        created_at: tx.now(),
        undone_at: null,
      });
    });
    await scope.audit(`stream_item.${input.action}d`, { itemId: item.id, channelAccountId: channelId });
  }
  return viewerOf(scope, item.id, channelId);
}

async function viewerOf(scope: OrgScope, itemId: string, channelId: string): Promise<ViewerState> {
  return (await viewerStates(scope, [{ itemId, channelAccountId: channelId }])).get(itemId) ?? NOT_REACTED;
}

/** Which of these items came privately (a chat message, a direct status): likes and reposts on them follow the network's `direct` rules. */
export async function directItemIds(scope: OrgScope, itemIds: string[]): Promise<Set<string>> {
  if (itemIds.length === 0) return new Set();
  const rows = await scope.selectFrom('stream_items').select('id').where('id', 'in', itemIds).where('is_direct', '=', 1).execute();
  return new Set(rows.map((row) => row.id));
}

/** Each item's state as the account it is shown as; items without an account show nothing done. */
export async function viewerStates(scope: OrgScope, items: { itemId: string; channelAccountId: string | null }[]): Promise<Map<string, ViewerState>> {
  const states = new Map<string, ViewerState>();
  const ids = [...new Set(items.map((i) => i.itemId))];
  if (ids.length === 0) return states;
  const rows = await scope
    .selectFrom('item_reactions')
    .select(['item_id', 'channel_account_id', 'kind'])
    .where('item_id', 'in', ids)
    .where('undone_at', 'is', null)
    .execute();
  for (const { itemId, channelAccountId } of items) {
    const own = rows.filter((r) => r.item_id === itemId && r.channel_account_id === channelAccountId);
    states.set(itemId, { liked: own.some((r) => r.kind === 'like'), reposted: own.some((r) => r.kind === 'repost') });
  }
  return states;
}
