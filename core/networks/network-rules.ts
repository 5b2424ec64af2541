/**
 * What Chorus knows about a network without talking to it: one `NetworkRules` object per network
 * (core/networks/<network>.ts), read by its connector, publishing, the CRM and the web app alike,
 * so those can never disagree. Pure and browser-safe.
 */

/** Every network Chorus has rules for; a connector folder under src/channels/ speaks to each. */
export const NETWORKS = ['bluesky', 'mastodon', 'x', 'feed', 'team', 'line', 'threads', 'linkedin', 'facebook', 'instagram'] as const;
export type Network = (typeof NETWORKS)[number];

export const STREAM_KINDS = ['home', 'mentions', 'notifications', 'user_posts', 'list', 'search', 'feed', 'team', 'messages'] as const;
export type StreamKind = (typeof STREAM_KINDS)[number];

/** The images a network keeps on one post; `maxImages: 0` means it keeps none. */
export interface MediaLimits {
  maxImages: number;
  maxBytes: number;
  mimeTypes: string[];
  /** 0 where the network keeps images but has no alt text (LINE): Chorus keeps it, the network never gets it. */
  altTextMaxLength: number;
}

/** What Chorus can do on a network (a connector may narrow `media` to what its server allows). */
export interface Capabilities {
  streams: StreamKind[];
  publish: boolean;
  reply: boolean;
  quote: boolean;
  like: boolean;
  repost: boolean;
  /**
   * Which of `like` and `repost` also reach a direct message: a Mastodon direct status takes a
   * favourite but no boost; a Messenger message is not a Graph object that takes likes.
   */
  direct: { like: boolean; repost: boolean };
  delete: boolean;
  postMetrics: boolean;
  accountMetrics: boolean;
  media: MediaLimits;
}

/** A post's text as its network counts it. */
export interface TextMeasure {
  length: number;
  limit: number;
  /** Longer than the network takes. */
  tooLong: boolean;
  /** Nothing to post: the text is blank and no image goes with it. */
  empty: boolean;
  /** The network takes this text: neither too long nor empty. */
  fits: boolean;
}

export interface MeasureOptions {
  /** The account's own limit where a server sets one (a Mastodon instance); else the network's. */
  limit?: number;
  /** Images going with the text: a blank text with images is a post, without them it is not. */
  mediaCount?: number;
}

/** An identity as a user typed or pasted it, read: a handle and, where the network has one, a profile URL. */
export type IdentityParse = { ok: true; handle: string; profileUrl: string | null } | { ok: false; message: string };

export interface NetworkRules {
  network: Network;
  /** Shown to users ("Bluesky", "RSS, Atom or JSON Feed"). */
  label: string;
  capabilities: Capabilities;
  /** The network's own counting rule: the composer's counter, publishing's check, the connector's guard. */
  measureText(text: string, options?: MeasureOptions): TextMeasure;
  /** Reads a handle (with or without `@`) or a profile URL; never throws, says what is wrong. */
  parseIdentity(input: string): IdentityParse;
  /** True when pasted text can only be this network's identity (a bsky.app URL): lets a form pick the network. */
  recognizesIdentity(input: string): boolean;
  /**
   * The one string by which Chorus recognizes an author within this network: a stored item's
   * `author_key`, and what a CRM contact identity matches items by.
   */
  authorKey(handle: string, profileUrl: string | null): string;
  /** The text a private reply to `handle` goes out as, where the network changes it (Mastodon names the person); absent: as written. */
  privateReplyText?(handle: string, text: string): string;
}
