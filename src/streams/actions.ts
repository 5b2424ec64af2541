import type { ConnectorFailure } from '../channels/connector.js';
import { HttpError } from '../http/errors.js';
import { DomainError } from '../lib/domain-error.js';
import type { ChannelDirectory } from '../publishing/channel-directory.js';
import type { OrgScope } from '../teams/org-scope.js';
import { readableColumn } from './boards.js';

/**
 * Like or repost an item through a connected account: the column's account when the item was
 * shown in a column, else the account that fetched it. The network's answer comes back as is.
 */
export async function actOnItem(scope: OrgScope, directory: ChannelDirectory, itemId: string, input: { action: 'like' | 'repost'; columnId?: string | undefined }): Promise<void> {
  const item = await scope.selectFrom('stream_items').select(['id', 'remote_id', 'network', 'channel_account_id']).where('id', '=', itemId).executeTakeFirst();
  if (!item) throw new DomainError('item_not_found', 'Item not found', 404);
  const channelId = input.columnId ? (await readableColumn(scope, input.columnId)).channel_account_id : item.channel_account_id;
  if (!channelId) throw new DomainError('no_account', 'No connected account can act on this item', 422);
  const opened = await directory.connectorFor(scope.orgId, channelId);
  if (!opened.ok) throw new DomainError('channel_unavailable', opened.reason, 422);
  const { connector } = opened;
  if (connector.network !== item.network) throw new DomainError('wrong_network', `A ${connector.network} account cannot ${input.action} a ${item.network} item`, 422);
  if (!connector.capabilities[input.action]) throw new DomainError('unsupported_action', `${item.network} items cannot be ${input.action === 'like' ? 'liked' : 'reposted'} from Chorus`, 422);
  const result = input.action === 'like' ? await connector.like({ remoteId: item.remote_id }) : await connector.repost({ remoteId: item.remote_id });
  if (!result.ok) throw actionError(input.action, result.failure);
  await scope.audit(`stream_item.${input.action}d`, { itemId: item.id, channelAccountId: channelId });
}

/** A network's refusal as the HTTP answer the caller can act on (wait, reconnect, retry, or give up). */
export function actionError(action: string, failure: ConnectorFailure): HttpError {
  switch (failure.kind) {
    case 'rate_limited':
      return new HttpError(429, 'rate_limited', `The network asks us to wait before the next ${action}: ${failure.message}`, undefined, { 'retry-after': String(Math.ceil(failure.retryAfterMs / 1000)) });
    case 'auth':
      return new HttpError(422, 'channel_needs_reconnect', `The account needs reconnecting before it can ${action}: ${failure.message}`);
    case 'transient':
      return new HttpError(502, 'network_unavailable', `The network could not be reached; try again in a moment (${failure.message})`);
    case 'permanent':
      return new HttpError(422, 'action_failed', failure.message);
  }
}
