/**
 * The one interface between Chorus and a social network. Everything that talks to a network
 * (streams, publishing, analytics, CRM) goes through a ChannelConnector; nothing outside
 * src/channels/<network>/ imports a network SDK. One more network is one more folder.
 */

import type { SendingQuota } from '../../core/api/channels.js';
import type { Capabilities, Network, StreamKind, TextMeasure } from '../../core/networks/network-rules.js';

// What a network is and what it allows live in core/networks (shared with the web app); re-exported for the connectors.
export { NETWORKS, STREAM_KINDS } from '../../core/networks/network-rules.js';
export type { Capabilities, Network, StreamKind, TextMeasure } from '../../core/networks/network-rules.js';
/** A network's own cap on sending (LINE: messages per month), shown before a send that would pass it. */
export type { SendingQuota } from '../../core/api/channels.js';

/** Errors are values at this boundary: the caller (publisher, poller) decides what to do. */
export type ConnectorFailure =
  /** Network or server trouble: retry later with backoff. */
  | { kind: 'transient'; message: string; retryAfterMs?: number }
  /** The network said slow down; retry after the given time, never earlier. */
  | { kind: 'rate_limited'; message: string; retryAfterMs: number }
  /** Credentials revoked or expired beyond refresh: the account needs reconnecting. */
  | { kind: 'auth'; message: string }
  /** The request itself is wrong (too long, unsupported media, deleted parent): do not retry. */
  | { kind: 'permanent'; message: string; code?: string; params?: Record<string, string | number> };

export type ConnectorResult<T> = { ok: true; value: T } | { ok: false; failure: ConnectorFailure };

/** A text its network would refuse, as the permanent failure a connector answers without calling the network; null when it fits. */
export function refusedText(measure: TextMeasure): ConnectorFailure | null {
  if (measure.empty) return { kind: 'permanent', code: 'empty_text', message: 'the post has no text and no images' };
  if (measure.tooLong) return { kind: 'permanent', code: 'text_too_long', message: `text is ${measure.length} of ${measure.limit}` };
  if (!measure.fits) return { kind: 'permanent', code: 'text_refused', message: 'the network refuses this text' };
  return null;
}

export const succeeded = <T>(value: T): ConnectorResult<T> => ({ ok: true, value });
export const failed = <T = never>(failure: ConnectorFailure): ConnectorResult<T> => ({ ok: false, failure });

export interface AccountHealth {
  status: 'ok' | 'degraded' | 'needs_reconnect';
  reason?: string;
}

/** Auth failures need the user; everything else is the network's trouble and may pass. */
export function healthAfter(failure: ConnectorFailure): AccountHealth {
  return failure.kind === 'auth' ? { status: 'needs_reconnect', reason: failure.message } : { status: 'degraded', reason: failure.message };
}

export interface RemoteProfile {
  remoteId: string;
  handle: string;
  displayName: string;
  avatarUrl?: string | null;
  profileUrl?: string | null;
}

/** A post or feed entry in Chorus's own shape, whatever network it came from. */
export interface NormalizedItem {
  network: Network;
  /** Stable id on the network (Bluesky at-uri, Mastodon status id, X tweet id, feed entry guid/link). */
  remoteId: string;
  /**
   * Where `remoteId` is unique, when that is less than the whole network: a feed entry's feed
   * address (a guid is unique within its feed only). Absent: unique on the network, so the same
   * post seen through several accounts is one item.
   */
  idScope?: string;
  url: string | null;
  author: RemoteProfile;
  /** Plain text, always present (may be empty). */
  text: string;
  /** Sanitized HTML where the network provides rich content (feeds, Mastodon); never raw. */
  html: string | null;
  title?: string | null;
  links: string[];
  media: { url: string; alt: string; mimeType?: string | null }[];
  replyToRemoteId: string | null;
  quoteOfRemoteId: string | null;
  createdAt: string;
  /** True when the source gave no exact time (an unreadable date, no zone): `createdAt` is then a guess, at worst the fetch time. */
  createdAtApproximate?: boolean;
  language: string | null;
  metrics: PostMetrics | null;
  /** Accounts the post mentions, as the network tagged them (Mastodon mentions, Bluesky mention facets). */
  mentions?: ItemMention[];
  /** Hashtags as the network tagged them, without '#'. */
  tags?: string[];
  /** The title of the link card the network attached (Mastodon card, Bluesky external embed). */
  cardTitle?: string | null;
  /** A direct (private) message rather than a public post: Mastodon `visibility: direct`. */
  isDirect?: boolean;
  /** What the network says the reading account did to the post; absent where its answer does not say (X, feeds, notifications' records). */
  viewer?: ViewerReactions;
}

/** The reading account's like and repost as the network states them: null when it has none, absent when unknown. */
export interface ViewerReactions {
  like?: Reaction | null;
  repost?: Reaction | null;
}

export interface ItemMention {
  /** The network's id of the account (Bluesky DID, Mastodon account id), when it gave one. */
  remoteId: string | null;
  handle: string;
  profileUrl: string | null;
}

export interface PostMetrics {
  likes: number;
  reposts: number;
  replies: number;
  quotes: number;
  views: number | null;
}

export interface AccountMetrics {
  followers: number;
  following: number | null;
  posts: number | null;
}

export interface StreamRequest {
  kind: StreamKind;
  /** Search query, list id, actor handle or feed URL, depending on `kind`. */
  target?: string;
  /** Opaque cursor from a previous page, to read older items. */
  cursor?: string | null;
  limit?: number;
  /**
   * Opaque state from the previous newest-page read (`StreamPage.pollState`): lets a network
   * answer "nothing new" cheaply (feeds: ETag / Last-Modified conditional GET).
   */
  pollState?: string | null;
}

export interface StreamPage {
  items: NormalizedItem[];
  /** Cursor for the next (older) page, or null at the end. */
  olderCursor: string | null;
  /** Pass back as `StreamRequest.pollState` on the next poll; absent where a network has none. */
  pollState?: string | null;
  /** True when the network said nothing changed since `pollState` (items is then empty). */
  notModified?: boolean;
  /**
   * What this read noticed that the channel's people should know, though it succeeded (feeds: the
   * charset used and why, entries skipped and why). Present only on reads of the whole source;
   * they replace the channel's notes, so an empty list clears them.
   */
  notes?: ReadNote[];
}

/** Something worth telling about a successful read: coded for translation, with the English sentence for API readers. */
export interface ReadNote {
  code: string;
  message: string;
  details: Record<string, string | number | null>;
}

/** A reference to a post on its network, enough to reply to, quote, like or delete it. */
export interface PostRef {
  remoteId: string;
  /** Bluesky needs the record CID as well; other networks ignore it. */
  cid?: string | null;
}

/** A like or repost as the network recorded it: Bluesky's like/repost record uri; null where the post itself keys it (Mastodon, X). */
export interface Reaction {
  recordId: string | null;
}

/** One image of a post, in the order the post shows them. */
export interface PublishImage {
  data: Uint8Array;
  mimeType: string;
  alt: string;
}

export interface PublishRequest {
  /**
   * Chosen by the caller and stable across retries: repeating a publish with the same key must
   * never create a second post (Bluesky: deterministic record key; Mastodon: Idempotency-Key
   * header; X: look for the key's marker among recent posts before retrying).
   */
  idempotencyKey: string;
  text: string;
  /**
   * `privateTo`: the post replied to was a direct message from this handle, and the reply must stay
   * as private (Mastodon: visibility direct, mentioning them, or nobody receives it). Without it a
   * reply is public, and a customer's private question would be answered in the open.
   */
  replyTo?: PostRef & { rootRemoteId?: string; rootCid?: string | null; privateTo?: string };
  quote?: PostRef;
  images?: PublishImage[];
  languages?: string[];
  /**
   * 1 when no earlier attempt with this key can have reached the network; absent or more
   * means one may have. A network without idempotency keys (X) looks for an earlier copy
   * unless this is 1.
   */
  attempt?: number;
}

export interface PublishedPost extends PostRef {
  url: string | null;
  /** True when the post already existed for this idempotency key (nothing new was created). */
  alreadyExisted: boolean;
}

export interface ChannelConnector {
  readonly network: Network;
  readonly capabilities: Capabilities;
  /** Checks the credentials against the network and returns the account it speaks for. */
  verify(): Promise<ConnectorResult<RemoteProfile>>;
  health(): Promise<AccountHealth>;
  readStream(request: StreamRequest): Promise<ConnectorResult<StreamPage>>;
  publish(request: PublishRequest): Promise<ConnectorResult<PublishedPost>>;
  /** Likes the post; the answer names the network's record of it (what undoing needs), or null when the network keys it by the post alone. */
  like(post: PostRef): Promise<ConnectorResult<Reaction>>;
  repost(post: PostRef): Promise<ConnectorResult<Reaction>>;
  /** Takes a like back: `recordId` is what like() answered. Already gone counts as done. */
  unlike(post: PostRef, recordId: string | null): Promise<ConnectorResult<void>>;
  unrepost(post: PostRef, recordId: string | null): Promise<ConnectorResult<void>>;
  deletePost(post: PostRef): Promise<ConnectorResult<void>>;
  postMetrics(post: PostRef): Promise<ConnectorResult<PostMetrics>>;
  accountMetrics(): Promise<ConnectorResult<AccountMetrics>>;
  /** The network's own counting rule (its core/networks rules, with this account's own limits). */
  measureText(text: string, mediaCount?: number): TextMeasure;
  /** Only networks that cap sending have one (LINE's monthly message allowance). */
  quota?(): Promise<ConnectorResult<SendingQuota>>;
}

/** What a connector may need from Chorus, injected so tests can replace it. */
export interface ConnectorContext {
  /** Outbound HTTP that refuses private and loopback addresses unless the operator allows them. */
  fetch: typeof fetch;
  now: () => Date;
  /** Called when the network rotates credentials (token refresh), so they are persisted encrypted. */
  saveCredentials: (credentials: unknown) => Promise<void>;
}
