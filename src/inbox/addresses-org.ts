import { authorKey } from '../../core/networks/index.js';
import type { StreamKind } from '../channels/connector.js';
import type { OrgAccount } from '../channels/org-accounts.js';
import type { InboundItem } from '../streams/inbound-items.js';

/** What an item is judged against: the org's own accounts and the stream it arrived in. */
export interface AddressContext {
  accounts: OrgAccount[];
  /** The stream the item came from: a network's mentions stream lists only what addresses the account. */
  kind: StreamKind;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `@handle` as a whole word (not the start of a longer handle), case-insensitive. */
const mentions = (text: string, handle: string): boolean =>
  new RegExp(`(^|[^\\p{L}\\p{N}_.@])@${escapeRegExp(handle)}(?![\\p{L}\\p{N}_-]|\\.[\\p{L}\\p{N}])`, 'iu').test(text);

/** A Bluesky at-uri names its author's DID: at://<did>/app.bsky.feed.post/<rkey>. */
const postOf = (remoteId: string | null, account: OrgAccount): boolean =>
  remoteId !== null && account.network === 'bluesky' && remoteId.startsWith(`at://${account.remoteId}/`);

/**
 * The one place that decides whether an inbound item addresses the org and so opens (or joins) a
 * conversation: a network's mentions stream (mentions, replies, quotes, direct messages where the
 * network lists them there), an @mention of one of the org's accounts, or a reply to or quote of
 * one of its posts. The org's own posts never do. (A reply to a message already in a conversation
 * joins it whatever this says: collect.ts checks the reply chain first.)
 */
export function addressesOrg(item: InboundItem, context: AddressContext): boolean {
  const own = context.accounts.filter((account) => account.network === item.network);
  if (own.some((account) => authorKey(account.network, account.handle, null) === item.author.key || account.remoteId === item.author.key)) return false;
  if (item.network === 'feed' || item.network === 'team') return false;
  // A direct message is addressed to the account that received it, whatever stream carried it.
  if (context.kind === 'mentions' || context.kind === 'messages' || item.isDirect) return true;
  return own.some((account) => mentions(item.text, account.handle) || postOf(item.replyToRemoteId, account) || postOf(item.quoteOfRemoteId, account));
}
