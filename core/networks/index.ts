import { blueskyRules } from './bluesky.js';
import { facebookRules } from './facebook.js';
import { feedRules } from './feed.js';
import { instagramRules } from './instagram.js';
import { lineRules } from './line.js';
import { linkedinRules } from './linkedin.js';
import { mastodonRules } from './mastodon.js';
import type { Network, NetworkRules } from './network-rules.js';
import { teamRules } from './team.js';
import { threadsRules } from './threads.js';
import { xRules } from './x.js';

export { NETWORKS, STREAM_KINDS } from './network-rules.js';
export { livePostUrl } from './live-post-url.js';
export type { Capabilities, IdentityParse, MeasureOptions, MediaLimits, Network, NetworkRules, StreamKind, TextMeasure } from './network-rules.js';

/** One line per network; the type makes a network without rules a compile error. */
const RULES: Readonly<Record<Network, NetworkRules>> = {
  bluesky: blueskyRules,
  mastodon: mastodonRules,
  x: xRules,
  feed: feedRules,
  team: teamRules,
  line: lineRules,
  // Threads and LinkedIn (issue 15, wt-threadsli)
  threads: threadsRules,
  linkedin: linkedinRules,
  // Meta (Facebook Pages, Instagram)
  facebook: facebookRules,
  instagram: instagramRules,
};

export const networkRules = (network: Network): NetworkRules => RULES[network];

/** Every network's rules, in NETWORKS order. */
export const allNetworkRules = (): NetworkRules[] => Object.values(RULES);

/** The networks Chorus can post to (feeds are read-only). */
export const publishingNetworks = (): Network[] =>
  allNetworkRules()
    .filter((rules) => rules.capabilities.publish)
    .map((rules) => rules.network);

export const isNetwork = (value: string): value is Network => Object.hasOwn(RULES, value);

/** The likes and reposts an item of `network` takes through Chorus; a direct message only those its network's `direct` rules allow. */
export function reactionsOn(network: string, direct: boolean): { like: boolean; repost: boolean } {
  if (!isNetwork(network)) return { like: false, repost: false };
  const { like, repost, direct: onDirect } = RULES[network].capabilities;
  return direct ? { like: like && onDirect.like, repost: repost && onDirect.repost } : { like, repost };
}

/** What a private reply to `handle` on `network` sends: the reply box counts this, the connector posts it. */
export function privateReplyText(network: Network, handle: string, text: string): string {
  return RULES[network].privateReplyText?.(handle, text) ?? text;
}

/**
 * The one string by which Chorus recognizes an author within a network: a stored item's
 * `author_key`, and the key a CRM contact identity matches items by. Both sides compute it
 * here, so a contact made from an item, or typed in by hand, finds that author's items.
 */
export const authorKey = (network: Network, handle: string, profileUrl: string | null): string => RULES[network].authorKey(handle, profileUrl);
