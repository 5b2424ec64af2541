import { z } from 'zod';
import { NETWORKS, STREAM_KINDS } from '../networks/network-rules.js';

/** The networks Chorus connects to; each has a rules object in core/networks/. */
export const Network = z.enum(NETWORKS);
export type Network = z.infer<typeof Network>;

/** What a connector can read (GET …/channels/:channelId/stream?kind=). */
export const StreamKind = z.enum(STREAM_KINDS);
export type StreamKind = z.infer<typeof StreamKind>;

export const AccountHealth = z.object({ status: z.enum(['ok', 'degraded', 'needs_reconnect']), reason: z.string().optional() });
export type AccountHealth = z.infer<typeof AccountHealth>;

/** Something a successful read noticed (feeds: the charset used and why, entries skipped and why): `code` and `details` for translation, `message` in English. */
export const ReadNote = z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.union([z.string(), z.number(), z.null()])) });
export type ReadNote = z.infer<typeof ReadNote>;

/** What the API shows of a connected account: never its credentials. */
export const ChannelView = z.object({
  id: z.string(),
  network: Network,
  displayName: z.string(),
  handle: z.string(),
  remoteId: z.string(),
  profileUrl: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  health: AccountHealth,
  /** The most this account may post at once, counted by its network's own rule (Mastodon: the instance's); null if unknown. */
  textLimit: z.number().nullable(),
  /** The stream kinds its connector can read. */
  streams: z.array(StreamKind),
  /** What the last full read noticed though it succeeded. */
  notes: z.array(ReadNote),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastCheckedAt: z.string().nullable(),
  /** ISO time the channel's token stops working unless someone reconnects it; null when it does not expire, its end is unknown, or Chorus renews it (docs/channels.md#token-expiry). */
  tokenExpiresAt: z.string().nullable(),
});
export type ChannelView = z.infer<typeof ChannelView>;

export const ConnectableNetwork = z.object({
  network: Network,
  label: z.string(),
  /** The server can connect it by signing in on the network (OAuth). */
  oauth: z.boolean(),
});
export type ConnectableNetwork = z.infer<typeof ConnectableNetwork>;

export const ChannelsAnswer = z.object({ channels: z.array(ChannelView), networks: z.array(ConnectableNetwork) });
export type ChannelsAnswer = z.infer<typeof ChannelsAnswer>;
export const ChannelAnswer = z.object({ channel: ChannelView });
export type ChannelAnswer = z.infer<typeof ChannelAnswer>;
/** Send the browser here to sign in on the network; it comes back to Settings → Channels. */
export const AuthorizeAnswer = z.object({ authorizeUrl: z.string() });
export type AuthorizeAnswer = z.infer<typeof AuthorizeAnswer>;

export const PostMetrics = z.object({ likes: z.number(), reposts: z.number(), replies: z.number(), quotes: z.number(), views: z.number().nullable() });
export type PostMetrics = z.infer<typeof PostMetrics>;

export const RemoteProfile = z.object({
  remoteId: z.string(),
  handle: z.string(),
  displayName: z.string(),
  avatarUrl: z.string().nullable().optional(),
  profileUrl: z.string().nullable().optional(),
});
export type RemoteProfile = z.infer<typeof RemoteProfile>;

/** A post or feed entry in Chorus's own shape, as a connector read it (not yet stored). */
export const NormalizedItem = z.object({
  network: Network,
  remoteId: z.string(),
  idScope: z.string().optional(),
  url: z.string().nullable(),
  author: RemoteProfile,
  text: z.string(),
  /** Sanitized by the server; never raw. */
  html: z.string().nullable(),
  title: z.string().nullable().optional(),
  links: z.array(z.string()),
  media: z.array(z.object({ url: z.string(), alt: z.string(), mimeType: z.string().nullable().optional() })),
  replyToRemoteId: z.string().nullable(),
  quoteOfRemoteId: z.string().nullable(),
  createdAt: z.string(),
  createdAtApproximate: z.boolean().optional(),
  language: z.string().nullable(),
  metrics: PostMetrics.nullable(),
});
export type NormalizedItem = z.infer<typeof NormalizedItem>;

/** One page read live through a channel: pass `nextCursor` as `before` for the older page, `pollState` back on the next poll. */
export const ChannelStreamPage = z.object({
  items: z.array(NormalizedItem),
  nextCursor: z.string().nullable(),
  pollState: z.string().nullable().optional(),
  notModified: z.boolean().optional(),
  notes: z.array(ReadNote).optional(),
});
export type ChannelStreamPage = z.infer<typeof ChannelStreamPage>;

/** A network's cap on sending (LINE: messages per month) and its use; `limit` null: no cap. */
export const SendingQuota = z.object({
  unit: z.enum(['messages', 'posts']),
  period: z.enum(['day', 'month']),
  limit: z.number().int().nullable(),
  used: z.number().int(),
});
export type SendingQuota = z.infer<typeof SendingQuota>;

/** GET …/channels/:channelId/quota: null where the network has no cap. */
export const ChannelQuotaAnswer = z.object({ quota: SendingQuota.nullable() });
export type ChannelQuotaAnswer = z.infer<typeof ChannelQuotaAnswer>;
